"""Where a stand's pages live: at its stand number, as its poster prints it; at its team's
challenge number while it has none; and an old poster's team id still leads to its stand."""

from html import unescape

import pytest
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import FeedbackEntry, Vote, VoteStatus
from tests.exhibition.conftest import teams_of
from tests.factories import code_of, sign_in


@pytest.fixture
def visitor(make, event):
    """A participant of no team; the vote is open; no stand is numbered yet."""
    event.vote_status = VoteStatus.OPEN
    return make.participant(event)


def _far(event) -> int:
    """A stand number that is no team's id: the team ids of the database are below it."""
    return max(team.id for team in teams_of(event)) + 7


def _feedback_count() -> int:
    return db.session.scalar(select(func.count(FeedbackEntry.id)))


def _vote_count() -> int:
    return db.session.scalar(select(func.count(Vote.id)))


def test_the_stand_number_is_the_address(client, event, visitor):
    a = teams_of(event)[0]
    number = a.stand_number = _far(event)
    db.session.flush()
    sign_in(client, visitor)
    page = client.get(f"/events/{event.slug}/stands/{number}")
    assert page.status_code == 200
    assert a.challenge.question in unescape(page.text)
    assert f'action="/events/{event.slug}/stands/{number}/feedback"' in page.text
    assert f'action="/events/{event.slug}/stands/{number}/vote"' in page.text
    assert (
        f'href="/events/{event.slug}/stands/{number}"'
        in client.get(f"/events/{event.slug}/stands").text
    )
    assert client.get(f"/events/{event.slug}/stands/{number + 1}").status_code == 404
    assert client.get(f"/events/{event.slug}/stands/{number + 1}/poster").status_code == 404


def test_a_team_without_a_number_has_its_stand_at_its_challenge(client, event, visitor):
    c = teams_of(event)[2]
    sign_in(client, visitor)
    address = f"/events/{event.slug}/teams/{c.challenge.number}/stand"
    page = client.get(address)
    assert page.status_code == 200
    assert c.challenge.question in unescape(page.text)
    assert f'action="{address}/feedback"' in page.text
    assert f'href="{address}"' in client.get(f"/events/{event.slug}/stands").text
    assert client.get(f"/events/{event.slug}/teams/99/stand").status_code == 404
    # Once numbered, the challenge address leads to the number.
    c.stand_number = _far(event)
    db.session.flush()
    moved = client.get(address)
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/events/{event.slug}/stands/{c.stand_number}"


def test_an_old_posters_team_id_leads_to_the_stand(client, event, visitor):
    a = teams_of(event)[0]
    number = a.stand_number = _far(event)
    db.session.flush()
    sign_in(client, visitor)
    for suffix in ("", "/poster"):
        old = client.get(f"/events/{event.slug}/stands/{a.id}{suffix}?from=poster")
        assert old.status_code == 301
        assert (
            old.headers["Location"] == f"/events/{event.slug}/stands/{number}{suffix}?from=poster"
        )
    # A form posted to an old address is sent on with its method and what was typed.
    posted = client.post(f"/events/{event.slug}/stands/{a.id}/vote", data={"action": "give"})
    assert posted.status_code == 308
    assert posted.headers["Location"] == f"/events/{event.slug}/stands/{number}/vote"
    # A team with no number yet: its old address leads to its challenge address.
    b = teams_of(event)[1]
    old = client.get(f"/events/{event.slug}/stands/{b.id}")
    assert old.headers["Location"] == f"/events/{event.slug}/teams/{b.challenge.number}/stand"


def test_a_stand_number_comes_before_an_old_posters_team_id(client, event, visitor):
    """When a number is both a stand's number and another team's id, it is the stand: every
    new poster must open its own stand (an old poster then opens that stand: README)."""
    a, b, _c = teams_of(event)
    b.stand_number = a.id
    sign_in(client, visitor)
    page = client.get(f"/events/{event.slug}/stands/{a.id}")
    assert page.status_code == 200
    assert b.challenge.question in unescape(page.text)


