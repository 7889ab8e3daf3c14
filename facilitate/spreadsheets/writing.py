"""Writing spreadsheets the organisers open by double-click, and sending them as downloads.

XLSX and ODS cells are typed: text is written as text cells, unchanged ("=1+1" stays a text, a
"0612345678" keeps its zero), numbers as numbers. A CSV has no types: a text a spreadsheet
program would run as a formula gets a leading quote (``neutralise_formula``), which
``read_table`` removes from CSV files only. So each format reads back as it was written, after
``read_table``'s own rules (spaces around a cell and control characters dropped).
"""

import csv
import datetime
import io
import re
import unicodedata
from urllib.parse import quote

from flask import Response, abort
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from facilitate.spreadsheets.cells import neutralise_formula
from facilitate.text import clean_text

# Characters XML 1.0 cannot hold and UTF-8 cannot encode, beyond what ``clean_text`` drops.
_NOT_IN_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
# What Excel and LibreOffice refuse in a sheet's name; Excel takes 31 characters at most.
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]*?:/\\]")
_SPACES = " \t\u00a0"
# In an XLSX, "_x000D_" stands for a carriage return: a text holding such a sequence gets its
# "_" escaped as "_x005F_", as Excel does, so that it reads back as typed.
_XLSX_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")


def _text(value: str) -> str:
    """Text stored before ``clean_text`` guarded every way in may still hold control
    characters, which openpyxl refuses (a 500) and CSV readers trip on."""
    return _NOT_IN_XML.sub("", clean_text(value))


def _value(value):
    """A cell as written to a typed file: None as an empty cell, numbers as numbers, anything
    else as text."""
    if value is None or isinstance(value, (bool, int, float, datetime.date, datetime.time)):
        return value
    return _text(value if isinstance(value, str) else str(value))


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # Trimmed first, as read_table trims: a formula behind a space is neutralised too.
        return neutralise_formula(_text(value).strip(_SPACES))
    return str(value)


def write_csv(headers: list[str], rows: list[list], excel: bool = True) -> bytes:
    """CSV that French Excel opens correctly by double-click: UTF-8 with BOM, ";" separators."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([_csv_cell(v) for v in headers])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" if excel else "").encode() + out.getvalue().encode("utf-8")


def sheet_name(title: str) -> str:
    """A name both Excel and LibreOffice accept for a sheet: none of ``[]*?:/\\``, no quote
    at either end, 31 characters at most, not empty."""
    name = _NOT_IN_SHEET_NAMES.sub(" ", _text(title or "")).replace("\n", " ")
    name = " ".join(name.split())[:31].strip(" '")
    return name or "Sheet1"


def _widths(headers: list, rows: list[list]) -> list[float]:
    """Each column as wide as its longest line (within reason), in characters."""
    widths = []
    for index in range(max([len(headers)] + [len(r) for r in rows[:500]])):
        longest = 0
        for row in [headers, *rows[:500]]:
            if index < len(row) and row[index] is not None:
                longest = max(longest, *(len(line) for line in str(row[index]).split("\n")))
        widths.append(min(max(longest + 2, 8), 60))
    return widths


def write_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    """A workbook streamed by openpyxl (write-only mode): header row bold and frozen, columns
    sized to their content, line breaks shown (wrapped text)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(title))
    for index, width in enumerate(_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cells(values, header=False):
        for value in values:
            cell = WriteOnlyCell(sheet, value=_value(value))
            if isinstance(cell.value, str):
                cell.value = _XLSX_ESCAPE.sub(r"_x005F_\1", cell.value)
                # openpyxl takes a text starting with "=" for a formula.
                cell.data_type = "s"
                if "\n" in cell.value:
                    cell.alignment = wrap
            if header:
                cell.font = bold
            yield cell

    sheet.append(list(cells(headers, header=True)))
    for row in rows:
        sheet.append(list(cells(row)))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ods_cell(value, style=None) -> TableCell:
    value = _value(value)
    attributes = {"stylename": style} if style is not None else {}
    if value is None or value == "":
        return TableCell(**attributes)
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **attributes)
    elif isinstance(value, (int, float)):
        cell = TableCell(valuetype="float", value=repr(value), **attributes)
    elif isinstance(value, (datetime.datetime, datetime.date)):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attributes)
    else:
        value = str(value)
        cell = TableCell(valuetype="string", **attributes)
    # One paragraph per line, as LibreOffice writes a cell with line breaks.
    for line in str(value).split("\n"):
        cell.addElement(P(text=line))
    return cell


def write_ods(headers: list[str], rows: list[list], title: str) -> bytes:
    """An OpenDocument spreadsheet (LibreOffice's own format), written by odfpy: header row
    bold, columns sized to their content."""
    document = OpenDocumentSpreadsheet()
    bold = Style(name="header", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    table = Table(name=sheet_name(title))
    for index, width in enumerate(_widths(headers, rows)):
        style = Style(name=f"column{index}", family="table-column")
        style.addElement(TableColumnProperties(columnwidth=f"{width * 0.2:.2f}cm"))
        document.automaticstyles.addElement(style)
        table.addElement(TableColumn(stylename=style))
    row = TableRow()
    for value in headers:
        row.addElement(_ods_cell(value, bold))
    table.addElement(row)
    for values in rows:
        row = TableRow()
        for value in values:
            row.addElement(_ods_cell(value))
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def content_disposition(filename: str) -> str:
    """``attachment`` with the name as it is (RFC 5987 ``filename*``) and an ASCII one for
    older clients: "défis-été.csv" -> filename="defis-ete.csv"."""
    decomposed = unicodedata.normalize("NFKD", filename)
    fallback = "".join(c for c in decomposed if c.isascii() and c.isprintable())
    fallback = re.sub(r'["\\;]', "_", fallback) or "export"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def spreadsheet_download(
    headers: list[str], rows: list[list], fmt: str, basename: str, sheet_title: str
) -> Response:
    """The table as a CSV, XLSX or ODS file download; 404 for another format."""
    if fmt not in _TYPES:
        abort(404)
    if fmt == "csv":
        data = write_csv(headers, rows)
    elif fmt == "xlsx":
        data = write_xlsx(headers, rows, sheet_title)
    else:
        data = write_ods(headers, rows, sheet_title)
    return Response(
        data,
        mimetype=_TYPES[fmt],
        headers={"Content-Disposition": content_disposition(f"{basename}.{fmt}")},
    )
