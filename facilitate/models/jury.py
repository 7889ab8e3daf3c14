"""The national jury of an edition (issue 15, item 3): each site nominates up to two of its
teams, and jurors appointed by the national organisers score the nominees on the edition's
rubric. Each site's own vote stays separate (``facilitate.exhibition``)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import utcnow
from facilitate.models.challenges import Team
from facilitate.models.users import User

NOMINATIONS_PER_SITE = 2
LOWEST_SCORE, HIGHEST_SCORE = 1, 5


class JuryCriterion(db.Model):
    """One line of the edition's rubric, scored 1 to 5 by each juror."""

    __tablename__ = "jury_criteria"
    __table_args__ = (CheckConstraint("name <> ''", "name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)


class Nomination(db.Model):
    """A site's team put before the national jury. A site has two slots, so that the database
    itself refuses a third nominee whatever the timing of two requests."""

    __tablename__ = "nominations"
    __table_args__ = (
        UniqueConstraint("team_id"),
        UniqueConstraint("event_id", "slot"),
        CheckConstraint(f"slot BETWEEN 1 AND {NOMINATIONS_PER_SITE}", "slot_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    slot: Mapped[int]
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    team: Mapped[Team] = relationship()


class Juror(db.Model):
    """A person who scores the edition's nominees. Removing the row takes their scores away
    with it: the totals count the jurors the edition has."""

    __tablename__ = "jurors"
    __table_args__ = (UniqueConstraint("edition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class JuryScore(db.Model):
    __tablename__ = "jury_scores"
    __table_args__ = (
        UniqueConstraint("juror_id", "nomination_id", "criterion_id"),
        CheckConstraint(f"score BETWEEN {LOWEST_SCORE} AND {HIGHEST_SCORE}", "score_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("jurors.id", ondelete="CASCADE"))
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("jury_criteria.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class JuryComment(db.Model):
    """What a juror says of a nominee, beside their scores."""

    __tablename__ = "jury_comments"
    __table_args__ = (UniqueConstraint("juror_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("jurors.id", ondelete="CASCADE"))
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
