"""Security headers on every response, and cookie flags (facilitate/security.py)."""

import pytest

from facilitate import create_app
from facilitate.security import CONTENT_SECURITY_POLICY, flag_cookie
from tests import conftest, factories

HTTPS = "https://facilitate.example.fr"
HSTS = "Strict-Transport-Security"
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.fixture(scope="module")
def proxied_app(database_url):
    """The app behind one reverse proxy (PROXY_FIX=1), with a view that fails (to see a 500)
    and one that chooses its own Referrer-Policy."""
    app = create_app(conftest.test_config(database_url, PROXY_FIX=1, PROPAGATE_EXCEPTIONS=False))
    app.test_client_class = conftest.FreshContextClient

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    @app.get("/own-policy")
    def own_policy():
        return "", 204, {"Referrer-Policy": "no-referrer"}

    return app


def assert_protected(response, https: bool = False) -> None:
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, (name, response.status_code)
    assert (HSTS in response.headers) == https


def cookies(response) -> dict[str, set[str]]:
    """Each cookie set, by name, with its attributes' names in lower case."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0]
        found[name] = {part.split("=", 1)[0].strip().lower() for part in header.split(";")[1:]}
        assert "samesite=lax" in header.lower().replace(" ", ""), header
    return found


def sign_in_with_code(client, person, **kwargs):
    code = factories.code_of(person)
    response = client.post("/sign-in/code", data={"code": code}, **kwargs)
    assert response.status_code == 303, response.text
    return response


def test_the_policy_allows_no_inline_script_and_no_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/sign-in", 200),
        ("/no-such-page", 404),
        ("/static/css/app.css", 200),
        ("/static/js/reveal.js", 200),
        ("/api/v1/", 200),
        ("/api/v1/events/nowhere", 401),
        ("/api/v1/no-such-endpoint", 404),
        ("/events/new", 302),  # to the sign-in page
        ("/language", 405),
    ],
)
def test_every_kind_of_response_carries_the_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_protected(response)


def test_a_signed_in_page_and_a_redirect_carry_the_headers(client, make):
    event = make.event(themes=1, challenges=1)
    person = make.participant(event)
    assert_protected(sign_in_with_code(client, person))
    page = client.get(f"/events/{event.slug}")
    assert page.status_code == 200 and person.name in page.text
    assert_protected(page)
    assert_protected(client.get("/sign-in"))  # signed in: a redirect home


def test_a_server_error_carries_the_headers(proxied_app):
    response = proxied_app.test_client().get("/boom")
    assert response.status_code == 500
    assert_protected(response)


def test_theme_colours_need_no_style_attribute(client, make):
    event = make.event(themes=1, challenges=1)
    page = client.get(f"/events/{event.slug}").text
    assert 'fill="#1d4e89"' in page
    assert "style=" not in page


def test_hsts_only_over_https(client):
    assert HSTS not in client.get("/").headers
    response = client.get("/", base_url=HTTPS)
    assert_protected(response, https=True)
    assert response.headers[HSTS] == "max-age=31536000"


def test_over_http_cookies_are_http_only_and_lax_but_not_secure(client, make):
    person = make.participant(make.event())
    response = sign_in_with_code(client, person)
    flags = cookies(response)
    assert {"session", "remember_token"} <= flags.keys()
    for name, attributes in flags.items():
        assert "httponly" in attributes, name
        assert "secure" not in attributes, name
    language = cookies(client.post("/language", data={"language": "en", "next": "/"}))
    assert language["facilitate_lang"] >= {"httponly", "samesite"}
    assert "secure" not in language["facilitate_lang"]
    # And plain HTTP keeps working: the cookies come back and the person is signed in.
    assert person.name in client.get("/").text


def test_over_https_every_cookie_is_secure(client, make):
    person = make.participant(make.event())
    response = sign_in_with_code(client, person, base_url=HTTPS)
    flags = cookies(response)
    assert {"session", "remember_token"} <= flags.keys()
    for name, attributes in flags.items():
        assert {"httponly", "secure", "samesite"} <= attributes, name
    assert person.name in client.get("/", base_url=HTTPS).text
    language = client.post("/language", data={"language": "en", "next": "/"}, base_url=HTTPS)
    assert cookies(language)["facilitate_lang"] >= {"httponly", "secure", "samesite"}
    # Signing out expires the cookies with the same flags.
    out = client.post("/sign-out", base_url=HTTPS)
    assert out.status_code == 303
    for name, attributes in cookies(out).items():
        assert {"httponly", "secure"} <= attributes, name


def test_behind_a_proxy_the_forwarded_scheme_decides(proxied_app, make):
    person = make.participant(make.event())
    client = proxied_app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    response = sign_in_with_code(client, person, headers=forwarded)
    assert_protected(response, https=True)
    flags = cookies(response)
    assert {"session", "remember_token"} <= flags.keys()
    for name, attributes in flags.items():
        assert {"httponly", "secure"} <= attributes, name
    # The same app reached over plain HTTP (no proxy header): no Secure flag, no HSTS.
    plain = proxied_app.test_client()
    response = sign_in_with_code(plain, person)
    assert_protected(response)
    for name, attributes in cookies(response).items():
        assert "secure" not in attributes, name


def test_without_proxy_fix_a_forwarded_scheme_is_not_trusted(client, make):
    person = make.participant(make.event())
    response = sign_in_with_code(client, person, headers={"X-Forwarded-Proto": "https"})
    assert HSTS not in response.headers
    for name, attributes in cookies(response).items():
        assert "secure" not in attributes, name


@pytest.mark.parametrize(
    "given, secure, expected",
    [
        ("a=1; Path=/", False, "a=1; Path=/; HttpOnly; SameSite=Lax"),
        ("a=1; Path=/", True, "a=1; Path=/; HttpOnly; SameSite=Lax; Secure"),
        ("a=1; Secure; HttpOnly; Path=/; SameSite=Strict", True, None),
        ("a=x=y; httponly; samesite=none", False, None),
    ],
)
def test_cookie_flags_are_added_only_when_missing(given, secure, expected):
    assert flag_cookie(given, secure) == (expected or given)


def test_a_header_set_by_a_view_is_kept(proxied_app):
    response = proxied_app.test_client().get("/own-policy")
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
