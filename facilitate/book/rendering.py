"""A book as a tagged, accessible PDF (PDF/UA-1): HTML and print CSS laid out by WeasyPrint.

WeasyPrint reads only what this module allows: the photos under the upload folder, by file URL.
Any other address in the HTML (a challenge's "more information" link is text, never fetched)
is refused, so that nothing typed by users makes the server fetch anything.
"""

import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import render_template
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from facilitate.book.services import Book
from facilitate.events.theme_colours import PALETTE
from facilitate.models import PrototypeKind
from facilitate.privacy.public_names import describe
from facilitate.workspace import uploads
from facilitate.workspace.thumbnails import small_version

# Importing WeasyPrint tells Pillow, for the whole process, to load truncated images as if they
# were whole. Our upload checks rely on Pillow refusing them (a damaged photo gets a message,
# not a grey half): put the default back. The book only lays out photos those checks passed.
ImageFile.LOAD_TRUNCATED_IMAGES = False

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def theme_colour(colour: str | None) -> str:
    """The theme's colour as CSS may take it; the palette's grey without one."""
    return colour if colour and _COLOUR.match(colour) else PALETTE[-1]


def photo_uri(storage_name: str) -> str | None:
    """The file URL of a photo's small version (made now if needed; the original without one)."""
    original = uploads.path_of(storage_name)
    if original is None or not os.path.exists(original):
        return None
    small = small_version(original, uploads.small_path_of(storage_name))
    return Path(small or original).as_uri()


def book_html(book: Book, whole: bool) -> str:
    return render_template(
        "book/book.html",
        book=book,
        whole=whole,
        theme_colour=theme_colour,
        photo_uri=photo_uri,
        level=2 if whole else 1,
        describe_names=describe,
        prototype_kind_label=lambda value: PrototypeKind(value).label,
    )


class _PhotosOnly(URLFetcher):
    """Fetches files under one folder, and nothing else."""

    def __init__(self, folder: str):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self._root = Path(folder).resolve()

    def fetch(self, url, headers=None):
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not url.startswith("file://") or not path.is_relative_to(self._root):
            raise ValueError(f"The book reads no address but its photos: {url[:80]}")
        return super().fetch(url, headers)


# WeasyPrint tells each page it lays out to this logger: the build's progress follows it. Its
# records are for that alone, never for the application's logs.
_LAYOUT = logging.getLogger("weasyprint.progress")
_LAYOUT.setLevel(logging.INFO)
_LAYOUT.propagate = False


class _PagesLaidOut(logging.Handler):
    """Turns "Creating layout - Page N" into a percentage, for this thread's book only (other
    threads may lay out other books at the same time); reports every 5 %."""

    def __init__(self, expected_pages: int, progress: Callable[[int], None], start: int, end: int):
        super().__init__(logging.INFO)
        self._thread = threading.get_ident()
        self._expected = max(expected_pages, 1)
        self._progress, self._start, self._end = progress, start, end
        self._reported = start

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self._thread or "Creating layout" not in str(record.msg):
            return
        page = record.args[0] if isinstance(record.args, tuple) and record.args else 0
        share = min(1.0, int(page) / self._expected)
        percent = self._start + int((self._end - self._start) * share)
        if percent >= self._reported + 5:
            self._reported = percent
            self._progress(percent)


def write_pdf(html: str, target: str, expected_pages: int, progress: Callable[[int], None]):
    """Lay the book out, then write it; ``progress`` hears the percentage done."""
    listener = _PagesLaidOut(expected_pages, progress, start=15, end=85)
    # Alembic's logging set-up (migrations run in this process) disables existing loggers.
    _LAYOUT.disabled = False
    _LAYOUT.addHandler(listener)
    try:
        document = HTML(string=html, url_fetcher=_PhotosOnly(uploads.upload_folder())).render(
            pdf_variant="pdf/ua-1"
        )
    finally:
        _LAYOUT.removeHandler(listener)
    progress(85)
    document.write_pdf(target, pdf_variant="pdf/ua-1")
