"""The organiser's dashboard (every team on one screen), the event's stage, the countdown, and
the room screen meant for a projector."""

from flask import (
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from facilitate import policy
from facilitate.dashboard import bp
from facilitate.dashboard.forms import ThemeFilterForm, TimerStartForm
from facilitate.dashboard.services import (
    STAGES,
    event_with_roles,
    format_seconds,
    move_event_stage,
    pause_timer,
    polled_by_password_session,
    polled_event_with_roles,
    rendered_once,
    reset_timer,
    resume_timer,
    room_etag,
    room_state,
    room_teams,
    seconds_left,
    start_timer,
    team_rows,
    teams_etag,
)
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_managed_event_or_404
from facilitate.extensions import db, limiter
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.models import Event, Theme

POLL_HEADERS = {"Cache-Control": "no-cache, private"}
POLL_ENDPOINTS = frozenset({"dashboard.teams", "dashboard.room_state_json"})


@limiter.request_filter
def _is_poll() -> bool:
    """The polls have no rate limit (the app sets no default one): telling Flask-Limiter so
    up front spares it resolving the limits of every poll, 0.05 ms of the 1 ms a poll that
    finds nothing new may cost (issue 13, item 1). A limit on the polls would need this
    filter gone: it exempts them from every limit."""
    return request.endpoint in POLL_ENDPOINTS


def _event_or_404(slug: str, allowed, read=event_with_roles) -> Event:
    """The event if ``allowed(person, event)`` says so (a policy predicate), its roles read
    with it: the polls come every few seconds from every screen. A poll reads with
    ``polled_event_with_roles`` (the id and data version, no ``Event``) until it finds
    something new, then reads the event again from here, under the predicate again."""
    user_id = current_user.id if current_user.is_authenticated else None
    event, roles = read(slug, user_id)
    if event is None:
        abort(404)
    if user_id is not None:
        policy.remember_roles(current_user, event, roles)
    policy.require(allowed(current_user, event))
    return event


def _polled(slug: str, allowed):
    """What a poll reads before it knows whether anything changed: in one query for a password
    session (``polled_by_password_session``), else as ``_event_or_404`` does."""
    polled = polled_by_password_session(slug, allowed)
    if polled is None:
        polled = _event_or_404(slug, allowed, polled_event_with_roles)
    return polled


def _theme_filter(event: Event) -> ThemeFilterForm:
    """The theme filter from the query string; an unknown theme means every team."""
    themes = db.session.scalars(
        select(Theme).where(Theme.event_id == event.id).order_by(Theme.position, Theme.id)
    ).all()
    form = ThemeFilterForm(request.args)
    form.theme.choices = [(None, _("All themes"))] + [(t.id, t.name) for t in themes]
    if not form.validate():
        form.theme.data = None
    return form


def _teams_fragment(event: Event, theme_id: int | None) -> str:
    # Translated once, not once a row. The two patterns are used without elision: neither puts
    # an article before its number, in any language the project has.
    text = {
        "challenge": _("Challenge %(number)d"),
        "progress": _("%(done)d of %(total)d done"),
        "stages": {stage: str(stage.label) for stage in STAGES},
    }
    return render_template(
        "dashboard/_teams.html", event=event, rows=team_rows(event, theme_id), text=text
    )


def _not_modified(etag: str):
    """304 when the client already has this version: checked before anything is rendered.
    Weak comparison, as RFC 9110 has for If-None-Match: a proxy that compresses the answer
    may have weakened the ETag the client saw."""
    if not request.if_none_match.contains_weak(etag):
        return None
    response = current_app.response_class(status=304)
    response.set_etag(etag)
    response.headers.update(POLL_HEADERS)
    return response


def _with_etag(response, etag: str):
    response.set_etag(etag)
    response.headers.update(POLL_HEADERS)
    return response


def render_dashboard(event: Event, timer_form: TimerStartForm | None = None, status: int = 200):
    filter_form = _theme_filter(event)
    theme_id = filter_form.theme.data
    # The version was read with the event, before the data it stands for; the ETag is the one
    # the poll at fragment_url answers.
    teams_tag = teams_etag(event, None if theme_id is None else str(theme_id))
    fragment = rendered_once(event.id, teams_tag, lambda: _teams_fragment(event, theme_id))
    return (
        render_template(
            "dashboard/dashboard.html",
            event=event,
            filter_form=filter_form,
            teams_fragment=Markup(fragment),  # noqa: S704  (our own template, autoescaped)
            teams_etag=teams_tag,
            fragment_url=url_for("dashboard.teams", slug=event.slug, theme=theme_id),
            timer_form=timer_form or TimerStartForm(formdata=None),
            form=ConfirmForm(),
            stages=STAGES,
            time_left=format_seconds(seconds_left(event)),
        ),
        status,
    )


@bp.get("/events/<slug>/dashboard")
def show(slug: str):
    return render_dashboard(_event_or_404(slug, policy.can_manage_event))


@bp.get("/events/<slug>/dashboard/teams")
def teams(slug: str):
    """The teams table alone, for dashboard.js: 304 while the event's data version, the
    reader's language and the theme filter are the ones the client has (``teams_etag``)."""
    polled = _polled(slug, policy.can_manage_event)
    not_modified = _not_modified(teams_etag(polled, request.args.get("theme")))
    if not_modified is not None:
        return not_modified
    event = _event_or_404(slug, policy.can_manage_event)
    etag = teams_etag(event, request.args.get("theme"))
    fragment = rendered_once(
        event.id, etag, lambda: _teams_fragment(event, _theme_filter(event).theme.data)
    )
    return _with_etag(make_response(fragment), etag)


@bp.post("/events/<slug>/dashboard/stage/<direction>")
def move_stage(slug: str, direction: str):
    event = get_managed_event_or_404(slug)
    step = {"next": 1, "previous": -1}.get(direction)
    if step is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            stage = move_event_stage(event, step, current_user)
        except DomainError as error:
            flash_at("stage-title", error.message, "error")
        else:
            db.session.commit()
            flash_at(
                "stage-title", _("The event is now at the %(stage)s stage.", stage=stage.label)
            )
    return redirect(url_for("dashboard.show", slug=slug) + "#stage-title", code=303)


# --- The countdown: organisers control it from the dashboard. ---------------------------------


@bp.post("/events/<slug>/timer/start")
def start(slug: str):
    event = get_managed_event_or_404(slug)
    form = TimerStartForm()
    if form.validate_on_submit():
        try:
            start_timer(event, form.minutes.data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at("timer-title", _("The countdown has started."))
            return redirect(url_for("dashboard.show", slug=slug) + "#timer-title", code=303)
    return render_dashboard(event, timer_form=form, status=400)


def _timer_action(slug: str, action, done_message) -> object:
    event = get_managed_event_or_404(slug)
    if ConfirmForm().validate_on_submit():
        try:
            action(event)
        except DomainError as error:
            flash_at("timer-title", error.message, "error")
        else:
            db.session.commit()
            flash_at("timer-title", done_message())
    return redirect(url_for("dashboard.show", slug=slug) + "#timer-title", code=303)


@bp.post("/events/<slug>/timer/pause")
def pause(slug: str):
    return _timer_action(slug, pause_timer, lambda: _("The countdown is paused."))


@bp.post("/events/<slug>/timer/resume")
def resume(slug: str):
    return _timer_action(slug, resume_timer, lambda: _("The countdown has resumed."))


@bp.post("/events/<slug>/timer/reset")
def reset(slug: str):
    return _timer_action(slug, reset_timer, lambda: _("The countdown is reset."))


# --- The room screen: for the event's people and organisers. -----------------------------------


@bp.get("/events/<slug>/room")
def room(slug: str):
    event = _event_or_404(slug, policy.can_see_people)
    etag = room_etag(event)
    teams = room_teams(event)
    state = room_state(event, teams)
    return render_template(
        "dashboard/room.html",
        event=event,
        teams=teams,
        state=state,
        etag=etag,
        time_left=format_seconds(state["remaining"]),
    )


@bp.get("/events/<slug>/room/state")
def room_state_json(slug: str):
    """What room.js needs to count down on its own; 304 until someone acts (``room_etag``)."""
    polled = _polled(slug, policy.can_see_people)
    not_modified = _not_modified(room_etag(polled))
    if not_modified is not None:
        return not_modified
    event = _event_or_404(slug, policy.can_see_people)
    etag = room_etag(event)
    return _with_etag(jsonify(room_state(event, room_teams(event))), etag)
