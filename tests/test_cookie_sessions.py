"""The session cookie read once per process (facilitate/sessions.py): a cookie already checked
is refused exactly when Flask would refuse it (another key, a changed byte, too old), and each
request gets a session of its own."""

import time
from datetime import timedelta

import pytest
from flask import Flask, flash, session

from facilitate import sessions
from facilitate.sessions import CookieSessions


@pytest.fixture
def small():
    """A small app with the same sessions, and views that write and read them."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="tests-only-secret", SECRET_KEY_FALLBACKS=[])
    sessions.init_app(app)

    @app.get("/_test/session/set")
    def _set():
        session["value"] = "un"
        return ""

    @app.get("/_test/session/read")
    def _read():
        return session.get("value", "-")

    @app.get("/_test/session/flash")
    def _flash():
        flash("bonjour")  # appends to the session's list in place
        return str(len(session["_flashes"]))

    return app


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_the_app_uses_these_sessions(app):
    assert isinstance(app.session_interface, CookieSessions)


def test_a_cookie_read_again_gives_the_same_session(small):
    client = small.test_client()
    client.get("/_test/session/set")
    for _ in range(3):
        response = client.get("/_test/session/read")
        assert response.text == "un"
        assert "Set-Cookie" not in response.headers  # nothing changed: not signed again


def test_a_changed_cookie_is_refused_even_after_the_right_one_was_read(small):
    app, client = small, small.test_client()
    client.get("/_test/session/set")
    good = _cookie(client)
    assert client.get("/_test/session/read").text == "un"
    other = app.test_client()
    other.set_cookie("session", good[:-2] + ("AA" if good[-2:] != "AA" else "BB"))
    assert other.get("/_test/session/read").text == "-"


def test_a_cookie_is_refused_under_another_key_and_read_under_a_fallback(small):
    app, client = small, small.test_client()
    client.get("/_test/session/set")
    assert client.get("/_test/session/read").text == "un"
    old_key = app.secret_key
    app.secret_key = app.config["SECRET_KEY"] = "another-secret"
    try:
        assert client.get("/_test/session/read").text == "-"
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
        assert client.get("/_test/session/read").text == "un"
    finally:
        app.secret_key = app.config["SECRET_KEY"] = old_key
        app.config["SECRET_KEY_FALLBACKS"] = []


def test_a_cookie_read_before_is_refused_once_too_old(small, monkeypatch):
    app, client = small, small.test_client()
    client.get("/_test/session/set")
    assert client.get("/_test/session/read").text == "un"
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/_test/session/read").text == "-"


def test_each_request_changes_a_session_of_its_own(small):
    app, client = small, small.test_client()
    client.get("/_test/session/set")
    saved = _cookie(client)
    replay = app.test_client()
    for _ in range(3):
        replay.set_cookie("session", saved)  # the same cookie each time
        assert replay.get("/_test/session/flash").text == "1"


def test_a_short_lifetime_is_applied(small, monkeypatch):
    app, client = small, small.test_client()
    client.get("/_test/session/set")
    assert client.get("/_test/session/read").text == "un"
    monkeypatch.setattr(app, "permanent_session_lifetime", timedelta(seconds=-1))
    assert client.get("/_test/session/read").text == "-"
