"""Exports stream (issue 13, item 7): a long CSV is sent chunk by chunk, an XLSX or ODS is
written row by row, and memory stays flat as rows grow; yet each download is the file it was
(same cells, same name), refused before a byte to whoever may not have it, and an error while
reading the rows is an error page, never a truncated file."""

import datetime
import io
import shutil
import subprocess
import tracemalloc
import zipfile

import pytest
from flask import Flask
from python_calamine import CalamineWorkbook
from sqlalchemy import update

from facilitate.extensions import db
from facilitate.models import Membership, Role
from facilitate.people import routes_spreadsheet
from facilitate.people.spreadsheet import attendee_table, check_attendee_file, import_attendees
from facilitate.spreadsheets import writing
from facilitate.spreadsheets.reading import read_table
from facilitate.spreadsheets.writing import csv_chunks, save_ods, save_xlsx, write_csv, write_ods
from tests.factories import sign_in

EXPORTS = [
    "people/export.csv",
    "people/export.xlsx",
    "people/export.ods",
    "people/access-codes.csv",
    "challenges/export.csv",
    "challenges/export.xlsx",
    "challenges/export.ods",
    "organise/vote/results.csv",
    "organise/vote/feedback.csv",
    "organise/vote/feedback.xlsx",
    "organise/vote/feedback.ods",
]


@pytest.fixture
def small_chunks(monkeypatch):
    """Two rows a CSV chunk: a few people make a streamed download."""
    monkeypatch.setattr(writing, "CSV_CHUNK_ROWS", 2)


def _event_with_people(make, count=5):
    event = make.event(challenges=2)
    teams = [c.team for c in event.challenges]
    make.participant(event, team=teams[1], name="Zoé =Petit", organisation="=1+1")
    make.participant(event, name="Ali Diallo", organisation="-CD35")
    for n in range(count - 2):
        make.participant(event, team=teams[n % 2], name=f"Personne {n}", organisation="@Rennes")
    organiser = make.organiser(event, password=None)
    db.session.commit()
    return event, organiser


def test_a_long_csv_streams_and_is_the_file_it_was(client, make, small_chunks):
    event, organiser = _event_with_people(make)
    headers, rows = attendee_table(event)
    sign_in(client, organiser)
    response = client.get(f"/events/{event.slug}/people/export.csv")
    assert response.status_code == 200
    assert "Content-Length" not in response.headers  # sent as it is written
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{event.slug}-participants.csv"; '
        f"filename*=UTF-8''{event.slug}-participants.csv"
    )
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body == write_csv(headers, rows)
    assert body.startswith("\ufeff".encode()) and body.count(b"\r\n") == 6
    assert b";'=1+1;" in body  # formulas neutralised, as before
    assert b"\x01" not in body


def test_a_short_csv_is_sent_whole():
    with Flask(__name__).test_request_context():
        response = writing.spreadsheet_download(["a", "b"], iter([[1, 2]]), "csv", "x", "x")
    assert not response.is_streamed
    assert response.get_data() == b"\xef\xbb\xbfa;b\r\n1;2\r\n"


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_xlsx_and_ods_downloads_give_their_size_and_name(client, make, fmt):
    event, organiser = _event_with_people(make)
    headers, rows = attendee_table(event)
    sign_in(client, organiser)
    response = client.get(f"/events/{event.slug}/people/export.{fmt}")
    assert response.status_code == 200
    body = response.get_data()
    assert int(response.headers["Content-Length"]) == len(body)
    assert f'filename="{event.slug}-participants.{fmt}"' in response.headers["Content-Disposition"]
    table = read_table(body, f"x.{fmt}")
    assert table.headers == headers
    assert table.rows == read_table(write_csv(headers, rows), "x.csv").rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_every_format_downloaded_imports_back_into_another_event(client, make, fmt, small_chunks):
    source, organiser = _event_with_people(make, count=6)
    sign_in(client, organiser)
    data = client.get(f"/events/{source.slug}/people/export.{fmt}").get_data()
    target = make.event(challenges=2)
    checked = check_attendee_file(target, data, f"participants.{fmt}")
    assert checked.problems == []
    result = import_attendees(target, checked)
    assert (result.created, result.updated, result.placed) == (0, 6, 5)
    _headers, exported = attendee_table(source)
    _headers, imported = attendee_table(target)
    assert [row[1:] for row in imported] == [row[1:] for row in exported]


