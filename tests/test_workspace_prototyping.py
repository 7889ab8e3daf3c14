"""Prototyping and exhibition preparation in the team workspace: the prototype's description,
photos and files (checked by content, with consent), feedback from tests, and the pitch."""

import io
import os
import struct
import zlib

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitate.extensions import db
from facilitate.models import FeedbackEntry, Idea, PrototypeFile, PrototypeKind
from facilitate.models._types import utcnow
from facilitate.workspace import uploads
from facilitate.workspace.conflicts import fingerprint
from tests.factories import sign_in


def _png() -> bytes:
    """A real 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def event(make):
    return make.event(challenges=2)


@pytest.fixture
def team(event):
    return event.challenges[0].team


@pytest.fixture
def member(client, make, event, team):
    person = make.participant(event, team=team)
    db.session.commit()
    sign_in(client, person)
    return person


def _url(event, suffix: str = "", number: int = 1) -> str:
    return f"/events/{event.slug}/teams/{number}/workspace{suffix}"


def _upload(client, event, content: bytes, name: str, consent: bool = True, mime="image/jpeg"):
    data = {"file": (io.BytesIO(content), name, mime)}
    if consent:
        data["consent"] = "y"
    return client.post(_url(event, "/files"), data=data, content_type="multipart/form-data")


def _stored_files(folder) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def _rows(team) -> list[PrototypeFile]:
    return db.session.scalars(select(PrototypeFile).where(PrototypeFile.team_id == team.id)).all()


# --- The prototype's description --------------------------------------------------------------


def test_members_describe_the_prototype(client, event, team, member):
    response = client.post(
        _url(event, "/prototype"),
        data={
            "prototype_kind": "service",
            "prototype_summary": "Un guichet mobile\r\nen mairie",
            "prototype_tests": "Les habitants viennent-ils ?",
            "test_plan": "Samedi au marché",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#prototype")
    db.session.refresh(team)
    assert team.prototype_kind is PrototypeKind.SERVICE
    assert team.prototype_summary == "Un guichet mobile\nen mairie"
    assert team.prototype_tests == "Les habitants viennent-ils ?"
    assert team.test_plan == "Samedi au marché"
    page = client.get(_url(event, "/prototyping"))
    assert page.status_code == 200
    assert "Samedi au marché" in page.text


def test_an_unknown_kind_is_refused_with_input_kept(client, event, team, member):
    response = client.post(
        _url(event, "/prototype"),
        data={"prototype_kind": "spaceship", "prototype_summary": "Kept text"},
    )
    assert response.status_code == 400
    assert "Kept text" in response.text
    db.session.refresh(team)
    assert team.prototype_kind is None and team.prototype_summary is None


def test_two_edits_of_the_summary_from_the_same_base_keep_the_first(client, event, team, member):
    base = {f"base_{name}": fingerprint("") for name in ("prototype_kind", "prototype_summary")}
    first = client.post(
        _url(event, "/prototype"), data={**base, "prototype_summary": "First version"}
    )
    assert first.status_code == 303
    second = client.post(
        _url(event, "/prototype"),
        data={**base, "prototype_kind": "place", "prototype_summary": "Second version"},
    )
    assert second.status_code == 409
    assert "First version" in second.text and "Second version" in second.text
    db.session.refresh(team)
    assert team.prototype_summary == "First version"
    # The field nobody else touched is saved.
    assert team.prototype_kind is PrototypeKind.PLACE


# --- Files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type", "extension", "consent"),
    [
        (JPEG, "stand.jpg", "image/jpeg", "jpg", True),
        (PNG, "maquette.png", "image/png", "png", True),
        (WEBP, "photo.webp", "image/webp", "webp", True),
        (PDF, "plan de test.pdf", "application/pdf", "pdf", False),
    ],
)
def test_photos_and_pdfs_are_stored_and_served_back(
    client, event, team, member, folder, content, name, content_type, extension, consent
):
    response = _upload(client, event, content, name, consent=consent, mime="text/plain")
    assert response.status_code == 303, response.text
    (row,) = _rows(team)
    assert row.content_type == content_type
    assert row.size_bytes == len(content)
    assert row.is_photo == (extension != "pdf")
    assert row.consent_confirmed == consent
    assert row.original_name == name
    assert row.storage_name.endswith("." + extension) and len(row.storage_name.split(".")[0]) == 32
    assert _stored_files(folder) == [row.storage_name]

    served = client.get(_url(event, f"/files/{row.id}"))
    assert served.status_code == 200
    assert served.mimetype == content_type
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline")
    assert served.data == content
    served.close()

    page = client.get(_url(event, "/prototyping")).text
    if row.is_photo:
        assert (
            f'alt="Photo of the prototype: {name}"'
            in client.get(_url(event, "/prototyping"), headers={"Accept-Language": "en"}).text
        )
    assert _url(event, f"/files/{row.id}") in page


@pytest.mark.parametrize(
    ("content", "name", "mime"),
    [
        (b"<!doctype html><script>alert(1)</script>", "photo.jpg", "image/jpeg"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50, "rapport.pdf", "application/pdf"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "logo.svg",
            "image/svg+xml",
        ),
        (b"<html><body>%PDF-1.4</body></html>", "plan.pdf", "application/pdf"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "son.webp", "image/webp"),
    ],
)
def test_disguised_files_are_refused_and_nothing_is_stored(
    client, event, team, member, folder, content, name, mime
):
    response = _upload(client, event, content, name, mime=mime)
    assert response.status_code == 400
    assert 'id="file-error"' in response.text
    assert _rows(team) == []
    assert _stored_files(folder) == []


def test_empty_file_and_missing_file_are_refused(client, event, team, member, folder):
    assert _upload(client, event, b"", "vide.pdf").status_code == 400
    response = client.post(_url(event, "/files"), data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert _rows(team) == [] and _stored_files(folder) == []


def test_oversize_files_are_refused(app, client, event, team, member, folder, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1000)
    assert _upload(client, event, PDF + b"\n" * (1000 - len(PDF)), "limit.pdf").status_code == 303
    response = _upload(client, event, PDF + b"\n" * (1001 - len(PDF)), "big.pdf")
    assert response.status_code == 400
    assert 'id="file-error"' in response.text
    assert len(_rows(team)) == 1 and len(_stored_files(folder)) == 1
    # Beyond the whole request's limit, the friendly 413 page.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 5000)
    assert _upload(client, event, PDF + b"\n" * 6000, "huge.pdf").status_code == 413
    assert len(_rows(team)) == 1 and len(_stored_files(folder)) == 1


def test_a_photo_needs_the_consent_of_the_people_pictured(client, event, team, member, folder):
    response = _upload(client, event, PNG, "groupe.png", consent=False)
    assert response.status_code == 400
    assert 'id="consent-error"' in response.text
    assert _rows(team) == [] and _stored_files(folder) == []


def test_a_failed_database_write_removes_the_stored_file(
    client, event, team, member, folder, monkeypatch
):
    # A row the database refuses (no original name) after the file was written.
    monkeypatch.setattr(
        "facilitate.workspace.routes_prototyping.uploads.display_name", lambda _name: None
    )
    with pytest.raises(IntegrityError):
        _upload(client, event, PDF, "plan.pdf")
    assert _rows(team) == [] and _stored_files(folder) == []


def test_delete_removes_the_row_and_the_stored_file(client, event, team, member, folder):
    _upload(client, event, PNG, "maquette.png")
    (row,) = _rows(team)
    file_id = row.id
    assert len(_stored_files(folder)) == 1
    response = client.post(_url(event, f"/files/{file_id}/delete"))
    assert response.status_code == 303
    assert _rows(team) == [] and _stored_files(folder) == []
    assert client.get(_url(event, f"/files/{file_id}")).status_code == 404


def test_people_outside_the_team_cannot_upload_delete_or_reach_other_files(
    client, make, event, team, member, folder
):
    _upload(client, event, PNG, "maquette.png")
    (row,) = _rows(team)
    file_url = _url(event, f"/files/{row.id}")

    # A member of another team of the same event reads the workspace but edits nothing.
    neighbour = make.participant(event, team=event.challenges[1].team)
    stranger_event = make.event(challenges=1)
    stranger = make.participant(stranger_event, team=stranger_event.challenges[0].team)
    db.session.commit()

    client.post("/sign-out")
    sign_in(client, neighbour)
    assert client.get(file_url).status_code == 200
    # Through their own team's address, the file of another team does not exist.
    assert client.get(_url(event, f"/files/{row.id}", number=2)).status_code == 404
    assert _upload(client, event, PDF, "x.pdf").status_code == 403
    assert client.post(_url(event, f"/files/{row.id}/delete")).status_code == 403
    assert client.post(_url(event, "/feedback"), data={"feedback": "x"}).status_code == 403

    client.post("/sign-out")
    sign_in(client, stranger)
    assert client.get(file_url).status_code == 403
    assert _upload(client, event, PDF, "x.pdf").status_code == 403
    assert (
        client.get(f"/events/{stranger_event.slug}/teams/1/workspace/files/{row.id}").status_code
        == 404
    )

    client.post("/sign-out")
    assert client.get(file_url).status_code in (302, 303, 401)
    assert len(_rows(team)) == 1 and _stored_files(folder) == [row.storage_name]


# --- Feedback and pitch -----------------------------------------------------------------------


def test_members_add_feedback_from_tests(client, event, team, member):
    response = client.post(_url(event, "/feedback"), data={"feedback": "Trop de texte"})
    assert response.status_code == 303
    (entry,) = db.session.scalars(select(FeedbackEntry).where(FeedbackEntry.team_id == team.id))
    assert entry.body == "Trop de texte" and entry.author_id == member.id
    assert "Trop de texte" in client.get(_url(event, "/prototyping")).text

    too_long = "x" * 2001
    response = client.post(_url(event, "/feedback"), data={"feedback": too_long})
    assert response.status_code == 400 and too_long in response.text
    assert client.post(_url(event, "/feedback"), data={"feedback": "  "}).status_code == 400
    assert db.session.scalar(select(func.count(FeedbackEntry.id))) == 1


def test_the_pitch_is_at_most_600_characters_and_kept_when_refused(client, event, team, member):
    too_long = "é" * 601
    response = client.post(_url(event, "/pitch"), data={"pitch": too_long})
    assert response.status_code == 400
    assert too_long in response.text
    assert 'id="pitch-error"' in response.text
    assert "601 / 600" in response.text
    db.session.refresh(team)
    assert team.pitch is None

    assert client.post(_url(event, "/pitch"), data={"pitch": "é" * 600}).status_code == 303
    db.session.refresh(team)
    assert team.pitch == "é" * 600
    assert "600 / 600" in client.get(_url(event, "/exhibition")).text


def test_two_edits_of_the_pitch_from_the_same_base_keep_the_first(client, event, team, member):
    base = {"base_pitch": fingerprint("")}
    assert client.post(_url(event, "/pitch"), data={**base, "pitch": "Ours"}).status_code == 303
    second = client.post(_url(event, "/pitch"), data={**base, "pitch": "Mine"})
    assert second.status_code == 409
    assert "Ours" in second.text and "Mine" in second.text
    db.session.refresh(team)
    assert team.pitch == "Ours"


def test_the_poster_summary_shows_the_retained_idea_and_the_prototype(client, event, team, member):
    page = client.get(_url(event, "/exhibition"))
    assert 'id="poster"' in page.text
    db.session.add(
        Idea(
            team_id=team.id,
            title="Le guichet qui roule",
            retained_at=utcnow(),
            retained_reason="Il va vers les habitants",
        )
    )
    team.prototype_summary = "Un camion aménagé"
    db.session.commit()
    page = client.get(_url(event, "/exhibition")).text
    poster = page[page.index('id="poster"') :]
    for text in ("Le guichet qui roule", "Il va vers les habitants", "Un camion aménagé"):
        assert text in poster


# --- A fixed number of queries ----------------------------------------------------------------


def _fill(make, event, team, n: int) -> None:
    for i in range(n):
        author = make.participant(event, team=team)
        db.session.add(
            PrototypeFile(
                team_id=team.id,
                original_name=f"photo-{i}.png",
                content_type="image/png",
                size_bytes=100,
                storage_name=f"{team.id:08x}{i:024x}.png",
                is_photo=True,
                consent_confirmed=True,
            )
        )
        db.session.add(FeedbackEntry(team_id=team.id, author_id=author.id, body=f"Avis {i}"))
    db.session.commit()


def test_the_prototyping_page_runs_the_same_queries_whatever_the_files_and_feedback(
    client, make, event, member, count_queries
):
    small, large = event.challenges[0].team, event.challenges[1].team
    organiser = make.organiser(event)
    _fill(make, event, small, 1)
    _fill(make, event, large, 30)
    client.post("/sign-out")
    sign_in(client, organiser)
    with count_queries() as one:
        assert client.get(_url(event, "/prototyping", number=1)).status_code == 200
    with count_queries() as thirty:
        page = client.get(_url(event, "/prototyping", number=2))
    assert page.status_code == 200
    assert page.text.count("Avis ") >= 30
    assert len(one) == len(thirty)


def test_stored_names_are_checked_before_touching_the_disk(app):
    with app.app_context():
        assert uploads.path_of("../secret_key") is None
        assert uploads.path_of("0" * 32 + ".html") is None
        assert uploads.path_of("a" * 32 + ".pdf").endswith("a" * 32 + ".pdf")
    assert uploads.download_name('..\\evil"; x.pdf', "pdf") == "evil__ x.pdf"
    assert uploads.download_name("", "jpg") == "file.jpg"
