"""What became of each challenge's prototype, months after the event (issue 14, item 7): where
it stands (status and progress), dated updates with text and a photo, and the reminders sent
3 and 6 months after the event so that follow-up does not depend on organisers typing it in."""

import enum
from datetime import date, datetime

from flask_babel import lazy_pgettext
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import enum_column, utcnow

# The most text one update holds: a paragraph or two, as a newsletter's item.
UPDATE_TEXT_MAX = 4000


class FollowUpStatus(enum.StrEnum):
    """Decidim's Accountability statuses, in the words the owners use."""

    TESTING = "testing"
    DEPLOYED = "deployed"
    EXTENDED = "extended"
    ABANDONED = "abandoned"

    @property
    def label(self):
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    FollowUpStatus.TESTING: lazy_pgettext("follow-up status", "Being tested"),
    FollowUpStatus.DEPLOYED: lazy_pgettext("follow-up status", "Deployed"),
    FollowUpStatus.EXTENDED: lazy_pgettext("follow-up status", "Extended to other territories"),
    FollowUpStatus.ABANDONED: lazy_pgettext("follow-up status", "Abandoned"),
}


class FollowUp(db.Model):
    """Where one challenge's prototype stands now: one row per challenge, made by its first
    update. ``last_update_on`` is the date of its most recent update, kept here so that lists
    and exports of hundreds of challenges read one row each."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        UniqueConstraint("challenge_id"),
        ForeignKeyConstraint(
            ["challenge_id", "event_id"],
            ["challenges.id", "challenges.event_id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("progress BETWEEN 0 AND 100", "progress_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[int] = mapped_column()
    status: Mapped[FollowUpStatus] = mapped_column(enum_column(FollowUpStatus))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    last_update_on: Mapped[date] = mapped_column(Date)
    # When an update was last written (whatever day it tells of): what "quiet" is counted from.
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    updates: Mapped[list["FollowUpUpdate"]] = relationship(
        back_populates="follow_up",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="FollowUpUpdate.happened_on",
    )

    def __repr__(self) -> str:
        return f"<FollowUp of challenge {self.challenge_id}: {self.status} {self.progress}%>"


class FollowUpUpdate(db.Model):
    """One dated news item: what happened, on the day it happened (never a day to come), with
    the status and progress it left the prototype at and, perhaps, a photo stored and checked
    as the workspace's photos are (workspace.uploads, workspace.photos)."""

    __tablename__ = "follow_up_updates"
    __table_args__ = (
        CheckConstraint("text <> ''", "text_not_empty"),
        CheckConstraint("progress BETWEEN 0 AND 100", "progress_range"),
        CheckConstraint(
            "(storage_name IS NULL) = (content_type IS NULL)", "photo_has_content_type"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(
        ForeignKey("follow_ups.id", ondelete="CASCADE"), index=True
    )
    # Who wrote it; gone with their account (the update stays, unsigned).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    happened_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[FollowUpStatus] = mapped_column(enum_column(FollowUpStatus))
    progress: Mapped[int] = mapped_column(Integer)
    storage_name: Mapped[str | None] = mapped_column(String(64))
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    follow_up: Mapped[FollowUp] = relationship(back_populates="updates")
    author: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def has_photo(self) -> bool:
        return self.storage_name is not None


class FollowUpReminder(db.Model):
    """A reminder sent by email: each (challenge, person, milestone) once, whatever how often
    the daily command runs."""

    __tablename__ = "follow_up_reminders"
    __table_args__ = (
        UniqueConstraint("challenge_id", "user_id", "months"),
        CheckConstraint("months IN (3, 6)", "months_milestone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