@pytest.mark.parametrize("path", EXPORTS)
def test_an_organiser_of_another_event_gets_nothing(client, make, path, small_chunks):
    event, _organiser = _event_with_people(make)
    other = make.event()
    stranger = make.organiser(other, password=None)
    db.session.commit()
    sign_in(client, stranger)
    response = client.get(f"/events/{event.slug}/{path}")
    assert response.status_code in (403, 404)
    assert response.mimetype == "text/html"  # the error page, not a file
    assert "Content-Disposition" not in response.headers


@pytest.mark.parametrize("path", EXPORTS)
def test_an_event_without_rows_exports_its_headers(client, make, path):
    event = make.event()
    organiser = make.organiser(event, password=None)
    db.session.commit()
    sign_in(client, organiser)
    response = client.get(f"/events/{event.slug}/{path}")
    assert response.status_code == 200
    fmt = path.rsplit(".", 1)[1]
    table = read_table(response.get_data(), f"x.{fmt}")
    assert table.headers and table.rows == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_an_error_reading_the_rows_comes_before_the_first_byte(
    app, client, make, monkeypatch, fmt, small_chunks
):
    """The view runs the queries (the first CSV chunk, the whole XLSX or ODS) before it
    answers: the error is the request's, handled as any other, not a file cut short."""
    event, organiser = _event_with_people(make)

    def failing(_event):
        yield [1, "Premier", None, None, "membre", None]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(routes_spreadsheet, "attendee_rows", failing)
    sign_in(client, organiser)
    with pytest.raises(RuntimeError, match="went away"):
        client.get(f"/events/{event.slug}/people/export.{fmt}")


def test_a_failure_after_the_first_chunk_is_not_swallowed(client, make, monkeypatch, small_chunks):
    """What a stream cannot undo: the status is sent. The error still reaches the server's
    log (here, the test) rather than passing for the file's end."""
    event, organiser = _event_with_people(make)

    def failing(_event):
        yield from ([n, f"P{n}", None, None, "membre", None] for n in range(5))
        raise RuntimeError("late failure")

    monkeypatch.setattr(routes_spreadsheet, "attendee_rows", failing)
    sign_in(client, organiser)
    response = client.get(f"/events/{event.slug}/people/export.csv")
    with pytest.raises(RuntimeError, match="late failure"):
        response.get_data()


