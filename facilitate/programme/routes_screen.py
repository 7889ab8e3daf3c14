"""A room's projector screen: the session under way, the next ones, a countdown, a QR code to
the session's page, and the organisers' announcement. Public, as the programme is, so that the
laptop at the back of the room needs no account."""

from datetime import datetime

from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy import bindparam, select

from facilitate import policy
from facilitate.extensions import db
from facilitate.models import Event
from facilitate.programme import bp
from facilitate.programme.routes import MAX_ROOM_LENGTH, visible_event_or_404
from facilitate.programme.screen import screen_state
from facilitate.programme.services import now

POLL_HEADERS = {"Cache-Control": "no-cache, private"}


def _room_argument() -> str | None:
    """The room the screen is for; none: the whole event."""
    room = (request.args.get("room") or "").strip()
    if len(room) > MAX_ROOM_LENGTH:
        abort(404)
    return room or None


# What each screen was last sent in this process, by (event id, room, language): the event's
# data version then, until when that state holds, and its ETag (see ``_unchanged``).
_SENT: dict[tuple, tuple[int, datetime, str]] = {}
_SENT_AT_MOST = 1024
_EVENTS = Event.__table__
_POLLED = select(_EVENTS.c.id, _EVENTS.c.data_version).where(_EVENTS.c.slug == bindparam("slug"))


def _key(event_id: int, room: str | None) -> tuple:
    """The room as asked: its ETag is made of it as written (screen.py), so "Salle A" and
    "salle a" are two entries, not one each screen overwrites."""
    return (event_id, room, str(get_locale()))


def _state(event: Event, room: str | None) -> tuple[dict, str]:
    found = screen_state(
        event,
        room,
        lambda s: url_for("programme.session", slug=event.slug, session_id=s.id),
    )
    if len(_SENT) >= _SENT_AT_MOST:
        _SENT.clear()
    _SENT[_key(event.id, room)] = (event.data_version, found.holds_until, found.etag)
    return found.state, found.etag


def _unchanged(slug: str, room: str | None):
    """304 for a poll whose screen has what it would be sent, from one query: the state is
    the same while the event's data version is (facilitate/dashboard/versions.py: any write
    to its sessions, announcements or the event changes it) and the clock has not reached the
    moment it stops holding (a session ends, the announcement expires, the day changes).
    The programme is public (the policy says so): no roles to read."""
    if not request.if_none_match or not policy.programmes_are_public():
        return None
    found = db.session.execute(_POLLED, {"slug": slug}).first()
    if found is None:
        return None
    sent = _SENT.get(_key(found.id, room))
    if sent is None or sent[0] != found.data_version or now() >= sent[1]:
        return None
    if not request.if_none_match.contains_weak(sent[2]):
        return None
    response = current_app.response_class(status=304)
    response.set_etag(sent[2])
    response.headers.update(POLL_HEADERS)
    return response


@bp.get("/events/<slug>/programme/screen")
def screen(slug: str):
    event = visible_event_or_404(slug)
    room = _room_argument()
    state, etag = _state(event, room)
    sessions = state["sessions"]
    current = sessions[0] if sessions and sessions[0]["starts_at"] <= state["server_now"] else None
    return render_template(
        "programme/screen.html",
        event=event,
        room=room,
        state=state,
        etag=etag,
        current=current,
        coming=sessions[1:] if current else sessions,
    )


@bp.get("/events/<slug>/programme/screen/state")
def screen_state_json(slug: str):
    """What programme-screen.js needs; 304 while nothing changed (see screen_state)."""
    room = _room_argument()
    unchanged = _unchanged(slug, room)
    if unchanged is not None:
        return unchanged
    event = visible_event_or_404(slug)
    state, etag = _state(event, room)
    response = jsonify(state)
    response.set_etag(etag)
    response.headers.update(POLL_HEADERS)
    return response.make_conditional(request)
