"""What a room's projector screen shows: the session under way, the next ones, and the
organisers' announcement. programme-screen.js counts down and moves to the next session on its
own; it asks the server again when a session ends or every few seconds (304 while unchanged).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from facilitate.i18n import day_and_month, local_time
from facilitate.models import Event, ProgrammeSession
from facilitate.models._types import utc_from_local
from facilitate.programme.services import current_announcement, event_sessions, local, now

# The screen holds the session under way and this many after it.
NEXT_SESSIONS = 4


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def for_room(session: ProgrammeSession, room: str | None) -> bool:
    """A room's screen shows its own sessions and those held nowhere in particular (a meal, a
    break); the screen of the whole event (no room) shows everything."""
    return room is None or not session.room or session.room.casefold() == room.casefold()


@dataclass(frozen=True)
class ScreenState:
    state: dict
    etag: str
    # Until when the state holds unless the data changes: the first end of a session not over
    # yet (in any room), the announcement's expiry, the next midnight at the venue (the
    # sessions of another day are named by their day). Naive UTC.
    holds_until: datetime


def screen_state(
    event: Event, room: str | None, session_url: Callable[[ProgrammeSession], str]
) -> ScreenState:
    """The state and its ETag. The ETag leaves out the server's clock: a screen polling gets 304
    until a session ends, the programme changes or an announcement comes or goes."""
    at = now()
    today = local(at, event.timezone).date()
    sessions = event_sessions(event, ending_after=at)
    coming = [s for s in sessions if for_room(s, room)][: NEXT_SESSIONS + 1]
    announcement = current_announcement(event)
    stable = {
        "room": room,
        "sessions": [_session(s, event, today, session_url) for s in coming],
        "announcement": _announcement(announcement),
    }
    etag = hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()[:32]
    midnight = utc_from_local(datetime.combine(today + timedelta(days=1), time()), event.timezone)
    ends = [s.ends_at for s in sessions]
    if announcement is not None:
        ends.append(announcement.expires_at)
    return ScreenState({**stable, "server_now": iso(at)}, etag, min([midnight, *ends]))


def announcement_state(event: Event) -> dict | None:
    """The organisers' announcement as every screen of the event shows it (this programme
    screen and the dashboard's room screen); the screen hides it itself once it expires."""
    return _announcement(current_announcement(event))


def _announcement(announcement) -> dict | None:
    if announcement is None:
        return None
    return {
        "id": announcement.id,
        "text": announcement.text,
        "expires_at": iso(announcement.expires_at),
    }


def _session(session: ProgrammeSession, event: Event, today, session_url) -> dict:
    tz = event.timezone
    day = local(session.starts_at, tz).date()
    return {
        "id": session.id,
        "title": session.title,
        "kind": str(session.kind.label),
        "room": session.room,
        "speakers": session.speakers,
        "starts_at": iso(session.starts_at),
        "ends_at": iso(session.ends_at),
        # Another day than today: the screen names it ("mercredi 4 juillet").
        "day": None if day == today else day_and_month(day, with_year=False, weekday=True),
        "times": time_range(session, tz),
        "url": session_url(session),
    }


def time_range(session: ProgrammeSession, timezone: str) -> str:
    """ "9 h 30 – 10 h 45": a session's times at the venue."""
    start = local_time(session.starts_at, timezone, "time")
    return f"{start} – {local_time(session.ends_at, timezone, 'time')}"


def day_heading(day, capital: bool = True) -> str:
    """ "Mercredi 4 juillet": a day of the programme, as a heading (in a sentence without the
    capital)."""
    text = day_and_month(day, with_year=False, weekday=True)
    return text[:1].upper() + text[1:] if capital else text
