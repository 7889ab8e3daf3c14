"""The polls' first read for a password session (``polled_by_password_session``): the person,
the event's version and their roles there in one statement, and the same answers as the long
way (Flask-Login, then the event) for every kind of session."""

from datetime import timedelta

import pytest
from sqlalchemy import delete

from facilitate.extensions import db
from facilitate.models import Edition, Invitation, Membership, NationalOrganiser, Role
from facilitate.models._types import utcnow
from facilitate.people.attendance import join_event
from tests.factories import sign_in

POLLS = ("dashboard/teams", "room/state")


def _statuses(client, slug: str, tags=None) -> dict[str, int]:
    """Each poll's answer, sending the ETag of ``tags`` (a first poll's) when given."""
    statuses = {}
    for path in POLLS:
        headers = {"If-None-Match": tags[path]} if tags else {}
        statuses[path] = client.get(f"/events/{slug}/{path}", headers=headers).status_code
    return statuses


def _tags(client, event) -> dict[str, str]:
    return {path: client.get(f"/events/{event.slug}/{path}").headers["ETag"] for path in POLLS}


def test_nothing_new_costs_one_statement(client, make, count_queries):
    event = make.event(challenges=2)
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    tags = _tags(client, event)
    for path in POLLS:
        url = f"/events/{event.slug}/{path}"
        with count_queries() as queries:
            response = client.get(url, headers={"If-None-Match": tags[path]})
        assert response.status_code == 304
        assert len(queries) == 1, queries
        assert "Set-Cookie" not in response.headers  # the session is not signed again


def test_a_national_organiser_polls_the_sites_of_their_edition_only(app, make, count_queries):
    edition, other = Edition(name="Université d’été", year=2018), Edition(name="Autre", year=2019)
    db.session.add_all([edition, other])
    db.session.flush()
    site = make.event(challenges=1, edition_id=edition.id)
    elsewhere = make.event(challenges=1, edition_id=other.id)
    person = make.user(email_confirmed_at=utcnow())
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=person.id))
    db.session.commit()
    client = app.test_client()
    sign_in(client, person)
    tags, slug = _tags(client, site), site.slug
    with count_queries() as queries:
        assert _statuses(client, slug, tags) == {path: 304 for path in POLLS}
    assert len(queries) == len(POLLS)  # their national role read in the same statement
    assert _statuses(client, elsewhere.slug) == {path: 403 for path in POLLS}


def _invitation(event, person) -> Invitation:
    now = utcnow()
    return Invitation(
        event=event,
        email=person.email,
        name=person.name,
        role=Role.ORGANISER,
        secret_digest=f"digest-{event.id}-{person.id}",
        issued_at=now,
        expires_at=now + timedelta(days=7),
        used_at=now,
        accepted_by_id=person.id,
    )


def test_an_unconfirmed_account_polls_only_the_events_that_invited_it(client, make):
    invited, other = make.event(challenges=1), make.event(challenges=1)
    person = make.organiser(invited)
    db.session.add(Membership(user=person, event=other, role=Role.ORGANISER))
    db.session.add(_invitation(invited, person))
    db.session.commit()
    sign_in(client, person)
    tags = _tags(client, invited)
    person.email_confirmed_at = None  # signed in before: the next polls find it unconfirmed
    db.session.commit()
    assert _statuses(client, invited.slug, tags) == {path: 304 for path in POLLS}
    assert _statuses(client, other.slug) == {path: 403 for path in POLLS}


def test_a_session_ended_elsewhere_is_sent_to_sign_in(client, make):
    event = make.event(challenges=1)
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    tags = _tags(client, event)
    organiser.end_sessions()  # "sign out everywhere", a new password
    db.session.commit()
    assert _statuses(client, event.slug, tags) == {path: 302 for path in POLLS}


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.FACILITATOR])
def test_a_password_session_without_the_organisers_role_sees_the_room_only(client, make, role):
    event = make.event(challenges=1)
    organiser = make.organiser(event)
    person = make.organiser(make.event())  # a password, organising another event
    if role == Role.PARTICIPANT:
        join_event(event, person, person.name, None)
    else:
        db.session.add(
            Membership(user=person, event=event, team=event.challenges[0].team, role=role)
        )
    db.session.commit()
    sign_in(client, organiser)
    tags = _tags(client, event)
    sign_in(client, person)
    assert _statuses(client, event.slug, tags) == {"dashboard/teams": 403, "room/state": 304}


def test_the_cookie_in_another_browser_is_marked_as_flask_login_marks_it(client, make):
    """Session protection ("basic"): the poll still answers, and the session is no longer
    fresh (the long way, which Flask-Login takes)."""
    event = make.event(challenges=1)
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    tag = _tags(client, event)["room/state"]
    response = client.get(
        f"/events/{event.slug}/room/state",
        headers={"If-None-Match": tag, "User-Agent": "Another browser"},
    )
    assert response.status_code == 304
    with client.session_transaction() as session:
        assert session["_fresh"] is False


def _national_at(make, edition):
    person = make.user(email_confirmed_at=utcnow())
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=person.id))
    db.session.commit()
    return person


@pytest.mark.parametrize(("what", "status"), [("password", 302), ("role", 403), ("account", 302)])
def test_a_national_organiser_who_lost_their_password_role_or_account_is_refused(
    client, make, what, status
):
    """Each poll, with the ETag it answered 304 to until then: a new password and a removed
    account end the session (sign in again), a removed national organiser keeps it but not
    the site."""
    edition = Edition(name="Université d’été", year=2018)
    db.session.add(edition)
    db.session.flush()
    site = make.event(challenges=1, edition_id=edition.id)
    person = _national_at(make, edition)
    sign_in(client, person)
    tags = _tags(client, site)
    assert _statuses(client, site.slug, tags) == {path: 304 for path in POLLS}
    if what == "password":
        person.set_password("an entirely new password")
    else:
        db.session.execute(delete(NationalOrganiser).where(NationalOrganiser.user_id == person.id))
        if what == "account":
            db.session.delete(person)
    db.session.commit()
    assert _statuses(client, site.slug, tags) == {path: status for path in POLLS}


def test_a_national_organiser_of_another_edition_is_refused_with_the_sites_etag(client, make):
    edition, other = Edition(name="Université d’été", year=2018), Edition(name="Autre", year=2019)
    db.session.add_all([edition, other])
    db.session.flush()
    site = make.event(challenges=1, edition_id=edition.id)
    sign_in(client, _national_at(make, edition))
    tags = _tags(client, site)
    sign_in(client, _national_at(make, other))
    assert _statuses(client, site.slug, tags) == {path: 403 for path in POLLS}
