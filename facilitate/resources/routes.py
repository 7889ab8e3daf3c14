"""Resources: the event's people read them; its organisers write, edit and delete them.

Views load, authorize, validate and call resources.services; a refusal (unsafe Markdown, a
document too large or not what its name says) shows the form again, with what was typed, and
changes nothing saved."""

import os

from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_decimal, pgettext
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.models import Event, Resource
from facilitate.resources import bp
from facilitate.resources.forms import ResourceForm
from facilitate.resources.services import (
    ResourceDetails,
    delete_resource,
    event_resources,
    for_stage,
    group_names,
    grouped,
    resource_of_event_or_404,
    save_resource,
)
from facilitate.workspace import uploads

# The workspace's "For this stage" (resources/_for_stage.html).
bp.add_app_template_global(for_stage, "resources_for_stage")


def default_groups() -> list[str]:
    """Groups the form suggests, in the organiser's language, beside the event's own."""
    return [
        pgettext("resource group", "Roles"),
        pgettext("resource group", "Glossary"),
        pgettext("resource group", "Methods"),
        pgettext("resource group", "Bibliography"),
    ]


def _event_for(slug: str, predicate) -> Event:
    event = get_event_or_404(slug)
    policy.require(predicate(current_user, event))
    return event


@bp.get("/events/<slug>/resources")
def index(slug: str):
    event = _event_for(slug, policy.can_read_resources)
    return render_template(
        "resources/index.html", event=event, groups=grouped(event_resources(event))
    )


@bp.get("/events/<slug>/resources/<int:resource_id>")
def show(slug: str, resource_id: int):
    event = _event_for(slug, policy.can_read_resources)
    resource = resource_of_event_or_404(event, resource_id)
    return render_template("resources/show.html", event=event, resource=resource)


@bp.get("/events/<slug>/resources/<int:resource_id>/document")
def document(slug: str, resource_id: int):
    event = _event_for(slug, policy.can_read_resources)
    resource = resource_of_event_or_404(event, resource_id)
    path = uploads.path_of(resource.storage_name) if resource.has_document else None
    if path is None or not os.path.isfile(path):
        abort(404)
    extension = resource.storage_name.rsplit(".", 1)[1]
    return uploads.send_inline(path, resource.content_type, resource.original_name, extension)


# --- Organisers -------------------------------------------------------------------------------


def _form(resource: Resource | None) -> ResourceForm:
    data = {}
    if resource is not None:
        data = {
            "title": resource.title,
            "grouping": resource.grouping,
            "body": resource.body_markdown,
            "stages": resource.stages,
        }
    form = ResourceForm(data=data)
    form.document.description = form.document.description % {
        "size": format_decimal(uploads.max_bytes() / (1024 * 1024), format="#,##0.#")
    }
    return form


def _details(form: ResourceForm) -> ResourceDetails:
    upload = form.document.data
    document = None
    if upload is not None and getattr(upload, "filename", None):
        document = (uploads.read_limited(upload.stream, uploads.max_bytes()), upload.filename)
    return ResourceDetails(
        title=form.title.data,
        grouping=form.grouping.data,
        body=form.body.data or "",
        stages=list(form.stages.data or []),
        document=document,
        remove_document=bool(form.remove_document.data),
    )


def _edit_page(event: Event, resource: Resource | None):
    form = _form(resource)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                saved, replaced = save_resource(event, resource, _details(form), current_user)
            except DomainError as error:
                db.session.rollback()
                show_on_form(form, error)
            else:
                db.session.commit()
                if replaced:
                    uploads.remove(replaced)
                flash_at("resources-title", _("“%(title)s” is saved.", title=saved.title))
                return redirect(
                    url_for("resources.show", slug=event.slug, resource_id=saved.id), 303
                )
    groups = sorted(set(default_groups()) | set(group_names(event)))
    return (
        render_template(
            "resources/form.html", event=event, resource=resource, form=form, groups=groups
        ),
        status,
    )


@bp.route("/events/<slug>/resources/new", methods=["GET", "POST"])
def create(slug: str):
    return _edit_page(_event_for(slug, policy.can_manage_resources), None)


@bp.route("/events/<slug>/resources/<int:resource_id>/edit", methods=["GET", "POST"])
def edit(slug: str, resource_id: int):
    event = _event_for(slug, policy.can_manage_resources)
    return _edit_page(event, resource_of_event_or_404(event, resource_id))


@bp.route("/events/<slug>/resources/<int:resource_id>/delete", methods=["GET", "POST"])
def delete(slug: str, resource_id: int):
    event = _event_for(slug, policy.can_manage_resources)
    resource = resource_of_event_or_404(event, resource_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = resource.title
        storage_name = delete_resource(event, resource, current_user)
        db.session.commit()
        if storage_name:
            uploads.remove(storage_name)
        flash_at("resources-title", _("“%(title)s” is deleted.", title=title))
        return redirect(url_for("resources.index", slug=event.slug), 303)
    return render_template("resources/delete.html", event=event, resource=resource, form=form)
