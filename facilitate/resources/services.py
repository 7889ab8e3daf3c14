"""Resources as the views and the workspace use them: listed in a fixed number of queries,
saved whole or not at all, copied with their event.

A document goes through the workspace's checks (workspace.uploads: its size, its true type read
from its first bytes, a random storage name; workspace.photos: an image upright and without its
metadata). A refusal raises DomainError before anything is stored or changed, so that what was
saved before stays as it was.
"""

from dataclasses import dataclass, field
from itertools import groupby

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import load_only, selectinload

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import Event, Resource, ResourceStage, Stage
from facilitate.resources.markdown import render
from facilitate.workspace import uploads
from facilitate.workspace.checks import checked_upload


@dataclass
class ResourceDetails:
    """What the form says; ``document`` is the uploaded file's bytes and name, if any."""

    title: str
    grouping: str
    body: str = ""
    stages: list[Stage] = field(default_factory=list)
    document: tuple[bytes, str | None] | None = None
    remove_document: bool = False


# Built once per process, as _FOR_STAGE below: the resources page read nothing else as long.
_OF_EVENT = (
    select(Resource)
    .options(selectinload(Resource.stage_links))
    .where(Resource.event_id == bindparam("event_id"))
    .order_by(Resource.grouping, Resource.title, Resource.id)
)


def event_resources(event: Event) -> list[Resource]:
    """The event's resources by group, then title, with their stages: two queries."""
    return list(db.session.scalars(_OF_EVENT, {"event_id": event.id}))


def grouped(resources: list[Resource]) -> list[tuple[str, list[Resource]]]:
    return [(name, list(items)) for name, items in groupby(resources, lambda r: r.grouping)]


def group_names(event: Event) -> list[str]:
    return list(
        db.session.scalars(
            select(Resource.grouping)
            .where(Resource.event_id == event.id)
            .distinct()
            .order_by(Resource.grouping)
        )
    )


# Built once: building it (its options, its join) cost more than running it, at every
# workspace request (bench/pages.py).
_FOR_STAGE = (
    select(Resource)
    .options(
        load_only(
            Resource.id,
            Resource.event_id,
            Resource.title,
            Resource.grouping,
            Resource.storage_name,
            Resource.content_type,
            Resource.size_bytes,
        )
    )
    .join(ResourceStage)
    .where(Resource.event_id == bindparam("event_id"), ResourceStage.stage == bindparam("stage"))
    .order_by(Resource.grouping, Resource.title, Resource.id)
)


def for_stage(event_id: int, stage: Stage) -> list[Resource]:
    """The resources linked to this stage, for the workspace's "For this stage": one query,
    without the pages' text."""
    return list(db.session.scalars(_FOR_STAGE, {"event_id": event_id, "stage": stage}))


def document_names(event: Event) -> list[str]:
    """The stored names of the event's documents: read before the event is deleted (its rows
    go with it), to remove the files once the deletion is committed."""
    return list(
        db.session.scalars(
            select(Resource.storage_name).where(
                Resource.event_id == event.id, Resource.storage_name.is_not(None)
            )
        )
    )


def resource_of_event_or_404(event: Event, resource_id: int) -> Resource:
    """A resource, only through its own event: another event's id is a 404."""
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.event_id != event.id:
        abort(404)
    return resource


def checked_document(data: bytes) -> tuple[bytes, uploads.FileType]:
    """The document as it will be stored, or DomainError saying why it is refused."""
    return checked_upload(data, "document")


def save_resource(event: Event, resource: Resource | None, details: ResourceDetails, actor):
    """Create or update a resource; returns it and the storage name of a document it no longer
    has, to remove once the change is committed (a failed commit keeps both)."""
    body = details.body.strip()
    html = render(body) if body else ""
    document = checked_document(details.document[0]) if details.document else None
    keeps_document = resource is not None and resource.has_document and not details.remove_document
    if not body and document is None and not keeps_document:
        raise DomainError(_("Write the page or attach a document (or both)."), field="body")

    created = resource is None
    if created:
        resource = Resource(event_id=event.id)
        db.session.add(resource)
    replaced = None
    if resource.has_document and (document is not None or details.remove_document):
        replaced = resource.storage_name
        resource.storage_name = resource.original_name = resource.content_type = None
        resource.size_bytes = None
    resource.title = details.title.strip()
    resource.grouping = details.grouping.strip()
    resource.body_markdown, resource.body_html = body, html
    _link_stages(resource, details.stages)
    stored = None
    if document is not None:
        data, file_type = document
        stored = uploads.store(data, file_type)
        resource.storage_name = stored
        resource.original_name = uploads.display_name(details.document[1])
        resource.content_type = file_type.content_type
        resource.size_bytes = len(data)
    try:
        db.session.flush()
    except BaseException:
        if stored:
            uploads.remove(stored)
        raise
    record(
        event,
        actor,
        "resource.created" if created else "resource.updated",
        title=resource.title,
        group=resource.grouping,
    )
    return resource, replaced


def _link_stages(resource: Resource, stages: list[Stage]) -> None:
    """Keep the links still wanted, add the new ones: a link removed and added again in one
    flush would clash with itself on the primary key."""
    wanted = set(stages)
    for link in list(resource.stage_links):
        if link.stage not in wanted:
            resource.stage_links.remove(link)
    have = {link.stage for link in resource.stage_links}
    resource.stage_links.extend(ResourceStage(stage=s) for s in Stage if s in wanted - have)


def delete_resource(event: Event, resource: Resource, actor) -> str | None:
    """Delete it; returns its document's storage name, to remove once committed."""
    record(event, actor, "resource.deleted", title=resource.title, group=resource.grouping)
    storage_name = resource.storage_name
    db.session.delete(resource)
    db.session.flush()
    return storage_name


def copy_resources(source: Event, copy: Event) -> int:
    """The source's resources for its copy (events.management.clone_event), each document
    stored again under a name of its own: deleting one event's never touches the other's. A
    document whose file is missing is left out, the page kept."""
    count = 0
    for resource in event_resources(source):
        storage_name = None
        data = _stored_bytes(resource.storage_name)
        if data is not None:
            storage_name = uploads.store(data, uploads.detect_type(data[:16]))
        if storage_name is None and not resource.body_markdown:
            continue
        db.session.add(
            Resource(
                event_id=copy.id,
                grouping=resource.grouping,
                title=resource.title,
                body_markdown=resource.body_markdown,
                body_html=resource.body_html,
                storage_name=storage_name,
                original_name=resource.original_name if storage_name else None,
                content_type=resource.content_type if storage_name else None,
                size_bytes=resource.size_bytes if storage_name else None,
                stage_links=[ResourceStage(stage=s) for s in resource.stages],
            )
        )
        count += 1
    db.session.flush()
    return count


def _stored_bytes(storage_name: str | None) -> bytes | None:
    path = uploads.path_of(storage_name) if storage_name else None
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    return data if uploads.detect_type(data[:16]) else None
