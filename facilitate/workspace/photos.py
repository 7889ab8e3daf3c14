"""Prototype photos as they are stored and served: upright, without metadata.

A phone's photo carries far more than its pixels: where it was taken (GPS), when, the device
and its serial number, sometimes the owner's name, in EXIF, XMP, IPTC, maker notes and comments.
The people pictured agreed to the photo being shared, not that. So the original is cleaned
before it is stored (prototyping.upload_file), and photos stored before this existed are cleaned
by ``flask --app facilitate clean-photos`` or, failing that, on the first request for them
(prototyping.show_file).

Cleaning turns the picture upright from its EXIF orientation (browsers would show it on its
side once the EXIF is gone), then writes it again in the same format with nothing but its colour
profile: JPEG at quality 95 with the original's chroma subsampling, PNG losslessly, WebP at
quality 95 or losslessly if it was. An animated PNG or WebP keeps its first picture.

Whether a file is clean is read from its structure against an allow-list, not from what Pillow
reports: a JPEG may hold only its image segments, a JFIF or Adobe header and an ICC profile,
and nothing after its end; a PNG only image and colour chunks; a WebP only image, alpha,
animation and ICC chunks. A clean file is kept byte for byte (no needless re-encoding), and
what cleaning writes is clean, so cleaning twice changes nothing.
"""

import io
import logging
import os
import re
import threading
from dataclasses import dataclass, field

from flask_babel import gettext as _
from PIL import Image, ImageOps, JpegImagePlugin
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import PrototypeFile
from facilitate.workspace.uploads import (
    JPEG,
    PNG,
    WEBP,
    FileType,
    detect_type,
    path_of,
    write_atomically,
)

JPEG_QUALITY = 95
WEBP_QUALITY = 95
# The most pixels cleaned for one photo: a 48- or 50-megapixel phone photo (8160 × 6120) fits.
# Cleaning decodes at full size (about 150 MB for 50 megapixels), one photo at a time per process.
MAX_PIXELS = 50_000_000

logger = logging.getLogger(__name__)

# One decoding at a time per process, shared with the small versions (thumbnails.py): the
# memory a burst of uploads and first requests takes stays that of one photo.
decoding = threading.Lock()

_PILLOW_FORMATS = {JPEG: ("JPEG", "MPO"), PNG: ("PNG",), WEBP: ("WEBP",)}


class PhotoError(Exception):
    """This photo cannot be cleaned; the message says why, for the person who sent it."""


# --- What a clean file holds ------------------------------------------------------------------

# JPEG application segments kept, by marker: the JFIF header, the ICC colour profile (APP2 also
# carries the MPF index of a phone's extra pictures, which goes), Adobe's colour transform.
_JPEG_KEPT_APP = {0xE0: (b"JFIF\0", b"JFXX\0"), 0xE2: (b"ICC_PROFILE\0",), 0xEE: (b"Adobe",)}
_JPEG_COMMENT = 0xFE
# In the compressed data after a start of scan, 0xFF is followed by 0x00 (stuffing), a restart
# marker or more 0xFF (fill): anything else is the next marker.
_JPEG_NEXT_MARKER = re.compile(rb"\xff(?![\x00\xd0-\xd7\xff])")

_PNG_KEPT = frozenset(
    {
        # the picture
        b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS",
        # colour, gamma, pixel size
        b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"cICP", b"sBIT", b"bKGD", b"pHYs",
        # animation
        b"acTL", b"fcTL", b"fdAT",
    }
)  # fmt: skip
_WEBP_KEPT = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ICCP", b"ANIM", b"ANMF"})


def is_clean(data: bytes, file_type: FileType) -> bool:
    """Whether this photo holds nothing but its picture and colour profile."""
    if file_type is JPEG:
        return _jpeg_is_clean(data)
    if file_type is PNG:
        return _png_is_clean(data)
    if file_type is WEBP:
        return _webp_is_clean(data)
    return False


def _jpeg_is_clean(data: bytes) -> bool:
    if not data.startswith(b"\xff\xd8"):
        return False
    pos = 2
    while pos + 2 <= len(data):
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:  # end of image: nothing may follow
            return pos + 2 == len(data)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a segment
            pos += 2
            continue
        if pos + 4 > len(data):
            return False
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos + 4 : pos + 2 + length]
        if length < 2 or marker == _JPEG_COMMENT:
            return False
        if 0xE0 <= marker <= 0xEF and not segment.startswith(_JPEG_KEPT_APP.get(marker, ())):
            return False
        pos += 2 + length
        if marker == 0xDA:  # start of scan: compressed data up to the next marker
            following = _JPEG_NEXT_MARKER.search(data, pos)
            if following is None:
                return False
            pos = following.start()
    return False


def _png_is_clean(data: bytes) -> bool:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind not in _PNG_KEPT:
            return False
        pos += 12 + length
        if kind == b"IEND":
            return pos == len(data)
    return False


