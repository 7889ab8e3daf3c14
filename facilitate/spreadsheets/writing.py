"""Writing spreadsheets the organisers open by double-click, and sending them as downloads.

XLSX and ODS cells are typed: text is written as text cells, unchanged ("=1+1" stays a text, a
"0612345678" keeps its zero), numbers as numbers. A CSV has no types: a text a spreadsheet
program would run as a formula gets a leading quote (``neutralise_formula``), which
``read_table`` removes from CSV files only. So each format reads back as it was written, after
``read_table``'s own rules (spaces around a cell and control characters dropped).

Exports stream, so that memory stays flat however many rows an event has (issue 13): the rows
come as an iterable, read once, never held in a list here. A CSV is sent chunk by chunk as it
is written. An XLSX (openpyxl's write-only workbook) or an ODS (``spreadsheets/ods.py``) is a
ZIP whose parts' sizes are written before them: it is written whole, into a temporary file
that stays in memory while small and moves to disk beyond ``SPOOL_BYTES``, then sent from
there; an error on the way is an error page, not a truncated file.
"""

import csv
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import IO
from urllib.parse import quote

from flask import Response, abort, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from werkzeug.wsgi import FileWrapper

from facilitate.spreadsheets import ods
from facilitate.spreadsheets.cells import export_text, export_value, neutralise_formula

# What Excel and LibreOffice refuse in a sheet's name; Excel takes 31 characters at most.
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]*?:/\\]")
_SPACES = " \t\u00a0"
# In an XLSX, "_x000D_" stands for a carriage return: a text holding such a sequence gets its
# "_" escaped as "_x005F_", as Excel does, so that it reads back as typed.
_XLSX_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
# The rows each column's width is measured on.
WIDTH_SAMPLE = 500
# CSV rows sent in one chunk.
CSV_CHUNK_ROWS = 500
# An XLSX or ODS larger than this moves from memory to a temporary file while it is written.
SPOOL_BYTES = 1024 * 1024
_SEND_BYTES = 64 * 1024


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # Trimmed first, as read_table trims: a formula behind a space is neutralised too.
        return neutralise_formula(export_text(value).strip(_SPACES))
    return str(value)


def csv_chunks(headers: list[str], rows: Iterable[list], excel: bool = True) -> Iterator[bytes]:
    """CSV that French Excel opens correctly by double-click (UTF-8 with BOM, ";" separators),
    as chunks of ``CSV_CHUNK_ROWS`` rows; the first holds the header line."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        out.write("\ufeff")
    writer.writerow([_csv_cell(v) for v in headers])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(v) for v in row])
        if count % CSV_CHUNK_ROWS == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def write_csv(headers: list[str], rows: Iterable[list], excel: bool = True) -> bytes:
    """The whole CSV at once (``csv_chunks``), for the command line and the tests."""
    return b"".join(csv_chunks(headers, rows, excel))


def sheet_name(title: str) -> str:
    """A name both Excel and LibreOffice accept for a sheet: none of ``[]*?:/\\``, no quote
    at either end, 31 characters at most, not empty."""
    name = _NOT_IN_SHEET_NAMES.sub(" ", export_text(title or "")).replace("\n", " ")
    name = " ".join(name.split())[:31].strip(" '")
    return name or "Sheet1"


def _measured(headers: list, rows: Iterable[list]) -> tuple[list[float], Iterator[list]]:
    """Each column as wide as its longest line (within reason), in characters, measured on
    the first ``WIDTH_SAMPLE`` rows; and the rows, all of them still to read."""
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    widths = []
    for index in range(max([len(headers)] + [len(r) for r in sample])):
        longest = 0
        for row in [headers, *sample]:
            if index < len(row) and row[index] is not None:
                longest = max(longest, *(len(line) for line in str(row[index]).split("\n")))
        widths.append(min(max(longest + 2, 8), 60))
    return widths, chain(sample, rows)


def save_xlsx(out: IO[bytes], headers: list[str], rows: Iterable[list], title: str) -> None:
    """A workbook written by openpyxl in write-only mode (each row goes to a temporary file as
    it is appended): header row bold and frozen, columns sized to their content, line breaks
    shown (wrapped text)."""
    save_xlsx_sheets(out, [(title, headers, rows)])


def save_xlsx_sheets(out: IO[bytes], sheets: list[tuple[str, list[str], Iterable[list]]]) -> None:
    """A workbook of several sheets (title, headers, rows), each as ``save_xlsx`` writes one."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        _append_sheet(workbook, title, headers, rows)
    workbook.save(out)


