"""What every request repeated is done once per process or skipped (issue 13): each shortcut
must give what the libraries it stands in for would."""

import flask_babel
import pytest
from flask import request
from flask_limiter import Limiter as FlaskLimiter
from flask_login.utils import _create_identifier

from facilitate import i18n
from facilitate.auth import session_identifier
from facilitate.extensions import limiter

BROWSERS = [
    {},
    {"REMOTE_ADDR": "192.0.2.7"},
    {"REMOTE_ADDR": "192.0.2.7", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux) Firefox/120.0"},
    {"REMOTE_ADDR": "192.0.2.8", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux) Firefox/120.0"},
    {"HTTP_X_FORWARDED_FOR": "203.0.113.5, 10.0.0.1", "HTTP_USER_AGENT": "Zoé’s phone"},
    {"HTTP_X_FORWARDED_FOR": "203.0.113.6", "HTTP_USER_AGENT": "Zoé’s phone"},
]


def test_the_browser_identifier_is_flask_login_s(app):
    seen = set()
    for environ in BROWSERS * 2:  # the second time, from what was kept
        with app.test_request_context(environ_base=environ):
            assert session_identifier() == _create_identifier()
            seen.add(session_identifier())
    assert len(seen) == len(BROWSERS)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
        "en-GB,en;q=0.9",
        "de-DE,de;q=0.9",
        "en;q=0.2, fr;q=0.8",
        "*",
        "x-klingon",
    ],
)
def test_the_reader_s_language_is_werkzeug_s_best_match(app, header):
    environ = {} if header is None else {"HTTP_ACCEPT_LANGUAGE": header}
    languages = app.config["LANGUAGES"]
    with app.test_request_context(environ_base=environ):
        expected = request.accept_languages.best_match(languages)
        assert i18n._best_match(request.environ.get("HTTP_ACCEPT_LANGUAGE"), languages) == (
            expected
        )
        assert str(i18n.select_locale()) == (expected or app.config["BABEL_DEFAULT_LOCALE"])


@pytest.mark.parametrize("vary", [None, "Accept-Encoding", "Cookie"])
def test_an_unchanged_session_adds_vary_cookie_as_flask_does(app, vary):
    interface = app.session_interface
    with app.test_request_context():
        session = interface.session_class({"csrf_token": "x"})
        session.accessed = True
        response = app.response_class("")
        if vary:
            response.headers["Vary"] = vary
        interface.save_session(app, session, response)
        expected = {None: "Cookie", "Accept-Encoding": "Accept-Encoding, Cookie"}.get(vary, vary)
        assert response.headers.getlist("Vary") == [expected]
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("content", [{}, {"csrf_token": "x"}, {"_permanent": True, "a": "b"}])
def test_a_session_nobody_read_adds_no_vary(app, content):
    """As Flask: "Vary: Cookie" only when the request read the session (or it is saved)."""
    interface = app.session_interface
    with app.test_request_context():
        session = interface.session_class(content)
        response = app.response_class("")
        interface.save_session(app, session, response)
        permanent_refreshed = content.get("_permanent")
        assert ("Vary" in response.headers) == bool(permanent_refreshed)


def test_a_changed_session_is_saved(app, client):
    with client.session_transaction() as session:
        session["x"] = "1"
    response = client.get("/sign-in")
    assert response.headers["Vary"] == "Cookie"


def test_rate_limits_outside_views_would_still_be_checked(app, client, monkeypatch):
    """No limit applies outside the views, so Flask-Limiter's check before each view is
    skipped; should one be configured (a default limit), the check runs again."""
    checked = []
    original = FlaskLimiter._check_request_limit

    def spy(self, *args, **kwargs):
        checked.append(kwargs.get("in_middleware", True))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FlaskLimiter, "_check_request_limit", spy)
    assert client.get("/sign-in").status_code == 200
    assert checked == []
    monkeypatch.setattr(limiter.limit_manager, "_default_limits", [[]])
    assert client.get("/sign-in").status_code == 200
    assert checked == [True]


def test_the_locale_read_from_the_request_follows_force_locale(app):
    with app.test_request_context(environ_base={"HTTP_ACCEPT_LANGUAGE": "en"}):
        assert str(flask_babel.get_locale()) == "en"
        with flask_babel.force_locale("fr"):
            assert str(flask_babel.get_locale()) == "fr"
            assert flask_babel.gettext("Sign out") == "Se déconnecter"
        assert str(flask_babel.get_locale()) == "en"
        assert flask_babel.gettext("Sign out") == "Sign out"


def test_a_form_sent_without_its_token_is_still_refused(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/language", data={"language": "en", "next": "/"}).status_code == 400
        assert client.get("/sign-in").status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_session_parsed_once_is_still_the_reader_s_own(app):
    """A cookie seen before gives a fresh session each time: changing one request's session
    (a message flashed, a key set) leaves the next request's as the cookie says."""
    interface = app.session_interface
    with app.test_request_context():
        session = interface.session_class({"csrf_token": "x", "_user_id": "1:abc"})
        response = app.response_class("")
        session.modified = True
        interface.save_session(app, session, response)
        cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    for _ in range(2):
        with app.test_request_context(headers={"Cookie": f"session={cookie}"}) as context:
            opened = context.session
            assert dict(opened) == {"csrf_token": "x", "_user_id": "1:abc"}
            opened["csrf_token"] = "changed"
            opened.setdefault("_flashes", []).append(("info", "hello"))


def test_one_database_is_every_statement_s_bind(app):
    from sqlalchemy import select

    from facilitate.extensions import Session, _app_context_id, db
    from facilitate.models import User

    with app.app_context():
        session = Session(db)
        assert session.get_bind() is db.engine
        assert session.get_bind(mapper=User) is db.engine
        assert session.get_bind(clause=select(User)) is db.engine
        assert session.get_bind(clause=User.__table__.update()) is db.engine
        first = _app_context_id()
        with app.app_context():
            assert _app_context_id() != first
        assert _app_context_id() == first
        session.close()


def test_current_user_is_loaded_once_a_request_as_flask_login_does(app, make):
    import flask_login.utils

    from facilitate.auth import signed_in_user

    assert flask_login.utils._get_user is signed_in_user
    with app.app_context():
        assert signed_in_user() is None  # no request
    with app.test_request_context():
        anonymous = signed_in_user()
        assert not anonymous.is_authenticated and signed_in_user() is anonymous
        assert flask_login.current_user._get_current_object() is anonymous
