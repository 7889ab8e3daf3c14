"""What a team produces during the event, stage by stage (DOMAIN.md, "The four stages")."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import enum_column, utcnow
from facilitate.models.events import Stage
from facilitate.models.users import User


class PrototypeKind(enum.StrEnum):
    SERVICE = "service"
    PROCESS = "process"
    DIGITAL_MOCKUP = "digital_mockup"
    PLACE = "place"
    COMMUNICATION = "communication"
    OTHER = "other"

    @property
    def label(self):
        return _PROTOTYPE_LABELS[self]


_PROTOTYPE_LABELS = {
    PrototypeKind.SERVICE: _l("Service"),
    PrototypeKind.PROCESS: _l("Process"),
    PrototypeKind.DIGITAL_MOCKUP: _l("Digital mock-up"),
    # A place as what a team prototypes (a reception desk...), not the verb of placing people.
    PrototypeKind.PLACE: lazy_pgettext("kind of prototype", "Place"),
    PrototypeKind.COMMUNICATION: _l("Communication"),
    PrototypeKind.OTHER: _l("Other"),
}


class Persona(db.Model):
    __tablename__ = "personas"
    __table_args__ = (CheckConstraint("name <> ''", "name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    needs: Mapped[str | None] = mapped_column(Text)
    pains: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    # Who wrote it (their own data, to download; unnamed when erased). None before this was kept.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Idea(db.Model):
    """An idea card. One idea per team may be retained (a partial unique index says so)."""

    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint("title <> ''", "title_not_empty"),
        Index(
            "uq_ideas_one_retained_per_team",
            "team_id",
            unique=True,
            sqlite_where=text("retained_at IS NOT NULL"),
            postgresql_where=text("retained_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    retained_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Why it answers the challenge owner's expectation, written by the facilitator.
    retained_reason: Mapped[str | None] = mapped_column(Text)
    endorsed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    endorsed_at: Mapped[datetime | None] = mapped_column(DateTime)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    endorsed_by: Mapped[User | None] = relationship(foreign_keys=[endorsed_by_id])


class Dot(db.Model):
    """A member's dot ("gommette") on an idea: at most one per idea and member; the number per
    member is the event's ``dots_per_member``."""

    __tablename__ = "dots"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The idea's team, kept here to count a member's dots in the team with one index.
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("idea_id", "user_id"),
        Index("ix_dots_team_user", "team_id", "user_id"),
    )


class TeamComment(db.Model):
    """A challenge owner's (or anyone editing's) comment on the team's work at a stage."""

    __tablename__ = "team_comments"
    __table_args__ = (CheckConstraint("body <> ''", "body_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class JournalEntry(db.Model):
    """The team's log: written by people, or automatically for stage changes and retained ideas.

    An automatic entry is an event ``kind`` (``stage_changed``, ``idea_retained``) with its
    ``params``, told in the reader's language when shown (facilitate.workspace.journal); its
    ``body`` keeps the text as first written, for whoever reads the table without the app."""

    __tablename__ = "journal_entries"
    __table_args__ = (
        CheckConstraint("body <> ''", "body_not_empty"),
        Index("ix_journal_entries_team_time", "team_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    body: Mapped[str] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str | None] = mapped_column(String(40))
    params: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class PrototypeFile(db.Model):
    """A photo or document of the prototype, stored under the instance folder by a random name.
    A photo needs the uploader's word that the people pictured agreed to it being shared within
    the event (the check says so); appearing on the public showcase, on the internet, needs
    their further agreement (``public_consent``), given only for a photo already shared."""

    __tablename__ = "prototype_files"
    __table_args__ = (
        CheckConstraint("NOT is_photo OR consent_confirmed", "photo_needs_consent"),
        CheckConstraint(
            "NOT public_consent OR (is_photo AND consent_confirmed)", "public_needs_consent"
        ),
        CheckConstraint("size_bytes > 0", "size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    is_photo: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    public_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def may_be_public(self) -> bool:
        """Whether the showcase may show it to anyone, once its team is there."""
        return bool(self.is_photo and self.consent_confirmed and self.public_consent)


class FeedbackEntry(db.Model):
    """What people said when the prototype was tested: the team's own notes (``body``), or a
    visitor's answers at the exhibition stand (liked, could be better, a question)."""

    __tablename__ = "feedback_entries"
    __table_args__ = (
        CheckConstraint(
            "body <> '' OR COALESCE(liked, '') <> '' OR COALESCE(could_be_better, '') <> ''"
            " OR COALESCE(question, '') <> ''",
            "not_empty",
        ),
        CheckConstraint("at_exhibition OR NOT anonymous", "anonymous_only_at_exhibition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Left at the exhibition stand (the three answers below), not typed by the team.
    at_exhibition: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    liked: Mapped[str | None] = mapped_column(Text)
    could_be_better: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str | None] = mapped_column(Text)
    # The visitor asked that their name be shown to nobody: readers (the team, its facilitator,
    # the challenge owner, the organisers) and exports see "Anonymous visitor". The author is
    # still recorded, so that the entry stays theirs (limits, abuse, their own data).
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