def test_a_vote_from_a_page_opened_before_a_renumbering_goes_nowhere_else(client, event, visitor):
    a, b, _c = teams_of(event)
    a.stand_number, b.stand_number = _far(event), _far(event) + 1
    sign_in(client, visitor)
    form_of_a = f"/events/{event.slug}/stands/{a.stand_number}/vote"
    # The organisers swap the two stands while the visitor's page of stand A is open.
    a.stand_number, b.stand_number = None, a.stand_number
    db.session.flush()
    a.stand_number = b.stand_number - 1
    db.session.flush()
    response = client.post(form_of_a, data={"action": "give", "team": str(a.id)})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}/stands/{a.stand_number}"
    assert _vote_count() == 0
    page = unescape(client.get(response.headers["Location"]).text)
    assert "The stands were renumbered while your page was open." in page
    assert a.challenge.question in page
    # From the page as it is now, the vote is counted.
    right = client.post(
        f"/events/{event.slug}/stands/{a.stand_number}/vote",
        data={"action": "give", "team": str(a.id)},
    )
    assert right.status_code == 303 and _vote_count() == 1


def test_feedback_written_before_a_renumbering_comes_back_unsent(client, event, visitor):
    a, b, _c = teams_of(event)
    a.stand_number, b.stand_number = _far(event), _far(event) + 1
    sign_in(client, visitor)
    form_of_a = f"/events/{event.slug}/stands/{a.stand_number}/feedback"
    a.stand_number, b.stand_number = None, a.stand_number
    db.session.flush()
    a.stand_number = b.stand_number + 5
    db.session.flush()
    response = client.post(form_of_a, data={"liked": "Le guichet unique", "team": str(a.id)})
    assert response.status_code == 409
    page = unescape(response.text)
    assert "The stands were renumbered while your page was open." in page
    assert "Le guichet unique" in page
    assert a.challenge.question in page
    assert f'action="/events/{event.slug}/stands/{a.stand_number}/feedback"' in page
    assert _feedback_count() == 0


def test_scanning_a_stand_then_a_badge_leads_back_to_the_stand(client, make, event, visitor):
    """The stand sends a signed-out visitor to sign in; they scan their badge, whose QR code
    opens the badge's own sign-in link: once signed in, they are back at the stand."""
    a = teams_of(event)[0]
    a.stand_number = _far(event)
    db.session.flush()
    stand = f"/events/{event.slug}/stands/{a.stand_number}"
    sent = client.get(stand)
    assert sent.headers["Location"] == f"/sign-in?next={stand}"
    client.get(sent.headers["Location"])
    code = code_of(visitor)
    assert client.get(f"/c/{code}").status_code == 200
    signed_in = client.post("/sign-in/code", data={"code": code})
    assert signed_in.headers["Location"] == stand


def test_a_fresh_sign_in_forgets_a_stand_left_earlier(client, event, visitor):
    a = teams_of(event)[0]
    a.stand_number = _far(event)
    db.session.flush()
    client.get(f"/events/{event.slug}/stands/{a.stand_number}")
    client.get("/sign-in")  # opened afresh, for another reason
    signed_in = client.post("/sign-in/code", data={"code": code_of(visitor)})
    assert signed_in.headers["Location"] == f"/events/{event.slug}"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_only_a_page_of_this_site_is_remembered(client, event, visitor, target):
    client.get("/sign-in", query_string={"next": target})
    signed_in = client.post("/sign-in/code", data={"code": code_of(visitor)})
    assert signed_in.headers["Location"] == f"/events/{event.slug}"


def test_an_address_too_long_for_the_session_is_not_remembered(client, event, visitor):
    response = client.get("/sign-in", query_string={"next": "/" + "a" * 5000})
    assert response.status_code == 200
    assert len(response.headers.get("Set-Cookie", "")) < 4000
    signed_in = client.post("/sign-in/code", data={"code": code_of(visitor)})
    assert signed_in.headers["Location"] == f"/events/{event.slug}"
