"""Browsers that signed in with a password before.

At each successful password sign-in the browser gets a "device" cookie: long-lived
(``SIGN_IN_DEVICE_COOKIE_DURATION``, a year by default), HttpOnly, sent only to the sign-in
addresses, and signed with the app's secret key, naming a random id for the browser and the
accounts (as ``throttle.account_key`` digests, never emails) that signed in from it. It signs
nobody in and survives signing out: it only tells the password throttle that this browser is the
account owner's usual one, which then skips the account-wide slowdown (see ``auth.throttle``).
"""

import secrets
from dataclasses import dataclass

from flask import current_app, request, url_for
from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "facilitate_device"
# A shared laptop at the organisers' desk may know a few accounts; the most recent come first.
MAX_ACCOUNTS = 5


@dataclass(frozen=True)
class Device:
    id: str
    accounts: tuple[str, ...]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="facilitate.device")


def _duration() -> int:
    return int(current_app.config["SIGN_IN_DEVICE_COOKIE_DURATION"])


def this_device() -> Device | None:
    """The device the request's cookie names, if it is ours, unaltered and not too old."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw, max_age=_duration())
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    device_id, accounts = data.get("d"), data.get("a")
    if not isinstance(device_id, str) or not isinstance(accounts, list):
        return None
    return Device(device_id, tuple(a for a in accounts if isinstance(a, str))[:MAX_ACCOUNTS])


def remember(response, account: str) -> None:
    """Mark this browser as one that signed in to ``account`` (renewing the cookie)."""
    device = this_device()
    device_id = device.id if device else secrets.token_urlsafe(16)
    known = device.accounts if device else ()
    accounts = [account, *(a for a in known if a != account)][:MAX_ACCOUNTS]
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"d": device_id, "a": accounts}),
        max_age=_duration(),
        path=url_for("auth.sign_in"),
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure,
        httponly=True,
        samesite="Lax",
    )
