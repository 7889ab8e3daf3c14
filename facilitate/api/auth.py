"""Who is calling: ``Authorization: Bearer <token>``, where the token is a participant's access
code (the one on their badge) or an organiser's API token (``flask create-token``).

Cookies are never read here: the API is exempt from CSRF because a browser does not add this
header by itself, and it stays lean because no Flask-Login user is loaded. Organisers' tokens
are kept as a SHA-256 digest only; they are long and random, so a fast digest is enough (unlike
passwords, nothing is left to guess from a leaked digest).

Rate limits are keyed by the token, not the client's address: the 200 people of a venue share
one address behind its network's NAT. Failed authentications are counted per address, as failed
sign-ins are, and only they are refused once too many: a neighbour's phone retrying a revoked
code must not block the valid tokens of everyone else at the venue.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, literal_column, or_, select, update

from facilitate import policy
from facilitate.api.errors import INVALID_TOKEN_CHALLENGE, ApiError
from facilitate.auth.codes import looks_like_access_code, normalise_access_code
from facilitate.auth.services import normalise_email
from facilitate.auth.throttle import note_failed_attempt
from facilitate.domain import DomainError
from facilitate.extensions import SQLITE_WRITE_LOCK, begin_write, db, limiter
from facilitate.models import ApiToken, Event, Membership, Role, User
from facilitate.models._types import utcnow

# Tells an API token from an access code, and lets secret scanners spot one.
TOKEN_PREFIX = "fac_"  # noqa: S105 (a prefix, not a secret)
# last_used_at says roughly when a token last served, without a write on every request.
LAST_USE_PRECISION = timedelta(minutes=10)


@dataclass(frozen=True)
class Caller:
    """The person behind the token, as policy predicates and services need them. Plain values: a
    service that commits leaves them readable, with no query to reload them."""

    id: int
    is_organiser: bool
    is_authenticated: bool = True
    # An access code opens its own event only (see policy.roles_in); None for an API token.
    signed_in_event_id: int | None = None

    @property
    def reachable_event_ids(self) -> frozenset[int] | None:
        return None if self.signed_in_event_id is None else frozenset((self.signed_in_event_id,))


# --- The token in the request ----------------------------------------------------------------


def _credential() -> tuple[str, str] | None:
    """("code", normalised access code) or ("token", API token) from the header, read once."""
    if "api_credential" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _sep, value = header.strip().partition(" ")
        value = value.strip()
        credential = None
        if scheme.lower() == "bearer" and value:
            code = normalise_access_code(value)
            if looks_like_access_code(code):
                credential = ("code", code)
            elif value.startswith(TOKEN_PREFIX):
                credential = ("token", value)
            else:
                credential = ("other", value)
        g.api_credential = credential
    return g.api_credential


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_no_token() -> bool:
    return _credential() is None


def token_rate_key() -> str:
    """The per-token limit's key: a digest, so that tokens never sit in the limiter's storage."""
    credential = _credential()
    return "api-token:" + token_digest(credential[1]) if credential else ""


def api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# Every view that needs a token carries it (see routes): a generous limit per token.
per_token_limit = limiter.shared_limit(
    api_rate_limit, scope="api-token", key_func=token_rate_key, exempt_when=has_no_token
)


def _count_failed_authentication() -> None:
    """Count a wrong token against the address; past the sign-in limit, refuse it with 429
    (see auth.throttle for why valid tokens are never held back)."""
    if not note_failed_attempt("api-authentication"):
        raise ApiError(
            429,
            "rate_limited",
            _("Too many wrong tokens from this address. Wait a minute before trying again."),
            headers={"Retry-After": "60"},
        )


# --- Finding the person ------------------------------------------------------------------------

# Built once: every API request runs one of these, and building a statement each time costs
# more than running it. Each finds the caller and, with them, the event the address names and
# the caller's memberships there: one query (the event is None when no event has that slug).
_users, _tokens = User.__table__, ApiToken.__table__
_attendances = Membership.__table__.alias("attendance")


def _caller_at_event(source, credential_column, *extra_columns):
    return (
        select(
            _users.c.id,
            _users.c.is_organiser,
            *extra_columns,
            Event,
            Membership.role,
            Membership.team_id,
        )
        .select_from(source)
        .outerjoin(Event, Event.slug == bindparam("slug"))
        .outerjoin(
            Membership,
            # ``+ 0``: the caller's few memberships by ``ix_memberships_user_id``, not the
            # event's many by ``ix_memberships_event_id`` (SQLite has no statistics).
            and_(
                Membership.user_id == _users.c.id,
                Membership.event_id + literal_column("0") == Event.id,
            ),
        )
        .where(credential_column == bindparam("credential"))
    )


# An access code is an attendance's: it names the one event it opens.
_CALLER_BY_CODE = _caller_at_event(
    _attendances.join(_users, _users.c.id == _attendances.c.user_id),
    _attendances.c.access_code,
    _attendances.c.event_id.label("code_event_id"),
)
_CALLER_BY_TOKEN = _caller_at_event(
    _tokens.join(_users, _users.c.id == _tokens.c.user_id),
    _tokens.c.digest,
    _tokens.c.id.label("token_id"),
    _tokens.c.last_used_at,
)


def _reads_first() -> None:
    """Every write of the API goes through ``begin_write``, which takes SQLite's write lock when
    it begins: the reads before it (token, event, checks) ask for no lock, so that they do not
    hold back the other workers."""
    db.session.connection(execution_options={SQLITE_WRITE_LOCK: False})


@dataclass(frozen=True)
class AtEvent:
    """Who calls, about which event (None: no such event), as what: their (role, team id)
    memberships there."""

    caller: Caller
    event: Event | None
    memberships: list[tuple[Role, int | None]]


def authenticate(slug: str = "") -> AtEvent:
    """The caller and the event named by ``slug``, or a 401 that says what is missing. One
    query, none for a malformed token."""
    credential = _credential()
    if credential is None:
        raise ApiError(
            401,
            "missing_token",
            _(
                "This request needs a token: send the header “Authorization: Bearer” followed by your access code or API token."
            ),
        )
    kind, value = credential
    rows = []
    if kind != "other":
        _reads_first()
    if kind == "code":
        rows = db.session.execute(_CALLER_BY_CODE, {"credential": value, "slug": slug}).all()
    elif kind == "token":
        rows = db.session.execute(
            _CALLER_BY_TOKEN, {"credential": token_digest(value), "slug": slug}
        ).all()
    if not rows:
        _count_failed_authentication()
        raise ApiError(
            401,
            "invalid_token",
            _(
                "This token is not valid: check the access code on your badge, or ask the organisers for a new token."
            ),
            headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE},
        )
    first = rows[0]
    memberships = [(row.role, row.team_id) for row in rows if row.role is not None]
    if kind == "token":
        caller = Caller(id=first.id, is_organiser=first.is_organiser)
        _note_use(first.token_id, first.last_used_at)
    else:
        caller = Caller(id=first.id, is_organiser=False, signed_in_event_id=first.code_event_id)
        at_own_event = first.Event is not None and first.Event.id == first.code_event_id
        memberships = [
            (role, team) for role, team in memberships if at_own_event and role != Role.ORGANISER
        ]
    return AtEvent(caller=caller, event=first.Event, memberships=memberships)


def _note_use(token_id: int, last_used_at) -> None:
    """Record when an organiser's token served, at most once per LAST_USE_PRECISION, in its own
    short transaction (on SQLite, one that waits for the write lock rather than failing)."""
    now = utcnow()
    if last_used_at is not None and now - last_used_at < LAST_USE_PRECISION:
        return
    begin_write()
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now))
        .values(last_used_at=now)
    )
    db.session.commit()


# --- Issuing tokens (the create-token command) -----------------------------------------------


class TokenError(DomainError):
    """A token cannot be issued; the message is meant for the person at the command line."""


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_hex(32)


def issue_api_token(email: str) -> tuple[User, str]:
    """Create a token for this organiser and return it: it is never shown again, only its
    digest is stored. Several tokens may exist for one person (one per script)."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise TokenError(_("No account has the email address “%(email)s”.", email=email))
    if not policy.may_hold_api_token(user):
        raise TokenError(
            _(
                "%(email)s is not an organiser: API tokens are for organisers; participants use their access code.",
                email=email,
            )
        )
    token = new_api_token()
    db.session.add(ApiToken(user_id=user.id, digest=token_digest(token)))
    db.session.flush()
    return user, token
