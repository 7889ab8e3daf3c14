"""A session's CSRF token is signed once per process (``security.generate_csrf``): the pages of
one session carry the same token, which forms accept; another session has its own."""

import re

import flask_wtf.csrf
import pytest
from flask import g

from facilitate import rendered_forms, security
from facilitate.accounts import invitee_rows
from facilitate.extensions import db
from facilitate.teams import routes as team_routes
from tests.factories import sign_in

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ANY_TOKEN = re.compile(r'name="csrf_token"[^>]* value="([^"]+)"')


@pytest.fixture
def csrf_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app


def _tokens(response) -> set[str]:
    return set(TOKEN.findall(response.text))


def test_one_session_one_signed_token_that_forms_accept(csrf_app):
    client = csrf_app.test_client()
    first = _tokens(client.get("/sign-in"))
    assert len(first) == 1  # both forms of the page, and the language switch
    assert _tokens(client.get("/sign-in")) == first
    (token,) = first
    response = client.post("/sign-in/code", data={"code": "WRONG", "csrf_token": token})
    assert response.status_code == 401  # the code was refused, not the form
    other = csrf_app.test_client()
    assert _tokens(other.get("/sign-in")).isdisjoint(first)


def test_tokens_that_expire_are_signed_anew(csrf_app, monkeypatch):
    monkeypatch.setitem(csrf_app.config, "WTF_CSRF_TIME_LIMIT", 3600)
    monkeypatch.setattr(security, "_signed_tokens", {})
    client = csrf_app.test_client()
    (token,) = _tokens(client.get("/sign-in"))
    assert security._signed_tokens == {}
    response = client.post("/sign-in/code", data={"code": "WRONG", "csrf_token": token})
    assert response.status_code == 401


def test_the_same_token_within_a_request(csrf_app):
    with csrf_app.test_request_context("/"):
        token = security.generate_csrf()
        assert security.generate_csrf() == token == g.csrf_token


def test_pages_writing_their_own_forms_sign_once_per_session(csrf_app, make, monkeypatch):
    """The modules that ask for the token themselves ask the cached function, not Flask-WTF's
    original bound at import (before ``init_csrf``), which signs anew at every request."""
    # The workspace's forms, the edition's and the jury's take theirs from rendered_forms.
    for module in (rendered_forms, invitee_rows, team_routes):
        assert module.generate_csrf is security.generate_csrf, module.__name__
    event = make.event(challenges=1)
    make.participant(event)  # without a team: a form to place them, with its token
    client = csrf_app.test_client()
    monkeypatch.setitem(csrf_app.config, "WTF_CSRF_ENABLED", False)
    sign_in(client, make.organiser(event))
    db.session.commit()
    monkeypatch.setitem(csrf_app.config, "WTF_CSRF_ENABLED", True)
    page = f"/events/{event.slug}/teams"
    client.get(page)  # the session's secret is drawn
    serializer = flask_wtf.csrf.URLSafeTimedSerializer
    signed = []

    def counting(*args, **kwargs):
        signed.append(1)
        return serializer(*args, **kwargs)

    monkeypatch.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", counting)
    first, second = (set(ANY_TOKEN.findall(client.get(page).text)) for _ in range(2))
    assert len(first) == 1
    assert first == second
    assert len(signed) == 1
