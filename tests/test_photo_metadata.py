"""Prototype photos lose their metadata: GPS position, device, date, comments, XMP. The original
is turned upright from its EXIF orientation, then stored without them, at upload; photos stored
before are cleaned by ``flask --app facilitate clean-photos`` (or on their first request). PDFs
are stored as sent."""

import io
import os
import secrets

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import PrototypeFile, Stage
from facilitate.workspace import photos, uploads
from tests.factories import sign_in, stand_path

RED, BLUE = (220, 30, 30), (30, 30, 220)
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Lyon, chez Camille</rdf:RDF></x:xmpmeta>'
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif(orientation: int | None = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "Pocket 12"
    exif[ExifTags.Base.DateTime] = "2026:03:10 14:02:11"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    position = exif.get_ifd(ExifTags.IFD.GPSInfo)
    position[ExifTags.GPS.GPSLatitudeRef] = "N"
    position[ExifTags.GPS.GPSLatitude] = (45.0, 45.0, 51.0)
    position[ExifTags.GPS.GPSLongitudeRef] = "E"
    position[ExifTags.GPS.GPSLongitude] = (4.0, 50.0, 32.0)
    return exif


def _picture(size=(400, 200)) -> Image.Image:
    """Red on the left half, blue on the right: which way is up shows after turning."""
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image


def _photo(kind: str = "JPEG", orientation: int | None = 6) -> bytes:
    """A phone's photo: EXIF with GPS, device, date and orientation, XMP, a colour profile."""
    out = io.BytesIO()
    options = {"exif": _exif(orientation), "icc_profile": SRGB}
    if kind == "JPEG":
        options |= {"quality": 92, "comment": b"Camille's phone", "xmp": XMP}
    elif kind == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Camille Martin")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options |= {"pnginfo": text}
    else:
        options |= {"quality": 90, "xmp": XMP}
    _picture().save(out, kind, **options)
    return out.getvalue()


def _assert_clean(data: bytes, kind: str, size=(200, 400)) -> Image.Image:
    """Without any metadata, in the same format, upright: the stored left half (red) on top."""
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == kind
    assert len(image.getexif()) == 0 and "exif" not in image.info
    for key in ("xmp", "XML:com.adobe.xmp", "comment", "Author"):
        assert key not in image.info, key
    for trace in (b"Exif", b"PhoneCo", b"Pocket 12", b"2026:03:10", b"Camille", b"Lyon"):
        assert trace not in data, trace
    assert image.size == size
    rgb = image.convert("RGB")
    top, bottom = rgb.getpixel((size[0] // 2, 10)), rgb.getpixel((size[0] // 2, size[1] - 10))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], (top, bottom)
    assert image.info.get("icc_profile") == SRGB  # the colour profile stays
    return image


# --- At upload ----------------------------------------------------------------------------------


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def event(make):
    return make.event(challenges=2, stage=Stage.EXHIBITION)


@pytest.fixture
def member(client, make, event):
    person = make.participant(event, team=event.challenges[0].team)
    db.session.commit()
    sign_in(client, person)
    return person


def _url(event, suffix: str = "") -> str:
    return f"/events/{event.slug}/teams/1/workspace{suffix}"


def _upload(client, event, content: bytes, name: str):
    data = {"file": (io.BytesIO(content), name, "image/jpeg"), "consent": "y"}
    return client.post(
        _url(event, "/files"),
        data=data,
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )


def _rows() -> list[PrototypeFile]:
    return db.session.scalars(select(PrototypeFile).order_by(PrototypeFile.id)).all()


def _stored(row: PrototypeFile) -> bytes:
    with open(uploads.path_of(row.storage_name), "rb") as f:
        return f.read()


@pytest.mark.parametrize(
    ("kind", "name", "extension"),
    [
        ("JPEG", "IMG_2041.jpg", "jpg"),
        ("PNG", "maquette.png", "png"),
        ("WEBP", "stand.webp", "webp"),
    ],
)
def test_an_uploaded_photo_is_stored_upright_without_its_metadata(
    client, event, member, folder, kind, name, extension
):
    photo = _photo(kind)
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = _upload(client, event, photo, name)
    assert response.status_code == 303, response.text
    (row,) = _rows()
    assert row.storage_name.endswith("." + extension) and row.original_name == name
    stored = _stored(row)
    _assert_clean(stored, kind)
    assert row.size_bytes == len(stored)
    if kind == "JPEG":
        assert Image.open(io.BytesIO(stored)).info["jfif"]  # a plain JPEG, not the phone's MPO
    # What the workspace links to, and what is downloaded, is that clean file.
    served = client.get(_url(event, f"/files/{row.id}"))
    assert served.status_code == 200 and served.data == stored
    served.close()


def test_a_jpeg_keeps_a_high_quality():
    noisy = Image.effect_noise((600, 400), 40).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95, exif=_exif(orientation=None))
    cleaned = photos.clean(out.getvalue(), uploads.JPEG)
    again = Image.open(io.BytesIO(cleaned)).convert("RGB")
    difference = sum(abs(a - b) for a, b in zip(again.tobytes(), noisy.tobytes(), strict=True))
    assert difference / len(noisy.tobytes()) < 6  # mean error per channel, out of 255


def test_a_clean_photo_and_a_pdf_are_stored_as_sent(client, event, member, folder):
    out = io.BytesIO()
    _picture().save(out, "PNG")
    plain = out.getvalue()
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Author(Camille Martin)>>endobj\ntrailer<<>>\n%%EOF\n"
    assert _upload(client, event, plain, "schema.png").status_code == 303
    assert _upload(client, event, pdf, "plan.pdf").status_code == 303
    png_row, pdf_row = _rows()
    assert _stored(png_row) == plain
    assert _stored(pdf_row) == pdf


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_photo()[:3000], id="truncated-jpeg-with-exif"),
        pytest.param(_photo("PNG")[:-40], id="truncated-png-with-text"),
        pytest.param(b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00" + b"\x00" * 100, id="exif-no-image"),
    ],
)
def test_a_photo_that_cannot_be_cleaned_is_refused_with_a_message(
    client, event, member, folder, content
):
    response = _upload(client, event, content, "abîmée.jpg")
    assert response.status_code == 400
    assert 'id="file-error"' in response.text
    assert "This photo could not be read: the file may be damaged." in response.text
    assert _rows() == [] and not (folder.exists() and os.listdir(folder))


