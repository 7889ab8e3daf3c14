"""Signing in and out, as participants and organisers experience it."""

import math

import pytest
from sqlalchemy import select

from facilitate.auth import codes
from facilitate.auth.services import issue_access_code
from facilitate.extensions import db, limiter
from facilitate.models import User
from tests.factories import PASSWORD, code_of, stand_path


def test_access_codes_have_at_least_60_bits_and_no_lookalike_characters():
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 60
    assert not set("0O1IL") & set(codes.ALPHABET)
    generated = {codes.new_access_code() for _ in range(2000)}
    assert len(generated) == 2000
    assert all(codes.looks_like_access_code(c) for c in generated)


def test_a_code_is_accepted_however_it_is_typed():
    code = "K7QMX3PAHDR9TWE"
    assert codes.format_access_code(code) == "K7QMX-3PAHD-R9TWE"
    for typed in (
        "K7QMX-3PAHD-R9TWE",
        "k7qmx 3pahd r9twe",
        " K7QMX3PAHDR9TWE ",
        "k7qmx.3pahd.r9twe",
    ):
        assert codes.normalise_access_code(typed) == code


def test_participant_signs_in_with_code_and_lands_on_their_event(client, make):
    event = make.event(challenges=2)
    person = make.participant(event, name="Camille Durand")
    typed = codes.format_access_code(code_of(person)).lower()
    response = client.post("/sign-in/code", data={"code": typed})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}"
    page = client.get(response.headers["Location"])
    assert "Camille Durand" in page.text


def test_wrong_code_gets_one_clear_message_and_keeps_what_was_typed(client, make):
    make.event()
    response = client.post("/sign-in/code", data={"code": "ABCDE-FGHJK-MNPQR"})
    assert response.status_code == 401
    assert "Ce code d’accès n’est pas valide" in response.text
    assert 'value="ABCDE-FGHJK-MNPQR"' in response.text
    assert client.get("/").text.count("Se déconnecter") == 0


