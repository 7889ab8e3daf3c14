"""What happens when the same person's phones, or the organiser and 200 voters, act at once.

Each thread writes through ``facilitate.exhibition.ballots`` in its own app context and database
connection; a barrier releases them together. The database must end exactly as one serial order
of the same requests would have left it.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from facilitate.exhibition import ballots, vote
from facilitate.exhibition.ballots import BallotError
from facilitate.extensions import db
from facilitate.models import Ballot, Event, User, Vote, VoteStatus
from tests import factories

THREADS = 12


@pytest.fixture
def setup(app):
    """An open vote with 8 stands and 40 voters, committed so that every thread sees it."""
    with app.app_context():
        event = factories.event(challenges=8, vote_status=VoteStatus.OPEN)
        voters = [factories.participant(event) for _ in range(40)]
        organiser = factories.organiser(event)
        db.session.commit()
        return (
            event.id,
            [c.team.id for c in event.challenges],
            [v.id for v in voters],
            organiser.id,
        )


def _together(app, jobs):
    """Run the callables at the same moment, each in its own app context; return their results
    (or the exception each raised)."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        with app.app_context():
            barrier.wait()
            try:
                return job()
            except Exception as error:  # noqa: BLE001  (the test inspects what each raised)
                return error
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _as(user_id, event_id, action):
    def job():
        event = db.session.get(Event, event_id)
        person = ballots.voter(event, db.session.get(User, user_id))
        return action(event, person)

    return job


def _votes(app, event_id, user_id=None):
    with app.app_context():
        query = select(Vote.team_id).where(Vote.event_id == event_id)
        if user_id is not None:
            query = query.join(Ballot, Ballot.id == Vote.ballot_id).where(Ballot.user_id == user_id)
        return sorted(db.session.scalars(query))


def test_a_double_tap_on_two_phones_counts_one_vote(app, setup):
    event_id, teams, voters, _organiser = setup
    results = _together(
        app,
        [_as(voters[0], event_id, lambda e, p: ballots.give_vote(e, p, teams[1]))] * THREADS,
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert _votes(app, event_id, voters[0]) == [teams[1]]


def test_many_phones_giving_different_votes_never_exceed_the_limit(app, setup):
    event_id, teams, voters, _organiser = setup
    results = _together(
        app,
        [
            _as(voters[1], event_id, lambda e, p, t=team: ballots.give_vote(e, p, t))
            for team in teams
        ],
    )
    refused = [r for r in results if isinstance(r, BallotError)]
    assert len(refused) == len(teams) - 3
    assert all(r.code == "too_many_votes" for r in refused)
    assert len(_votes(app, event_id, voters[1])) == 3


def test_the_same_ballot_sent_again_and_again_is_stored_once(app, setup):
    event_id, teams, voters, _organiser = setup
    wanted = teams[2:5]
    _together(
        app,
        [_as(voters[2], event_id, lambda e, p: ballots.replace_ballot(e, p, wanted))] * THREADS,
    )
    assert _votes(app, event_id, voters[2]) == sorted(wanted)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Ballot).where(Ballot.user_id == voters[2])
            )
            == 1
        )


def test_closing_while_ballots_arrive_counts_each_ballot_entirely_or_not_at_all(app, setup):
    event_id, teams, voters, organiser_id = setup

    def close():
        event = db.session.get(Event, event_id)
        return vote.change_vote_status(event, db.session.get(User, organiser_id), VoteStatus.CLOSED)

    jobs = [
        _as(user_id, event_id, lambda e, p: ballots.replace_ballot(e, p, teams[:3]))
        for user_id in voters[10:40]
    ]
    jobs.insert(len(jobs) // 2, close)
    results = _together(app, jobs)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, BallotError)]
    accepted = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, BallotError)]
    assert all(r.code == "vote_not_open" for r in refused)
    assert len(accepted) + len(refused) == 30
    # Every accepted ballot is whole, every refused one absent: 3 votes per accepted ballot.
    assert len(_votes(app, event_id)) == 3 * len(accepted)
    with app.app_context():
        assert db.session.get(Event, event_id).vote_status == VoteStatus.CLOSED
        assert vote.results(db.session.get(Event, event_id)).ballots == len(accepted)