def test_a_photo_with_too_many_pixels_to_clean_is_refused(
    client, event, member, folder, monkeypatch
):
    monkeypatch.setattr(photos, "MAX_PIXELS", 10_000)
    response = _upload(client, event, _photo(), "immense.jpg")
    assert response.status_code == 400
    assert "This photo has too many pixels" in response.text
    assert _rows() == []


def test_the_poster_shows_the_clean_photo(client, make, event, member, folder):
    assert _upload(client, event, _photo(), "IMG_2041.jpg").status_code == 303
    organiser = make.organiser(event)
    db.session.commit()
    client.post("/sign-out")
    sign_in(client, organiser)
    page = client.get(stand_path(event.challenges[0].team, "/poster")).text
    source = page.split('class="poster__photo" src="')[1].split('"')[0]
    image = client.get(source)
    assert image.status_code == 200
    _assert_clean(image.data, "JPEG")
    image.close()


# --- Photos stored before: the clean-photos command ---------------------------------------------


def _legacy(event, folder, content: bytes, extension: str = "jpg") -> PrototypeFile:
    """A photo as uploads stored it before they were cleaned: its metadata kept."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    (folder / name).write_bytes(content)
    row = PrototypeFile(
        team_id=event.challenges[0].team.id,
        original_name=f"ancienne.{extension}",
        content_type={"jpg": "image/jpeg", "png": "image/png"}[extension],
        size_bytes=len(content),
        storage_name=name,
        is_photo=True,
        consent_confirmed=True,
    )
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args), catch_exceptions=False)


def test_the_command_cleans_photos_stored_before_and_is_idempotent(cli, event, folder):
    jpeg, png = _legacy(event, folder, _photo()), _legacy(event, folder, _photo("PNG"), "png")
    out = io.BytesIO()
    _picture().save(out, "JPEG")
    clean_already = _legacy(event, folder, out.getvalue())

    result = cli("clean-photos")
    assert result.exit_code == 0, result.output
    assert "2 photos nettoyées" in result.output
    assert "1 photo était déjà nettoyée." in result.output
    db.session.expire_all()
    _assert_clean(_stored(jpeg), "JPEG")
    _assert_clean(_stored(png), "PNG")
    assert jpeg.size_bytes == len(_stored(jpeg)) and png.size_bytes == len(_stored(png))
    assert _stored(clean_already) == out.getvalue()
    # Nothing is left behind: no temporary file beside them.
    assert sorted(os.listdir(folder)) == sorted(r.storage_name for r in (jpeg, png, clean_already))

    before = {row.storage_name: _stored(row) for row in (jpeg, png, clean_already)}
    again = cli("clean-photos")
    assert again.exit_code == 0
    assert "0 photo nettoyée" in again.output and "3 photos étaient déjà nettoyées." in again.output
    assert {row.storage_name: _stored(row) for row in (jpeg, png, clean_already)} == before


def test_a_damaged_or_missing_photo_is_reported_not_fatal(cli, event, folder):
    damaged = _legacy(event, folder, _photo()[:3000])
    missing = _legacy(event, folder, _photo())
    os.remove(uploads.path_of(missing.storage_name))
    sound = _legacy(event, folder, _photo())

    result = cli("clean-photos")
    assert result.exit_code == 1
    assert "1 photo nettoyée" in result.output
    assert f"(fichier {damaged.id}, enregistré sous {damaged.storage_name})" in result.output
    assert "n’a pas pu être lue" in result.output
    assert (
        f"(fichier {missing.id}," in result.output and "le fichier est introuvable" in result.output
    )
    assert "2 photos n’ont pas pu être nettoyées" in result.output
    _assert_clean(_stored(sound), "JPEG")
    assert _stored(damaged) == _photo()[:3000]  # left as it was


def test_a_photo_stored_before_is_cleaned_on_its_first_request(client, event, member, folder):
    row = _legacy(event, folder, _photo())
    response = client.get(_url(event, f"/files/{row.id}"))
    assert response.status_code == 200
    _assert_clean(response.data, "JPEG")
    response.close()
    _assert_clean(_stored(row), "JPEG")


def test_a_photo_stored_before_that_cannot_be_cleaned_is_not_served(client, event, member, folder):
    row = _legacy(event, folder, _photo()[:3000])
    assert client.get(_url(event, f"/files/{row.id}")).status_code == 404
    # Nor as its small version's fallback.
    assert client.get(_url(event, f"/files/{row.id}/small")).status_code == 404
    assert _stored(row) == _photo()[:3000]


# --- What counts as clean -------------------------------------------------------------------------


def test_cleaning_twice_changes_nothing():
    for kind, file_type in (("JPEG", uploads.JPEG), ("PNG", uploads.PNG), ("WEBP", uploads.WEBP)):
        once = photos.clean(_photo(kind), file_type)
        assert photos.is_clean(once, file_type), kind
        assert photos.clean(once, file_type) is once


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(b"SEFHtrailer with a position", id="after-the-end"),
        pytest.param(b"\x00" * 16, id="padding-after-the-end"),
    ],
)
def test_data_after_a_jpegs_end_is_not_clean(extra):
    out = io.BytesIO()
    _picture().save(out, "JPEG")
    assert photos.is_clean(out.getvalue(), uploads.JPEG)
    assert not photos.is_clean(out.getvalue() + extra, uploads.JPEG)
    cleaned = photos.clean(out.getvalue() + extra, uploads.JPEG)
    assert photos.is_clean(cleaned, uploads.JPEG) and cleaned.endswith(b"\xff\xd9")


def test_a_phones_multi_picture_jpeg_keeps_its_first_picture_only():
    out = io.BytesIO()
    depth = Image.new("RGB", (400, 200), (128, 128, 128))
    _picture().save(out, "MPO", save_all=True, append_images=[depth], exif=_exif())
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    cleaned = photos.clean(out.getvalue(), uploads.JPEG)
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
    assert image.size == (200, 400)
