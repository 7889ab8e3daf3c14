"""Account rules shared by the sign-in views and the command line."""

import secrets

from flask import session, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from facilitate.auth.codes import looks_like_access_code, new_access_code, normalise_access_code
from facilitate.extensions import db, login_manager
from facilitate.models import Event, Invitation, Membership, Role, User
from facilitate.models._types import utcnow
from facilitate.models.users import new_session_nonce
from facilitate.numbers import database_id

MIN_PASSWORD_LENGTH = 12

# Checked against when the email is unknown, so that a wrong email costs as much time as a wrong
# password and the response time does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("facilitate-no-such-account")


class AccountError(ValueError):
    """A rule about accounts was broken; the message is meant for the person."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# Every signed-in request with an access code runs this: built once, not at each request.
# The attendance and its person as two entities of one row, not ``joinedload``: setting up a
# joined eager load costs more than the query (0.3 ms a request of a participant's); the
# person then comes to ``attendance.user`` from the identity map, without a query.
_CODE_SESSION = (
    select(Membership, User)
    .join(User, User.id == Membership.user_id)
    .where(Membership.id == bindparam("id"), Membership.role == Role.PARTICIPANT)
)
# And every password session this one: a prebuilt statement costs less than ``Session.get``,
# which builds its statement again for each request (a request's session starts empty, so
# there is no identity map to consult first).
_PASSWORD_SESSION = select(User).where(User.id == bindparam("id"))

# What the rule of a password session (``password_session_holds``, ``opens_whole_account``)
# reads of the account. A statement that reads it with what it needs itself (a poll: the
# account, its event and its roles in one query) selects these columns, and asks the rule
# with its row as it would with a ``User``.
_USERS = User.__table__
PASSWORD_SESSION_COLUMNS = (_USERS.c.session_nonce, _USERS.c.email_confirmed_at)


def password_session_holds(account, nonce: str) -> bool:
    """Whether the password session whose cookie holds ``nonce`` still opens ``account`` (a
    ``User``, or a row with ``PASSWORD_SESSION_COLUMNS``; None when there is no such account,
    removed or purged): as long as the account keeps that nonce, which a new password, signing
    out everywhere and an erasure change. What it opens: ``opens_whole_account``."""
    return (
        account is not None
        and account.session_nonce is not None
        and secrets.compare_digest(account.session_nonce, nonce)
    )


def opens_whole_account(account) -> bool:
    """A password opens the whole account once its owner proved their email; until then, only
    the events that invited it (the organiser who made the invitation link saw it too, and must
    not reach through it what the address is given elsewhere later)."""
    return account.email_confirmed_at is not None


def polled_password_session(account, nonce: str) -> bool:
    """Whether a poll that read ``account`` with what it compares (for the id and nonce of
    ``password_session``) may answer for the whole account (``policy.PolledAccount``) without
    Flask-Login: the session holds and opens every event of the account. Otherwise the poll
    asks the usual way, which answers as it always did."""
    return password_session_holds(account, nonce) and opens_whole_account(account)


def load_user_from_session_id(session_id: str) -> User | None:
    """The person of a session cookie (or remember-me cookie), if its secret still holds:
    ``"<user id>:<nonce>"`` for a password session, ``"code:<attendance id>:<nonce>"`` for an
    access code's. A new password, a renewed or revoked code, or signing out changes the nonce,
    so a cookie saved before is refused."""
    if session_id.startswith("code:"):
        attendance_id, _, nonce = session_id.removeprefix("code:").partition(":")
        number = database_id(attendance_id)
        row = db.session.execute(_CODE_SESSION, {"id": number}).first() if number else None
        attendance = row[0] if row is not None else None
        if (
            attendance is None
            or attendance.access_code is None
            or not nonce
            or not secrets.compare_digest(attendance.code_nonce or "", nonce)
        ):
            return None
        user = attendance.user
        user.code_attendance = attendance
        user.password_event_ids = None
        return user
    user_id, _, nonce = session_id.partition(":")
    number = database_id(user_id)
    user = db.session.scalar(_PASSWORD_SESSION, {"id": number}) if number is not None else None
    if not password_session_holds(user, nonce):
        return None
    _open_password_session(user)
    return user


def password_session() -> tuple[int, str] | None:
    """The account id and nonce of this request's password session, read from the session
    cookie without loading the account, when Flask-Login would load it from there as is (its
    session protection finds the same browser: otherwise it would mark the session). None for
    anything else: no session, an access code's, a remember-me cookie alone, another browser.
    The caller must still ask the rule (``polled_password_session``) with the account as it is,
    as ``load_user_from_session_id`` does: the polls read it in the query that reads their
    event (``PASSWORD_SESSION_COLUMNS``)."""
    session_id = session.get("_user_id")
    if not isinstance(session_id, str) or session_id.startswith("code:"):
        return None
    if session.get("_id") != login_manager._session_identifier_generator():
        return None
    user_id, _, nonce = session_id.partition(":")
    number = database_id(user_id)
    return (number, nonce) if number is not None and nonce else None


def _open_password_session(user: User) -> None:
    """What a password opens (``opens_whole_account``): the whole account, or the events that
    invited it."""
    user.code_attendance = None
    if opens_whole_account(user):
        user.password_event_ids = None
        return
    user.password_event_ids = frozenset(
        db.session.scalars(select(Invitation.event_id).where(Invitation.accepted_by_id == user.id))
    )


def authenticate_with_password(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password):
        return None
    _open_password_session(user)
    return user


def authenticate_with_code(typed_code: str) -> User | None:
    """The person whose attendance holds this code, signed in to that event only."""
    code = normalise_access_code(typed_code)
    if not looks_like_access_code(code):
        return None
    attendance = db.session.scalar(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.access_code == code, Membership.role == Role.PARTICIPANT)
    )
    if attendance is None:
        return None
    user = attendance.user
    user.code_attendance = attendance
    user.password_event_ids = None
    return user


def issue_access_code(attendance: Membership) -> str:
    """Give this attendance a new code; the old one, and every session opened with it, stop at
    once. The person's other events and their password sessions are untouched.

    No look-up for collisions: with 74 bits, two equal codes among a million people have a
    chance of about 1 in 10^10, and the unique constraint would refuse the write anyway.
    """
    code = new_access_code()
    attendance.access_code = code
    attendance.code_nonce = new_session_nonce()
    return code


def revoke_access_code(attendance: Membership) -> None:
    attendance.access_code = None
    attendance.code_nonce = new_session_nonce()


def end_code_sessions(attendance: Membership) -> None:
    """Signing out of a code session: cookies saved before are refused, the code still works."""
    attendance.code_nonce = new_session_nonce()


def sign_in_url(code: str) -> str:
    return url_for("auth.code_link", code=code, _external=True)


def create_organiser(email: str, password: str, name: str | None = None) -> User:
    """Create or promote an organiser account (who may then create events)."""
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError(_("This email address is not valid."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH)
        )
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name or email.split("@")[0])
        db.session.add(user)
    elif name:
        user.name = name
    user.is_organiser = True
    user.set_password(password)
    # The administrator who runs the command vouches for the address.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    db.session.flush()
    return user


def landing_page_for(user: User) -> str:
    """After signing in, a participant of a single event lands on that event; a code always
    leads to its own event."""
    if user.code_attendance is not None:
        return url_for("events.show", slug=user.code_attendance.event.slug)
    slugs = db.session.scalars(
        select(Event.slug).join(Membership).where(Membership.user_id == user.id).distinct().limit(2)
    ).all()
    if len(slugs) == 1:
        return url_for("events.show", slug=slugs[0])
    return url_for("events.home")
