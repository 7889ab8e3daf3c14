"""The public programme: by day, by room, one page per session (what calendars and screen QR
codes link to), its QR code, and the event's iCalendar feed."""

from flask import Response, abort, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.events.services import get_event_or_404
from facilitate.models import Event, ProgrammeSession
from facilitate.printing.services import qr_code_svg
from facilitate.programme import bp
from facilitate.programme.calendar import programme_calendar
from facilitate.programme.kept import programme_of
from facilitate.programme.services import (
    by_day,
    event_sessions,
    get_session_or_none,
    in_room,
)

CALENDAR_TYPE = "text/calendar; charset=utf-8"
MAX_ROOM_LENGTH = 120


def visible_event_or_404(slug: str) -> Event:
    event = get_event_or_404(slug)
    policy.require(policy.can_view_programme(current_user, event))
    return event


def session_page_url(session: ProgrammeSession, event: Event) -> str:
    return url_for("programme.session", slug=event.slug, session_id=session.id, _external=True)


def calendar_links(url: str) -> dict:
    """The same feed as https (download, or paste into a calendar) and webcal (subscribe)."""
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def calendar_response(body: bytes, filename: str) -> Response:
    response = make_response(body)
    response.headers["Content-Type"] = CALENDAR_TYPE
    # inline: phones that open the link subscribe rather than save a file.
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-cache, private"
    return response


@bp.get("/events/<slug>/programme")
def show(slug: str):
    event = visible_event_or_404(slug)
    return render_template(
        "programme/programme.html",
        event=event,
        programme=programme_of(event),
        feed=calendar_links(url_for("programme.feed", slug=slug, _external=True)),
    )


@bp.get("/events/<slug>/programme/room")
def room(slug: str):
    event = visible_event_or_404(slug)
    name = (request.args.get("name") or "").strip()
    if not name or len(name) > MAX_ROOM_LENGTH:
        abort(404)
    sessions = in_room(event_sessions(event), name)
    if not sessions:
        abort(404)
    return render_template(
        "programme/room.html",
        event=event,
        room=sessions[0].room,
        days=by_day(sessions, event.timezone),
    )


@bp.get("/events/<slug>/programme/sessions/<int:session_id>")
def session(slug: str, session_id: int):
    event = visible_event_or_404(slug)
    found = get_session_or_none(event, session_id)
    if found is None:
        abort(404)
    return render_template("programme/session.html", event=event, session=found)


@bp.get("/events/<slug>/programme/sessions/<int:session_id>/qr.svg")
def session_qr(slug: str, session_id: int):
    """The QR code of the session's page, for the room screen (an image, cached a day)."""
    event = visible_event_or_404(slug)
    found = get_session_or_none(event, session_id)
    if found is None:
        abort(404)
    svg = str(qr_code_svg(session_page_url(found, event), _("Link to this session")))
    if "xmlns=" not in svg:  # an image file needs it, where inline SVG does not
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    response = make_response(svg)
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/events/<slug>/programme.ics")
def feed(slug: str):
    event = visible_event_or_404(slug)
    body = programme_calendar(
        event,
        event_sessions(event),
        lambda s: session_page_url(s, event),
        _("%(event)s – programme", event=event.name),
    )
    return calendar_response(body, f"{event.slug}.ics")
