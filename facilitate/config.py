"""Configuration: defaults here, then ``instance/config.py``, then ``FACILITATE_*`` variables.

The order matters: a deployment overrides a default without touching the code, and a test passes
its own mapping last. Nothing secret lives in this file; a missing secret key is generated into
the instance folder at first run, so that sessions survive restarts without being committed.
"""

import os
import secrets
from pathlib import Path

from flask import Flask


class Defaults:
    # Any SQLAlchemy URL; when unset, a SQLite file in the instance folder.
    DATABASE_URL: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "fr"
    LANGUAGES = ("fr", "en")
    LANGUAGE_COOKIE = "facilitate_lang"

    # Participants keep their phone signed in for the length of an event.
    REMEMBER_COOKIE_DURATION = 7 * 24 * 3600
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True

    # Wrong access codes and API tokens allowed per address; past it only wrong ones are refused
    # (see auth.throttle): 200 participants behind one venue NAT must not lock each other out.
    SIGN_IN_RATE_LIMIT = "10 per minute;60 per hour"
    # Passwords (see auth.throttle). Failures allowed per account and client (the browser's
    # device cookie, or else its address) before that pair is refused until the window ends.
    SIGN_IN_PASSWORD_PAIR_LIMIT = "10 per 15 minutes"  # noqa: S105 (a rate, not a password)
    # Failures on an account, from anywhere, before each further attempt must wait: first
    # FIRST_DELAY seconds, doubled at each further failure, at most MAX_DELAY. The count is
    # forgotten FAILURES_KEPT seconds after the first failure. Browsers that signed in to the
    # account before (device cookie) are never slowed down.
    SIGN_IN_PASSWORD_FREE_FAILURES = 5
    SIGN_IN_PASSWORD_FIRST_DELAY = 2
    SIGN_IN_PASSWORD_MAX_DELAY = 300
    SIGN_IN_PASSWORD_FAILURES_KEPT = 24 * 3600
    # How long a browser stays known after its last successful password sign-in.
    SIGN_IN_DEVICE_COOKIE_DURATION = 365 * 24 * 3600
    # The JSON API: requests allowed per token (not per address, for the same reason).
    API_RATE_LIMIT = "120 per minute"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True

    # Used to build sign-in links outside a request (badges, CSV of codes).
    BASE_URL = "http://127.0.0.1:5000"
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust.
    PROXY_FIX = 0

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Prototype photos and documents: at most this size each, stored under UPLOAD_FOLDER
    # (None: instance/uploads).
    UPLOAD_MAX_BYTES = 8 * 1024 * 1024
    UPLOAD_FOLDER: str | None = None
    WTF_CSRF_TIME_LIMIT = (
        None  # the session bounds the token; a long workshop must not expire forms
    )


def load_config(app: Flask, overrides: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FACILITATE")
    if overrides:
        app.config.from_mapping(overrides)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        default_url = "sqlite:///" + os.path.join(app.instance_path, "facilitate.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"] or default_url
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))


def _instance_secret_key(instance: Path) -> str:
    path = instance / "secret_key"
    if not path.exists():
        # O_EXCL: two workers starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return path.read_text().strip()
