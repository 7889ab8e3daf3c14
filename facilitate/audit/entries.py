"""A history's entries (an event's, an edition's) written in Python rather than by a loop in
the template (issue 13: fifty entries a page, each with its time and sentence, cost the event's
history more than its queries). Jinja's autoescaping does not guard them: every value is
escaped here (``tests/test_lists_written_in_python.py``). Both histories share this, so an
entry reads the same in both."""

from collections.abc import Callable

from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.i18n import local_times


def actor_words() -> Callable:
    """Who made a change, as the entry names them: the person, "an erased person" for an
    account erased since (its name scrubbed), or someone whose account is gone."""
    erased, nobody = _("an erased person"), _("someone no longer registered")
    return lambda actor: actor.name if actor and actor.name else (erased if actor else nobody)


def history_items(
    entries, timezone: str, describe: Callable, after: Callable | None = None
) -> Markup:
    """The entries as list items: when (in ``timezone``, in the reader's language), who, what
    (``describe``). ``after(entry, said)`` adds what follows the sentence (the event history's
    undo button), already escaped."""
    when, who = local_times(timezone), actor_words()
    items = []
    for entry in entries:
        said = escape(describe(entry))
        item = (
            '<li class="history__entry">\n<p>\n'
            f'<time datetime="{entry.created_at.isoformat()}Z">{escape(when(entry.created_at))}'
            f"</time>\n– <strong>{escape(who(entry.actor))}</strong>\n{said}\n</p>\n"
        )
        if after is not None:
            item += after(entry, said)
        items.append(item + "</li>")
    return Markup("\n".join(items))  # noqa: S704  (every value escaped above)
