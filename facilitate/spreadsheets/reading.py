"""Reading the spreadsheets organisers actually have: XLSX, or CSV as French Excel writes it
(";" separators, Windows-1252 or UTF-8 with a byte-order mark)."""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext as _
from openpyxl import load_workbook

from facilitate.spreadsheets.cells import restore_formula
from facilitate.spreadsheets.problems import SpreadsheetError
from facilitate.spreadsheets.safety import check_archive
from facilitate.text import clean_text


@dataclass
class Table:
    """Cells keep their text as typed, including line breaks, without the spaces around it."""

    headers: list[str]
    # (row number as a spreadsheet program shows it, cells)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    header_line: int = 1
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


def read_table(data: bytes, filename: str, recognise=None) -> Table:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if filename.lower().endswith((".csv", ".txt", ".tsv")):
        return _read_csv(data)
    raise SpreadsheetError(_("Please send a CSV or XLSX file (Excel, LibreOffice)."))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            _("The file's text encoding is not recognised. Save it as CSV UTF-8 or as XLSX.")
        ) from error


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise SpreadsheetError(
            _("This file is not a CSV text file. Save it as CSV UTF-8 or as XLSX.")
        )
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    try:
        # A cell may hold line breaks: rows are counted as the spreadsheet shows them, not as
        # lines of text.
        for number, values in enumerate(reader, start=1):
            cells = [_clean(v) for v in values]
            if table is None:
                if any(c.strip() for c in cells):
                    table = Table(headers=cells, header_line=number)
            elif any(c.strip() for c in cells):
                table.rows.append((number, cells))
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)d of the file could not be read.", line=reader.line_num)
        ) from error
    if table is None:
        raise SpreadsheetError(_("The file is empty."))
    return table


def _clean(text: str) -> str:
    """Spaces around the text go; line breaks stay (a list cell may end with one, see
    ``join_list``), as line feeds whatever the system that saved the file; other control
    characters go (``clean_text``)."""
    return clean_text(restore_formula(text.strip(" \t\u00a0")))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    workbook = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table: Table | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_clean(_cell_text(v)) for v in values]
            if table is None:
                if any(c.strip() for c in cells):
                    table = Table(headers=cells, header_line=number)
            elif any(c.strip() for c in cells):
                table.rows.append((number, cells))
    except (SpreadsheetError, MemoryError):
        raise
    except Exception as error:
        # zipfile and openpyxl raise many kinds for damaged files (BadZipFile, KeyError,
        # NotImplementedError for an unknown compression...); in read-only mode the sheet is
        # parsed only while its rows are read, and the parser's own errors come through as
        # they are.
        raise SpreadsheetError(_("This file is not a valid XLSX workbook.")) from error
    finally:
        if workbook is not None:
            workbook.close()
    if table is None:
        raise SpreadsheetError(_("The file is empty."))
    return table
