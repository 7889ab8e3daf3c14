"""The JSON API's endpoints, as a script or a stand page uses them: reading the event and its
stands, casting and changing a ballot, running the vote and reading the results."""

import pytest
from sqlalchemy import func, select

from facilitate.api.auth import issue_api_token
from facilitate.extensions import db
from facilitate.models import AuditEntry, Ballot, Event, Vote, VoteStatus
from tests.factories import code_of

API = "/api/v1"


class Exhibition:
    """An event at its exhibition: six stands, a participant in team 1, an organiser with an
    API token, and an attendee of another event."""

    def __init__(self, make, vote_status=VoteStatus.OPEN, stands=6):
        self.event = make.event(challenges=stands, themes=2, vote_status=vote_status)
        self.teams = [challenge.team for challenge in self.event.challenges]
        self.voter = make.participant(self.event, team=self.teams[0])
        self.organiser = make.organiser(self.event)
        _user, self.organiser_token = issue_api_token(self.organiser.email)
        self.outsider = make.participant(make.event(challenges=1))
        db.session.commit()
        self.slug = self.event.slug
        self.ids = [team.id for team in self.teams]

    @property
    def code(self) -> str:
        return code_of(self.voter)


@pytest.fixture
def expo(make):
    return Exhibition(make)


def call(client, method, path, token=None, json=None, data=None, language=None, headers=None):
    """One API request; ``token`` goes in the Authorization header."""
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if language:
        headers["Accept-Language"] = language
    return client.open(API + path, method=method, json=json, data=data, headers=headers)


def put_ballot(client, expo, teams, token=None):
    return call(
        client, "PUT", f"/events/{expo.slug}/ballot", token or expo.code, json={"teams": teams}
    )


def error_of(response) -> dict:
    assert response.is_json, response.text
    return response.json["error"]


def votes_of(user) -> list[tuple[int, int, int]]:
    """The person's vote rows as stored: (id, team, slot)."""
    return db.session.execute(
        select(Vote.id, Vote.team_id, Vote.slot)
        .join(Ballot, Ballot.id == Vote.ballot_id)
        .where(Ballot.user_id == user.id)
        .order_by(Vote.id)
    ).all()


# --- The index --------------------------------------------------------------------------------


def test_the_index_names_the_api_without_a_token_or_the_database(client, count_queries):
    with count_queries() as statements:
        response = client.get(API + "/")
    assert response.status_code == 200
    assert response.json == {"name": "facilitate", "version": 1}
    assert statements == []


# --- The event and its stands -----------------------------------------------------------------


def test_the_event_says_its_stage_and_where_the_vote_stands(client, expo):
    put_ballot(client, expo, expo.ids[1:3])
    response = call(client, "GET", f"/events/{expo.slug}", expo.organiser_token)
    assert response.status_code == 200
    assert response.json == {
        "slug": expo.slug,
        "name": expo.event.name,
        "stage": "framing",
        "vote": {"status": "open", "votes_per_participant": 3, "ballots_cast": 1},
    }


def test_event_pages_are_public_so_any_valid_token_reads_the_summary(client, expo):
    response = call(client, "GET", f"/events/{expo.slug}", code_of(expo.outsider))
    assert response.status_code == 200
    assert response.json["slug"] == expo.slug


def test_stands_list_every_team_and_null_until_numbered(client, make):
    expo = Exhibition(make, stands=3)
    expo.teams[2].stand_number = 1
    expo.teams[0].stand_number = 2
    db.session.commit()
    response = call(client, "GET", f"/events/{expo.slug}/stands", expo.code)
    assert response.status_code == 200
    assert [(s["team_id"], s["stand"]) for s in response.json] == [
        (expo.ids[2], 1),
        (expo.ids[0], 2),
        (expo.ids[1], None),
    ]
    first = response.json[0]
    assert set(first) == {"team_id", "stand", "team", "challenge_number", "question", "theme"}
    assert first["challenge_number"] == 3
    assert first["question"] == "Comment relever le défi 3 ?"
    assert first["theme"] == "Theme 2"


def test_stands_are_for_the_people_of_the_event(client, expo):
    response = call(client, "GET", f"/events/{expo.slug}/stands", code_of(expo.outsider))
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


# --- The ballot -------------------------------------------------------------------------------


def test_a_new_ballot_is_empty(client, expo):
    response = call(client, "GET", f"/events/{expo.slug}/ballot", expo.code)
    assert response.status_code == 200
    assert response.json == {"teams": []}