def test_empty_code_is_refused_next_to_the_field(client):
    response = client.post("/sign-in/code", data={"code": "  "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text


def test_sign_in_link_from_badge_prefills_the_code_but_signs_in_only_on_confirmation(client, make):
    event = make.event()
    person = make.participant(event)
    page = client.get(f"/c/{code_of(person)}")
    assert page.status_code == 200
    assert codes.format_access_code(code_of(person)) in page.text
    assert "Se déconnecter" not in page.text  # not signed in by merely opening the link


@pytest.mark.parametrize(
    ("email", "password"),
    [("organiser@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)],
)
def test_wrong_email_or_password_get_the_same_message(client, make, email, password):
    event = make.event()
    make.organiser(event, email="organiser@example.org")
    response = client.post("/sign-in/password", data={"email": email, "password": password})
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.text


def test_organiser_signs_in_with_email_in_any_case_and_is_sent_back_where_they_were(client, make):
    event = make.event()
    make.organiser(event, email="organiser@example.org")
    response = client.post(
        "/sign-in/password",
        data={"email": " Organiser@Example.org", "password": PASSWORD, "next": "/events/x?y=1"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/events/x?y=1"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "evil"],
)
def test_sign_in_never_redirects_off_site(client, make, next_url):
    event = make.event()
    person = make.participant(event)
    response = client.post("/sign-in/code", data={"code": code_of(person), "next": next_url})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}"


def test_sign_out_is_a_post_and_ends_the_session(client, make):
    event = make.event()
    person = make.participant(event)
    client.post("/sign-in/code", data={"code": code_of(person)})
    assert client.get("/sign-out").status_code == 405
    assert "Se déconnecter" in client.get("/").text
    response = client.post("/sign-out")
    assert response.status_code == 303
    assert "Se déconnecter" not in client.get("/").text


def test_a_new_code_ends_sessions_opened_with_the_old_one(client, make):
    event = make.event()
    person = make.participant(event)
    old_code = code_of(person)
    client.post("/sign-in/code", data={"code": old_code})
    issue_access_code(make.attendance(person))
    db.session.commit()
    assert "Se déconnecter" not in client.get("/").text
    response = client.post("/sign-in/code", data={"code": old_code})
    assert response.status_code == 401


def test_passwords_are_stored_hashed(make):
    user = make.user(password="a long enough password")
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert "a long enough password" not in stored
    assert user.check_password("a long enough password")
    assert not user.check_password("another password")


@pytest.fixture
def strict_app(app, monkeypatch):
    """The session app as deployed: CSRF on and tight sign-in limits (tests turn them down)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "SIGN_IN_PASSWORD_FREE_FAILURES", 2)
    limiter.reset()
    yield app
    limiter.reset()


def test_failed_attempts_are_rate_limited_with_a_clear_message(strict_app):
    client = strict_app.test_client()
    # CSRF is on: take the token from the page, as a browser would.
    token = _csrf_token(client.get("/sign-in").text)
    for _ in range(3):
        response = client.post("/sign-in/code", data={"code": "WRONG", "csrf_token": token})
        assert response.status_code == 401
    response = client.post("/sign-in/code", data={"code": "WRONG", "csrf_token": token})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def test_mistyped_badges_at_a_venue_never_lock_out_the_others(strict_app, make):
    """200 people share the venue's address: once too many wrong codes came from it, a right
    code still signs its person in (codes have 74 random bits: guessing is out of reach)."""
    event = make.event()
    person = make.participant(event)
    db.session.commit()
    client = strict_app.test_client()
    token = _csrf_token(client.get("/sign-in").text)
    for _ in range(4):
        client.post("/sign-in/code", data={"code": "WRONG", "csrf_token": token})
    response = client.post("/sign-in/code", data={"code": code_of(person), "csrf_token": token})
    assert response.status_code == 303


def test_successful_sign_ins_do_not_count_against_the_limit(strict_app, make):
    event = make.event()
    people = [make.participant(event) for _ in range(5)]
    db.session.commit()
    for person in people:
        client = strict_app.test_client()
        token = _csrf_token(client.get("/sign-in").text)
        response = client.post("/sign-in/code", data={"code": code_of(person), "csrf_token": token})
        assert response.status_code == 303


def test_password_guessing_on_one_account_is_slowed_down_with_a_clear_message(strict_app, make):
    """See tests/test_sign_in_limits.py for the whole of the password rules."""
    event = make.event()
    make.organiser(event, email="target@example.org")
    db.session.commit()
    client = strict_app.test_client()
    token = _csrf_token(client.get("/sign-in").text)
    data = {"email": "target@example.org", "password": "guess", "csrf_token": token}
    assert client.post("/sign-in/password", data=data).status_code == 401
    assert client.post("/sign-in/password", data=data).status_code == 401
    response = client.post("/sign-in/password", data=data)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert "Patientez 2 secondes, puis réessayez." in response.text


def test_forms_without_csrf_token_are_refused_with_a_friendly_page(strict_app, make):
    event = make.event()
    person = make.participant(event)
    db.session.commit()
    response = strict_app.test_client().post("/sign-in/code", data={"code": code_of(person)})
    assert response.status_code == 400
    assert "Ce formulaire a expiré" in response.text


def _csrf_token(html: str) -> str:
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_refused_form_says_so_in_the_title_and_summarises_errors_with_links(client):
    page = client.post("/sign-in/code", data={"code": "WRONG-CODE"}).text
    assert "<title>Erreur\u00a0: Connexion" in page
    assert 'role="alert"' in page and 'href="#code"' in page
    assert "<title>Connexion" in client.get("/sign-in").text


def test_a_form_sent_after_the_session_ended_leads_back_to_its_page_after_sign_in(client, make):
    """The address a form posts to accepts only POST: coming back there after signing in
    would be a 405. The page that showed the form is where the person returns."""
    event = make.event(challenges=1)
    team = event.challenges[0].team
    stand_page = stand_path(team)
    response = client.post(
        f"{stand_page}/vote",
        data={"action": "give"},
        headers={"Referer": f"http://localhost{stand_page}"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sign-in?next={stand_page}")


def test_a_form_sent_from_another_site_without_a_session_leads_to_plain_sign_in(client, make):
    event = make.event(challenges=1)
    team = event.challenges[0].team
    response = client.post(
        stand_path(team, "/vote"),
        data={"action": "give"},
        headers={"Referer": "https://elsewhere.example/page"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")
