"""Column helpers shared by the models."""

import enum
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Enum


def utcnow() -> datetime:
    """Naive UTC: every timestamp is stored in UTC and shown in the event's time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """A VARCHAR plus a CHECK constraint: the same on SQLite and PostgreSQL, easy to migrate."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        name=enum_class.__name__.lower(),
    )


# Ordered lists of short texts (stakeholders, obstacles...): they are read and written whole.
TextList = JSON


def utc_from_local(moment: datetime, timezone: str) -> datetime:
    """A wall-clock time at the event's venue, as the naive UTC value we store."""
    return moment.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC).replace(tzinfo=None)