def test_put_replaces_the_ballot_and_get_returns_it(client, expo):
    response = put_ballot(client, expo, [expo.ids[3], expo.ids[1]])
    assert response.status_code == 200
    assert response.json == {"teams": [expo.ids[3], expo.ids[1]]}
    assert call(client, "GET", f"/events/{expo.slug}/ballot", expo.code).json == response.json

    changed = put_ballot(client, expo, [expo.ids[1], expo.ids[5]])
    assert changed.status_code == 200
    assert sorted(changed.json["teams"]) == sorted([expo.ids[1], expo.ids[5]])
    assert call(client, "GET", f"/events/{expo.slug}/ballot", expo.code).json == changed.json
    assert sorted(team for _id, team, _slot in votes_of(expo.voter)) == sorted(
        [expo.ids[1], expo.ids[5]]
    )


def test_the_same_put_twice_leaves_the_very_same_rows(client, expo):
    first = put_ballot(client, expo, expo.ids[1:4])
    rows = votes_of(expo.voter)
    second = put_ballot(client, expo, expo.ids[1:4])
    assert first.json == second.json
    assert votes_of(expo.voter) == rows
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_an_empty_ballot_withdraws_every_vote(client, expo):
    put_ballot(client, expo, expo.ids[1:4])
    response = put_ballot(client, expo, [])
    assert response.status_code == 200
    assert response.json == {"teams": []}
    assert votes_of(expo.voter) == []


def test_the_access_code_works_as_typed_from_the_badge(client, expo):
    typed = "-".join(expo.code[i : i + 5] for i in (0, 5, 10)).lower()
    response = put_ballot(client, expo, [expo.ids[1]], token=typed)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("pick", "code"),
    [
        (lambda ids: ids[1:5], "too_many_votes"),
        (lambda ids: [ids[1], ids[1]], "duplicate_team"),
        (lambda ids: [ids[0]], "own_team"),
        (lambda ids: [999_999], "unknown_team"),
        (lambda ids: [2**63], "unknown_team"),
        (lambda ids: [-(2**64)], "unknown_team"),
        (lambda ids: [str(ids[1])], "invalid_ballot"),
        (lambda ids: [True], "invalid_ballot"),
        (lambda ids: [None], "invalid_ballot"),
        (lambda ids: [1.5], "invalid_ballot"),
        (lambda ids: [[ids[1]]], "invalid_ballot"),
        (lambda ids: str(ids[1]), "invalid_ballot"),
        (lambda ids: ids[1], "invalid_ballot"),
        (lambda ids: None, "invalid_ballot"),
        (lambda ids: {"team": ids[1]}, "invalid_ballot"),
    ],
)
def test_invalid_ballots_are_refused_with_422_and_change_nothing(client, expo, pick, code):
    put_ballot(client, expo, [expo.ids[5]])
    before = votes_of(expo.voter)
    response = put_ballot(client, expo, pick(expo.ids))
    assert response.status_code == 422
    assert error_of(response)["code"] == code
    assert votes_of(expo.voter) == before


def test_a_body_without_teams_is_an_invalid_ballot(client, expo):
    response = call(client, "PUT", f"/events/{expo.slug}/ballot", expo.code, json={"team": [1]})
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_ballot"


def test_a_team_of_another_event_is_unknown(client, expo, make):
    other = make.event(challenges=1)
    db.session.commit()
    response = put_ballot(client, expo, [other.challenges[0].team.id])
    assert response.status_code == 422
    assert error_of(response)["code"] == "unknown_team"


@pytest.mark.parametrize("status", [VoteStatus.NOT_STARTED, VoteStatus.CLOSED])
def test_ballots_are_refused_with_409_while_the_vote_is_not_open(client, make, status):
    expo = Exhibition(make, vote_status=status)
    response = put_ballot(client, expo, [expo.ids[1]])
    assert response.status_code == 409
    assert error_of(response)["code"] == "vote_not_open"
    assert votes_of(expo.voter) == []


def test_a_closed_vote_keeps_the_ballots_cast_before(client, expo):
    put_ballot(client, expo, [expo.ids[1]])
    call(client, "PATCH", f"/events/{expo.slug}/vote", expo.organiser_token, {"status": "closed"})
    assert put_ballot(client, expo, [expo.ids[2]]).status_code == 409
    assert call(client, "GET", f"/events/{expo.slug}/ballot", expo.code).json == {
        "teams": [expo.ids[1]]
    }


