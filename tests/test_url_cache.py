"""``Facilitate.url_for`` keeps each address built within requests: the same addresses as
Flask's own, whatever the request's host, root or scheme."""

from flask import Flask, url_for

from facilitate import Facilitate

CASES = [
    ("events.home", {}),
    ("auth.sign_in", {"next": "/events/x?a=1&b=é"}),
    ("auth.sign_in", {"next": None}),
    ("static", {"filename": "css/app.css"}),
    ("privacy.event_notice", {"slug": "une-fête"}),
    ("events.home", {"page": True}),
    ("events.home", {"page": 1}),
    ("events.home", {"page": 1.5}),
    ("events.home", {"_anchor": "content", "q": "a b"}),
    ("events.home", {"_external": True}),
    ("events.home", {"_external": True, "_scheme": "https"}),
]
REQUESTS = [
    {"base_url": "http://localhost/"},
    {"base_url": "http://localhost/"},  # the second time from what was kept
    {"base_url": "https://example.org/"},
    {"base_url": "http://localhost/sub/"},
]


def _flask_urls(app) -> list[str]:
    return [Flask.url_for(app, endpoint, **values) for endpoint, values in CASES]


def test_the_same_addresses_as_flask(app):
    assert isinstance(app, Facilitate)
    for request in REQUESTS:
        with app.test_request_context("/", **request):
            assert [url_for(e, **v) for e, v in CASES] == _flask_urls(app)
    with app.test_request_context("/", base_url="http://localhost/"):
        assert url_for("events.home", page=True) != url_for("events.home", page=1)


def test_values_of_other_kinds_are_not_kept(app):
    class Slug:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    slug = Slug("first")
    with app.test_request_context("/"):
        assert url_for("privacy.event_notice", slug=slug).endswith("/first/privacy")
        slug.text = "second"
        assert url_for("privacy.event_notice", slug=slug).endswith("/second/privacy")


def test_relative_endpoints_and_addresses_outside_requests_are_flasks(app):
    with app.test_request_context("/sign-in"):
        app.preprocess_request()
        assert url_for(".sign_in") == Flask.url_for(app, ".sign_in") == "/sign-in"
    app.config["SERVER_NAME"] = "example.org"
    try:
        with app.app_context():
            assert url_for("events.home") == "http://example.org/"
    finally:
        app.config["SERVER_NAME"] = None


def test_long_values_and_long_addresses_are_not_kept(app):
    long_next = "/events/x?q=" + "a" * 300
    with app.test_request_context("/"):
        app._urls.clear()
        assert url_for("auth.sign_in", next=long_next) == Flask.url_for(
            app, "auth.sign_in", next=long_next
        )
        assert app._urls == {}
        many = {f"v{i}": "é" * 20 for i in range(3)}  # short values, an address over 300
        assert len(url_for("events.home", **many)) > app.URL_KEPT
        assert app._urls == {}
        url_for("auth.sign_in", next="/events/x?q=short")
        assert len(app._urls) == 1
