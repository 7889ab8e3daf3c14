"""Whatever a phone or an organiser's browser sends to the exhibition pages, the answer is
never a 500, and a refused request changes no ballot, feedback, stand or vote setting."""

import pytest
from sqlalchemy import func, select

from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import Ballot, Event, FeedbackEntry, Team, Vote, VoteStatus
from tests.factories import sign_in

GARBAGE = [
    {},
    {"action": "give" * 1000, "next": "https://evil.example/"},
    {"action": "explode", "next": "//evil.example"},
    {"teams": ["abc", "-1", "9" * 400, "", "\x00"]},
    {"teams": ["1"] * 500},
    {"liked": "", "could_be_better": " ", "question": "\t"},
    {"liked": "x" * 100_000},
    {"team": "9" * 400, "action": "give", "liked": ""},
    {"team": "\x00", "action": "withdraw"},
    {"status": "king", "confirmed": "maybe"},
    {"status": "not_started", "confirmed": "y"},
    {"status": "\x00" * 50},
    {"votes_per_participant": "9" * 400, "own_team_votes_allowed": "banana"},
    {"votes_per_participant": "0"},
    {"votes_per_participant": "-3"},
    {"votes_per_participant": "2.5"},
    {"confirmed": "1", "submit": "1"},
    {"number_1": "x", "place_1": "y" * 5000},
    {"number_1": "9" * 400, "number_2": "-1", "number_3": "0"},
    {"number_1": "1", "number_2": "1", "number_3": "1"},
]

URLS = [
    "/events/{slug}/organise/stands",
    "/events/{slug}/organise/stands/by-challenge",
    "/events/{slug}/organise/vote/status",
    "/events/{slug}/organise/vote/settings",
    "/events/{slug}/stands/{stand}/feedback",
    "/events/{slug}/stands/{stand}/vote",
    "/events/{slug}/teams/{challenge}/stand/vote",
    "/events/{slug}/stands/999999/vote",
    "/events/{slug}/stands/999999/feedback",
    "/events/{slug}/my-ballot",
]


def _state(event_id):
    """Everything a bad request must leave as it was."""
    event = db.session.get(Event, event_id)
    db.session.refresh(event)
    return (
        db.session.scalar(select(func.count(Vote.id))),
        db.session.scalar(select(func.count(Ballot.id))),
        db.session.scalar(select(func.count(FeedbackEntry.id))),
        tuple(db.session.scalars(select(Team.stand_number).order_by(Team.id))),
        event.vote_status,
        event.votes_per_participant,
        event.own_team_votes_allowed,
    )


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("who", ["organiser", "participant", "member"])
def test_malformed_posts_never_crash_and_change_nothing(client, make, url, who):
    # A closed vote with one ballot already cast: closing is where a bad request would hurt.
    event = make.event(challenges=3, themes=1, vote_status=VoteStatus.OPEN)
    teams = [c.team for c in event.challenges]
    for number, team in enumerate(teams, start=1):
        team.stand_number = number
    voter = make.participant(event, team=teams[0])
    ballots.replace_ballot(event, ballots.voter(event, voter), [teams[1].id, teams[2].id])
    event.vote_status = VoteStatus.CLOSED
    db.session.commit()
    person = {
        "organiser": lambda: make.organiser(event, is_organiser=True),
        "participant": lambda: make.participant(event),
        "member": lambda: voter,
    }[who]()
    sign_in(client, person)
    before = _state(event.id)
    for data in GARBAGE:
        response = client.post(url.format(slug=event.slug, stand=2, challenge=2), data=data)
        assert response.status_code < 500, (url, data, response.status_code)
        location = response.headers.get("Location", "")
        assert not location.startswith(("http", "//")) or location.startswith(
            "http://localhost/"
        ), location
    assert _state(event.id) == before


@pytest.mark.parametrize(
    "url",
    [
        "/events/{slug}/stands/abc",
        "/events/{slug}/stands/0",
        "/events/{slug}/stands/99999999999999999999999",
        "/events/{slug}/stands/999999/poster",
        "/events/{slug}/teams/99999999999999999999/workspace",
        "/events/{slug}/challenges/99999999999999999999",
        "/events/{slug}/organise/vote/results.pdf",
        "/events/{slug}/organise/vote/feedback.exe",
        "/events/nope/reveal",
        "/events/nope/my-ballot",
    ],
)
def test_odd_addresses_are_not_found_rather_than_errors(client, make, url):
    event = make.event(challenges=1)
    sign_in(client, make.organiser(event, is_organiser=True))
    response = client.get(url.format(slug=event.slug))
    assert response.status_code in (404, 403), response.status_code
