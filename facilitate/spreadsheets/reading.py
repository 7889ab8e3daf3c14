"""Reading the spreadsheets organisers actually have: XLSX (and XLSM, XLS) as Excel writes it, ODS
as LibreOffice writes it, or CSV as French Excel writes it (";" separators, Windows-1252 or UTF-8
with a byte-order mark). The format is told by the file's content, not by its name.

Workbooks are read by python-calamine (``workbooks``), with the values the spreadsheet program
computed and no trust in the ``<dimension>`` a file declares. Before calamine reads anything,
``safety`` refuses what no office program writes, and each sheet's XML is scanned once
(``scans``): for its real extent, since calamine makes one dense grid of a sheet and a few
bytes can claim billions of cells, and for the formulas saved without a computed value.

Cells come back as texts, as typed: text cells unchanged (leading zeros kept), whole numbers
without ".0" ("12"), other numbers in their shortest form ("0.1"), dates "2026-03-14", date and
times "2026-03-14 09:30" (seconds only when not zero), times "09:30", booleans "TRUE" and
"FALSE" (not the words the spreadsheet program shows in its language). Every cell is trimmed of
spaces, tabs and no-break spaces around it, has its line breaks as line feeds and no other
control characters (``table.clean_cell``); a cell of nothing but spaces and line breaks is
empty, and trailing empty cells of a row are dropped.
"""

import csv
import io

from flask_babel import gettext as _

from facilitate.spreadsheets.cells import restore_formula
from facilitate.spreadsheets.csv_text import decode_text, delimiter_of
from facilitate.spreadsheets.problems import (
    MissingSheet,
    NoSheets,
    SpreadsheetError,
    invalid_workbook,
    not_a_spreadsheet,
)
from facilitate.spreadsheets.table import (
    Recognise,
    Table,
    cell_reference,
    clean_cell,
    column_letter,
    header_key,
    table_of,
    trimmed,
)
from facilitate.spreadsheets.workbooks import read_ole, read_zip

# What the features import from here, wherever it is written.
__all__ = [
    "MissingSheet",
    "NoSheets",
    "Recognise",
    "Table",
    "cell_reference",
    "column_letter",
    "header_key",
    "read_table",
]

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
    extension = _extension(filename)
    kind = _sniff(data, extension)
    if kind == "csv":
        if sheets is not None:
            raise NoSheets(_("This file has no sheets: please send an XLSX or ODS workbook."))
        return _read_csv(data, recognise)
    if kind == "ole":
        return read_ole(data, recognise, sheets)
    return read_zip(data, recognise, extension, sheets)


def _extension(filename: str) -> str:
    return filename.lower().rpartition(".")[2] if "." in filename else ""


def _sniff(data: bytes, extension: str) -> str:
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    if data.startswith(_NOT_SPREADSHEETS) or b"\x00" in data[:4096]:
        raise SpreadsheetError(not_a_spreadsheet())
    if extension in ("xlsx", "xlsm", "xls", "ods"):
        # Text under a workbook's name: a damaged download, or a file renamed by hand.
        raise SpreadsheetError(invalid_workbook(extension))
    if extension not in ("", "csv", "txt", "tsv", "tab"):
        raise SpreadsheetError(
            _("Please send a CSV or XLSX file (Excel) or an ODS file (LibreOffice).")
        )
    return "csv"


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
            cells = trimmed([clean_cell(restore_formula(clean_cell(v))) for v in values])
            if cells:
                rows.append((number, cells))
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)d of the file could not be read.", line=reader.line_num)
        ) from error
    table = table_of(rows, recognise) or table_of(rows, None)
    if table is None:
        raise SpreadsheetError(_("The file is empty."))
    return table
