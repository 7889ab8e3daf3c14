from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import utcnow
from facilitate.models.events import Event
from facilitate.models.users import User


class AuditEntry(db.Model):
    """One change an organiser made to an event: who, what, when.

    ``details`` holds what the history page needs to describe the change in the reader's
    language, and for deletions a snapshot from which the deleted thing can be restored.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_event_time", "event_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set when a deletion recorded here has been undone from the history page.
    restored_at: Mapped[datetime | None] = mapped_column(DateTime)

    event: Mapped[Event] = relationship()
    actor: Mapped[User | None] = relationship()


class EditionAuditEntry(db.Model):
    """One change a national organiser made to an edition (its details, national organisers,
    sites, workbook, jury): the edition's own history, as ``AuditEntry`` is an event's.

    A table of its own rather than a nullable ``edition_id`` on ``audit_entries``: an event's
    entries always have an event (its history, undoing, erasure scrub and purge all rely on it),
    and an edition's entries outlive the events that leave the edition."""

    __tablename__ = "edition_audit_entries"
    __table_args__ = (Index("ix_edition_audit_entries_edition_time", "edition_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
