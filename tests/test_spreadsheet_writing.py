"""What the exports write: every format reads back as it was written (a property, checked on
random tables), typed cells in XLSX and ODS, and downloads any browser names correctly."""

import io
import zipfile

import openpyxl
import pytest
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from facilitate.spreadsheets.reading import read_table
from facilitate.spreadsheets.writing import (
    sheet_name,
    spreadsheet_download,
    write_csv,
    write_ods,
    write_xlsx,
)
from facilitate.text import clean_text

WRITERS = {
    "csv": lambda headers, rows: write_csv(headers, rows),
    "xlsx": lambda headers, rows: write_xlsx(headers, rows, "Défis"),
    "ods": lambda headers, rows: write_ods(headers, rows, "Défis"),
}

TRICKY = [
    "01000",
    "0612345678",
    "=SUM(A1)",
    "+33 6 12",
    "-CD35",
    "@cell",
    "'quoted",
    "''=x",
    " '=x",
    "a;b",
    'il a dit "oui"',
    "tab\there",
    "\tstarts with a tab",
    "line 1\nline 2",
    "windows\r\nline",
    "old mac\rline",
    "single item ; with a semicolon\n",
    "vertical\x0btab",
    "bell\x07 and nul\x00",
    "c1\x85control",
    "Zoë N’Diaye — « Rennes »",
    "émoji 🚲🌍",
    "   spaces around   ",
    "\u00a0no-break\u00a0",
    "_x000D_ literal",
    "\ufffe\uffffnon-characters",
    "",
]
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from("aé0;,\t\n\r\"'= -\x0b\x01 "), max_size=30),
    st.text(min_size=1000, max_size=3000),
)
CELL = st.one_of(TEXT, st.integers(-(10**15), 10**15), st.none())


def expected(value) -> str:
    """A cell as ``read_table`` gives it back: control characters dropped (tab and line feed
    kept; other line breaks as line feeds), then spaces, tabs and no-break spaces around it;
    nothing but line breaks is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = clean_text(value).strip(" \t\u00a0")
    return text if text.strip() else ""


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data(), fmt=st.sampled_from(sorted(WRITERS)))
def test_every_format_reads_back_as_written(app, data, fmt):
    """Two columns at least: a CSV of one column holding "," or tabs has no telling separator."""
    width = data.draw(st.integers(2, 6), label="width")
    headers = data.draw(st.lists(TEXT, min_size=width, max_size=width), label="headers")
    assume(any(expected(h) for h in headers))
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=8), label="rows"
    )
    with app.test_request_context():
        table = read_table(WRITERS[fmt](headers, rows), f"export.{fmt}")
    assert table.headers == _trimmed([expected(h) for h in headers])
    assert table.header_line == 1
    wanted = [
        (number, cells)
        for number, row in enumerate(rows, start=2)
        if (cells := _trimmed([expected(v) for v in row]))
    ]
    assert table.rows == wanted
    assert table.sheet == (None if fmt == "csv" else "Défis")


@pytest.mark.parametrize("headers", [["01000", "0\t\r", "0\t\r"], ["0\t0", "\r\t0"]])
def test_a_csv_of_one_record_keeps_its_separator_when_its_cells_hold_tabs(app, headers):
    """Found by the property above: read with tabs, the quoted cells fell apart into records
    that agreed with each other more often than the one true record did with ";"."""
    with app.test_request_context():
        table = read_table(write_csv(headers, []), "export.csv")
    assert table.headers == [expected(h) for h in headers]


def test_tricky_texts_read_back_in_every_format(app):
    headers = ["N°", "Texte"]
    rows = [[i, text] for i, text in enumerate(TRICKY)]
    for fmt, write in WRITERS.items():
        with app.test_request_context():
            table = read_table(write(headers, rows), f"x.{fmt}")
        assert table.rows == [
            (i + 2, _trimmed([str(i), expected(text)])) for i, text in enumerate(TRICKY)
        ], fmt


def test_xlsx_cells_are_typed_and_the_header_bold_and_frozen():
    data = write_xlsx(
        ["N°", "Téléphone", "Formule"], [[1, "0612345678", "=1+1"], [2.5, "a\nb", None]], "Défis"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Défis"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert (sheet["A2"].value, sheet["A2"].data_type) == (1, "n")
    assert (sheet["A3"].value, sheet["A3"].data_type) == (2.5, "n")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("0612345678", "s")
    assert (sheet["C2"].value, sheet["C2"].data_type) == ("=1+1", "s")  # a text, not a formula
    assert sheet["B3"].alignment.wrap_text
    assert not sheet["B2"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width >= len("0612345678")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_ods_cells_are_typed_one_paragraph_per_line():
    data = write_ods(["N°", "Leviers"], [[3, "Budget\nÉlu·e·s"], [4, "=1+1"]], "Défis: [été]")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = archive.read("content.xml").decode()
    assert 'table:name="Défis été"' in content
    assert 'office:value-type="float" office:value="3"' in content
    assert "<text:p>Budget</text:p><text:p>Élu·e·s</text:p>" in content
    assert 'office:value-type="string"' in content
    assert "table:formula" not in content
    assert 'fo:font-weight="bold"' in content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    assert sheet.to_python() == [["N°", "Leviers"], [3.0, "Budget\nÉlu·e·s"], [4.0, "=1+1"]]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Défis", "Défis"),
        ("Votes: [jury] 1/2 *?\\", "Votes jury 1 2"),
        ("Résultats des votes du public par défi", "Résultats des votes du public p"),
        ("'cité'", "cité"),
        ("", "Sheet1"),
        ("[]", "Sheet1"),
    ],
)
def test_sheet_names_are_accepted_by_excel_and_libreoffice(title, name):
    assert sheet_name(title) == name
    assert len(sheet_name(title)) <= 31


def test_exports_never_fail_on_stored_control_characters():
    headers = ["Nom\x01", "Texte"]
    rows = [["\x00\x02A", "B\x0bC\ud800\uffff"]]
    for fmt, write in WRITERS.items():
        assert write(headers, rows), fmt


@pytest.mark.parametrize(
    ("fmt", "mimetype"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_downloads_name_the_file_for_every_browser(fmt, mimetype):
    with Flask(__name__).test_request_context():
        response = spreadsheet_download(["a"], [["b"]], fmt, "université-été-défis", "Défis")
    assert response.mimetype == mimetype.split(";")[0]
    assert response.headers["Content-Type"].startswith(mimetype.split(";")[0])
    disposition = response.headers["Content-Disposition"]
    assert disposition == (
        f'attachment; filename="universite-ete-defis.{fmt}"; '
        f"filename*=UTF-8''universit%C3%A9-%C3%A9t%C3%A9-d%C3%A9fis.{fmt}"
    )
    disposition.encode("latin-1")  # what a header can carry


def test_an_unknown_format_is_not_found():
    from werkzeug.exceptions import NotFound

    with Flask(__name__).test_request_context(), pytest.raises(NotFound):
        spreadsheet_download(["a"], [], "pdf", "x", "x")
