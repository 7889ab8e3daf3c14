"""A person's own password: "forgot your password?" by email (never saying whether an account
exists), the single-use reset link, and changing it while signed in."""

import re
import time

import pytest

from facilitate.accounts.passwords import reset_token
from facilitate.extensions import db
from tests.factories import PASSWORD, sign_in
from tests.smtp import body_of, smtp  # noqa: F401  (fixture)

NEW_PASSWORD = "Une glacière pour Etel en 1902"
RESET_LINK = re.compile(r"http://facilitate\.test(/password/reset/[A-Za-z0-9_.\-]+)")


def _signed_in(client) -> bool:
    return "Se déconnecter" in client.get("/").text


def test_the_sign_in_page_offers_forgot_password(client):
    assert 'href="/password/forgot"' in client.get("/sign-in").text


def test_without_email_the_page_says_so_and_to_ask(client, make):
    person = make.user(password=PASSWORD, email="sans-mail@example.org")
    db.session.commit()
    page = client.get("/password/forgot")
    assert page.status_code == 200
    assert "ne peut pas envoyer d’e-mails" in page.text
    assert "demandez un lien d’invitation aux organisateurs" in page.text
    assert 'name="email"' not in page.text
    response = client.post("/password/forgot", data={"email": person.email})
    assert response.status_code == 503


def test_a_reset_link_is_sent_and_works_once(app, client, make, smtp):  # noqa: F811
    person = make.user(password=PASSWORD, email="oubli@example.org", name="Olivier Oubli")
    db.session.commit()
    elsewhere = app.test_client()
    sign_in(elsewhere, person)

    response = client.post("/password/forgot", data={"email": " Oubli@Example.org "})
    assert response.status_code == 303
    assert "Consultez votre messagerie" in client.get(response.headers["Location"]).text
    (message,) = smtp.wait_for(1)
    assert message["To"] == "oubli@example.org"
    path = RESET_LINK.search(body_of(message)).group(1)

    form = client.get(path)
    assert form.status_code == 200 and "oubli@example.org" in form.text
    assert form.headers["Referrer-Policy"] == "same-origin"
    weak = client.post(path, data={"password": "olivieroubli2024", "confirm": "olivieroubli2024"})
    assert weak.status_code == 400 and "votre nom" in weak.text

    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303
    assert _signed_in(client)
    assert not _signed_in(elsewhere)  # every other session ended
    db.session.refresh(person)
    assert person.check_password(NEW_PASSWORD) and not person.check_password(PASSWORD)

    again = app.test_client().post(
        path, data={"password": "Autre phrase, 2026 !", "confirm": "Autre phrase, 2026 !"}
    )
    assert again.status_code == 410 and "déjà été utilisé" in again.text
    db.session.refresh(person)
    assert person.check_password(NEW_PASSWORD)


def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, make, smtp):  # noqa: F811
    make.user(password=PASSWORD, email="existe@example.org")
    db.session.commit()
    known = client.post("/password/forgot", data={"email": "existe@example.org"})
    unknown = client.post("/password/forgot", data={"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    smtp.wait_for(1)
    time.sleep(0.3)
    assert [m["To"] for m in smtp.messages] == ["existe@example.org"]


def test_an_expired_or_forged_reset_link_changes_nothing(app, client, make, monkeypatch):
    person = make.user(password=PASSWORD, email="expire@example.org")
    db.session.commit()
    with app.test_request_context():
        token = reset_token(person)
    later = time.time() + 2 * 3600
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    expired = client.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert expired.status_code == 410 and "a expiré" in expired.text
    monkeypatch.undo()
    forged = client.post(
        f"/password/reset/{token}x", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert forged.status_code == 404
    english = client.get(f"/password/reset/{token}x", headers={"Accept-Language": "en"})
    assert "This link does not work" in english.text
    db.session.refresh(person)
    assert person.check_password(PASSWORD)


def test_a_reset_link_stops_once_the_password_changed_another_way(app, client, make):
    person = make.user(password=PASSWORD, email="change@example.org")
    db.session.commit()
    with app.test_request_context():
        token = reset_token(person)
    person.set_password("Tout autre chose, vraiment")
    db.session.commit()
    assert client.get(f"/password/reset/{token}").status_code == 410


def test_requests_are_limited_per_address_typed(app, client, smtp, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "RESET_LINK_RATE_LIMIT_PER_EMAIL", "2 per hour")
    for _ in range(2):
        assert (
            client.post("/password/forgot", data={"email": "cible@example.org"}).status_code == 303
        )
    assert client.post("/password/forgot", data={"email": "cible@example.org"}).status_code == 429
    assert (
        client.post("/password/forgot", data={"email": "autre-cible@example.org"}).status_code
        == 303
    )


# --- Changing one's own password


def test_the_owner_changes_their_password_and_other_sessions_end(app, client, make):
    person = make.user(password=PASSWORD, email="moi@example.org", name="Mona Moi")
    db.session.commit()
    sign_in(client, person)
    elsewhere = app.test_client()
    sign_in(elsewhere, person)
    assert 'href="/account/password"' in client.get("/").text

    wrong = client.post(
        "/account/password",
        data={"current_password": "pas le bon", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 400 and "pas votre mot de passe actuel" in wrong.text
    weak = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "monamoi12345", "confirm": "monamoi12345"},
    )
    assert weak.status_code == 400

    done = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 303
    assert _signed_in(client)  # this session goes on
    assert not _signed_in(elsewhere)
    db.session.refresh(person)
    assert person.check_password(NEW_PASSWORD)


def test_someone_signed_in_with_a_code_cannot_set_a_password(client, make):
    event = make.event()
    participant = make.participant(event)
    db.session.commit()
    sign_in(client, participant)
    assert 'href="/account/password"' not in client.get("/").text
    response = client.post(
        "/account/password",
        data={"current_password": "", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 403
    db.session.refresh(participant)
    assert participant.password_hash is None


def test_wrong_current_passwords_are_limited_per_account(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "CHANGE_PASSWORD_RATE_LIMIT", "2 per hour")
    person = make.user(password=PASSWORD, email="devine@example.org")
    db.session.commit()
    sign_in(client, person)
    wrong = {"current_password": "devinette", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert [client.post("/account/password", data=wrong).status_code for _ in range(3)] == [
        400,
        400,
        429,
    ]


@pytest.mark.parametrize("path", ["/account/password"])
def test_changing_a_password_needs_signing_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
