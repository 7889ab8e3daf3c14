"""A room's projector screen: the session under way, the next ones, a countdown, a QR code to
the session's page, and the organisers' announcement. Public, as the programme is, so that the
laptop at the back of the room needs no account."""

from flask import abort, jsonify, render_template, request, url_for

from facilitate.models import Event
from facilitate.programme import bp
from facilitate.programme.routes import MAX_ROOM_LENGTH, visible_event_or_404
from facilitate.programme.screen import screen_state

POLL_HEADERS = {"Cache-Control": "no-cache, private"}


def _room_argument() -> str | None:
    """The room the screen is for; none: the whole event."""
    room = (request.args.get("room") or "").strip()
    if len(room) > MAX_ROOM_LENGTH:
        abort(404)
    return room or None


def _state(event: Event, room: str | None):
    return screen_state(
        event,
        room,
        lambda s: url_for("programme.session", slug=event.slug, session_id=s.id),
    )


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
    event = visible_event_or_404(slug)
    state, etag = _state(event, _room_argument())
    response = jsonify(state)
    response.set_etag(etag)
    response.headers.update(POLL_HEADERS)
    return response.make_conditional(request)
