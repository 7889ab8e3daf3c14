"""Printing in batches: a selection of badges (or posters) cut into batches of a fixed size, so
that no page is a document of thousands of cards, and the marks that say which documents a
batch held, so that "mark as printed" touches exactly what was on paper.

A batch is a number from 1 (``?batch=3``); one asked for out of range (0, -2, past the end, a
word) is the nearest that exists, and the page says so. A mark is a document's id and a digest
of what it printed (a badge's name, organisation and code; a poster's stand number and place):
if that changed between the page shown and the button pressed, the document printed is out of
date and stays among those not yet printed.
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import update

from facilitate.audit.services import record
from facilitate.dashboard.versions import of_event
from facilitate.extensions import db
from facilitate.models._types import utcnow

# Ten A4 sheets of ten badges (badges.css): about 250 kB of page, where the 1,050 badges of an
# edition on one page made 2.5 MB and a quarter of a second to serve.
BADGES_PER_BATCH = 100

# A form lists at most this many marks: a batch's, and some room for posters of every stand.
MAX_MARKS = 500


@dataclass(frozen=True)
class Batch:
    number: int  # from 1
    first: int  # position of its first document in the selection, from 1 (0 when empty)
    last: int

    @classmethod
    def at(cls, number: int, size: int, total: int) -> "Batch":
        return cls(number, min((number - 1) * size + 1, total), min(number * size, total))


@dataclass(frozen=True)
class Batches:
    """A selection of ``total`` documents cut into batches of ``size``, and the one shown."""

    total: int
    size: int
    current: Batch
    # The batch number asked for, when no batch has that number (the nearest is shown).
    asked: int | None = None

    @property
    def count(self) -> int:
        return _count(self.total, self.size)

    @property
    def several(self) -> bool:
        return self.count > 1

    def all(self) -> list[Batch]:
        return [Batch.at(number, self.size, self.total) for number in range(1, self.count + 1)]

    def after_marking(self, leaving: bool) -> int:
        """The batch that holds the next documents to print once the current one is marked
        printed: the same number when its documents leave the selection (that of those not yet
        printed), the next one otherwise; never past the last."""
        if leaving:
            left = self.total - (self.current.last - self.current.first + 1)
            return min(self.current.number, _count(left, self.size))
        return min(self.current.number + 1, self.count)

    def cut(self, documents: Sequence) -> list:
        """The current batch's part of the selection (in the selection's order)."""
        return list(documents[self.current.first - 1 : self.current.last])

    @classmethod
    def of(cls, total: int, size: int, asked: int | None) -> "Batches":
        """The batches of a selection of ``total``, showing the one ``asked`` or the nearest
        (the first when nothing is asked)."""
        number = min(max(asked or 1, 1), _count(total, size))
        return cls(
            total=total,
            size=size,
            current=Batch.at(number, size, total),
            asked=asked if asked is not None and asked != number else None,
        )


def _count(total: int, size: int) -> int:
    """At least one batch, empty when the selection is."""
    return max(1, -(-total // size))


def batch_number(value: str | None) -> int | None:
    """The ``batch`` of an address: a whole number, or None for anything else (then the first
    batch is shown). Negative or huge numbers are kept, to be brought to the nearest batch."""
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"-?[0-9]{1,12}", value) else None


def digest(*printed: object) -> str:
    """A short fingerprint of what a document printed: changes when any of it does."""
    text = "\x1f".join("" if part is None else str(part) for part in printed)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def marks_field(marks: Iterable[tuple[int, str]]) -> str:
    """The value of a form's hidden field naming the documents of a batch: ``id.digest`` each,
    separated by spaces."""
    return " ".join(f"{document_id}.{fingerprint}" for document_id, fingerprint in marks)


def read_marks(value: str | None) -> dict[int, str] | None:
    """The documents a form names (id → digest), or None when the field is not what
    ``marks_field`` writes (empty, too long, malformed)."""
    parts = (value or "").split()
    if not parts or len(parts) > MAX_MARKS:
        return None
    marks: dict[int, str] = {}
    for part in parts:
        document_id, _dot, fingerprint = part.partition(".")
        if not (document_id.isascii() and document_id.isdigit() and len(document_id) <= 12):
            return None
        if len(fingerprint) != 16 or not all(c in "0123456789abcdef" for c in fingerprint):
            return None
        marks[int(document_id)] = fingerprint
    return marks


def as_shown(rows: Iterable[Sequence], marks: dict[int, str], digest_of: Callable) -> list[int]:
    """The ids of the ``rows`` (id, then what the document prints) that still print what the
    page showed: their ``digest_of(*printed)`` is their mark's."""
    return [row[0] for row in rows if digest_of(*row[1:]) == marks.get(row[0])]


def note_printed(event, actor, printed_at, ids: list[int], action: str) -> None:
    """Set the ``printed_at`` column (``Membership.badge_printed_at``...) of these rows to now,
    in one statement, and note it in the event's history as ``action``."""
    if ids:
        model = printed_at.class_
        db.session.execute(
            of_event(update(model), event.id)
            .where(model.id.in_(ids))
            .values({printed_at.key: utcnow()})
            .execution_options(synchronize_session=False)
        )
        record(event, actor, action, count=len(ids))
    db.session.flush()