def test_only_participants_of_the_event_have_a_ballot(client, expo):
    for token in (expo.organiser_token, code_of(expo.outsider)):
        for method, body in (("GET", None), ("PUT", {"teams": [expo.ids[1]]})):
            response = call(client, method, f"/events/{expo.slug}/ballot", token, json=body)
            assert response.status_code == 403, (token, method)
            assert error_of(response)["code"] == "not_a_participant"
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


# --- Running the vote -------------------------------------------------------------------------


def test_the_organiser_closes_then_reveals_the_vote(client, expo):
    put_ballot(client, expo, expo.ids[1:3])
    path = f"/events/{expo.slug}/vote"
    closed = call(client, "PATCH", path, expo.organiser_token, {"status": "closed"})
    assert closed.status_code == 200
    assert closed.json == {"status": "closed", "votes_per_participant": 3, "ballots_cast": 1}
    revealed = call(client, "PATCH", path, expo.organiser_token, {"status": "revealed"})
    assert revealed.json["status"] == "revealed"
    assert db.session.get(Event, expo.event.id).vote_status == VoteStatus.REVEALED
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.event_id == expo.event.id)
    ).all()
    assert {"vote.closed", "vote.revealed"} <= set(actions)


def test_asking_for_the_current_status_again_changes_nothing(client, expo):
    path = f"/events/{expo.slug}/vote"
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = call(client, "PATCH", path, expo.organiser_token, {"status": "open"})
    assert response.status_code == 200
    assert response.json["status"] == "open"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_an_impossible_move_is_a_409_and_changes_nothing(client, expo):
    response = call(
        client, "PATCH", f"/events/{expo.slug}/vote", expo.organiser_token, {"status": "revealed"}
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "invalid_transition"
    assert "Clôturez le vote" in error_of(response)["message"]
    assert db.session.get(Event, expo.event.id).vote_status == VoteStatus.OPEN


@pytest.mark.parametrize("status", ["not_started", "OPEN", "ouvert", "", 1, True, None, ["open"]])
def test_an_unknown_status_is_a_422(client, expo, status):
    response = call(
        client, "PATCH", f"/events/{expo.slug}/vote", expo.organiser_token, {"status": status}
    )
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_status"
    assert "open, closed, revealed" in error_of(response)["message"]
    assert db.session.get(Event, expo.event.id).vote_status == VoteStatus.OPEN


def test_only_the_organisers_run_the_vote(client, expo):
    for token in (expo.code, code_of(expo.outsider)):
        response = call(client, "PATCH", f"/events/{expo.slug}/vote", token, {"status": "closed"})
        assert response.status_code == 403
        assert error_of(response)["code"] == "forbidden"
    assert db.session.get(Event, expo.event.id).vote_status == VoteStatus.OPEN


# --- Results ----------------------------------------------------------------------------------


def test_the_organiser_sees_results_while_the_vote_is_open(client, expo, make):
    second = make.participant(expo.event, team=expo.teams[1])
    db.session.commit()
    put_ballot(client, expo, [expo.ids[2], expo.ids[3]])
    put_ballot(client, expo, [expo.ids[2]], token=code_of(second))
    response = call(client, "GET", f"/events/{expo.slug}/results", expo.organiser_token)
    assert response.status_code == 200
    assert response.json["status"] == "open"
    assert response.json["ballots"] == 2
    stands = response.json["stands"]
    assert stands[:2] == [
        {"team_id": expo.ids[2], "votes": 2, "rank": 1},
        {"team_id": expo.ids[3], "votes": 1, "rank": 2},
    ]
    assert {s["team_id"] for s in stands} == set(expo.ids)
    assert all(s == {"team_id": s["team_id"], "votes": 0, "rank": 3} for s in stands[2:])


def test_participants_see_results_once_revealed(client, expo):
    path = f"/events/{expo.slug}/results"
    put_ballot(client, expo, [expo.ids[4]])
    hidden = call(client, "GET", path, expo.code)
    assert hidden.status_code == 403
    assert error_of(hidden)["code"] == "results_not_revealed"
    for status in ("closed", "revealed"):
        call(client, "PATCH", f"/events/{expo.slug}/vote", expo.organiser_token, {"status": status})
    shown = call(client, "GET", path, expo.code)
    assert shown.status_code == 200
    assert shown.json["status"] == "revealed"
    assert shown.json["stands"][0] == {"team_id": expo.ids[4], "votes": 1, "rank": 1}


def test_people_of_other_events_never_see_the_results(client, make):
    expo = Exhibition(make, vote_status=VoteStatus.REVEALED)
    response = call(client, "GET", f"/events/{expo.slug}/results", code_of(expo.outsider))
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
