"""The book of the challenges (issue 14, item 5): what organisers add to it, and its builds."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitate.extensions import db
from facilitate.models._types import enum_column, utcnow

# The longest opening or closing text: a few pages of the book, not a report.
MAX_BOOK_TEXT = 10_000


class BookOrder(enum.StrEnum):
    """How the whole book orders its challenges."""

    NUMBER = "number"
    THEME = "theme"
    STAND = "stand"


class BookStatus(enum.StrEnum):
    QUEUED = "queued"
    BUILDING = "building"
    DONE = "done"
    FAILED = "failed"


class BookSettings(db.Model):
    """What the organisers write for the event's book; an event without a row has none."""

    __tablename__ = "book_settings"
    __table_args__ = (
        CheckConstraint(f"length(opening) <= {MAX_BOOK_TEXT}", "opening_length"),
        CheckConstraint(f"length(closing) <= {MAX_BOOK_TEXT}", "closing_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    opening: Mapped[str] = mapped_column(Text, default="", server_default="")
    closing: Mapped[str] = mapped_column(Text, default="", server_default="")
    order: Mapped[BookOrder] = mapped_column(
        enum_column(BookOrder), default=BookOrder.NUMBER, server_default=BookOrder.NUMBER.value
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class BookBuild(db.Model):
    """One PDF of the book: the whole event's (``scope`` "event") or one challenge's
    ("challenge-<id>"), in one language. Any process may find it and any process may build it:
    the row is the shared state (status, progress, the fingerprint of the content built), the
    PDF a file under the upload folder. A build whose fingerprint no longer matches the data is
    stale and is built again on request."""

    __tablename__ = "book_builds"
    __table_args__ = (
        UniqueConstraint("event_id", "scope", "language"),
        CheckConstraint("progress BETWEEN 0 AND 100", "progress_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[BookStatus] = mapped_column(enum_column(BookStatus))
    progress: Mapped[int] = mapped_column(default=0)
    # What the content was when this build was asked for (services.fingerprint).
    fingerprint: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str | None] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)
