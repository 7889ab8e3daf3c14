"""What makes a password acceptable, links to reset a forgotten one, and changing one's own.

The rules, each with a reason the person reads (French or English):
- at least 12 characters;
- not one of the most common passwords (the 30,000 of the list zxcvbn ships, plus French ones in
  ``common_passwords_fr.txt``), in any case, with or without digits and punctuation around it;
- not the person's email address or name;
- not easy to guess for a program that tries words, repetitions, sequences and keyboard rows
  (zxcvbn's estimate: at least 10^8 guesses, its score 3).
"""

import hashlib
import hmac
import re
import unicodedata
from functools import cache
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from facilitate.auth.services import normalise_email
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import User
from facilitate.models._types import utcnow

MIN_LENGTH = 12
MAX_LENGTH = 1000
# zxcvbn's time grows with the length; past this a password is long enough not to ask it.
_ESTIMATE_UP_TO = 64
_MIN_SCORE = 3

RESET_SALT = "facilitate.password-reset"
RESET_MAX_AGE = 3600  # seconds: a reset link works for one hour

_FRENCH_LIST = Path(__file__).with_name("common_passwords_fr.txt")
# Rows of the French (AZERTY) keyboard, which zxcvbn's QWERTY graphs do not know, the top row
# as typed without Shift.
_AZERTY_RUNS = ("azertyuiopqsdfghjklmwxcvbn", "&é\"'(-è_çà)=")
# Digits, punctuation and spaces people put around a word to "strengthen" it.
_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class ResetLinkError(Exception):
    """A reset link that is forged, expired or already used: ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@cache
def common_passwords() -> frozenset[str]:
    french = (
        line.strip()
        for line in _FRENCH_LIST.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(_plain(w) for w in french)


def _plain(text: str) -> str:
    """Lower case without accents: "Trésor" and "tresor" are the same guess."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", _plain(text))


def _keyboard_run(core: str) -> bool:
    """ "azertyuiopqsdf", "&é\"'(-è_çà": a walk along an AZERTY row, either way."""
    if len(core) < 6:
        return False
    runs = [_plain(run) for run in _AZERTY_RUNS]
    return any(core in run or core in run[::-1] for run in runs)


def _personal_words(email: str | None, name: str | None) -> set[str]:
    words = set()
    email = normalise_email(email or "")
    if email:
        words |= {_letters(email), _letters(email.partition("@")[0])}
    if name:
        words.add(_letters(name))
    return {w for w in words if len(w) >= 4}


def password_problem(password: str, *, email: str | None, name: str | None) -> str | None:
    """Why this password is refused, in the reader's language, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return _(
            "Choose a password of at least %(min)d characters (this one has %(n)d).",
            min=MIN_LENGTH,
            n=len(password),
        )
    if len(password) > MAX_LENGTH:
        return _("Choose a password of at most %(max)d characters.", max=MAX_LENGTH)
    plain = _plain(password)
    core = _AROUND.sub("", plain)
    common = common_passwords()
    if plain in common or (core and core in common):
        return _(
            "This password is among the most common ones, which are tried first. Choose another one."
        )
    letters = _letters(password)
    if any(word in letters for word in _personal_words(email, name)):
        return _("Your password must not contain your name or your email address.")
    if _keyboard_run(core) or (
        len(password) <= _ESTIMATE_UP_TO and zxcvbn(password)["score"] < _MIN_SCORE
    ):
        return _(
            "This password is too easy to guess (a repetition, a sequence, a keyboard row or "
            "common words). Add a few unexpected words or characters."
        )
    return None


def check_new_password(password: str, *, email: str | None, name: str | None) -> None:
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise DomainError(problem, field="password")


# --- Resetting a forgotten password with a link sent by email.


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    """Changes as soon as the password (or the email) does, so that a link works only once and
    not after the person has changed their password some other way."""
    material = f"{user.email}\0{user.password_hash or ''}".encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()[:32]


def reset_token(user: User) -> str:
    return _serializer().dumps([user.id, _fingerprint(user)])


def reset_url(user: User) -> str:
    """At the public address (BASE_URL): the link is read in a mailbox, outside any request."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + url_for("accounts.reset_password_page", token=reset_token(user))


def user_for_reset_token(token: str, lock: bool = False) -> User:
    """The account this link may set the password of; ResetLinkError otherwise. ``lock`` takes
    the row, for the request that uses the link, so that it is used only once."""
    try:
        user_id, fingerprint = _serializer().loads(token, max_age=RESET_MAX_AGE)
    except SignatureExpired as error:
        raise ResetLinkError("expired") from error
    except (BadSignature, ValueError, TypeError) as error:
        raise ResetLinkError("invalid") from error
    if not isinstance(user_id, int):
        raise ResetLinkError("invalid")
    query = select(User).where(User.id == user_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    user = db.session.scalar(query)
    if user is None or not user.email:
        raise ResetLinkError("invalid")
    if not isinstance(fingerprint, str) or not hmac.compare_digest(fingerprint, _fingerprint(user)):
        raise ResetLinkError("used")
    return user


def account_for_reset(email: str) -> User | None:
    """The account a "forgotten password" request is for, if any (the page never says)."""
    email = normalise_email(email)
    if not email:
        return None
    return db.session.scalar(select(User).where(User.email == email))


def reset_password(user: User, password: str) -> None:
    check_new_password(password, email=user.email, name=user.name)
    user.set_password(password)  # ends every other session, and this link
    # The link was only ever emailed to the address: following it proves the person reads it.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """The owner changes their own password, knowing the current one."""
    if not user.check_password(current):
        raise DomainError(_("This is not your current password."), field="current_password")
    if new == current:
        raise DomainError(_("Choose a password different from the current one."), field="password")
    check_new_password(new, email=user.email, name=user.name)
    user.set_password(new)
    db.session.flush()
