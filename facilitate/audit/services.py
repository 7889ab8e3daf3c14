"""Recording organisers' changes. Every service that changes an event calls ``record``."""

from facilitate.extensions import db
from facilitate.models import AuditEntry, Event


def record(event: Event, actor, action: str, **details) -> AuditEntry:
    """Note a change in the event's history. ``details`` must be JSON-serialisable: it is what
    the history page shows (numbers, names, changed fields) and, for a deletion, a snapshot."""
    entry = AuditEntry(
        event_id=event.id,
        actor_id=actor.id if actor is not None and actor.is_authenticated else None,
        action=action,
        details=details,
    )
    db.session.add(entry)
    return entry
