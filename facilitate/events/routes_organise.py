"""The organiser's pages for an event as a whole: the hub, creating, editing and cloning."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.events import bp
from facilitate.events.forms import CloneEventForm, EventForm
from facilitate.events.management import (
    EventDetails,
    ThemeRow,
    clone_event,
    create_event,
    update_event,
)
from facilitate.events.services import get_managed_event_or_404
from facilitate.events.theme_colours import next_theme_colour
from facilitate.extensions import db
from facilitate.forms import apply_list_action, list_action, refuse_list_action, to_local_input
from facilitate.models import Challenge, Edition, Event
from facilitate.numbers import database_id
from facilitate.people.management import attendee_count


def blank_theme(themes: list[dict]) -> dict:
    """A new row of the themes list, in a colour the other rows do not have yet."""
    return {"id": "", "name": "", "colour": next_theme_colour(t.get("colour") for t in themes)}


def _initial_data(event: Event) -> dict:
    tz = event.timezone
    planned = {p.stage: p.starts_at for p in event.planned_stages}
    data = {
        "name": event.name,
        "slug": event.slug,
        "venue": event.venue,
        "timezone": tz,
        "starts_at": to_local_input(event.starts_at, tz),
        "ends_at": to_local_input(event.ends_at, tz),
        "description": event.description,
        "themes": [],
    }
    for t in event.themes:
        # A theme without a colour is shown with one the others do not have.
        colour = (
            t.colour
            or blank_theme(data["themes"] + [{"colour": o.colour} for o in event.themes])["colour"]
        )
        data["themes"].append({"id": str(t.id), "name": t.name, "colour": colour})
    for stage, name in EventForm.STAGE_FIELDS.items():
        data[name] = to_local_input(planned.get(stage), tz)
    return data


def event_details(form: EventForm) -> EventDetails:
    return EventDetails(
        name=form.name.data,
        slug=form.slug.data,
        venue=form.venue.data,
        timezone=form.timezone.data,
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        description=form.description.data or "",
        themes=[
            ThemeRow(
                id=database_id(t["id"]),
                name=t["name"] or "",
                colour=t["colour"],
            )
            for t in form.themes.data
        ],
        stage_starts={stage: form[name].data for stage, name in EventForm.STAGE_FIELDS.items()},
    )


def event_form_page(event: Event | None, edition: Edition | None = None, create_site=None):
    """Create or edit: list buttons re-display the form unsaved; Save validates and writes. With
    an edition, ``create_site`` makes the new event a site of it (editions.services)."""

    def page(form, status=200):
        template = "events/organise/event_form.html"
        return render_template(template, form=form, event=event, edition=edition), status

    if request.method == "GET":
        return page(
            EventForm(data=_initial_data(event) if event else {"themes": [blank_theme([])]})
        )

    form = EventForm()
    action = list_action()
    if action:
        data = form.data
        if apply_list_action(data, action, ("themes",), lambda _name: blank_theme(data["themes"])):
            return page(EventForm(formdata=None, data=data))
        refuse_list_action(form)
        return page(form, 400)

    if form.validate():
        try:
            if event is not None:
                update_event(event, event_details(form), current_user)
                message, target = _("Changes saved."), "events.organise"
            elif edition is not None:
                event = create_site(edition, event_details(form), current_user)
                message = _("The site is created. Invite its organisers next.")
                target = "accounts.invitations"
            else:
                event = create_event(event_details(form), current_user)
                message = _("The event is created. Add its challenges next.")
                target = "events.organise"
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(target, slug=event.slug), code=303)
    return page(form, 400)


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new():
    policy.require(policy.can_create_events(current_user))
    return event_form_page(None)


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    return event_form_page(get_managed_event_or_404(slug))


@bp.get("/events/<slug>/organise")
def organise(slug: str):
    event = get_managed_event_or_404(slug)
    challenge_count = db.session.scalar(
        select(func.count(Challenge.id)).where(Challenge.event_id == event.id)
    )
    return render_template(
        "events/organise/hub.html",
        event=event,
        challenge_count=challenge_count,
        attendee_count=attendee_count(event),
    )


@bp.route("/events/<slug>/clone", methods=["GET", "POST"])
def clone(slug: str):
    source = get_managed_event_or_404(slug)
    policy.require(policy.can_copy_event(current_user, source))
    form = CloneEventForm()
    if request.method == "GET":
        form = CloneEventForm(formdata=None, name=source.name, slug=f"{source.slug}-copie")
    elif form.validate():
        try:
            copy = clone_event(
                source, form.name.data, form.slug.data, form.starts_at.data, current_user
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("The copy is ready: check its dates, then import its attendees."), "success")
            return redirect(url_for("events.organise", slug=copy.slug), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("events/organise/clone.html", form=form, event=source), status
