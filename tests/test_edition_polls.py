"""The national dashboard's and room screen's polls for a password session: the account, its
national role and the edition's version in one statement (no ``User`` built), and the same
answers as the long way (Flask-Login, then the page's policy) for every other session."""

import pytest
from sqlalchemy import delete

from facilitate.extensions import db
from facilitate.models import Edition, NationalOrganiser
from facilitate.models._types import utcnow
from tests.factories import sign_in

POLLS = ("dashboard/sites", "room/sites")


@pytest.fixture
def edition(make):
    edition = Edition(name="Université d’été", year=2018)
    db.session.add(edition)
    db.session.flush()
    make.event(challenges=1, edition_id=edition.id)
    return edition


def _national(make, edition):
    person = make.user(email_confirmed_at=utcnow())
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=person.id))
    db.session.commit()
    return person


def _tags(client, edition) -> dict[str, str]:
    return {path: client.get(f"/editions/{edition.id}/{path}").headers["ETag"] for path in POLLS}


def _statuses(client, edition, tags) -> dict[str, int]:
    edition_id = edition.id  # read before counting: the test's own object, expired by a commit
    return {
        path: client.get(
            f"/editions/{edition_id}/{path}", headers={"If-None-Match": tags[path]}
        ).status_code
        for path in POLLS
    }


def test_nothing_new_costs_one_statement(client, make, edition, count_queries):
    sign_in(client, _national(make, edition))
    tags = _tags(client, edition)
    edition_id = edition.id
    with count_queries() as queries:
        statuses = _statuses(client, edition, tags)
    assert edition_id and statuses == {path: 304 for path in POLLS}
    assert len(queries) == len(POLLS), "\n".join(q[:120] for q in queries)


def test_a_session_ended_elsewhere_is_sent_to_sign_in(client, make, edition):
    person = _national(make, edition)
    sign_in(client, person)
    tags = _tags(client, edition)
    person.end_sessions()
    db.session.commit()
    assert _statuses(client, edition, tags) == {path: 302 for path in POLLS}


def test_an_unconfirmed_address_does_not_run_the_edition(client, make, edition):
    person = _national(make, edition)
    sign_in(client, person)
    tags = _tags(client, edition)
    person.email_confirmed_at = None
    db.session.commit()
    assert _statuses(client, edition, tags) == {path: 403 for path in POLLS}


def test_someone_else_is_refused_as_before(client, make, edition):
    _national(make, edition)
    sign_in(client, make.organiser(make.event()))
    assert _statuses(client, edition, {path: "x" for path in POLLS}) == {
        path: 403 for path in POLLS
    }
    anonymous = client.application.test_client()
    assert _statuses(anonymous, edition, {path: "x" for path in POLLS}) == {
        path: 302 for path in POLLS
    }


def _lose(person, what: str) -> None:
    """What ends a national organiser's right to the polls, after they read them once."""
    if what == "password":
        person.set_password("an entirely new password")
    elif what == "role":
        db.session.execute(delete(NationalOrganiser).where(NationalOrganiser.user_id == person.id))
    elif what == "account":  # removed, as a purge removes an account only its event used
        db.session.execute(delete(NationalOrganiser).where(NationalOrganiser.user_id == person.id))
        db.session.delete(person)
    db.session.commit()


@pytest.mark.parametrize(("what", "status"), [("password", 302), ("role", 403), ("account", 302)])
def test_a_changed_password_a_removed_role_or_account_is_refused(
    client, make, edition, what, status
):
    """Each poll, with the ETag it answered 304 to until then: a new password and a removed
    account end the session (sign in again), a removed national organiser keeps it but not
    the edition."""
    person = _national(make, edition)
    sign_in(client, person)
    tags = _tags(client, edition)
    assert _statuses(client, edition, tags) == {path: 304 for path in POLLS}
    _lose(person, what)
    assert _statuses(client, edition, tags) == {path: status for path in POLLS}


def test_a_national_organiser_of_another_edition_is_refused(client, make, edition):
    """Even with the ETag the edition's own organiser has."""
    sign_in(client, _national(make, edition))
    tags = _tags(client, edition)
    other = Edition(name="Autre", year=2019)
    db.session.add(other)
    db.session.flush()
    make.event(challenges=1, edition_id=other.id)
    sign_in(client, _national(make, other))
    assert _statuses(client, other, _tags(client, other)) == {path: 304 for path in POLLS}
    assert _statuses(client, edition, tags) == {path: 403 for path in POLLS}
