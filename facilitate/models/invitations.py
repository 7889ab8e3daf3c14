"""Invitations: a link an organiser gives a facilitator, a challenge owner or a co-organiser, so
that they choose their own password (or, with a password already, accept after signing in)."""

import enum
from datetime import datetime

from flask_babel import lazy_pgettext
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import enum_column, utcnow
from facilitate.models.events import Event
from facilitate.models.memberships import Role
from facilitate.models.users import User

# The roles an invitation may be for: an organiser of the event, or an attendee whose team role
# calls for a password.
INVITABLE_ROLES = (Role.ORGANISER, Role.FACILITATOR, Role.CHALLENGE_OWNER)


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    InvitationStatus.PENDING: lazy_pgettext("invitation status", "Pending"),
    InvitationStatus.EXPIRED: lazy_pgettext("invitation status", "Expired"),
    InvitationStatus.ACCEPTED: lazy_pgettext("invitation status", "Accepted"),
    InvitationStatus.CANCELLED: lazy_pgettext("invitation status", "Cancelled"),
}

_OPEN = "used_at IS NULL AND cancelled_at IS NULL"


class Invitation(db.Model):
    """One invitation to one event, bound to an email address.

    The link carries a random secret; only its SHA-256 digest is kept, so that the link cannot
    be read back from the database. Issuing a fresh link replaces the digest (the old link stops)
    and the expiry. An invitation is used once, or cancelled; at most one is open per address,
    event and role.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint(
            "role IN ('organiser', 'facilitator', 'challenge_owner')", name="invitable_role"
        ),
        CheckConstraint("used_at IS NULL OR cancelled_at IS NULL", name="used_or_cancelled"),
        CheckConstraint("expires_at > issued_at", name="expires_after_issue"),
        Index(
            "uq_invitations_open",
            "event_id",
            "email",
            "role",
            unique=True,
            sqlite_where=text(_OPEN),
            postgresql_where=text(_OPEN),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    # The name the organiser gave, for a person without an account yet.
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    secret_digest: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the current link was issued (the first one, or the latest fresh one).
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def status(self, now: datetime) -> InvitationStatus:
        if self.used_at is not None:
            return InvitationStatus.ACCEPTED
        if self.cancelled_at is not None:
            return InvitationStatus.CANCELLED
        if now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def is_open(self) -> bool:
        """Neither used nor cancelled: a fresh link may still be issued, even once expired."""
        return self.used_at is None and self.cancelled_at is None

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.role} {self.email!r} event={self.event_id}>"
