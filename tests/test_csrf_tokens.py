"""A session's CSRF token is signed once per process (``security.generate_csrf``): the pages of
one session carry the same token, which forms accept; another session has its own."""

import re

import pytest
from flask import g

from facilitate import security

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


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
