"""Recording organisers' changes. Every service that changes an event calls ``record``; every
service that changes an edition calls ``record_edition``."""

from facilitate.extensions import db
from facilitate.models import AuditEntry, Edition, EditionAuditEntry, Event


def record(event: Event, actor, action: str, **details) -> AuditEntry:
    """Note a change in the event's history. ``details`` must be JSON-serialisable: it is what
    the history page shows (numbers, names, changed fields) and, for a deletion, a snapshot."""
    return _note(AuditEntry(event_id=event.id), actor, action, details)


def record_edition(edition: Edition, actor, action: str, **details) -> EditionAuditEntry:
    """Note a change in the edition's history (``record``'s twin for what national organisers
    do at the level of an edition). A person named in ``details`` goes by ``user_id`` and
    ``name``: erasing their data takes both out (see ``privacy.services``)."""
    return _note(EditionAuditEntry(edition_id=edition.id), actor, action, details)


def _note(entry, actor, action: str, details: dict):
    # Nobody signed in (a command, a script): the entry is by nobody.
    entry.actor_id = actor.id if actor is not None and actor.is_authenticated else None
    entry.action, entry.details = action, details
    db.session.add(entry)
    return entry
