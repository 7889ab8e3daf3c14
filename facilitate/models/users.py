import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from facilitate.extensions import db
from facilitate.models._types import utcnow


def new_session_nonce() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A person's account, and only theirs: the same agent attends several events over the
    years. What an event's organisers know of them (name as printed, organisation, the badge's
    access code) is their attendance at that event (the participant ``Membership``), never this
    row: an organiser of one event cannot change or reveal what a person has elsewhere.

    Organisers and facilitators sign in with their own password (for the whole account);
    participants with an access code, which opens one event only (see ``signed_in_event_id``).
    """

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # May create events; managing an event is decided by an organiser membership on it.
    is_organiser: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the identity of password sessions: changing it (new password, signing out) ends
    # every session opened with the password. Code sessions have their attendance's own nonce.
    session_nonce: Mapped[str] = mapped_column(String(64), default=new_session_nonce)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the owner proved they read this address (a link only emailed to it), or an
    # administrator vouched for it (the command line). A password chosen through an invitation
    # link proves nothing: the organiser who made the link saw it too.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Whether the person agrees that their name appear in books and on the public showcase:
    # None until asked (see privacy.public_names), then their answer, changed on their page.
    names_consent: Mapped[bool | None] = mapped_column(Boolean)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # Not a column: set when this request's person signed in with an access code, to the
    # attendance (participant membership) the code belongs to. Such a session is scoped to that
    # attendance's event, as an attendee (see policy.roles_in).
    code_attendance = None
    # Not a column: for a password session of an account whose email is not confirmed, the
    # events its password reaches (those it accepted an invitation to); None: every event.
    password_event_ids = None  # frozenset[int] | None

    @property
    def reachable_event_ids(self) -> frozenset[int] | None:
        """The events this session may act in, or None for every event of the account: a code
        opens its own event; an unconfirmed account's password, the events that invited it."""
        if self.code_attendance is not None:
            return frozenset((self.code_attendance.event_id,))
        return self.password_event_ids

    @property
    def signed_in_event_id(self) -> int | None:
        """The one event a code session opens; None for a password session (the whole account)."""
        return self.code_attendance.event_id if self.code_attendance is not None else None

    def get_id(self) -> str:
        """What the session cookie holds: which secret opened it, and that secret's nonce, so
        that renewing the secret or signing out refuses cookies saved before."""
        if self.code_attendance is not None:
            return f"code:{self.code_attendance.id}:{self.code_attendance.code_nonce}"
        return f"{self.id}:{self.session_nonce}"

    @property
    def has_password(self) -> bool:
        """An account with a password is managed by its owner alone."""
        return self.password_hash is not None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_nonce = new_session_nonce()

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        self.session_nonce = new_session_nonce()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email or self.name!r}>"
