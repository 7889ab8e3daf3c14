"""The debrief questionnaire (issue 14): at the end of the event each attendee rates its parts
from 1 to 5 and says what to keep and what to change, once, from a phone."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitate.extensions import db
from facilitate.models._types import TextList, utcnow


class Debrief(db.Model):
    """The event's questionnaire: whether it is open, and the parts of the event it asks about
    (the organisers' words, in their order)."""

    __tablename__ = "debriefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    parts: Mapped[list[str]] = mapped_column(TextList, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class DebriefAnswer(db.Model):
    """One person's answers. The person is kept only so that they answer once and may change
    their answers until the questionnaire closes: organisers see the name only when
    ``show_name`` says the person chose so, and never when they answered."""

    __tablename__ = "debrief_answers"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # {part: 1..5}, for the parts the person rated.
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    keep: Mapped[str] = mapped_column(Text, default="")
    change: Mapped[str] = mapped_column(Text, default="")
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
