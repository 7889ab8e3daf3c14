"""The organiser's programme: the sessions by day with overlaps flagged, adding, editing and
deleting a session, and the announcement shown on every room screen."""

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm, to_local_input
from facilitate.models import Challenge, Event, ProgrammeSession
from facilitate.programme import bp
from facilitate.programme.forms import AnnouncementForm, SessionForm
from facilitate.programme.kept import programme_of
from facilitate.programme.services import (
    SessionDetails,
    current_announcement,
    delete_session,
    dismiss_announcement,
    event_sessions,
    get_session_or_none,
    overlapping,
    post_announcement,
    save_session,
)
from facilitate.rendered_forms import as_shown
from facilitate.timezones import timezone_name


def managed_event_or_404(slug: str) -> Event:
    event = get_event_or_404(slug)
    policy.require(policy.can_manage_programme(current_user, event))
    return event


def _managed_session(slug: str, session_id: int) -> tuple[Event, ProgrammeSession]:
    event = managed_event_or_404(slug)
    session = get_session_or_none(event, session_id)
    if session is None:
        abort(404)
    return event, session


def render_manage(event: Event, refused: AnnouncementForm | None = None, status=200):
    """``refused``: the announcement form a POST gives back with its errors; otherwise the
    empty form, rendered once per language and process (``rendered_forms.as_shown``)."""
    return (
        render_template(
            "programme/manage.html",
            event=event,
            programme=programme_of(event, manage=True),
            announcement=current_announcement(event),
            announcement_form=as_shown(
                "programme/_forms.html",
                "announcement",
                (event.slug,),
                lambda: (event.slug, refused or AnnouncementForm(formdata=None)),
                refused is not None,
            ),
            refused=refused,
            form=ConfirmForm(),
        ),
        status,
    )


@bp.get("/events/<slug>/organise/programme")
def manage(slug: str):
    return render_manage(managed_event_or_404(slug))


def _session_form(event: Event, session: ProgrammeSession | None) -> SessionForm:
    data = {}
    if session is not None:
        tz = event.timezone
        data = {
            "kind": session.kind,
            "title": session.title,
            "starts_at": to_local_input(session.starts_at, tz),
            "ends_at": to_local_input(session.ends_at, tz),
            "room": session.room,
            "speakers": session.speakers,
            "description": session.description,
            "stage": session.stage.value if session.stage else "",
            "team": session.team.challenge.number if session.team else None,
        }
    form = SessionForm(data=data)
    numbers = db.session.scalars(
        select(Challenge.number).where(Challenge.event_id == event.id).order_by(Challenge.number)
    ).all()
    form.set_choices(list(numbers))
    return form


def _session_page(event: Event, session: ProgrammeSession | None):
    form = _session_form(event, session)
    status = 200
    if form.validate_on_submit():
        details = SessionDetails(
            kind=form.kind.data,
            title=form.title.data,
            starts_at=form.starts_at.data,
            ends_at=form.ends_at.data,
            room=form.room.data,
            speakers=form.speakers.data,
            description=form.description.data or "",
            stage=form.stage.data,
            team_number=form.team.data,
        )
        try:
            saved = save_session(event, session, details, current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            clashes = overlapping(event_sessions(event)).get(saved.id, [])
            flash_at("sessions-title", _("The session “%(title)s” is saved.", title=saved.title))
            if clashes:
                flash_at(
                    "sessions-title",
                    _(
                        "“%(title)s” overlaps “%(other)s” in the same room: check the times.",
                        title=saved.title,
                        other=clashes[0].title,
                    ),
                    "warning",
                )
            return redirect(
                url_for("programme.manage", slug=event.slug) + f"#session-{saved.id}", code=303
            )
    if form.errors or form.form_errors:
        status = 400
    return render_template(
        "programme/session_form.html",
        event=event,
        session=session,
        form=form,
        zone_name=timezone_name(event.timezone),
    ), status


@bp.route("/events/<slug>/organise/programme/new", methods=["GET", "POST"])
def new(slug: str):
    return _session_page(managed_event_or_404(slug), None)


@bp.route("/events/<slug>/organise/programme/<int:session_id>/edit", methods=["GET", "POST"])
def edit(slug: str, session_id: int):
    return _session_page(*_managed_session(slug, session_id))


@bp.route("/events/<slug>/organise/programme/<int:session_id>/delete", methods=["GET", "POST"])
def delete(slug: str, session_id: int):
    """Asks first: a session is one click away in a long table."""
    event, session = _managed_session(slug, session_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("programme/delete.html", event=event, session=session, form=form)
    title = session.title
    delete_session(event, session, current_user)
    db.session.commit()
    flash_at("sessions-title", _("The session “%(title)s” is deleted.", title=title))
    return redirect(url_for("programme.manage", slug=slug) + "#sessions-title", code=303)


@bp.post("/events/<slug>/organise/programme/announcement")
def announce(slug: str):
    event = managed_event_or_404(slug)
    form = AnnouncementForm()
    if form.validate_on_submit():
        try:
            post_announcement(event, form.text.data, current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at("announcement-title", _("The announcement is on the screens."))
            return redirect(
                url_for("programme.manage", slug=slug) + "#announcement-title", code=303
            )
    return render_manage(event, refused=form, status=400)


@bp.post("/events/<slug>/organise/programme/announcement/dismiss")
def dismiss(slug: str):
    event = managed_event_or_404(slug)
    if ConfirmForm().validate_on_submit():
        try:
            dismiss_announcement(event, current_user)
        except DomainError as error:
            flash_at("announcement-title", error.message, "error")
        else:
            db.session.commit()
            flash_at("announcement-title", _("The announcement is taken down."))
    return redirect(url_for("programme.manage", slug=slug) + "#announcement-title", code=303)
