"""Reading the spreadsheets organisers actually have: XLSX, or CSV as French Excel writes it
(";" separators, Windows-1252 or UTF-8 with a byte-order mark), and writing them back.

Every importer (attendees, challenge sheets) reads through ``read_table``, maps its columns with
``match_columns`` and reports what is wrong as ``Problem``s, so that encodings, separators,
header spellings and the way problems are shown are handled once.
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from facilitate.text import clean_text


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is meant for the organiser."""


@dataclass(frozen=True)
class Problem:
    """Something to fix in an imported file, located as the organiser will look for it.

    ``line`` is the row number their spreadsheet program shows (None: the file as a whole);
    ``column`` is the column's header as written in the file (None: the whole line).
    """

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if not self.column:
            return _("Line %(line)d: %(message)s", line=self.line, message=self.message)
        return _(
            "Line %(line)d, column “%(column)s”: %(message)s",
            line=self.line,
            column=self.column,
            message=self.message,
        )


@dataclass
class Table:
    """Cells keep their text as typed, including line breaks, without the spaces around it."""

    headers: list[str]
    # (row number as a spreadsheet program shows it, cells)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def cell(cells: list[str], index: int | None) -> str:
    """The text of one cell of a row, trimmed and without control characters (``clean_text``);
    "" for a missing column or a short row."""
    if index is None or index >= len(cells):
        return ""
    return clean_text(cells[index]).strip()


def read_table(data: bytes, filename: str) -> Table:
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
                    table = Table(headers=cells)
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
            _check_archive(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table: Table | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_clean(_cell_text(v)) for v in values]
            if table is None:
                if any(c.strip() for c in cells):
                    table = Table(headers=cells)
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


# An XLSX is a ZIP of XML files. The real ones of organisers weigh a few megabytes once
# uncompressed; a "ZIP bomb" of a few kilobytes can claim gigabytes.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# What is read of each part to find a document type declaration, which comes before the first
# element: in a real file, that is one line.
_PROLOG_BYTES = 1024 * 1024


class _Refused(Exception):
    """A part of the file holds what is not accepted; ``message`` says what."""


class _PrologRead(Exception):
    """The first element is reached: no declaration can follow."""


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse, with a message that names it, what no spreadsheet program writes in an XLSX: XML
    document type declarations (DTD) and entities, as in the "billion laughs" (a few lines that
    expand to gigabytes) or external entities (which make a parser read other files or
    addresses). openpyxl parses through defusedxml, which refuses entities too; this check says
    why, and refuses a bare DTD as well."""
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            _(
                "This file is too large once uncompressed (over %(size)d MB), which is not accepted. Send a smaller workbook, or a CSV.",
                size=MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
            )
        )
    for info in archive.infolist():
        try:
            _check_prolog(archive, info)
        except _Refused as refused:
            raise SpreadsheetError(str(refused)) from None


def _refuse_external(*_args):
    raise _Refused(
        _(
            "This file refers to external XML resources (other files or addresses), which is not accepted. Save it again as XLSX from Excel or LibreOffice, or send a CSV."
        )
    )


def _refuse_entity(_name, _is_parameter, _value, _base, system_id, public_id, _notation):
    if system_id or public_id:
        _refuse_external()
    raise _Refused(
        _(
            "This file contains XML entity declarations, which are not accepted. Save it again as XLSX from Excel or LibreOffice, or send a CSV."
        )
    )


def _refuse_doctype(_name, system_id, public_id, _has_internal_subset):
    if system_id or public_id:
        _refuse_external()


def _refuse_bare_doctype():
    """The end of a DTD that declared no entity (those are refused as they come)."""
    raise _Refused(
        _(
            "This file contains an XML document type declaration (DOCTYPE), which is not accepted. Save it again as XLSX from Excel or LibreOffice, or send a CSV."
        )
    )


def _prolog_read(*_args):
    raise _PrologRead


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read one part up to its first element, refusing declarations on the way (_Refused)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EndDoctypeDeclHandler = _refuse_bare_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_external
    parser.StartElementHandler = _prolog_read
    read = 0
    with archive.open(info) as stream:
        try:
            while read < _PROLOG_BYTES and (chunk := stream.read(64 * 1024)):
                read += len(chunk)
                parser.Parse(chunk, False)
        except (_PrologRead, expat.ExpatError):
            # A clean prolog, or a part that is no XML (a picture): openpyxl judges the rest.
            return


def header_key(header: str) -> str:
    """'Adresse e-mail ' -> 'adresse email': case, accents and punctuation do not matter."""
    decomposed = unicodedata.normalize("NFKD", header or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("n°", "numero ").replace("°", " ")
    words = "".join(c if c.isalnum() else " " if c not in "-'’" else "" for c in plain)
    # A header made of punctuation only ("#") is its own key.
    return " ".join(words.split()) or "".join(plain.split())


def match_columns(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Which column holds each known field, whatever language or spelling the header uses."""
    wanted = {header_key(alias): name for name, names in aliases.items() for alias in names}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        name = wanted.get(key) if key else None
        if name is not None and name not in found:
            found[name] = index
    return found


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A cell a spreadsheet program would run as a formula is written with a leading quote
    (OWASP's advice against CSV injection); ``restore_formula`` removes it on import. A text
    that already looks neutralised gets one more quote, so that it reads back unchanged."""
    if isinstance(value, str) and (
        value.startswith(_FORMULA_STARTS) or restore_formula(value) != value
    ):
        return "'" + value
    return value


def restore_formula(text: str) -> str:
    if text.startswith("'") and text[1:].startswith((*_FORMULA_STARTS, "'")):
        return text[1:]
    return text


def join_list(items: list[str]) -> str:
    """A list in one cell, one item per line. A single item containing ";" gets a final line
    break, which tells ``split_list`` not to cut it at the ";"."""
    text = "\n".join(items)
    if len(items) == 1 and ";" in items[0]:
        text += "\n"
    return text


def split_list(text: str) -> list[str]:
    """The items of a list cell: one per line or, in a cell without line breaks, separated by
    ";" (as people type "A; B; C"). Items are trimmed, empty ones dropped, order kept."""
    parts = text.split("\n") if "\n" in text else text.split(";")
    return [item for item in (part.strip() for part in parts) if item]


def _exported(value):
    """A cell as written to a file: text stored before ``clean_text`` guarded every way in may
    still hold control characters, which openpyxl refuses (a 500) and CSV readers trip on."""
    return neutralise_formula(clean_text(value))


def write_csv(headers: list[str], rows: list[list], excel: bool = True) -> bytes:
    """CSV that French Excel opens correctly by double-click: UTF-8 with BOM, ";" separators."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([_exported(v) for v in headers])
    writer.writerows([_exported("" if v is None else v) for v in row] for row in rows)
    return ("\ufeff" if excel else "").encode() + out.getvalue().encode("utf-8")


def write_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([_exported(v) for v in headers])
    for row in rows:
        sheet.append([_exported(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
