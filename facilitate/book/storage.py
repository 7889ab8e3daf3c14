"""Where built books live, and their removal: a book names people and shows their photos, so
erasing a person or purging an event discards the event's books (they are built again, from
what is left, on request)."""

import contextlib
import os

from sqlalchemy import delete, select

from facilitate.extensions import db
from facilitate.models import BookBuild, Event
from facilitate.workspace import uploads


def books_folder() -> str:
    return os.path.join(uploads.upload_folder(), "books")


def pdf_path(build: BookBuild) -> str | None:
    if not build.storage_name:
        return None
    return os.path.join(books_folder(), os.path.basename(build.storage_name))


def remove_file(storage_name: str | None) -> None:
    if storage_name:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(books_folder(), os.path.basename(storage_name)))


def discard_books(event: Event) -> None:
    """Every book of the event, files and builds; flushes."""
    for name in db.session.scalars(
        select(BookBuild.storage_name).where(BookBuild.event_id == event.id)
    ):
        remove_file(name)
    db.session.execute(delete(BookBuild).where(BookBuild.event_id == event.id))
