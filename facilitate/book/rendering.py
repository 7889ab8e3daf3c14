"""A book as a tagged, accessible PDF (PDF/UA-1): HTML and print CSS laid out by WeasyPrint.

WeasyPrint reads only what this module allows: the photos under the upload folder, by file URL.
Any other address in the HTML (a challenge's "more information" link is text, never fetched)
is refused, so that nothing typed by users makes the server fetch anything.
"""

import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from facilitate.book.services import Book
from facilitate.events.theme_colours import PALETTE
from facilitate.models import PrototypeKind
from facilitate.privacy.public_names import describe
from facilitate.workspace import uploads
from facilitate.workspace.thumbnails import small_version

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


def write_pdf(html: str, target: str, progress: Callable[[int], None]) -> None:
    """Lay the book out, then write it; ``progress`` hears the percentage done."""
    document = HTML(string=html, url_fetcher=_PhotosOnly(uploads.upload_folder())).render(
        pdf_variant="pdf/ua-1"
    )
    progress(80)
    document.write_pdf(target, pdf_variant="pdf/ua-1")