def _append_sheet(workbook, title: str, headers: list[str], rows: Iterable[list]) -> None:
    sheet = workbook.create_sheet(sheet_name(title))
    widths, rows = _measured(headers, rows)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cells(values, header=False):
        for value in values:
            value = export_value(value)
            if isinstance(value, str):
                if "_x" in value:
                    value = _XLSX_ESCAPE.sub(r"_x005F_\1", value)
                cell = WriteOnlyCell(sheet, value=value)
                # openpyxl takes a text starting with "=" for a formula.
                cell.data_type = "s"
                if "\n" in value:
                    cell.alignment = wrap
            elif header:
                cell = WriteOnlyCell(sheet, value=value)
            else:
                yield value  # openpyxl makes the cell of a number, or none for None
                continue
            if header:
                cell.font = bold
            yield cell

    sheet.append(list(cells(headers, header=True)))
    for row in rows:
        sheet.append(list(cells(row)))


def save_ods(out: IO[bytes], headers: list[str], rows: Iterable[list], title: str) -> None:
    """An OpenDocument spreadsheet, written row by row (``spreadsheets/ods.py``): header row
    bold, columns sized to their content."""
    save_ods_sheets(out, [(title, headers, rows)])


def save_ods_sheets(out: IO[bytes], sheets: list[tuple[str, list[str], Iterable[list]]]) -> None:
    """An OpenDocument workbook of several sheets (title, headers, rows)."""
    measured = []
    for title, headers, rows in sheets:
        widths, rows = _measured(headers, rows)
        measured.append((sheet_name(title), headers, rows, widths))
    ods.write_sheets(out, measured)


def write_xlsx(headers: list[str], rows: Iterable[list], title: str) -> bytes:
    out = io.BytesIO()
    save_xlsx(out, headers, rows, title)
    return out.getvalue()


def write_ods(headers: list[str], rows: Iterable[list], title: str) -> bytes:
    out = io.BytesIO()
    save_ods(out, headers, rows, title)
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


def _chained(chunks: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from chunks
    yield from rest  # closing this generator closes ``rest``, and its database cursor


def spreadsheet_download(
    headers: list[str], rows: Iterable[list], fmt: str, basename: str, sheet_title: str
) -> Response:
    """The table as a CSV, XLSX or ODS file download; 404 for another format. ``rows`` is read
    once: a generator reading the database in chunks keeps memory flat. Whatever may fail
    (the format, the queries, an XLSX or ODS as a whole) fails here, before the response
    starts. A CSV's first chunk is written now; a CSV of one chunk is sent as it is, a longer
    one streamed, the rest written as it is sent, in this request's context
    (``stream_with_context``)."""
    if fmt not in _TYPES:
        abort(404)
    headers_sent = {"Content-Disposition": content_disposition(f"{basename}.{fmt}")}
    if fmt == "csv":
        chunks = csv_chunks(headers, rows)
        first = next(chunks)
        second = next(chunks, None)
        if second is None:
            return Response(first, mimetype=_TYPES[fmt], headers=headers_sent)
        return Response(
            stream_with_context(_chained([first, second], chunks)),
            mimetype=_TYPES[fmt],
            headers=headers_sent,
        )
    return _workbook_download([(sheet_title, headers, rows)], fmt, headers_sent)


def workbook_download(
    sheets: list[tuple[str, list[str], Iterable[list]]], fmt: str, basename: str
) -> Response:
    """A workbook of several sheets (title, headers, rows) as an XLSX or ODS download; 404 for
    another format (a CSV holds one table)."""
    if fmt not in ("xlsx", "ods"):
        abort(404)
    headers_sent = {"Content-Disposition": content_disposition(f"{basename}.{fmt}")}
    return _workbook_download(sheets, fmt, headers_sent)


def _workbook_download(sheets, fmt: str, headers_sent: dict) -> Response:
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (FileWrapper closes it)
    try:
        (save_xlsx_sheets if fmt == "xlsx" else save_ods_sheets)(file, sheets)
        size = file.tell()
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return Response(
        FileWrapper(file, _SEND_BYTES),  # closes the file once sent
        mimetype=_TYPES[fmt],
        headers={**headers_sent, "Content-Length": str(size)},
        direct_passthrough=True,
    )
