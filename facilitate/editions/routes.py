"""The national organisers' pages: their editions, an edition's sites and who runs them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from facilitate import policy
from facilitate import rendered_forms as rendered
from facilitate.confirmed import act_confirmed
from facilitate.domain import DomainError, show_on_form
from facilitate.editions import bp
from facilitate.editions.access import edition_or_404
from facilitate.editions.forms import AppointForm, AttachForm, EditionForm
from facilitate.editions.services import (
    appoint_national_organiser,
    attach_event,
    attachable_events,
    create_edition,
    create_site,
    detach_site,
    editions_of,
    national_candidates,
    national_organisers_of,
    remove_national_organiser,
    sites_of,
    update_edition,
)
from facilitate.editions.workbook import workbook_hint
from facilitate.events.routes_organise import event_form_page
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.jury.services import juries_of
from facilitate.models import Edition, Event
from facilitate.spreadsheets.pages import UploadForm


def edition_for_reading(edition_id: int) -> Edition:
    return edition_or_404(edition_id, policy.can_view_edition)


def managed_edition(edition_id: int) -> Edition:
    edition = edition_for_reading(edition_id)
    policy.require(policy.can_manage_edition(current_user, edition))
    return edition


def _to_edition(edition: Edition, anchor: str = ""):
    return redirect(url_for("editions.show", edition_id=edition.id) + anchor, code=303)


@bp.get("/editions")
@login_required
def home():
    return render_template(
        "editions/home.html", editions=editions_of(current_user), juries=juries_of(current_user)
    )


def _edition_form_page(edition: Edition | None):
    form = EditionForm(obj=edition) if request.method == "GET" else EditionForm()
    if request.method == "POST" and form.validate():
        if edition is None:
            edition = create_edition(
                form.name.data, form.year.data, form.description.data, current_user
            )
            message = _("The edition is created. Add its sites next.")
        else:
            update_edition(
                edition, form.name.data, form.year.data, form.description.data, current_user
            )
            message = _("Changes saved.")
        db.session.commit()
        flash(message, "success")
        return _to_edition(edition)
    status = 400 if request.method == "POST" else 200
    return render_template("editions/edition_form.html", form=form, edition=edition), status


@bp.route("/editions/new", methods=["GET", "POST"])
@login_required
def new():
    policy.require(policy.can_create_editions(current_user))
    return _edition_form_page(None)


@bp.route("/editions/<int:edition_id>/edit", methods=["GET", "POST"])
def edit(edition_id: int):
    return _edition_form_page(managed_edition(edition_id))


def _page(edition: Edition, attach: AttachForm | None = None, appoint: AppointForm | None = None):
    """The edition's page; ``attach`` or ``appoint``: the form a POST gives back with its
    errors. The others as first shown, rendered once while their choices stay the same
    (``rendered.as_shown``)."""
    events = [(e.id, e.name) for e in attachable_events(edition, current_user)]
    candidates = [(u.id, u.name) for u in national_candidates(edition)]

    def attach_form():
        form = attach or AttachForm(formdata=None)
        form.event.choices = events
        return edition.id, form

    def appoint_form():
        form = appoint or AppointForm(formdata=None)
        form.user_id.choices = candidates
        return edition.id, form

    shown = (edition.id,)
    refused = [form for form in (attach, appoint) if form is not None and form.errors]
    return render_template(
        "editions/edition.html",
        edition=edition,
        sites=sites_of(edition),
        national_organisers=national_organisers_of(edition),
        refused=refused,
        attach=events and _form("attach", (*shown, events), attach_form, attach is not None),
        appoint=candidates
        and _form("appoint", (*shown, candidates), appoint_form, appoint is not None),
        button=ConfirmForm(),
        workbook_upload=_form("workbook", shown, lambda: (edition.id, UploadForm(formdata=None))),
        workbook_hint=workbook_hint(),
    ), (400 if refused else 200)


def _form(name: str, shown: tuple, arguments, refused: bool = False):
    return rendered.as_shown("editions/_forms.html", name, shown, arguments, refused)


@bp.get("/editions/<int:edition_id>")
def show(edition_id: int):
    return _page(edition_for_reading(edition_id))


@bp.route("/editions/<int:edition_id>/sites/new", methods=["GET", "POST"])
def new_site(edition_id: int):
    return event_form_page(None, managed_edition(edition_id), create_site)


@bp.post("/editions/<int:edition_id>/sites")
def attach(edition_id: int):
    edition = managed_edition(edition_id)
    form = AttachForm()
    form.event.choices = [(e.id, e.name) for e in attachable_events(edition, current_user)]
    if form.validate():
        event = db.session.get(Event, form.event.data)
        policy.require(policy.can_attach_event(current_user, edition, event))
        try:
            attach_event(edition, event, current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at(
                "sites-title", _("“%(event)s” is now a site of the edition.", event=event.name)
            )
            return _to_edition(edition, "#sites-title")
    return _page(edition, attach=form)


def _site(edition: Edition, slug: str) -> Event:
    event = db.session.scalar(
        db.select(Event).where(Event.slug == slug, Event.edition_id == edition.id)
    )
    if event is None:
        abort(404)
    return event


@bp.post("/editions/<int:edition_id>/sites/<slug>/detach")
def detach(edition_id: int, slug: str):
    edition = managed_edition(edition_id)
    event = _site(edition, slug)
    if act_confirmed("sites-title", lambda: detach_site(edition, event, current_user)):
        flash_at(
            "sites-title", _("“%(event)s” is no longer a site of the edition.", event=event.name)
        )
    return _to_edition(edition, "#sites-title")


@bp.post("/editions/<int:edition_id>/national-organisers")
def appoint(edition_id: int):
    edition = managed_edition(edition_id)
    form = AppointForm()
    form.user_id.choices = [(u.id, u.name) for u in national_candidates(edition)]
    if form.validate():
        try:
            person = appoint_national_organiser(edition, form.user_id.data, current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at(
                "national-title",
                _("%(name)s is now a national organiser of the edition.", name=person.name),
            )
            return _to_edition(edition, "#national-title")
    return _page(edition, appoint=form)


@bp.post("/editions/<int:edition_id>/national-organisers/<int:user_id>/remove")
def remove_national(edition_id: int, user_id: int):
    edition = managed_edition(edition_id)
    person = next((u for u in national_organisers_of(edition) if u.id == user_id), None)
    if person is None:
        abort(404)
    leaving = person.id == current_user.id
    if act_confirmed(
        "national-title", lambda: remove_national_organiser(edition, person, current_user)
    ):
        if leaving:
            flash(_("You no longer run the edition “%(edition)s”.", edition=edition.name))
            return redirect(url_for("editions.home"), code=303)
        flash_at(
            "national-title", _("%(name)s is no longer a national organiser.", name=person.name)
        )
    return _to_edition(edition, "#national-title")
