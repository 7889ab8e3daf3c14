"""Reading the spreadsheets organisers actually have: XLSX (and XLSM, XLS) as Excel writes it, ODS
as LibreOffice writes it, or CSV as French Excel writes it (";" separators, Windows-1252 or UTF-8
with a byte-order mark). The format is told by the file's content, not by its name.

Workbooks are read by python-calamine, with the values the spreadsheet program computed and no
trust in the ``<dimension>`` a file declares. Before calamine reads anything, ``safety`` refuses
what no office program writes, and each sheet's XML is scanned once (``_scan_xlsx_sheet``,
``_scan_ods``): for its real extent, since calamine makes one dense grid of a sheet and a few
bytes can claim billions of cells, and for the formulas saved without a computed value.

Cells come back as texts, as typed: text cells unchanged (leading zeros kept), whole numbers
without ".0" ("12"), other numbers in their shortest form ("0.1"), dates "2026-03-14", date and
times "2026-03-14 09:30" (seconds only when not zero), times "09:30", booleans "TRUE" and
"FALSE" (not the words the spreadsheet program shows in its language). Every cell is trimmed of
spaces, tabs and no-break spaces around it, has its line breaks as line feeds and no other
control characters (``clean_text``); a cell of nothing but spaces and line breaks is empty, and
trailing empty cells of a row are dropped.
"""

import csv
import datetime
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from python_calamine import CalamineWorkbook, PasswordError

from facilitate.spreadsheets.cells import restore_formula
from facilitate.spreadsheets.csv_text import decode_text, delimiter_of
from facilitate.spreadsheets.problems import HEADER_SEARCH_ROWS, SpreadsheetError, encrypted_file
from facilitate.spreadsheets.safety import check_archive, check_extent
from facilitate.spreadsheets.scans import SheetScan, scan_ods, scan_xls, scan_xlsx
from facilitate.text import clean_text

# Says whether a row, as texts, is the header line of the table wanted.
Recognise = Callable[[list[str]], bool]


_SPACES = " \t\u00a0"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Files people send by mistake, told apart from a CSV by their first bytes.
_NOT_SPREADSHEETS = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"RIFF",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"{\\rtf",
)


@dataclass
class Table:
    """Cells keep their text as typed, including line breaks, without the spaces around it."""

    headers: list[str]
    # (row number as a spreadsheet program shows it, cells); trailing empty cells are dropped,
    # so a row may be shorter than the headers.
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    # The sheet read (None for a CSV file), and every sheet of the workbook in order.
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    # The row number of the header line.
    header_line: int = 1
    # Columns (by index from 0) that a caller reads itself, with the note the column report
    # shows beside them (an edition workbook's Site column): not reported as unexpected.
    read_apart: dict[int, str] = field(default_factory=dict)
    # (row number, column index from 0) of the cells at or below the header line that hold a
    # formula saved without its value (as tools that generate files write them): they read as
    # empty, while the spreadsheet program would show a value.
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA": columns as spreadsheet programs name them."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_reference(line: int, index: int) -> str:
    """The name a spreadsheet program gives a cell: (4, 2) -> "C4"."""
    return f"{column_letter(index)}{line}"


class MissingSheet(SpreadsheetError):
    """The workbook has no sheet of the names asked for."""


class NoSheets(MissingSheet):
    """A CSV file, asked for a sheet of a workbook."""


def read_table(
    data: bytes,
    filename: str,
    recognise: Recognise | None = None,
    sheets: tuple[str, ...] | None = None,
) -> Table:
    """The table of an uploaded file. ``recognise`` tells the header line: in each sheet in
    order, the first of its first 20 non-empty rows that it accepts, in the first sheet that has
    one. Without ``recognise``, or when no row is accepted, the header line is the first
    non-empty row of the first sheet that has one (the caller then says which columns are
    missing). ``sheets`` limits the search to the first sheet bearing one of these names
    (whatever their case and accents): a workbook of several tables, such as an edition's,
    says by its sheets' names which is which; ``MissingSheet`` when it has none of them.
    Raises ``SpreadsheetError`` with a message for the organiser."""
    kind = _sniff(data, filename)
    if kind == "csv":
        if sheets is not None:
            raise NoSheets(_("This file has no sheets: please send an XLSX or ODS workbook."))
        return _read_csv(data, recognise)
    if kind == "ole":
        return _read_ole(data, recognise, sheets)
    return _read_zip(data, recognise, filename, sheets)


