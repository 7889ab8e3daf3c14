"""Small versions of prototype photos: what phones load on the stand page and the workspace
shows as thumbnails. Upright, at most 640 pixels, without EXIF (GPS), made once and kept;
a file Pillow cannot read falls back to the original, never to an error page."""

import io
import os
import re
import struct
import zlib

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import PrototypeFile, Stage
from facilitate.workspace import thumbnails, uploads
from tests.factories import sign_in, stand_path

RED, BLUE = (220, 30, 30), (30, 30, 220)


def _photo(size=(3000, 2000), orientation: int | None = 6, gps: bool = True) -> bytes:
    """A phone-like JPEG: red on the left half, blue on the right, with noise so that it weighs
    what a photo weighs; an EXIF orientation tag, a camera make and a GPS position."""
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    image = Image.blend(image, Image.effect_noise(size, 30).convert("RGB"), 0.25)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = "N"
        position[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
        position[ExifTags.GPS.GPSLongitudeRef] = "E"
        position[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 7.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def _transparent_png() -> bytes:
    """A transparent 800×800 PNG with an opaque red square in its middle."""
    image = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    image.paste((*RED, 255), (300, 300, 500, 500))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims these dimensions, with a few bytes of pixels: a decompression bomb's
    header, cheap to make, that must never be decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


PHOTO = _photo()
TRUNCATED = PHOTO[: len(PHOTO) // 3]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _has_no_metadata(data: bytes, image: Image.Image) -> None:
    assert "exif" not in image.info and len(image.getexif()) == 0
    assert b"Exif" not in data and b"PhoneCo" not in data
    assert "xmp" not in image.info and "comment" not in image.info


# --- Making the small version -----------------------------------------------------------------


def test_a_large_photo_is_shrunk_upright_and_without_its_exif():
    original = _opened(PHOTO)
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has a position
    small = thumbnails.shrink(PHOTO)
    image = _opened(small)
    assert image.format == "JPEG" and image.mode == "RGB"
    # Orientation 6: stored landscape, shown portrait, turned a quarter clockwise: the stored
    # left half (red) is now on top.
    assert image.size == (427, 640)
    top, bottom = image.getpixel((213, 40)), image.getpixel((213, 600))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], (top, bottom)
    _has_no_metadata(small, image)
    assert len(small) * 20 < len(PHOTO), (len(PHOTO), len(small))


def test_a_small_photo_is_not_enlarged():
    small = _opened(thumbnails.shrink(_photo((400, 300), orientation=None)))
    assert small.size == (400, 300)


def test_transparency_is_shown_on_white():
    image = _opened(thumbnails.shrink(_transparent_png()))
    assert image.mode == "RGB" and image.size == (640, 640)
    assert min(image.getpixel((20, 20))) > 245
    red = image.getpixel((320, 320))
    assert red[0] > 180 and red[1] < 70 and red[2] < 70


@pytest.mark.parametrize("mode", ["P", "LA", "I;16", "CMYK", "L"])
def test_other_modes_become_rgb(mode):
    image = Image.new("RGBA" if mode in ("P", "LA") else "RGB", (700, 100), (255, 0, 0, 0))
    image = image.convert(mode) if mode != "I;16" else Image.new("I;16", (700, 100), 40000)
    out = io.BytesIO()
    image.save(
        out, "JPEG" if mode == "CMYK" else "PNG", **({"transparency": 0} if mode == "P" else {})
    )
    small = _opened(thumbnails.shrink(out.getvalue()))
    assert small.mode == "RGB" and small.size == (640, 91)
    if mode == "I;16":
        assert 140 < small.getpixel((10, 10))[0] < 170  # 40000 / 65535 of white, not clipped


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(TRUNCATED, id="truncated-jpeg"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 200, id="garbage-after-jpeg-magic"),
        pytest.param(_png_header(8000, 6000), id="48-megapixel-png"),
        pytest.param(_png_header(30000, 30000), id="900-megapixel-png"),
        pytest.param(PDF, id="pdf"),
    ],
)
def test_what_cannot_be_shrunk_says_so(content):
    with pytest.raises(thumbnails.CannotShrink):
        thumbnails.shrink(content)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    """Beyond the pixel limit when decoded whole (6 megapixels here), but a JPEG is decoded at
    half its size or less (1.5), still more than 640 pixels on each side."""
    monkeypatch.setattr(thumbnails, "MAX_PIXELS", 2_000_000)
    image = _opened(thumbnails.shrink(_photo((3000, 2000), orientation=None, gps=False)))
    assert image.size == (640, 427)
    monkeypatch.setattr(thumbnails, "MAX_PIXELS", 1_000_000)
    with pytest.raises(thumbnails.CannotShrink):
        thumbnails.shrink(_photo((3000, 2000), orientation=None, gps=False))


