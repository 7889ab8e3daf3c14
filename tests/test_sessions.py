"""Sessions end on the server: a cookie saved before signing out, or before its secret changed,
is refused afterwards."""

from facilitate.auth.services import issue_access_code
from facilitate.extensions import db
from facilitate.models import Membership, Role
from tests.factories import code_of, sign_in

SIGNED_IN = "Se déconnecter"


def _cookies(client) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def _replay(app, cookies):
    """A browser holding copies of these cookies (a stolen or backed-up cookie jar)."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def test_signing_out_refuses_a_copy_of_the_session_and_remember_cookies(app, client, make):
    event = make.event()
    person = make.participant(event)
    db.session.commit()
    sign_in(client, person)
    saved = _cookies(client)
    assert "session" in saved and "remember_token" in saved
    assert SIGNED_IN in _replay(app, saved).get("/").text  # the copy works before

    assert client.post("/sign-out").status_code == 303

    assert SIGNED_IN not in _replay(app, saved).get("/").text
    only_remember = {"remember_token": saved["remember_token"]}
    assert SIGNED_IN not in _replay(app, only_remember).get("/").text
    # The badge still signs in.
    assert client.post("/sign-in/code", data={"code": code_of(person)}).status_code == 303


def test_signing_out_of_a_password_session_refuses_its_copies(app, client, make):
    organiser = make.organiser(make.event())
    db.session.commit()
    sign_in(client, organiser)
    saved = _cookies(client)
    client.post("/sign-out")
    assert SIGNED_IN not in _replay(app, saved).get("/").text


def test_a_renewed_code_ends_the_sessions_of_that_code_only(app, make):
    event, other = make.event(), make.event()
    person = make.participant(event)
    make.join(other, person)
    db.session.commit()
    here, there = app.test_client(), app.test_client()
    sign_in(here, person, event)
    sign_in(there, person, other)

    issue_access_code(make.attendance(person, event))
    db.session.commit()

    assert SIGNED_IN not in here.get("/").text
    assert SIGNED_IN in there.get("/").text


def test_a_code_session_lands_on_its_own_event_and_sees_only_it(app, client, make):
    event, other = make.event(challenges=1), make.event(challenges=1)
    person = make.participant(event, team=event.challenges[0].team)
    make.join(other, person)
    db.session.add(
        Membership(
            user_id=person.id,
            event_id=other.id,
            team_id=other.challenges[0].team.id,
            role=Role.MEMBER,
        )
    )
    db.session.commit()
    response = client.post("/sign-in/code", data={"code": code_of(person, other)})
    assert response.headers["Location"] == f"/events/{other.slug}"
    assert client.get(f"/events/{other.slug}/teams/1/workspace").status_code == 200
    # The same person's team at the other event is out of this code's reach.
    assert client.get(f"/events/{event.slug}/teams/1/workspace").status_code == 403