def header_key(header: str) -> str:
    """'Adresse e-mail ' -> 'adresse email': case, accents and punctuation do not matter. Sheet
    names and an edition's site names are matched the same way."""
    decomposed = unicodedata.normalize("NFKD", header or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("n°", "numero ").replace("°", " ")
    words = "".join(c if c.isalnum() else " " if c not in "-'’" else "" for c in plain)
    # A header made of punctuation only ("#") is its own key.
    return " ".join(words.split()) or "".join(plain.split())


def _extension(filename: str) -> str:
    return filename.lower().rpartition(".")[2] if "." in filename else ""


def _sniff(data: bytes, filename: str) -> str:
    extension = _extension(filename)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    if data.startswith(_NOT_SPREADSHEETS) or b"\x00" in data[:4096]:
        raise SpreadsheetError(_not_a_spreadsheet())
    if extension in ("xlsx", "xlsm", "xls", "ods"):
        # Text under a workbook's name: a damaged download, or a file renamed by hand.
        raise SpreadsheetError(_invalid(extension))
    if extension not in ("", "csv", "txt", "tsv", "tab"):
        raise SpreadsheetError(
            _("Please send a CSV or XLSX file (Excel) or an ODS file (LibreOffice).")
        )
    return "csv"


def _not_a_spreadsheet() -> str:
    return _(
        "This file is not a spreadsheet. Please send an XLSX, ODS or CSV file (Excel, LibreOffice)."
    )


def _invalid(kind: str) -> str:
    return _("This file is not a valid %(format)s workbook.", format=kind.upper())


# CSV (its text and separator: csv_text.py) ---------------------------------------------------


def _read_csv(data: bytes, recognise: Recognise | None) -> Table:
    text = decode_text(data)
    if "\x00" in text:
        raise SpreadsheetError(
            _("This file is not a CSV text file. Save it as CSV UTF-8 or as XLSX.")
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    rows: list[tuple[int, list[str]]] = []
    try:
        # A cell may hold line breaks: rows are counted as the spreadsheet shows them, not as
        # lines of text.
        for number, values in enumerate(reader, start=1):
            cells = _trimmed([_clean(restore_formula(_clean(v))) for v in values])
            if cells:
                rows.append((number, cells))
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)d of the file could not be read.", line=reader.line_num)
        ) from error
    table = _table(rows, recognise) or _table(rows, None)
    if table is None:
        raise SpreadsheetError(_("The file is empty."))
    return table


# Cells --------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Line breaks as line feeds whatever the system that saved the file, other control
    characters gone (``clean_text``), then the spaces around the text. Line feeds stay: a list
    cell may end with one (see ``join_list``); a cell of nothing but line breaks is empty."""
    text = clean_text(text).strip(_SPACES)
    return text if text.strip() else ""


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _time(value: datetime.time | datetime.datetime) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _cell_text(value) -> str:
    """A calamine value as typed in the spreadsheet (see the module's documentation)."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return f"{value.date().isoformat()} {_time(value)}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return _time(value)
    if value is None:
        return ""
    return _clean(str(value))


def _table(rows: Iterable[tuple[int, list[str]]], recognise: Recognise | None) -> Table | None:
    """The table of one sheet's non-empty rows, from the header line ``recognise`` accepts
    (among the first rows), or from the first row without ``recognise``. None when the sheet
    is empty, or when ``recognise`` accepts none of its first rows."""
    rows = list(rows)
    if not rows:
        return None
    start = 0
    if recognise is not None:
        start = next(
            (i for i, (_n, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]) if recognise(cells)),
            None,
        )
        if start is None:
            return None
    number, headers = rows[start]
    return Table(headers=headers, rows=rows[start + 1 :], header_line=number)


# Workbooks ----------------------------------------------------------------------------------


def _read_ole(data: bytes, recognise: Recognise | None, sheets=None) -> Table:
    """An OLE compound file: an XLS workbook, or an XLSX or ODS encrypted with a password
    (Office and LibreOffice put the encrypted package in such a file, next to an
    "EncryptionInfo" stream)."""
    if "EncryptionInfo".encode("utf-16-le") in data:
        raise SpreadsheetError(encrypted_file())
    try:
        scans = scan_xls(data)
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(_invalid("xls")) from error
    return _read_workbook(data, recognise, "xls", scans, sheets)


