"""Account rules shared by the sign-in views and the command line."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from facilitate.auth.codes import looks_like_access_code, new_access_code, normalise_access_code
from facilitate.extensions import db
from facilitate.models import Event, Membership, User

MIN_PASSWORD_LENGTH = 10

# Checked against when the email is unknown, so that a wrong email costs as much time as a wrong
# password and the response time does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("facilitate-no-such-account")


class AccountError(ValueError):
    """A rule about accounts was broken; the message is meant for the person."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def load_user_from_session_id(session_id: str) -> User | None:
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_nonce != nonce:
        return None
    return user


def authenticate_with_password(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if user.check_password(password) else None


def authenticate_with_code(typed_code: str) -> User | None:
    code = normalise_access_code(typed_code)
    if not looks_like_access_code(code):
        return None
    return db.session.scalar(select(User).where(User.access_code == code))


def issue_access_code(user: User) -> str:
    """Give the person a new code; the old one, and every session opened with it, stop at once.

    No look-up for collisions: with 74 bits, two equal codes among a million people have a
    chance of about 1 in 10^10, and the unique constraint would refuse the write anyway.
    """
    code = new_access_code()
    user.access_code = code
    user.end_sessions()
    return code


def sign_in_url(user: User) -> str:
    return url_for("auth.code_link", code=user.access_code, _external=True)


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
    db.session.flush()
    return user


def landing_page_for(user: User) -> str:
    """After signing in, a participant of a single event lands on that event."""
    slugs = db.session.scalars(
        select(Event.slug).join(Membership).where(Membership.user_id == user.id).distinct().limit(2)
    ).all()
    if len(slugs) == 1:
        return url_for("events.show", slug=slugs[0])
    return url_for("events.home")
