"""The API's cost in SQL statements does not grow with the event: the ballot's PUT runs the same
statements for 3 stands and one voter as for 60 stands and 50 voters, and the results are one
aggregate query after the token and the event."""

import pytest
from sqlalchemy import select

from facilitate.api.auth import issue_api_token
from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import ApiToken, VoteStatus
from tests.factories import code_of, sign_in
from tests.test_api import call, put_ballot


class Sized:
    """An open vote with ``stands`` stands and ``voters`` participants who have voted; the
    measured voter is one of them, in team 1, with no ballot yet."""

    def __init__(self, make, stands: int, voters: int):
        self.event = make.event(challenges=stands, themes=4, vote_status=VoteStatus.OPEN)
        self.slug = self.event.slug
        self.ids = [challenge.team.id for challenge in self.event.challenges]
        for n in range(voters - 1):
            person = make.participant(self.event)
            picks = [self.ids[(n + k) % stands] for k in range(3)]
            ballots.replace_ballot(self.event, ballots.voter(self.event, person), picks)
        self.voter = make.participant(self.event, team=self.event.challenges[0].team)
        self.organiser = make.organiser(self.event)
        db.session.commit()
        self.code = code_of(self.voter)


def _statements_of_a_voting_session(client, count_queries, sized) -> list[int]:
    """How many statements each step runs: a first ballot, a vote withdrawn, a vote moved, the
    same again, then a read."""
    counts = []
    one, two = sized.ids[1], sized.ids[2]
    for teams in ([one, two], [two], [one], [one]):
        with count_queries() as statements:
            assert put_ballot(client, sized, teams).status_code == 200
        counts.append(len(statements))
    with count_queries() as statements:
        assert call(client, "GET", f"/events/{sized.slug}/ballot", sized.code).status_code == 200
    counts.append(len(statements))
    return counts


def test_a_ballot_costs_the_same_statements_whatever_the_size_of_the_event(
    client, make, count_queries
):
    small = _statements_of_a_voting_session(client, count_queries, Sized(make, 3, 1))
    large = _statements_of_a_voting_session(client, count_queries, Sized(make, 60, 50))
    assert small == large
    # The caller with the event and their memberships; then the write: the event locked, the
    # ballot, its votes, and only the delete or insert needed (the database checks the teams).
    # PostgreSQL locks the event and upserts the ballot in one statement.
    if db.engine.dialect.name == "postgresql":
        assert small == [4, 4, 5, 3, 2]
    else:
        assert small == [5, 5, 6, 4, 2]


def test_a_signed_in_browser_cookie_costs_nothing_more(client, make, count_queries):
    sized = Sized(make, 3, 1)
    without_cookie = _statements_of_a_voting_session(client, count_queries, sized)
    other = Sized(make, 3, 1)
    sign_in(client, other.organiser)  # the session cookie is sent, and must be ignored
    assert _statements_of_a_voting_session(client, count_queries, other) == without_cookie


@pytest.mark.parametrize(("stands", "voters"), [(3, 1), (60, 50)])
def test_results_are_one_statement_after_the_caller_and_the_event(
    client, make, count_queries, stands, voters
):
    sized = Sized(make, stands, voters)
    sized.event.vote_status = VoteStatus.REVEALED
    db.session.commit()
    with count_queries() as statements:
        response = call(client, "GET", f"/events/{sized.slug}/results", sized.code)
    assert response.status_code == 200
    assert len(response.json["stands"]) == stands
    assert response.json["ballots"] == voters - 1
    assert len(statements) == 2
    caller_and_event, aggregate = statements
    assert "users" in caller_and_event and "events" in caller_and_event
    assert "votes" in aggregate


def test_an_organisers_token_notes_its_use_at_most_every_ten_minutes(client, make, count_queries):
    sized = Sized(make, 3, 1)
    _user, token = issue_api_token(sized.organiser.email)
    db.session.commit()
    path = f"/events/{sized.slug}/results"
    with count_queries() as first:
        assert call(client, "GET", path, token).status_code == 200
    assert any(s.startswith("UPDATE api_tokens") for s in first)
    assert db.session.scalars(select(ApiToken.last_used_at)).one() is not None
    with count_queries() as second:
        assert call(client, "GET", path, token).status_code == 200
    assert len(second) == 2
    assert not any("UPDATE" in s for s in second)