def _read_zip(data: bytes, recognise: Recognise | None, filename: str, sheets=None) -> Table:
    extension = _extension(filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
            names = set(archive.namelist())
            if "mimetype" in names and _mimetype(archive) == _ODS_MIMETYPE:
                kind = "ods"
            elif "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                kind = "xlsx"
            elif extension in ("xlsx", "xlsm", "ods"):
                raise SpreadsheetError(_invalid(extension))
            else:
                raise SpreadsheetError(_not_a_spreadsheet())
            if kind == "ods":
                manifest = archive.read("META-INF/manifest.xml")
                if b"encryption-data" in manifest:
                    raise SpreadsheetError(encrypted_file())
                scans = scan_ods(archive)
            else:
                scans = scan_xlsx(archive)
    except SpreadsheetError:
        raise
    except Exception as error:
        # zipfile raises many kinds for damaged files (BadZipFile, KeyError, EOFError,
        # NotImplementedError for an unknown compression...), the XML parsers theirs.
        kind = extension if extension in ("ods", "xlsm") else "xlsx"
        raise SpreadsheetError(_invalid(kind)) from error
    return _read_workbook(data, recognise, kind, scans, sheets)


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    with archive.open("mimetype") as stream:
        return stream.read(100).strip()


def _read_workbook(
    data: bytes,
    recognise: Recognise | None,
    kind: str,
    scans: list[SheetScan] | None,
    sheets: tuple[str, ...] | None = None,
) -> Table:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return _choose_sheet(workbook, recognise, scans, sheets)
        finally:
            workbook.close()
    except SpreadsheetError:
        raise
    except PasswordError as error:
        raise SpreadsheetError(encrypted_file()) from error
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:  # noqa: BLE001
        # calamine raises CalamineError, XmlError, ZipError or ValueError for damaged files,
        # and its panics come through as pyo3_runtime.PanicException, a BaseException.
        raise SpreadsheetError(_invalid(kind)) from error


def _choose_sheet(
    workbook, recognise: Recognise | None, scans: list[SheetScan] | None, sheets=None
) -> Table:
    names = list(workbook.sheet_names)
    worksheets = [
        index
        for index, metadata in enumerate(workbook.sheets_metadata)
        if str(metadata.typ).endswith("WorkSheet")
    ]
    if sheets is not None:
        wanted = {header_key(name) for name in sheets}
        worksheets = [index for index in worksheets if header_key(names[index]) in wanted][:1]
        if not worksheets:
            raise MissingSheet(_("The workbook has no sheet named “%(name)s”.", name=sheets[0]))
    # Every sheet before any is read: the scans' order is the workbook's, but a sheet too
    # large must never reach calamine, whatever the order.
    for position, scan in enumerate(scans or ()):
        name = names[position] if position < len(names) and not scan.name else scan.name
        check_extent(name, scan.rows, scan.columns)
    first: tuple[int, list[tuple[int, list[str]]]] | None = None
    table = None
    for index in worksheets:
        rows = _sheet_rows(workbook.get_sheet_by_index(index))
        if first is None and rows:
            first = (index, rows)
            if recognise is None:
                break
        table = _table(rows, recognise) if recognise is not None else None
        if table is not None:
            break
    if table is None:
        if first is None:
            raise SpreadsheetError(_("The file is empty."))
        index, rows = first
        table = _table(rows, None)
    table.sheet = names[index]
    table.sheet_names = names
    if scans is not None and index < len(scans):
        table.formulas_without_value = sorted(
            (line, column)
            for line, column in scans[index].formulas_without_value
            if line >= table.header_line
        )
    return table


def _sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    """The non-empty rows of a sheet, numbered as the spreadsheet program shows them, each cell
    at its column's index (column A is 0)."""
    start = sheet.start
    if start is None:
        return []
    first_row, first_column = start
    padding = [""] * first_column
    rows = []
    for offset, values in enumerate(sheet.to_python(skip_empty_area=True)):
        cells = _trimmed([_cell_text(v) for v in values])
        if cells:
            rows.append((first_row + offset + 1, padding + cells))
    return rows


# Scanning the XML ---------------------------------------------------------------------------
