"""What an event tells its attendees about their personal data (see facilitate.privacy)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import utcnow
from facilitate.models.events import Event

# How long an event may say it keeps personal data after it ends, in months.
MAX_RETENTION_MONTHS = 120


class PrivacyNotice(db.Model):
    """One event's privacy notice, written by its organisers: who is responsible for the data
    (the local authority or body running the event), whom to write to, how long the data is
    kept after the event, and anything else they need to say. An event without one shows the
    platform's defaults."""

    __tablename__ = "privacy_notices"
    __table_args__ = (
        CheckConstraint(
            f"retention_months BETWEEN 1 AND {MAX_RETENTION_MONTHS}", "retention_months_range"
        ),
        CheckConstraint("controller <> ''", "controller_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    controller: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    retention_months: Mapped[int]
    details: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
