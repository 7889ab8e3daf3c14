"""Addresses: where it is safe to send someone after signing in or switching language, and what
a number in an address may be."""

from urllib.parse import urlsplit

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
