"""Who counts in the vote's figures, read the same way by every page and the API: the ballots
of the event's participants (an erased attendance is still one), never those of people removed
from the event, nor a ballot whose votes were all withdrawn. And what reading them costs: the
same statements for 3 stands and no ballot as for 60 stands and 100 ballots."""

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from facilitate.api.auth import issue_api_token
from facilitate.exhibition import ballots
from facilitate.exhibition.ballots import _BALLOTS_CAST
from facilitate.exhibition.vote import _RESULTS, results
from facilitate.extensions import db
from facilitate.models import Membership, Role, VoteStatus
from facilitate.people.attendance import join_event
from facilitate.privacy.services import (
    erase_attendee,
)
from tests.exhibition.conftest import organiser_of
from tests.factories import code_of, sign_in
from tests.test_api import call


def _vote(event, person, teams) -> None:
    ballots.replace_ballot(event, ballots.voter(event, person), [team.id for team in teams])


def _attendance(event, person) -> Membership:
    return db.session.scalar(
        db.select(Membership).where(
            Membership.user_id == person.id,
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
        )
    )


@pytest.fixture
def counted(make):
    """Six people voted; then one was erased (still counts), one removed (does not), one
    withdrew every vote (no ballot cast). An organiser who attends too voted, and counts."""
    event = make.event(challenges=4, themes=2, vote_status=VoteStatus.OPEN)
    a, b, c, d = (challenge.team for challenge in event.challenges)
    organiser = organiser_of(make, event)
    kept, erased, removed, withdrawn = (make.participant(event) for _ in range(4))
    make.participant(event)  # attends, never votes
    attending_organiser = organiser_of(make, event)
    join_event(event, attending_organiser, "Orga Nisatrice", None)
    _vote(event, kept, [a, b])
    _vote(event, erased, [a, c])
    _vote(event, removed, [a, d])
    _vote(event, withdrawn, [b])
    _vote(event, attending_organiser, [c])
    _vote(event, withdrawn, [])
    erase_attendee(event, _attendance(event, erased), organiser)
    db.session.execute(delete(Membership).where(Membership.user_id == removed.id))
    db.session.commit()
    return event, organiser, (a, b, c, d), removed


def test_every_figure_counts_the_ballots_of_the_event_s_participants(client, counted):
    event, organiser, (a, b, c, d), _removed = counted
    outcome = results(event)
    assert outcome.ballots == ballots.ballots_cast(event) == 3
    tally = {stand.team_id: stand.votes for stand in outcome.stands}
    assert tally == {a.id: 2, b.id: 1, c.id: 2, d.id: 0}
    # The vote page shows the same figure, and the participants who may vote: five attendances
    # (the erased one among them), the removed person's gone.
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/organise/vote").text
    assert re.search(r'<dd id="ballots-cast">3</dd>', page)
    assert "<dd>5</dd>" in page
    # So does the API, for the event and once revealed for the results.
    _user, token = issue_api_token(organiser.email)
    db.session.commit()
    summary = call(client, "GET", f"/events/{event.slug}", token).json
    assert summary["vote"]["ballots_cast"] == 3
    event.vote_status = VoteStatus.REVEALED
    db.session.commit()
    api = call(client, "GET", f"/events/{event.slug}/results", token).json
    assert api["ballots"] == 3
    assert {s["team_id"]: s["votes"] for s in api["stands"]} == tally


def test_a_voter_removed_then_brought_back_counts_again(counted):
    event, _organiser, (a, _b, _c, d), removed = counted
    join_event(event, removed, "De Retour", None)
    db.session.commit()
    outcome = results(event)
    assert outcome.ballots == ballots.ballots_cast(event) == 4
    tally = {stand.team_id: stand.votes for stand in outcome.stands}
    assert (tally[a.id], tally[d.id]) == (3, 1)


# What happens to one of four people: (who, what, the stands they vote for). A step for someone
# removed from the event brings them back, whatever it says; an erased person does nothing more
# (their attendance names nobody).
_STEPS = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.sampled_from(["vote", "vote", "withdraw", "remove", "erase"]),
        st.sets(st.integers(0, 3), min_size=1, max_size=3),
    ),
    max_size=16,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=_STEPS)
@example(steps=[(0, "vote", {1, 2}), (1, "vote", {2}), (0, "remove", {0})])
@example(steps=[(0, "vote", {1}), (0, "remove", {0}), (0, "vote", {0}), (2, "vote", {3})])
@example(steps=[(0, "vote", {0}), (1, "vote", {0}), (1, "erase", {0}), (0, "withdraw", {0})])
def test_the_figures_equal_a_tally_of_the_ballots_of_the_event_s_participants(make, steps):
    """Whatever the ballots, withdrawals, removals, returns and erasures, the results and the
    ballots cast equal a tally kept here: the last ballot of each person who attends (erased or
    not), a ballot with no vote being no ballot; the same people's ballots at another event
    never count."""
    event = make.event(challenges=4, themes=2, vote_status=VoteStatus.OPEN)
    other = make.event(challenges=2, vote_status=VoteStatus.OPEN)
    organiser = organiser_of(make, event)
    teams = [challenge.team for challenge in event.challenges]
    people = [make.participant(event) for _ in range(4)]
    for person in people[:2]:
        join_event(other, person, "Ailleurs", None)
        _vote(other, person, [challenge.team for challenge in other.challenges])
    chosen: dict[int, set[int]] = {who: set() for who in range(4)}
    attends, erased = set(range(4)), set()
    for who, action, stands in steps:
        person = people[who]
        if who in erased:
            continue
        if who not in attends:
            join_event(event, person, "De Retour", None)
            db.session.commit()
            attends.add(who)
        elif action == "vote":
            _vote(event, person, [teams[i] for i in sorted(stands)])
            chosen[who] = stands
        elif action == "withdraw":
            _vote(event, person, [])
            chosen[who] = set()
        elif action == "remove":
            db.session.delete(_attendance(event, person))
            db.session.commit()
            attends.discard(who)
        else:
            erase_attendee(event, _attendance(event, person), organiser)
            erased.add(who)
    expected = {team.id: 0 for team in teams}
    for who in attends:
        for i in chosen[who]:
            expected[teams[i].id] += 1
    outcome = results(event)
    assert {stand.team_id: stand.votes for stand in outcome.stands} == expected
    cast = sum(1 for who in attends if chosen[who])
    assert outcome.ballots == ballots.ballots_cast(event) == cast


