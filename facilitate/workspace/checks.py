"""The one check every upload goes through before it is stored: its size, its true type read
from its first bytes (never its name), and, for a photo, its cleaning (upright, no metadata).
A refusal raises DomainError naming the form field, before anything is stored or changed."""

from flask_babel import format_decimal
from flask_babel import gettext as _

from facilitate.domain import DomainError
from facilitate.workspace import photos, uploads


def checked_upload(data: bytes, field: str, photos_only: bool = False):
    """The file as it will be stored and its type, or DomainError saying why it is refused.
    ``photos_only`` refuses a PDF too (a follow-up's photo)."""
    limit = uploads.max_bytes()
    if len(data) > limit:
        raise DomainError(
            _(
                "This file is too large: at most %(size)s MB.",
                size=format_decimal(limit / (1024 * 1024), format="#,##0.#"),
            ),
            field=field,
        )
    if not data:
        raise DomainError(_("This file is empty."), field=field)
    file_type = uploads.detect_type(data[:16])
    if photos_only and (file_type is None or not file_type.is_image):
        raise DomainError(
            _(
                "This file is not a JPEG, PNG or WebP photo, whatever its name says. Only photos can be added here."
            ),
            field=field,
        )
    if file_type is None:
        raise DomainError(
            _(
                "This file is not a PDF document nor a JPEG, PNG or WebP image, whatever its name says. Only these can be attached."
            ),
            field=field,
        )
    if file_type.is_image:
        try:
            data = photos.clean(data, file_type)
        except photos.PhotoError as error:
            raise DomainError(str(error), field=field) from error
    return data, file_type
