"""The team's journal: what people write, and what happens to the team (a stage changed, an idea
retained). What happens is stored as an event kind and its parameters and told in the reader's
language each time it is shown: the workspace page, the person's own data download."""

from flask_babel import lazy_gettext as _l

from facilitate.models import JournalEntry, Stage

STAGE_CHANGED = "stage_changed"
IDEA_RETAINED = "idea_retained"
DOTS_CLOSED = "dots_closed"
DOTS_REOPENED = "dots_reopened"

MESSAGES = {
    STAGE_CHANGED: _l("Stage changed: %(old)s → %(new)s."),
    IDEA_RETAINED: _l("Idea retained: “%(title)s”. Why: %(reason)s"),
    DOTS_CLOSED: _l("Dot vote closed."),
    DOTS_REOPENED: _l("Dot vote reopened."),
}


def journal_text(entry: JournalEntry) -> str:
    """What the entry says, in the reader's language. A person's entry is their own words; an
    event whose kind this version does not know falls back to the text stored with it."""
    message = MESSAGES.get(entry.kind or "")
    if message is None:
        return entry.body
    values = dict(entry.params or {})
    for key in ("old", "new"):
        if values.get(key) in {stage.value for stage in Stage}:
            values[key] = str(Stage(values[key]).label)
    try:
        return str(message) % values
    except (KeyError, TypeError, ValueError):
        return entry.body