def _event_with_ballots(make, teams: int, voters: int):
    event = make.event(challenges=teams, themes=3, vote_status=VoteStatus.OPEN)
    team_ids = [c.team.id for c in event.challenges]
    for n in range(voters):
        person = make.participant(event)
        ballots.replace_ballot(
            event, ballots.voter(event, person), [team_ids[(n + i) % teams] for i in range(3)]
        )
    member = make.participant(event, team=event.challenges[0].team)
    organiser = organiser_of(make, event)
    db.session.commit()
    return event, member, organiser


@pytest.mark.parametrize("page", ["my ballot", "confirm closing", "API event"])
def test_the_figures_cost_the_same_statements_for_3_or_60_stands_and_0_or_100_ballots(
    client, make, count_queries, page
):
    counts = {}
    for teams, voters in ((3, 0), (60, 100)):
        event, member, organiser = _event_with_ballots(make, teams, voters)
        with count_queries() as queries:
            if page == "my ballot":
                sign_in(client, member)
                response = client.get(f"/events/{event.slug}/my-ballot")
            elif page == "confirm closing":
                sign_in(client, organiser)
                response = client.post(
                    f"/events/{event.slug}/organise/vote/status", data={"status": "closed"}
                )
            else:
                response = call(client, "GET", f"/events/{event.slug}", code_of(member))
        assert response.status_code == 200
        expected = f"{voters} ballot" if page != "API event" else None
        if expected:
            assert expected in response.text
        counts[(teams, voters)] = len(queries)
    assert len(set(counts.values())) == 1, counts


def test_on_sqlite_the_participants_are_read_once_as_a_range_of_their_index(counted):
    """SQLite has no statistics: the event's participants must be read once, as a range of the
    index on (event, role, person), into the list the ballots are checked against; never looked
    up ballot by ballot, nor found by whichever index on one column the migrations made last."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's plan follows its statistics")
    event = counted[0]
    for statement in (_RESULTS, _BALLOTS_CAST):
        compiled = statement.compile(db.engine)
        values = {**compiled.params, "event_id": event.id}
        plan = (
            db.session.connection()
            .exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}",
                tuple(str(values[name]) for name in compiled.positiontup),
            )
            .all()
        )
        lines = [row[-1] for row in plan]
        memberships = [line for line in lines if "memberships" in line]
        assert memberships == [
            "SEARCH memberships USING INDEX ix_memberships_event_role_person"
            " (event_id=? AND role=?)"
        ], lines
        assert any(line.startswith("LIST SUBQUERY") for line in lines), lines
        assert any("votes USING INDEX ix_votes_event_id (event_id=?)" in s for s in lines), lines


def test_on_sqlite_the_figures_read_one_event_whatever_the_platform_s_statistics(counted):
    """With the statistics of a platform of 10,000 attendees (ANALYZE run: about 30
    memberships a team, 3,000 votes an event), SQLite took ``team_id IS NULL`` for a selective
    condition and walked every team-less membership of the platform along the teams' index,
    and grouped the votes by walking all of them along theirs (10 ms a results page instead of
    0.8). The figures must still read one event's rows (``facilitate.planner``)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's plan follows its statistics")
    event = counted[0]
    connection = db.session.connection()
    connection.exec_driver_sql("ANALYZE")
    connection.exec_driver_sql("DELETE FROM sqlite_stat1")
    for table, index, stat in (
        ("votes", "ix_votes_team_id", "31995 45"),
        ("votes", "ix_votes_event_id", "31995 2909"),
        ("memberships", "ix_memberships_event_role_person", "10711 974 487 1"),
        ("memberships", "ix_memberships_event_id", "21411 1947"),
        ("memberships", "ix_memberships_team_id", "21411 30"),
        ("memberships", "ix_memberships_user_id", "21411 3"),
    ):
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", (table, index, stat)
        )
    connection.exec_driver_sql("ANALYZE sqlite_schema")  # the statistics read again
    compiled = _RESULTS.compile(db.engine)
    values = {**compiled.params, "event_id": event.id}
    plan = connection.exec_driver_sql(
        f"EXPLAIN QUERY PLAN {compiled}",
        tuple(str(values[name]) for name in compiled.positiontup),
    ).all()
    lines = [row[-1] for row in plan]
    assert not any("ix_memberships_team_id" in line for line in lines), lines
    assert not any("ix_votes_team_id" in line for line in lines), lines
    assert [line for line in lines if "memberships" in line] == [
        "SEARCH memberships USING INDEX ix_memberships_event_role_person (event_id=? AND role=?)"
    ], lines