def test_a_phones_multi_picture_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    monkeypatch.setattr(thumbnails, "MAX_PIXELS", 2_000_000)
    out = io.BytesIO()
    first, depth = Image.new("RGB", (3000, 2000), RED), Image.new("L", (3000, 2000), 128)
    first.save(out, "MPO", save_all=True, append_images=[depth.convert("RGB")])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    image = _opened(thumbnails.shrink(out.getvalue()))
    assert image.format == "JPEG" and image.size == (640, 427)


# --- Serving it -------------------------------------------------------------------------------


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def event(make):
    return make.event(challenges=2, stage=Stage.EXHIBITION)


@pytest.fixture
def team(event):
    return event.challenges[0].team


@pytest.fixture
def member(client, make, event, team):
    client.set_cookie("facilitate_lang", "en")
    person = make.participant(event, team=team)
    db.session.commit()
    sign_in(client, person)
    return person


def _url(event, suffix: str = "", number: int = 1) -> str:
    return f"/events/{event.slug}/teams/{number}/workspace{suffix}"


def _upload(client, event, content: bytes, name: str) -> PrototypeFile:
    data = {"file": (io.BytesIO(content), name, "image/jpeg"), "consent": "y"}
    response = client.post(_url(event, "/files"), data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.text
    return db.session.scalars(select(PrototypeFile).order_by(PrototypeFile.id.desc())).first()


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    data = response.data
    response.close()
    return response, data


def _small_path(row) -> str:
    return uploads.small_path_of(row.storage_name)


def test_the_small_version_is_served_with_the_originals_headers(client, event, member, folder):
    row = _upload(client, event, PHOTO, "maquette.jpg")
    response, data = _get(client, _url(event, f"/files/{row.id}/small"))
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "maquette.jpg" in response.headers["Content-Disposition"]
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]
    image = _opened(data)
    assert max(image.size) == 640 and image.size == (427, 640)
    _has_no_metadata(data, image)
    assert len(data) * 20 < len(PHOTO)
    # Beside the original, under a name show_file can never be asked for.
    assert sorted(os.listdir(folder)) == sorted(
        [row.storage_name, row.storage_name.replace(".jpg", ".small.jpg")]
    )
    assert uploads.path_of(os.path.basename(_small_path(row))) is None

    # The browser asks again: not modified.
    again, _ = _get(
        client,
        _url(event, f"/files/{row.id}/small"),
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304

    # The original is at its own address, as stored: upright and without its EXIF (photos.py).
    original, data = _get(client, _url(event, f"/files/{row.id}"))
    assert original.status_code == 200
    assert _opened(data).size == (2000, 3000)
    _has_no_metadata(data, _opened(data))


def test_the_small_version_is_made_once(client, event, member, folder, monkeypatch):
    row = _upload(client, event, PHOTO, "maquette.jpg")
    url = _url(event, f"/files/{row.id}/small")
    first, data = _get(client, url)
    assert first.status_code == 200
    made = os.stat(_small_path(row)).st_mtime_ns

    def fail(_data):
        raise AssertionError("shrunk again")

    monkeypatch.setattr(thumbnails, "shrink", fail)
    second, again = _get(client, url)
    assert second.status_code == 200 and again == data
    assert os.stat(_small_path(row)).st_mtime_ns == made


def test_photos_stored_before_have_no_small_version_until_asked(client, event, member, folder):
    row = _upload(client, event, PHOTO, "maquette.jpg")
    assert not os.path.exists(_small_path(row))
    assert _get(client, _url(event, f"/files/{row.id}/small"))[0].status_code == 200
    assert os.path.getsize(_small_path(row)) > 0


def test_a_corrupt_photo_falls_back_to_the_original_once_tried(
    client, event, member, folder, monkeypatch
):
    # Without metadata, so stored as it was sent; its pixels are missing. (A corrupt photo with
    # metadata cannot be cleaned, and is refused at upload: see test_photo_metadata.py.)
    corrupt = _png_header(100, 100)
    row = _upload(client, event, corrupt, "coupée.png")
    url = _url(event, f"/files/{row.id}/small")
    response, data = _get(client, url)
    assert response.status_code == 200
    assert response.mimetype == "image/png" and data == corrupt
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]
    # Known to have none: the next requests do not decode it again.
    assert os.path.getsize(_small_path(row)) == 0
    monkeypatch.setattr(thumbnails, "shrink", lambda _data: pytest.fail("decoded again"))
    response, data = _get(client, url)
    assert response.status_code == 200 and data == corrupt


