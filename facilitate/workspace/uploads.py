"""Prototype files on disk: what a file is, decided from its first bytes, and where it lives.

The name and the Content-Type the browser sends are the uploader's word and prove nothing: an
``.exe`` renamed ``photo.jpg`` or an HTML page named ``plan.pdf`` must never be stored, let alone
served back as if it were a photo. Only the content decides. Files are stored by a random name
(never the uploader's), written whole or not at all. A photo's small version (thumbnails.py)
lives beside it as ``<stem>.small.jpg`` and goes when the photo goes.
"""

import contextlib
import os
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass

from flask import Flask, current_app, send_file
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
_STORAGE_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp|pdf)$")
SMALL_SUFFIX = ".small.jpg"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    is_image: bool


JPEG = FileType("image/jpeg", "jpg", True)
PNG = FileType("image/png", "png", True)
WEBP = FileType("image/webp", "webp", True)
PDF = FileType("application/pdf", "pdf", False)


def detect_type(head: bytes) -> FileType | None:
    """The file's type from its magic bytes; None for anything not accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def max_bytes(app: Flask | None = None) -> int:
    return (app or current_app).config.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def read_limited(stream, limit: int) -> bytes:
    """At most ``limit + 1`` bytes: one more than allowed is enough to know a file is too big."""
    chunks, size = [], 0
    while size <= limit:
        chunk = stream.read(min(64 * 1024, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def upload_folder(app: Flask | None = None) -> str:
    app = app or current_app
    return app.config.get("UPLOAD_FOLDER") or os.path.join(app.instance_path, "uploads")


def store(data: bytes, file_type: FileType) -> str:
    """Write the content under a new random name, atomically; returns that name."""
    folder = upload_folder()
    os.makedirs(folder, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{file_type.extension}"
    write_atomically(os.path.join(folder, name), data)
    return name


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file in the same folder,
    then a rename, so a reader never sees half a file and a crash leaves no partial one."""
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        _unlink(temporary)
        raise


def path_of(storage_name: str) -> str | None:
    """Where a stored file lives; None for a name this module could not have made."""
    if not _STORAGE_NAME.match(storage_name or ""):
        return None
    return os.path.join(upload_folder(), storage_name)


def small_path_of(storage_name: str) -> str | None:
    """Where a stored photo's small version lives (made or not yet); None as for path_of."""
    path = path_of(storage_name)
    return None if path is None else os.path.splitext(path)[0] + SMALL_SUFFIX


def remove(storage_name: str) -> None:
    path = path_of(storage_name)
    if path is not None:
        _unlink(path)
        _unlink(small_path_of(storage_name))


_TO_REMOVE = "facilitate.files_to_remove"  # in Session.info, until the transaction ends


def remove_after_commit(session: Session, storage_names) -> None:
    """Remove these files once the rows naming them are gone for good: when the transaction
    commits. Removed before, a rollback would leave rows pointing at nothing; never removed,
    the photos of a deleted team's people would stay on disk, out of anyone's reach."""
    session.info.setdefault(_TO_REMOVE, set()).update(name for name in storage_names if name)


@sa_event.listens_for(Session, "after_commit")
def _remove_committed(session: Session) -> None:
    for storage_name in sorted(session.info.pop(_TO_REMOVE, ())):
        remove(storage_name)


@sa_event.listens_for(Session, "after_transaction_end")
def _keep_after_rollback(session: Session, transaction) -> None:
    """A rolled-back transaction deleted nothing: its files stay."""
    if transaction.parent is None:
        session.info.pop(_TO_REMOVE, None)


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def display_name(filename: str | None) -> str:
    """The uploader's file name as shown on the page: no folders, no control characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:255] or "file"


def download_name(original_name: str, file_type_extension: str) -> str:
    """A name for Content-Disposition: the original stem, harmless characters, the true
    extension (a file refused as HTML never gets here; a JPEG named .pdf is served as .jpg)."""
    stem = os.path.splitext(display_name(original_name))[0]
    stem = re.sub(r'["\\;:*?<>|%]', "_", stem).strip(" .")[:100] or "file"
    return f"{stem}.{file_type_extension}"


def send_inline(path: str, mimetype: str, original_name: str, extension: str):
    """A stored file shown in the browser under its own name: never cached by shared caches
    (it is the team's or the event's, behind a sign-in), never sniffed into another type."""
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=False,
        download_name=download_name(original_name, extension),
        conditional=True,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.public = False
    return response
