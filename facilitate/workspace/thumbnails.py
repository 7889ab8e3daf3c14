"""Small versions of prototype photos: what a page showing a photo small loads instead of the
original.

At the exhibition, some two hundred phones on the venue's Wi-Fi open stand pages at once, and
the workspace lists a team's photos as thumbnails: each original can weigh up to 8 MB, where a
JPEG at most 640 pixels on its long side weighs some tens of kilobytes. The small version is made
on its first request and kept beside the original (uploads.small_path_of), so photos uploaded
before it existed benefit too. Storage names are random and never rewritten, so a small version
made once never goes stale.

Decoding what participants upload is bounded and never fatal: the pixel count is checked before
anything is decoded (Pillow's own decompression-bomb guard stays on as well), a JPEG is decoded
directly at a reduced scale, one photo at a time per process, and a file Pillow cannot read
simply has no small version: the original is served instead.

The small version keeps nothing of the original's metadata (EXIF: GPS position, camera, date)
but its colour profile, and is turned upright from the EXIF orientation first, since browsers
would otherwise show it on its side once the EXIF is gone.
"""

import contextlib
import io
import logging
import os

from PIL import Image, ImageOps

from facilitate.workspace.photos import decoding
from facilitate.workspace.uploads import write_atomically

LONG_SIDE = 640
QUALITY = 80
# The most pixels decoded for one photo (a 48-megapixel phone JPEG is decoded at a reduced scale,
# well below). Tighter than Pillow's default guard, which stays on.
MAX_PIXELS = 40_000_000

logger = logging.getLogger(__name__)

# One decoding at a time per process, shared with the cleaning of originals (photos.py): the
# memory a burst of first requests can take stays that of one photo, and the requests waiting
# find the small version made when their turn comes.
_making = decoding


class CannotShrink(Exception):
    """This file has no small version: not an image Pillow reads, or too big to decode."""


def shrink(data: bytes) -> bytes:
    """The small version of a photo's content: upright, at most LONG_SIDE pixels on its long
    side, transparency on white, as a JPEG without metadata. Raises CannotShrink."""
    try:
        # Opening reads the header only; Pillow refuses there what is far beyond its guard.
        with Image.open(io.BytesIO(data)) as image:
            return _shrink(image)
    except (CannotShrink, MemoryError):
        raise
    except Exception as error:  # Pillow raises many kinds for truncated or corrupt files.
        raise CannotShrink(f"{type(error).__name__}: {error}") from error


def _shrink(image: Image.Image) -> bytes:
    if image.format in ("JPEG", "MPO"):  # MPO: a phone's JPEG with a depth or HDR map after it
        # Decode at 1/2, 1/4 or 1/8 scale, still at least LONG_SIDE on each side: a fraction of
        # the time and memory of a full decode.
        image.draft("RGB", (LONG_SIDE, LONG_SIDE))
    if image.width * image.height > MAX_PIXELS:
        raise CannotShrink(f"{image.width}×{image.height} pixels is too many to decode")
    colour_profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    image = ImageOps.exif_transpose(image)
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    image = _on_white(image)
    out = io.BytesIO()
    # Nothing of the original's info is passed on: no EXIF, no XMP, no comment.
    image.save(
        out,
        "JPEG",
        quality=QUALITY,
        optimize=True,
        progressive=True,
        icc_profile=colour_profile,
    )
    return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    """RGB, as JPEG needs: transparent parts on white (as on the page), deep greys scaled down."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit greys: 0..65535 to 0..255 (a plain conversion would clip them to white).
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def small_version(original_path: str, small_path: str) -> str | None:
    """The small version's path, made now unless it already was; None when there is none (the
    original is missing, or is not a photo Pillow can shrink: serve the original then).

    A photo that cannot be shrunk leaves an empty file in place of its small version, so that
    the next hundred requests for it do not decode it again."""
    made = _made(small_path)
    if made is not None:
        return small_path if made else None
    with _making:
        made = _made(small_path)
        if made is not None:
            return small_path if made else None
        try:
            with open(original_path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        try:
            small = shrink(data)
        except CannotShrink as error:
            logger.warning("No small version for %s: %s", os.path.basename(original_path), error)
            small = b""
        except MemoryError:
            # Perhaps only now: not recorded, the original is served meanwhile.
            logger.exception("Out of memory shrinking %s", os.path.basename(original_path))
            return None
        try:
            write_atomically(small_path, small)
        except OSError:
            logger.exception("Could not store the small version of %s", original_path)
            return None
    if not os.path.exists(original_path):
        # Removed meanwhile: the small version must not outlive it.
        with contextlib.suppress(FileNotFoundError):
            os.remove(small_path)
        return None
    return small_path if small else None


def _made(small_path: str) -> bool | None:
    """True for a small version on disk, False for a photo known to have none, None if unknown."""
    try:
        return os.path.getsize(small_path) > 0
    except FileNotFoundError:
        return None


def send_small(storage_name: str, content_type: str, original_name: str):
    """The response for a stored photo's small version (made now if need be), or the photo
    itself, once clean, when it has none; 404 when neither can be served."""
    from flask import abort

    from facilitate.workspace import photos, uploads

    path = uploads.path_of(storage_name)
    if path is None or not os.path.isfile(path):
        abort(404)
    small = small_version(path, uploads.small_path_of(storage_name))
    if small is not None:
        path, mimetype, extension = small, "image/jpeg", "jpg"
    elif photos.ready_to_serve(storage_name):
        mimetype, extension = content_type, storage_name.rsplit(".", 1)[1]
    else:
        abort(404)
    return uploads.send_inline(path, mimetype, original_name, extension)