def test_the_feedback_export_reads_its_rows_in_chunks_and_keeps_them_all(
    client, make, monkeypatch, small_chunks
):
    from facilitate.exhibition import routes_vote_exports
    from facilitate.models import FeedbackEntry

    monkeypatch.setattr(routes_vote_exports, "_CHUNK_ROWS", 2)
    event = make.event(challenges=2)
    organiser = make.organiser(event, password=None)
    author = make.participant(event)
    for n in range(7):
        db.session.add(
            FeedbackEntry(
                team_id=event.challenges[n % 2].team.id,
                author_id=author.id,
                at_exhibition=True,
                liked=f"=Avis {n}",
                anonymous=n == 3,
                created_at=datetime.datetime(2026, 7, 3, 12, n // 3),  # ties, across chunks
            )
        )
    db.session.commit()
    sign_in(client, organiser)
    for fmt in ("csv", "xlsx", "ods"):
        data = client.get(f"/events/{event.slug}/organise/vote/feedback.{fmt}").get_data()
        table = read_table(data, f"x.{fmt}")
        liked = sorted(cells[4] for _line, cells in table.rows)
        assert liked == [f"=Avis {n}" for n in range(7)], fmt
        assert sum("Visiteur anonyme" in cells for _l, cells in table.rows) == 1, fmt
    _headers, chunked = routes_vote_exports.feedback_table(event)
    chunked = list(chunked)
    monkeypatch.setattr(routes_vote_exports, "_CHUNK_ROWS", 500)
    assert chunked == list(routes_vote_exports.feedback_table(event)[1])


# --- The ODS written by hand ------------------------------------------------------------------


def _ods(rows, headers=("N°", "Texte", "Date")):
    return write_ods(list(headers), iter(rows), "Défis: [été]")


def test_the_ods_archive_is_what_readers_expect():
    data = _ods([[1, "a\nb & <c>", datetime.datetime(2026, 7, 3, 14, 5)]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED and first.extra == b""
        assert not any(info.flag_bits & 0x08 for info in archive.infolist())  # no descriptors
        assert archive.testzip() is None
        assert "META-INF/manifest.xml" in archive.namelist()
        content = archive.read("content.xml").decode()
    assert data[30:38] == b"mimetype"
    assert data[38 : 38 + 46] == b"application/vnd.oasis.opendocument.spreadsheet"
    assert 'table:name="Défis été"' in content
    assert "<text:p>a</text:p><text:p>b &amp; &lt;c&gt;</text:p>" in content
    assert 'office:value-type="date" office:date-value="2026-07-03T14:05:00"' in content


def test_ods_cells_are_typed_as_odfpy_typed_them():
    """The cells odfpy wrote before: floats, booleans, dates, strings, empty cells."""
    rows = [
        [3, "=1+1", None],
        [2.5, "", datetime.date(2026, 1, 2)],
        [True, "0612345678", datetime.datetime(2026, 7, 3, 14, 5)],
    ]
    with zipfile.ZipFile(io.BytesIO(_ods(rows))) as archive:
        content = archive.read("content.xml").decode()
    body = content.split("<table:table-row>", 2)[2]
    assert body.startswith(
        '<table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p>'
        '</table:table-cell><table:table-cell office:value-type="string"><text:p>=1+1</text:p>'
        "</table:table-cell><table:table-cell/></table:table-row>"
    )
    assert 'office:value-type="float" office:value="2.5"><text:p>2.5</text:p>' in body
    assert 'office:value-type="boolean" office:boolean-value="true"><text:p>True</text:p>' in body
    assert 'office:date-value="2026-01-02"><text:p>2026-01-02</text:p>' in body
    assert "table:formula" not in content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(_ods(rows))).get_sheet_by_index(0)
    assert sheet.to_python()[1][:2] == [3.0, "=1+1"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_ods(tmp_path):
    rows = [[1, "Zoë N’Diaye — « Rennes »", "=1+1"], [2, "ligne 1\nligne 2", None]]
    source = tmp_path / "export.ods"
    source.write_bytes(write_ods(["N°", "Nom", "Texte"], rows, "Participants"))
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # UTF-8
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    converted = (tmp_path / "export.csv").read_text(encoding="utf-8")
    assert converted.splitlines()[:2] == ["N°,Nom,Texte", "1,Zoë N’Diaye — « Rennes »,=1+1"]
    assert '2,"ligne 1\nligne 2",' in converted


# --- Memory ---------------------------------------------------------------------------------


class _Sink(io.RawIOBase):
    """A seekable file that keeps nothing (beyond its size): what is measured is the writer."""

    def __init__(self):
        self.position = self.size = 0

    def writable(self):
        return True

    def seekable(self):
        return True

    def write(self, data):
        self.position += len(data)
        self.size = max(self.size, self.position)
        return len(data)

    def seek(self, offset, whence=0):
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def tell(self):
        return self.position


def _peak(write, count: int) -> int:
    rows = (
        [n, f"Personne {n} N’Diaye", f"p{n}@example.org", "Ville de Rennes", "membre", n % 70]
        for n in range(count)
    )
    tracemalloc.start()
    try:
        write(rows)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


WRITERS = {
    "csv": lambda rows: sum(len(c) for c in csv_chunks(list("abcdef"), rows)),
    "xlsx": lambda rows: save_xlsx(_Sink(), list("abcdef"), rows, "x"),
    "ods": lambda rows: save_ods(_Sink(), list("abcdef"), rows, "x"),
}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_memory_stays_flat_as_rows_grow(fmt):
    small, large = _peak(WRITERS[fmt], 1000), _peak(WRITERS[fmt], 10_000)
    assert large < small * 1.5, (small, large)


def test_stored_control_characters_and_formulas_stay_harmless(client, make):
    event, organiser = _event_with_people(make)
    db.session.execute(
        update(Membership)
        .where(Membership.event_id == event.id, Membership.role == Role.PARTICIPANT)
        .values(organisation='=HYPERLINK("http://x")\x0bsuite\x01')  # no NUL: PostgreSQL refuses it
    )
    db.session.commit()
    sign_in(client, organiser)
    for fmt in ("csv", "xlsx", "ods"):
        data = client.get(f"/events/{event.slug}/people/export.{fmt}").get_data()
        table = read_table(data, f"x.{fmt}")
        assert {cells[3] for _line, cells in table.rows} == {'=HYPERLINK("http://x")\nsuite'}, fmt
    csv = client.get(f"/events/{event.slug}/people/export.csv").get_data().decode("utf-8-sig")
    assert ";\"'=HYPERLINK" in csv  # neutralised, in quotes for its line break