def _webp_chunks(data: bytes) -> list[bytes] | None:
    """The kinds of a WebP's chunks, in order; None if it is not a whole RIFF WebP file with
    nothing after it."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    if 8 + int.from_bytes(data[4:8], "little") != len(data):
        return None
    kinds, pos = [], 12
    while pos + 8 <= len(data):
        kinds.append(data[pos : pos + 4])
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += 8 + length + (length & 1)
    return kinds if pos == len(data) else None


def _webp_is_clean(data: bytes) -> bool:
    kinds = _webp_chunks(data)
    return kinds is not None and all(kind in _WEBP_KEPT for kind in kinds)


# --- Cleaning ---------------------------------------------------------------------------------


def clean(data: bytes, file_type: FileType) -> bytes:
    """The photo upright and without metadata; ``data`` itself when it already is clean.
    Raises PhotoError for a photo that cannot be decoded, or is too large to."""
    if is_clean(data, file_type):
        return data
    with decoding:
        try:
            with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[file_type]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoError(
                        _(
                            "This photo has too many pixels (over %(megapixels)d megapixels): send a smaller version.",
                            megapixels=MAX_PIXELS // 1_000_000,
                        )
                    )
                return _rewrite(image, file_type, lossless=_webp_is_lossless(data))
        except PhotoError:
            raise
        except MemoryError as error:
            raise PhotoError(_("This photo is too large to be processed.")) from error
        except Exception as error:  # Pillow raises many kinds for truncated or corrupt files.
            raise PhotoError(
                _(
                    "This photo could not be read: the file may be damaged. Export it again as JPEG or PNG and send it again."
                )
            ) from error


def _rewrite(image: Image.Image, file_type: FileType, lossless: bool) -> bytes:
    colour_profile = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    sampling = JpegImagePlugin.get_sampling(image) if file_type is JPEG else -1
    upright = _upright(image)
    # Nothing of the original's info reaches the writer: some writers take the comment, the
    # XMP or the EXIF from there when they are not given.
    upright.info = {}
    out = io.BytesIO()
    if file_type is JPEG:
        options = {"subsampling": sampling} if sampling != -1 else {}
        upright.save(
            out,
            "JPEG",
            quality=JPEG_QUALITY,
            optimize=True,
            icc_profile=colour_profile,
            **options,
        )
    elif file_type is PNG:
        options = {"transparency": transparency} if transparency is not None else {}
        upright.save(out, "PNG", icc_profile=colour_profile, **options)
    else:
        upright.save(
            out,
            "WEBP",
            quality=WEBP_QUALITY,
            lossless=lossless,
            icc_profile=colour_profile or "",
        )
    return out.getvalue()


def _upright(image: Image.Image) -> Image.Image:
    """A copy of the picture turned as its EXIF orientation says; as it is if the EXIF cannot be
    read (it goes anyway)."""
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # A damaged EXIF block: Pillow raises various errors reading it.
        upright = None
    return upright if upright is not None else image.copy()


def _webp_is_lossless(data: bytes) -> bool:
    """Whether a WebP's picture is stored losslessly (a VP8L chunk): it stays so."""
    return b"VP8L" in (_webp_chunks(data) or ())


# --- Stored photos ----------------------------------------------------------------------------

# Storage names this process found clean: a stored photo only ever gets cleaner, so it need not
# be read again before being served.
_known_clean: set[str] = set()


def clean_stored(path: str) -> bool:
    """Clean a stored photo in place, whole or not at all (a temporary file, then a rename);
    whether it had to be rewritten. Raises PhotoError, and OSError when the file cannot be read
    or written."""
    with open(path, "rb") as f:
        data = f.read()
    file_type = detect_type(data[:16])
    if file_type is None or not file_type.is_image:
        raise PhotoError(_("This file is not a JPEG, PNG or WebP photo."))
    cleaned = clean(data, file_type)
    if cleaned is data:
        return False
    write_atomically(path, cleaned)
    return True


def ready_to_serve(storage_name: str) -> bool:
    """Whether a stored photo may be served: clean, made so now if it was stored before photos
    were cleaned at upload. One that cannot be cleaned is not served (the clean-photos command
    lists it)."""
    if storage_name in _known_clean:
        return True
    path = path_of(storage_name)
    if path is None:
        return False
    try:
        if clean_stored(path):
            logger.info("Cleaned the stored photo %s on its first request", storage_name)
    except (PhotoError, OSError) as error:
        logger.warning("Not serving the photo %s, which cannot be cleaned: %s", storage_name, error)
        return False
    _known_clean.add(storage_name)
    return True


@dataclass
class CleaningReport:
    cleaned: int = 0
    already_clean: int = 0
    # (row, what went wrong) for each photo left as it was
    failed: list[tuple[PrototypeFile, str]] = field(default_factory=list)


def clean_stored_photos() -> CleaningReport:
    """Clean every stored photo (the clean-photos command): each one whole or not at all, and
    a missing or damaged file is reported, not fatal. Running it again changes nothing. Sizes
    recorded are brought in line with the files; the caller commits."""
    report = CleaningReport()
    rows = db.session.scalars(
        select(PrototypeFile).where(PrototypeFile.is_photo.is_(True)).order_by(PrototypeFile.id)
    ).all()
    for row in rows:
        path = path_of(row.storage_name)
        try:
            if path is None:
                raise PhotoError(_("its stored name is not one this application makes."))
            rewritten = clean_stored(path)
            size = os.path.getsize(path)
        except FileNotFoundError:
            report.failed.append((row, _("the file is missing.")))
            continue
        except (PhotoError, OSError) as error:
            report.failed.append((row, str(error)))
            continue
        if rewritten:
            report.cleaned += 1
        else:
            report.already_clean += 1
        _known_clean.add(row.storage_name)
        if size > 0 and row.size_bytes != size:
            row.size_bytes = size
    return report
