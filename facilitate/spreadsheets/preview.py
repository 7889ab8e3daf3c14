"""What an import will change, said row by row and field by field before anything is written:
"Défi 3 — Obstacles : 1 ajouté, 1 modifié", "Chloé Martin — Organisation : X → Y". Rows
that stay as they are are counted, not listed.
"""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

# How much of a long text the preview quotes on each side of the arrow.
QUOTE_LENGTH = 60


@dataclass(frozen=True)
class FieldChange:
    label: str
    change: str  # "X → Y", or "1 added, 1 changed"

    def __str__(self) -> str:
        return _("%(field)s: %(change)s", field=self.label, change=self.change)


@dataclass
class RowChange:
    """One row of the file that updates what the event has: the row's name (a challenge's
    number, a person's name) and what changes in it."""

    label: str
    fields: list[FieldChange] = field(default_factory=list)
    line: int | None = None

    def __str__(self) -> str:
        return _(
            "%(row)s — %(changes)s",
            row=self.label,
            changes="; ".join(str(change) for change in self.fields),
        )


def normalised(text: str | None) -> str | None:
    """A text as the import compares it: line endings as line feeds, no spaces around it, and
    empty as nothing. A sheet typed in a form ("\\r\\n") and the same sheet read back from its
    export are the same."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def quoted(text: str | None) -> str:
    if not text:
        return _("(empty)")
    text = " ".join(text.split())
    if len(text) > QUOTE_LENGTH:
        text = text[: QUOTE_LENGTH - 1].rstrip() + "…"
    return f"«\u00a0{text}\u00a0»" if " " in text else text


def text_change(label: str, old: str | None, new: str | None) -> FieldChange | None:
    """None when the texts are the same once normalised."""
    old, new = normalised(old), normalised(new)
    if old == new:
        return None
    return FieldChange(label, _("%(old)s → %(new)s", old=quoted(old), new=quoted(new)))


def list_change(label: str, old: list[str] | None, new: list[str] | None) -> FieldChange | None:
    """Counts of items added, changed and removed; an item whose text changes is one removed
    and one added, read as one changed. None when the lists are the same."""
    old = [item for item in (normalised(i) for i in old or []) if item]
    new = [item for item in (normalised(i) for i in new or []) if item]
    if old == new:
        return None
    gone = Counter(old) - Counter(new)
    came = Counter(new) - Counter(old)
    removed, added = sum(gone.values()), sum(came.values())
    changed = min(removed, added)
    parts = []
    if added - changed:
        parts.append(ngettext("%(num)d added", "%(num)d added", added - changed))
    if changed:
        parts.append(ngettext("%(num)d changed", "%(num)d changed", changed))
    if removed - changed:
        parts.append(ngettext("%(num)d removed", "%(num)d removed", removed - changed))
    if not parts:
        parts.append(_("order changed"))
    return FieldChange(label, ", ".join(parts))
