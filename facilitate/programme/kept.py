"""The programme's day tables, rendered once per event data version (``dashboard/versions.py``
watches the sessions, the teams, the challenges and the event itself), language, kind of page
and address root, rather than at each view: the public page and the organiser's read and
wrote some thirty sessions at every request. What the tables show is the same for every reader
of a kind of page (no CSRF token, no person's data); the announcement, the forms and the
links that depend on the reader stay outside."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import request
from flask_babel import get_locale
from markupsafe import Markup

from facilitate.dashboard.versions import event_version
from facilitate.extensions import db
from facilitate.models import Event
from facilitate.programme.services import by_day, event_sessions, overlapping, room_names
from facilitate.rendered_forms import macro


@dataclass(frozen=True)
class Programme:
    """``first_start``: the first session's start (None: no session yet); ``clashes``: how many
    sessions overlap another in their room (counted on the organiser's page only)."""

    first_start: datetime | None
    rooms: tuple[str, ...]
    clashes: int
    tables: Markup


def programme_of(event: Event, manage: bool = False) -> Programme:
    return _kept(
        event.id,
        event_version(event),
        str(get_locale()),
        manage,
        (request.host, request.script_root),
    )


@lru_cache(maxsize=64)
def _kept(event_id: int, _version: int, _language: str, manage: bool, _root: tuple) -> Programme:
    event = db.session.get(Event, event_id)  # in the session already: no query
    sessions = event_sessions(event)
    clashes = overlapping(sessions) if manage else {}
    days = by_day(sessions, event.timezone)
    tables = macro("programme/_days.html", "day_tables")(
        event, days, manage=manage, clashes=clashes
    )
    return Programme(
        first_start=sessions[0].starts_at if sessions else None,
        rooms=tuple(room_names(sessions)),
        clashes=len(clashes),
        tables=Markup(str(tables)),  # noqa: S704  (the macro's own output, escaped there)
    )
