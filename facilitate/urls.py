"""Addresses: where it is safe to send someone after signing in or switching language, and what
a number in an address may be."""

from urllib.parse import urlsplit

from flask import Flask, url_for
from flask.globals import _cv_request
from werkzeug.routing import IntegerConverter

from facilitate.numbers import MAX_DATABASE_INTEGER


def safe_next_url(target: str | None, default: str) -> str:
    """Only a path on this site: an attacker's link must not bounce a fresh sign-in elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return default
    return target


class DatabaseInteger(IntegerConverter):
    """``<int:...>`` in every route: an id or number the database can hold (PostgreSQL's
    INTEGER). A longer number in an address is simply not found, instead of overflowing the
    database driver into a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DATABASE_INTEGER)
        super().__init__(map, *args, **kwargs)


_fixed: dict[tuple, str] = {}


def fixed_url(endpoint: str, **values) -> str:
    """``url_for`` for an address that is the same on every page (the layout's links and style
    sheets), built once per process: a ``url_for`` costs 5 to 10 µs, and the layout has nine.
    Only for endpoints and values written in a template (the keys stay few); the address
    depends on the path the app is served under (``SCRIPT_NAME``), which is part of the key."""
    key = (_cv_request.get().request.script_root, endpoint, *sorted(values.items()))
    url = _fixed.get(key)
    if url is None:
        url = _fixed[key] = url_for(endpoint, **values)
    return url


def init_app(app: Flask) -> None:
    from facilitate.pagination import row_urls  # noqa: PLC0415  (it needs the database)

    app.jinja_env.globals["fixed_url"] = fixed_url
    # A list's rows' addresses, built once a page: {% set edit_url = row_urls(...) %}.
    app.jinja_env.globals["row_urls"] = row_urls
