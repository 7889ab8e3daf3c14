import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import enum_column, utcnow


class Stage(enum.StrEnum):
    """The four stages every team goes through, in order."""

    FRAMING = "framing"
    IDEATION = "ideation"
    PROTOTYPING = "prototyping"
    EXHIBITION = "exhibition"

    @property
    def label(self):
        """Lazy: translated when shown, in the reader's language."""
        return _STAGE_LABELS[self]

    @property
    def number(self) -> int:
        return list(Stage).index(self) + 1


class VoteStatus(enum.StrEnum):
    """Where the exhibition vote stands. The organisers move it; results stay hidden from
    participants until ``REVEALED``."""

    NOT_STARTED = "not_started"
    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"

    @property
    def label(self):
        return _VOTE_STATUS_LABELS[self]

    def may_become(self, other: "VoteStatus") -> bool:
        """The only moves: open it, close it, reopen it if closed too early, reveal once closed."""
        return other in _VOTE_STATUS_MOVES[self]


_VOTE_STATUS_LABELS = {
    VoteStatus.NOT_STARTED: lazy_pgettext("vote status", "Not started"),
    VoteStatus.OPEN: lazy_pgettext("vote status", "Open"),
    VoteStatus.CLOSED: lazy_pgettext("vote status", "Closed"),
    VoteStatus.REVEALED: lazy_pgettext("vote status", "Results revealed"),
}
_VOTE_STATUS_MOVES = {
    VoteStatus.NOT_STARTED: {VoteStatus.OPEN},
    VoteStatus.OPEN: {VoteStatus.CLOSED},
    VoteStatus.CLOSED: {VoteStatus.OPEN, VoteStatus.REVEALED},
    VoteStatus.REVEALED: set(),
}
# The most votes a participant may be given: also bounds the vote slots in the database.
MAX_VOTES_PER_PARTICIPANT = 20

_STAGE_LABELS = {
    Stage.FRAMING: _l("Framing"),
    Stage.IDEATION: _l("Ideation"),
    Stage.PROTOTYPING: _l("Prototyping"),
    Stage.EXHIBITION: _l("Exhibition"),
}


class Event(db.Model):
    """One site's innovation university: a venue, dates, themes and numbered challenges."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at", "dates"),
        CheckConstraint("slug <> ''", "slug_not_empty"),
        CheckConstraint("dots_per_member BETWEEN 1 AND 20", "dots_per_member_range"),
        CheckConstraint(
            f"votes_per_participant BETWEEN 1 AND {MAX_VOTES_PER_PARTICIPANT}",
            "votes_per_participant_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str | None] = mapped_column(String(200))
    # An IANA zone: La Réunion and Martinique events show their own local time.
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    starts_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC
    ends_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC
    description: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.FRAMING)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Dots ("gommettes") each team member places on the team's ideas.
    dots_per_member: Mapped[int] = mapped_column(default=3, server_default="3")
    # The room screen's countdown, the same on every screen: running until timer_ends_at
    # (UTC), or paused with timer_remaining seconds left; timer_duration is what reset restores.
    timer_duration: Mapped[int | None]
    timer_ends_at: Mapped[datetime | None] = mapped_column(DateTime)
    timer_remaining: Mapped[int | None]
    # The exhibition vote: each participant's ballot holds at most this many votes, one per
    # stand, and none for their own team unless the organisers allow it.
    vote_status: Mapped[VoteStatus] = mapped_column(
        enum_column(VoteStatus),
        default=VoteStatus.NOT_STARTED,
        server_default=VoteStatus.NOT_STARTED.value,
    )
    votes_per_participant: Mapped[int] = mapped_column(default=3, server_default="3")
    own_team_votes_allowed: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # The edition this event is a site of, if any (facilitate/models/editions.py).
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("editions.id", ondelete="SET NULL"), index=True
    )
    # Changes whenever something the dashboard or the room screen shows may have changed: their
    # polls compare it instead of rendering (facilitate/dashboard/versions.py). A new random
    # number each time, never a count: a restored backup or an event made again under the
    # same address never shows a number a screen already holds.
    data_version: Mapped[int] = mapped_column(
        BigInteger, default=lambda: secrets.randbits(62), server_default="0"
    )

    edition: Mapped["Edition | None"] = relationship()  # noqa: F821
    themes: Mapped[list["Theme"]] = relationship(
        back_populates="event",
        order_by="Theme.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    planned_stages: Mapped[list["PlannedStage"]] = relationship(
        back_populates="event",
        order_by="PlannedStage.starts_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    challenges: Mapped[list["Challenge"]] = relationship(  # noqa: F821
        back_populates="event",
        order_by="Challenge.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class Theme(db.Model):
    """A family of challenges; the event page groups challenges by theme."""

    __tablename__ = "themes"
    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        # Target of the composite keys that keep a challenge's theme inside its own event.
        UniqueConstraint("id", "event_id"),
        CheckConstraint("name <> ''", "name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    colour: Mapped[str | None] = mapped_column(String(7))  # "#1d4e89"
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="themes")

    def __repr__(self) -> str:
        return f"<Theme {self.name!r}>"


class PlannedStage(db.Model):
    """When the programme plans each stage to start, at the venue."""

    __tablename__ = "planned_stages"
    __table_args__ = (UniqueConstraint("event_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # UTC

    event: Mapped[Event] = relationship(back_populates="planned_stages")
