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
    # Where every limit above keeps its counts (FACILITATE_RATELIMIT_STORAGE_URI): process memory
    # for one process; "redis://host:6379/0" when several processes or hosts serve the app, so
    # that a limit reached on one holds on the others. Should Redis become unreachable, each
    # process counts in its own memory meanwhile (a warning in the log), never an error page:
    # see facilitate.ratelimits.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Prefix of the keys in that storage: two deployments sharing one Redis database keep
    # apart by it.
    RATELIMIT_KEY_PREFIX = ""
    # Seconds to wait for Redis before counting in memory instead (connecting, then answering).
    RATELIMIT_REDIS_TIMEOUT = 0.5

    # "Forgotten password" requests: per client address, and per address typed (whether or not
    # an account has it, so that the limit reveals nothing), against mail bombing.
    RESET_LINK_RATE_LIMIT = "5 per minute;20 per hour"
    RESET_LINK_RATE_LIMIT_PER_EMAIL = "3 per 15 minutes;6 per day"
    # Wrong current passwords allowed per account on "My password" (a stolen session must not
    # be able to guess the password it needs to change it).
    CHANGE_PASSWORD_RATE_LIMIT = "5 per 15 minutes;20 per day"  # noqa: S105 (a rate)

    # Email, for invitations and password resets. Without MAIL_SERVER nothing is sent: the
    # invitation link is shown to copy or print, and "forgotten password" says to ask.
    # MAIL_USE_TLS: STARTTLS on a plain connection (usually port 587); MAIL_USE_SSL: TLS from
    # the start (usually port 465). MAIL_USERNAME and MAIL_PASSWORD only if the server asks.
    # MAIL_FROM: the sender, e.g. "facilitate <noreply@facilitate.example.fr>" (default:
    # noreply@ the host of BASE_URL).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM: str | None = None
    MAIL_TIMEOUT = 10  # seconds

    # Used to build links outside a request (badges, CSV of codes) and links sent by email.
    BASE_URL = "http://127.0.0.1:5000"
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust.
    PROXY_FIX = 0

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Prototype photos and documents: at most this size each, stored under UPLOAD_FOLDER
    # (None: instance/uploads).
    UPLOAD_MAX_BYTES = 8 * 1024 * 1024
    UPLOAD_FOLDER: str | None = None
    # Books of the challenges are built by a thread of the process that was asked (their state
    # is a database row, shared by every process); False builds them within the request.
    BOOK_BUILDS_IN_BACKGROUND = True
    # The platform's privacy page (/privacy): who runs the platform and answers for its data
    # ("Agence nationale de la cohésion des territoires"), and where to write about it (an email
    # address or a postal address). Each event names its own controller on its own notice.
    PRIVACY_CONTROLLER: str | None = None
    PRIVACY_CONTACT: str | None = None
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
    _redis_timeouts(app.config)


def _redis_timeouts(config) -> None:
    """Without timeouts, a Redis that stops answering (rather than refusing connections) would
    hold every rate-limited request until the operating system gives up."""
    if not str(config["RATELIMIT_STORAGE_URI"]).startswith(("redis://", "rediss://")):
        return
    timeout = float(config["RATELIMIT_REDIS_TIMEOUT"])
    options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    config["RATELIMIT_STORAGE_OPTIONS"] = {**options, **config.get("RATELIMIT_STORAGE_OPTIONS", {})}


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
