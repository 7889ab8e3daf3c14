"""Who may act on an event's people and codes: a table of actions by roles, tried as people of
the event, of another event, and as someone who was removed."""

import pytest
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import AuditEntry, Membership
from tests.factories import code_of, sign_in

ACTIONS = [
    ("get", "/events/{slug}/people"),
    ("get", "/events/{slug}/people/new"),
    ("post", "/events/{slug}/people/new"),
    ("get", "/events/{slug}/people/{person}/edit"),
    ("post", "/events/{slug}/people/{person}/edit"),
    ("get", "/events/{slug}/people/{person}/remove"),
    ("post", "/events/{slug}/people/{person}/remove"),
    ("post", "/events/{slug}/people/{person}/code"),
    ("get", "/events/{slug}/people/{person}/revoke"),
    ("post", "/events/{slug}/people/{person}/revoke"),
    ("get", "/events/{slug}/people/import"),
    ("post", "/events/{slug}/people/import"),
    ("get", "/events/{slug}/people/export.xlsx"),
    ("get", "/events/{slug}/people/access-codes.csv"),
    ("get", "/events/{slug}/badges"),
    ("post", "/events/{slug}/badges/issue-missing-codes"),
    ("post", "/events/{slug}/teams/place/{person}"),
    ("post", "/events/{slug}/teams/unplace/{person}"),
    ("get", "/events/{slug}/history"),
    ("get", "/events/{slug}/clone"),
]

# Who asks: None is nobody signed in.
ROLES = [
    "anonymous",
    "participant",
    "facilitator",
    "organiser_by_code",
    "organiser_of_another_event",
    "organiser",
]
ALLOWED = {"organiser"}


@pytest.fixture
def setting(make):
    event, other = make.event(challenges=2), make.event(challenges=1)
    person = make.participant(event, team=event.challenges[0].team, name="Cible")
    people = {
        "participant": make.participant(event),
        "facilitator": make.participant(event),
        "organiser_by_code": make.organiser(event, password=None),
        "organiser_of_another_event": make.organiser(other, password=None),
        "organiser": make.organiser(event, password=None),
    }
    db.session.add(
        Membership(
            user=people["facilitator"],
            event=event,
            team=event.challenges[0].team,
            role="facilitator",
        )
    )
    make.join(event, people["organiser_by_code"])
    db.session.commit()
    return event, person, people


def _sign_in_as(client, role, event, people):
    if role == "anonymous":
        return
    who = people[role]
    if role == "organiser_by_code":
        assert client.post("/sign-in/code", data={"code": code_of(who, event)}).status_code == 303
    else:
        sign_in(client, who)


def _changes():
    return (
        db.session.scalar(select(func.count(Membership.id))),
        db.session.scalar(select(func.count(AuditEntry.id))),
        tuple(db.session.scalars(select(Membership.access_code).order_by(Membership.id))),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), ACTIONS)
def test_only_the_events_organisers_act_on_its_people(client, setting, role, method, url):
    event, person, people = setting
    _sign_in_as(client, role, event, people)
    before = _changes()
    response = getattr(client, method)(url.format(slug=event.slug, person=person.id))
    if role in ALLOWED:
        assert response.status_code in (200, 303, 400), response.status_code
        return
    if role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")
    else:
        assert response.status_code == 403
    db.session.expire_all()
    assert _changes() == before


@pytest.mark.parametrize(("method", "url"), [a for a in ACTIONS if "{person}" in a[1]])
def test_a_person_of_another_event_is_not_found_here(client, make, method, url):
    event, other = make.event(challenges=1), make.event(challenges=1)
    stranger = make.participant(other)
    sign_in(client, make.organiser(event, password=None))
    db.session.commit()
    before = _changes()
    response = getattr(client, method)(url.format(slug=event.slug, person=stranger.id))
    assert response.status_code == 404
    db.session.expire_all()
    assert _changes() == before


def test_a_removed_person_can_no_longer_sign_in_and_their_session_ends(app, client, make):
    event = make.event()
    person = make.participant(event)
    organiser = make.organiser(event, password=None)
    db.session.commit()
    code = code_of(person)
    phone = app.test_client()
    sign_in(phone, person)
    assert phone.get(f"/events/{event.slug}/stands").status_code == 200

    sign_in(client, organiser)
    client.post(f"/events/{event.slug}/people/{person.id}/remove")

    assert phone.get(f"/events/{event.slug}/stands").status_code == 302  # back to sign-in
    assert phone.post("/sign-in/code", data={"code": code}).status_code == 401
    # Their actions are refused as anyone's who is not there.
    assert phone.post(f"/events/{event.slug}/my-ballot").status_code == 302
