from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from facilitate.extensions import db
from facilitate.models._types import TextList, enum_column
from facilitate.models.events import Event, Stage, Theme
from facilitate.models.teamwork import PrototypeKind

# The list fields of a challenge sheet, in the order the sheet shows them.
LIST_FIELDS = ("stakeholders", "users", "obstacles", "levers")
# Everything a challenge sheet says, in the sheet's order (the number and theme aside).
SHEET_FIELDS = (
    "question",
    "owner_organisation",
    "project_name",
    "territory",
    "stakes",
    *LIST_FIELDS,
    "info_url",
)


class Challenge(db.Model):
    """A "défi": a question a local authority brings to the event, numbered within it.

    Only the question is required: several sheets in the sources give just a question and an
    owner.
    """

    __tablename__ = "challenges"
    __table_args__ = (
        UniqueConstraint("event_id", "number"),
        UniqueConstraint("id", "event_id"),
        ForeignKeyConstraint(["theme_id", "event_id"], ["themes.id", "themes.event_id"]),
        CheckConstraint("number > 0", "number_positive"),
        CheckConstraint("question <> ''", "question_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    question: Mapped[str] = mapped_column(Text)
    owner_organisation: Mapped[str | None] = mapped_column(String(200))
    project_name: Mapped[str | None] = mapped_column(String(200))
    territory: Mapped[str | None] = mapped_column(Text)
    stakes: Mapped[str | None] = mapped_column(Text)
    stakeholders: Mapped[list[str]] = mapped_column(TextList, default=list)
    users: Mapped[list[str]] = mapped_column(TextList, default=list)
    obstacles: Mapped[list[str]] = mapped_column(TextList, default=list)
    levers: Mapped[list[str]] = mapped_column(TextList, default=list)
    info_url: Mapped[str | None] = mapped_column(String(500))
    theme_id: Mapped[int | None] = mapped_column(index=True)

    event: Mapped[Event] = relationship(back_populates="challenges")
    theme: Mapped[Theme | None] = relationship(
        primaryjoin="Challenge.theme_id == Theme.id", foreign_keys=[theme_id]
    )
    team: Mapped["Team | None"] = relationship(
        back_populates="challenge", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Challenge {self.number} of event {self.event_id}>"


class Team(db.Model):
    """The team that carries one challenge through the four stages."""

    __tablename__ = "teams"
    __table_args__ = (
        UniqueConstraint("challenge_id"),
        UniqueConstraint("id", "event_id"),
        # Two teams never share a stand; a team has no number until the organisers give one.
        UniqueConstraint("event_id", "stand_number"),
        CheckConstraint("stand_number > 0", "stand_number_positive"),
        ForeignKeyConstraint(
            ["challenge_id", "event_id"],
            ["challenges.id", "challenges.event_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[int] = mapped_column()
    # Teams often pick a name during the event; until then they are "the team of challenge N".
    name: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[Stage] = mapped_column(
        enum_column(Stage), default=Stage.FRAMING, server_default=Stage.FRAMING.value
    )
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime)

    # Framing: the team's own question and lists. The lists start as copies of the sheet's
    # (None: not started yet) and never change the sheet.
    working_question: Mapped[str | None] = mapped_column(Text)
    framing_stakeholders: Mapped[list[str] | None] = mapped_column(TextList)
    framing_users: Mapped[list[str] | None] = mapped_column(TextList)
    framing_obstacles: Mapped[list[str] | None] = mapped_column(TextList)
    framing_levers: Mapped[list[str] | None] = mapped_column(TextList)
    existing_solutions: Mapped[str | None] = mapped_column(Text)
    # Prototyping.
    prototype_kind: Mapped[PrototypeKind | None] = mapped_column(enum_column(PrototypeKind))
    prototype_summary: Mapped[str | None] = mapped_column(Text)
    prototype_tests: Mapped[str | None] = mapped_column(Text)
    test_plan: Mapped[str | None] = mapped_column(Text)
    # Ideation: when the facilitator closed the dot vote (members absent or done deciding); the
    # checklist then counts the dots as placed, and nobody places or takes back a dot.
    dots_closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Exhibition.
    pitch: Mapped[str | None] = mapped_column(Text)
    stand_number: Mapped[int | None]
    # Where the stand is in the venue ("Hall B, by the windows").
    stand_place: Mapped[str | None] = mapped_column(String(200))
    # When an organiser last marked the stand's poster as printed; a new stand number or place
    # clears it (see _printed_stand), so that the "not yet printed" posters are every poster to
    # (re)print.
    poster_printed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # On the event's public showcase: the facilitator or an organiser puts the team there once
    # its work can be shown to anyone; until then nothing of it is public.
    on_showcase: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    challenge: Mapped[Challenge] = relationship(
        back_populates="team",
        primaryjoin="Team.challenge_id == Challenge.id",
        foreign_keys=[challenge_id],
    )
    # Deleting a team deletes its memberships (the database cascades too): never orphans.
    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="team",
        primaryjoin="Team.id == Membership.team_id",
        foreign_keys="Membership.team_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @validates("stand_number", "stand_place")
    def _printed_stand(self, key: str, value):
        """A poster printed with another stand number or place is out of date: it shows up
        again among the posters not yet printed."""
        if value != getattr(self, key):
            self.poster_printed_at = None
        return value

    def __repr__(self) -> str:
        return f"<Team {self.id} of challenge {self.challenge_id}>"
