"""The event's programme: sessions at the venue, the announcements organisers push to the room
screens, and the secret links of personal calendar feeds."""

import enum
from datetime import datetime

from flask_babel import lazy_pgettext
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import enum_column, utcnow
from facilitate.models.events import Event, Stage


class SessionKind(enum.StrEnum):
    """What a slot of the programme is, as these universities' programmes name them."""

    PLENARY = "plenary"
    TALK = "talk"
    SHORT_TALK = "short_talk"
    TEAMWORK = "teamwork"
    EXHIBITION = "exhibition"
    MEAL = "meal"
    DEBRIEF = "debrief"

    @property
    def label(self):
        return _KIND_LABELS[self]


_KIND_LABELS = {
    SessionKind.PLENARY: lazy_pgettext("session kind", "Plenary"),
    SessionKind.TALK: lazy_pgettext("session kind", "Talk"),
    SessionKind.SHORT_TALK: lazy_pgettext("session kind", "Short talk"),
    SessionKind.TEAMWORK: lazy_pgettext("session kind", "Teamwork"),
    SessionKind.EXHIBITION: lazy_pgettext("session kind", "Exhibition"),
    SessionKind.MEAL: lazy_pgettext("session kind", "Meal"),
    SessionKind.DEBRIEF: lazy_pgettext("session kind", "Collective debrief"),
}


class ProgrammeSession(db.Model):
    """One slot of the programme. Times are stored in UTC, as every moment is, and shown in the
    venue's time zone. A session may carry a stage: that stage's planned start follows it."""

    __tablename__ = "programme_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", "ends_after_start"),
        CheckConstraint("title <> ''", "title_not_empty"),
        # NULLs are distinct: many sessions carry no stage, a stage follows one session at most.
        UniqueConstraint("event_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC
    ends_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    room: Mapped[str | None] = mapped_column(String(120))
    speakers: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    # For one team only (its own room for teamwork, say); None: for everyone.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    team: Mapped["Team | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<ProgrammeSession {self.title!r}>"


class Announcement(db.Model):
    """A short message an organiser pushes to every room screen of the event, shown until it is
    dismissed or expires (ten minutes after it was posted)."""

    __tablename__ = "programme_announcements"
    __table_args__ = (CheckConstraint("text <> ''", "text_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(280))
    posted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    dismissed_at: Mapped[datetime | None] = mapped_column(DateTime)
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CalendarFeed(db.Model):
    """The secret address of one person's calendar for one event: phones subscribe to it
    without a session, so the token alone opens it. Renewing replaces it (the old address stops
    at once); revoking deletes it."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