def test_a_bomb_header_falls_back_to_the_original(client, event, member, folder):
    bomb = _png_header(30000, 30000)
    row = _upload(client, event, bomb, "bombe.png")
    response, data = _get(client, _url(event, f"/files/{row.id}/small"))
    assert response.status_code == 200
    assert response.mimetype == "image/png" and data == bomb


def test_a_missing_original_or_a_pdf_has_no_small_version(client, event, member, folder):
    pdf = _upload(client, event, PDF, "plan.pdf")
    assert _get(client, _url(event, f"/files/{pdf.id}/small"))[0].status_code == 404
    assert not os.path.exists(_small_path(pdf))

    row = _upload(client, event, PHOTO, "maquette.jpg")
    os.remove(uploads.path_of(row.storage_name))
    assert _get(client, _url(event, f"/files/{row.id}/small"))[0].status_code == 404
    assert not os.path.exists(_small_path(row))
    assert _get(client, _url(event, "/files/999999/small"))[0].status_code == 404


def test_a_photo_removed_while_shrinking_leaves_no_small_version(tmp_path, monkeypatch):
    original, small = tmp_path / "a.jpg", tmp_path / "a.small.jpg"
    original.write_bytes(PHOTO)
    shrink = thumbnails.shrink

    def shrink_then_remove(data):
        result = shrink(data)
        original.unlink()
        return result

    monkeypatch.setattr(thumbnails, "shrink", shrink_then_remove)
    assert thumbnails.small_version(str(original), str(small)) is None
    assert not small.exists()


def test_removing_a_photo_removes_its_small_version(client, event, member, folder):
    file_id = _upload(client, event, PHOTO, "maquette.jpg").id
    _get(client, _url(event, f"/files/{file_id}/small"))
    assert len(os.listdir(folder)) == 2
    response = client.post(_url(event, f"/files/{file_id}/delete"))
    assert response.status_code == 303
    assert os.listdir(folder) == []
    assert _get(client, _url(event, f"/files/{file_id}/small"))[0].status_code == 404


def test_the_small_version_is_read_by_the_same_people_as_the_original(
    client, make, event, member, folder
):
    row = _upload(client, event, PHOTO, "maquette.jpg")
    url = _url(event, f"/files/{row.id}/small")
    neighbour = make.participant(event, team=event.challenges[1].team)
    stranger_event = make.event(challenges=1)
    stranger = make.participant(stranger_event, team=stranger_event.challenges[0].team)
    db.session.commit()

    client.post("/sign-out")
    anonymous, _ = _get(client, url)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/sign-in?next=")

    sign_in(client, neighbour)
    assert _get(client, url)[0].status_code == 200
    # Through their own team's address, another team's photo does not exist.
    assert _get(client, _url(event, f"/files/{row.id}/small", number=2))[0].status_code == 404

    client.post("/sign-out")
    sign_in(client, stranger)
    assert _get(client, url)[0].status_code == 403
    other = f"/events/{stranger_event.slug}/teams/1/workspace/files/{row.id}/small"
    assert _get(client, other)[0].status_code == 404


# --- Where the pages use it -------------------------------------------------------------------


def test_the_workspace_shows_small_photos_linked_to_the_originals(client, event, member, folder):
    photo = _upload(client, event, PHOTO, "maquette.jpg")
    pdf = _upload(client, event, PDF, "plan.pdf")
    page = client.get(_url(event, "/prototyping")).text
    original, small = _url(event, f"/files/{photo.id}"), _url(event, f"/files/{photo.id}/small")
    assert re.search(rf'<a href="{original}"><img src="{small}"', page)
    assert f'href="{_url(event, f"/files/{pdf.id}")}"' in page
    assert f"/files/{pdf.id}/small" not in page


def test_the_stand_page_shows_the_small_photo(client, make, event, team, member, folder):
    row = _upload(client, event, PHOTO, "maquette.jpg")
    visitor = make.participant(event, team=event.challenges[1].team)
    db.session.commit()
    client.post("/sign-out")
    sign_in(client, visitor)
    page = client.get(stand_path(team)).text
    image = re.search(r'<img class="stand-photo" [^>]*>', page).group(0)
    assert f'src="{_url(event, f"/files/{row.id}/small")}"' in image
    assert 'width="320"' in image and 'loading="lazy"' in image
