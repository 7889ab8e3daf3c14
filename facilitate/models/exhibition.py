"""The exhibition vote: one ballot per participant and event, holding their votes for stands."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import utcnow
from facilitate.models.events import MAX_VOTES_PER_PARTICIPANT
from facilitate.models.users import User


class Ballot(db.Model):
    """A participant's ballot at one event. The unique constraint is the "one ballot per person"
    rule; writers lock this row, so that two phones of the same person take turns."""

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        UniqueConstraint("id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    votes: Mapped[list["Vote"]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", passive_deletes=True
    )


class Vote(db.Model):
    """One vote for one stand. A ballot votes at most once per team, and its votes fill numbered
    slots, so that the database itself bounds a ballot whatever the code does."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("ballot_id", "team_id"),
        UniqueConstraint("ballot_id", "slot"),
        CheckConstraint(f"slot BETWEEN 1 AND {MAX_VOTES_PER_PARTICIPANT}", "slot_range"),
        # The ballot and the team belong to the same event as the vote.
        ForeignKeyConstraint(
            ["ballot_id", "event_id"], ["ballots.id", "ballots.event_id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["team_id", "event_id"], ["teams.id", "teams.event_id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column()
    # Kept on the vote so that the results are one aggregate over this table.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(index=True)
    slot: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    ballot: Mapped[Ballot] = relationship(
        back_populates="votes",
        primaryjoin="Vote.ballot_id == Ballot.id",
        foreign_keys=[ballot_id],
    )


class ApiToken(db.Model):
    """An organiser's token for the JSON API. Only a SHA-256 digest is kept: the token itself is
    shown once, when created."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()
