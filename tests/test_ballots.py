"""The ballot rules, written once in exhibition.ballots, whichever page or API calls them."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitate.exhibition import ballots
from facilitate.exhibition.ballots import BallotError
from facilitate.exhibition.vote import results
from facilitate.extensions import db
from facilitate.models import Ballot, Membership, Role, Vote, VoteStatus


@pytest.fixture
def vote(make):
    """An open vote: 6 stands, a voter in the team of challenge 1."""
    event = make.event(challenges=6, themes=2, vote_status=VoteStatus.OPEN)
    teams = [c.team for c in event.challenges]
    voter = make.participant(event, team=teams[0])
    return event, teams, voter


def _voter(event, user):
    return ballots.voter(event, user)


def _count_votes(event):
    return db.session.scalar(
        select(func.count()).select_from(Vote).where(Vote.event_id == event.id)
    )


def test_replace_ballot_puts_exactly_the_votes_and_repeating_changes_nothing(vote):
    event, teams, user = vote
    wanted = [teams[1].id, teams[2].id, teams[3].id]
    assert ballots.replace_ballot(event, _voter(event, user), wanted) == wanted
    first = db.session.execute(select(Vote.id, Vote.team_id).order_by(Vote.id)).all()
    assert ballots.replace_ballot(event, _voter(event, user), wanted) == wanted
    assert db.session.execute(select(Vote.id, Vote.team_id).order_by(Vote.id)).all() == first
    assert ballots.current_ballot(event, user.id) == wanted
    assert ballots.ballots_cast(event) == 1


def test_changing_the_ballot_keeps_unchanged_votes_and_replaces_the_rest(vote):
    event, teams, user = vote
    ballots.replace_ballot(event, _voter(event, user), [teams[1].id, teams[2].id, teams[3].id])
    ballots.replace_ballot(event, _voter(event, user), [teams[3].id, teams[4].id])
    assert sorted(ballots.current_ballot(event, user.id)) == sorted([teams[3].id, teams[4].id])
    assert _count_votes(event) == 2


@pytest.mark.parametrize(
    ("pick", "code"),
    [
        (lambda t: [t[1].id, t[2].id, t[3].id, t[4].id], "too_many_votes"),
        (lambda t: [t[1].id, t[1].id], "duplicate_team"),
        (lambda t: [t[0].id], "own_team"),
        (lambda t: [999_999], "unknown_team"),
        (lambda t: ["1"], "invalid_ballot"),
        (lambda t: [True], "invalid_ballot"),
    ],
)
def test_invalid_ballots_are_refused_and_change_nothing(vote, pick, code):
    event, teams, user = vote
    ballots.replace_ballot(event, _voter(event, user), [teams[5].id])
    with pytest.raises(BallotError) as refused:
        ballots.replace_ballot(event, _voter(event, user), pick(teams))
    assert refused.value.code == code
    assert refused.value.status == 422
    assert ballots.current_ballot(event, user.id) == [teams[5].id]


def test_a_team_of_another_event_is_unknown(vote, make):
    event, teams, user = vote
    other = make.event(challenges=1)
    with pytest.raises(BallotError) as refused:
        ballots.replace_ballot(event, _voter(event, user), [other.challenges[0].team.id])
    assert refused.value.code == "unknown_team"


def test_own_team_votes_when_the_organisers_allow_them(vote):
    event, teams, user = vote
    event.own_team_votes_allowed = True
    assert ballots.replace_ballot(event, _voter(event, user), [teams[0].id]) == [teams[0].id]


@pytest.mark.parametrize("status", [VoteStatus.NOT_STARTED, VoteStatus.CLOSED, VoteStatus.REVEALED])
def test_outside_the_open_window_nothing_is_written(vote, status):
    event, teams, user = vote
    ballots.replace_ballot(event, _voter(event, user), [teams[1].id])
    event.vote_status = status
    db.session.commit()
    for attempt in (
        lambda p: ballots.replace_ballot(event, p, [teams[2].id]),
        lambda p: ballots.give_vote(event, p, teams[2].id),
        lambda p: ballots.withdraw_vote(event, p, teams[1].id),
    ):
        with pytest.raises(BallotError) as refused:
            attempt(_voter(event, user))
        assert refused.value.code == "vote_not_open"
        assert refused.value.status == 409
    assert ballots.current_ballot(event, user.id) == [teams[1].id]


def test_give_twice_counts_once_and_the_limit_holds(vote):
    event, teams, user = vote
    person = _voter(event, user)
    ballots.give_vote(event, person, teams[1].id)
    ballots.give_vote(event, person, teams[1].id)
    ballots.give_vote(event, person, teams[2].id)
    ballots.give_vote(event, person, teams[3].id)
    with pytest.raises(BallotError) as refused:
        ballots.give_vote(event, person, teams[4].id)
    assert refused.value.code == "too_many_votes"
    assert ballots.current_ballot(event, user.id) == [teams[1].id, teams[2].id, teams[3].id]
    ballots.withdraw_vote(event, person, teams[2].id)
    ballots.withdraw_vote(event, person, teams[2].id)
    ballots.give_vote(event, person, teams[4].id)
    assert ballots.current_ballot(event, user.id) == [teams[1].id, teams[3].id, teams[4].id]
    assert _count_votes(event) == 3


def test_an_organiser_who_is_not_an_attendee_does_not_vote(vote, make):
    event, teams, _user = vote
    organiser = make.organiser(event)
    with pytest.raises(BallotError) as refused:
        ballots.replace_ballot(event, _voter(event, organiser), [teams[1].id])
    assert refused.value.status == 403


def test_the_database_refuses_a_second_ballot_and_a_second_vote_for_a_stand(vote):
    event, teams, user = vote
    ballots.replace_ballot(event, _voter(event, user), [teams[1].id])
    ballot = db.session.scalar(select(Ballot))
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Ballot(event_id=event.id, user_id=user.id))
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Vote(ballot_id=ballot.id, event_id=event.id, team_id=teams[1].id, slot=2))
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Vote(ballot_id=ballot.id, event_id=event.id, team_id=teams[2].id, slot=21))


def test_a_ballot_costs_the_same_statements_for_3_and_60_stands(make, count_queries):
    counts = []
    for size in (3, 60):
        event = make.event(challenges=size, vote_status=VoteStatus.OPEN)
        teams = [c.team for c in event.challenges]
        user = make.participant(event)
        person = _voter(event, user)
        ballots.replace_ballot(event, person, [teams[0].id, teams[1].id])
        with count_queries() as statements:
            ballots.replace_ballot(event, person, [teams[1].id, teams[2].id])
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_lowering_the_limit_keeps_placed_votes_and_lets_people_withdraw(vote):
    event, teams, user = vote
    person = _voter(event, user)
    ballots.replace_ballot(event, person, [teams[1].id, teams[2].id, teams[3].id])
    event.votes_per_participant = 1
    db.session.commit()
    # Withdrawing is always possible; shrinking the ballot too, even while still over the limit.
    ballots.withdraw_vote(event, person, teams[1].id)
    ballots.replace_ballot(event, person, [teams[3].id, teams[2].id])
    assert sorted(ballots.current_ballot(event, user.id)) == sorted([teams[2].id, teams[3].id])
    # Gaining a vote past the new limit is refused, and changes nothing.
    for attempt in (
        lambda: ballots.give_vote(event, person, teams[4].id),
        lambda: ballots.replace_ballot(event, person, [teams[2].id, teams[4].id]),
    ):
        with pytest.raises(BallotError) as refused:
            attempt()
        assert refused.value.code == "too_many_votes"
    assert sorted(ballots.current_ballot(event, user.id)) == sorted([teams[2].id, teams[3].id])


def test_an_own_team_vote_given_while_allowed_stays_but_none_can_be_added(vote):
    event, teams, user = vote
    event.own_team_votes_allowed = True
    person = _voter(event, user)
    ballots.replace_ballot(event, person, [teams[0].id, teams[1].id])
    event.own_team_votes_allowed = False
    db.session.commit()
    # The ballot can still be saved as it is, or changed elsewhere.
    ballots.replace_ballot(event, person, [teams[0].id, teams[2].id])
    assert sorted(ballots.current_ballot(event, user.id)) == sorted([teams[0].id, teams[2].id])
    ballots.withdraw_vote(event, person, teams[0].id)
    with pytest.raises(BallotError) as refused:
        ballots.give_vote(event, person, teams[0].id)
    assert refused.value.code == "own_team"
    assert ballots.current_ballot(event, user.id) == [teams[2].id]


def test_a_removed_attendees_ballot_no_longer_counts_and_counts_again_if_restored(vote, make):
    event, teams, user = vote
    other = make.participant(event)
    ballots.replace_ballot(event, _voter(event, user), [teams[1].id, teams[2].id])
    ballots.replace_ballot(event, _voter(event, other), [teams[1].id])
    assert ballots.ballots_cast(event) == 2
    participant = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.role == Role.PARTICIPANT)
    )
    db.session.delete(participant)
    db.session.commit()
    tally = {s.team_id: s.votes for s in results(event).stands}
    assert (ballots.ballots_cast(event), results(event).ballots) == (1, 1)
    assert (tally[teams[1].id], tally[teams[2].id]) == (1, 0)
    db.session.add(
        Membership(user_id=user.id, event_id=event.id, role=Role.PARTICIPANT, name=user.name)
    )
    db.session.commit()
    tally = {s.team_id: s.votes for s in results(event).stands}
    assert (results(event).ballots, tally[teams[1].id], tally[teams[2].id]) == (2, 2, 1)
