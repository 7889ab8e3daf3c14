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
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

from defusedxml import ElementTree
from flask_babel import gettext as _
from python_calamine import CalamineWorkbook, PasswordError

from facilitate.spreadsheets.cells import restore_formula
from facilitate.spreadsheets.problems import SpreadsheetError
from facilitate.spreadsheets.safety import check_archive, check_extent
from facilitate.text import clean_text

# Says whether a row, as texts, is the header line of the table wanted.
Recognise = Callable[[list[str]], bool]

# Rows looked at, in each sheet, for the header line: title rows and notes come before it.
HEADER_SEARCH_ROWS = 20

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
    # (row number, column index from 0) of the cells at or below the header line that hold a
    # formula saved without its value (as tools that generate files write them): they read as
    # empty, while the spreadsheet program would show a value.
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


def cell_reference(line: int, index: int) -> str:
    """The name a spreadsheet program gives a cell: (4, 2) -> "C4"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"{letters}{line}"


def read_table(data: bytes, filename: str, recognise: Recognise | None = None) -> Table:
    """The table of an uploaded file. ``recognise`` tells the header line: in each sheet in
    order, the first of its first 20 non-empty rows that it accepts, in the first sheet that has
    one. Without ``recognise``, or when no row is accepted, the header line is the first
    non-empty row of the first sheet that has one (the caller then says which columns are
    missing). Raises ``SpreadsheetError`` with a message for the organiser."""
    kind = _sniff(data, filename)
    if kind == "csv":
        return _read_csv(data, recognise)
    if kind == "ole":
        return _read_ole(data, recognise)
    return _read_zip(data, recognise, filename)


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


def _encrypted() -> str:
    return _(
        "This file is protected by a password: save it without a password in Excel or LibreOffice, then send it again."
    )


# CSV ----------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_unknown_encoding()) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_unknown_encoding()) from error


def _unknown_encoding() -> str:
    return _("The file's text encoding is not recognised. Save it as CSV UTF-8 or as XLSX.")


def _delimiter(text: str) -> str:
    """The separator that cuts most of the first records into the same number of cells, more
    than one; on a tie ";" (French Excel, and our own exports), then tab, then ",". A cell may
    hold any of them, so counting them on the first line is not enough."""
    sample = text[: 64 * 1024]
    best, best_score = ";", (-1, 0)
    for preference, delimiter in enumerate((";", "\t", ",")):
        counts = []
        try:
            for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if any(record):
                    counts.append(len(record))
                if len(counts) == HEADER_SEARCH_ROWS:
                    break
        except csv.Error:
            pass  # the sample may end inside a quoted cell
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        score = (counts.count(common), -preference)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes, recognise: Recognise | None) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise SpreadsheetError(
            _("This file is not a CSV text file. Save it as CSV UTF-8 or as XLSX.")
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
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


@dataclass
class _SheetScan:
    """What the XML of one sheet says before calamine reads it."""

    name: str = ""
    rows: int = 0  # the last row holding a cell
    columns: int = 0  # the last column holding a cell
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


def _read_ole(data: bytes, recognise: Recognise | None) -> Table:
    """An OLE compound file: an XLS workbook, or an XLSX or ODS encrypted with a password
    (Office and LibreOffice put the encrypted package in such a file, next to an
    "EncryptionInfo" stream)."""
    if "EncryptionInfo".encode("utf-16-le") in data:
        raise SpreadsheetError(_encrypted())
    try:
        scans = _scan_xls(data)
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(_invalid("xls")) from error
    return _read_workbook(data, recognise, "xls", scans)


def _read_zip(data: bytes, recognise: Recognise | None, filename: str) -> Table:
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
                    raise SpreadsheetError(_encrypted())
                scans = _scan_ods(archive)
            else:
                scans = _scan_xlsx(archive)
    except SpreadsheetError:
        raise
    except Exception as error:
        # zipfile raises many kinds for damaged files (BadZipFile, KeyError, EOFError,
        # NotImplementedError for an unknown compression...), the XML parsers theirs.
        kind = extension if extension in ("ods", "xlsm") else "xlsx"
        raise SpreadsheetError(_invalid(kind)) from error
    return _read_workbook(data, recognise, kind, scans)


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    with archive.open("mimetype") as stream:
        return stream.read(100).strip()


def _read_workbook(
    data: bytes, recognise: Recognise | None, kind: str, scans: list[_SheetScan] | None
) -> Table:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return _choose_sheet(workbook, recognise, scans)
        finally:
            workbook.close()
    except SpreadsheetError:
        raise
    except PasswordError as error:
        raise SpreadsheetError(_encrypted()) from error
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:  # noqa: BLE001
        # calamine raises CalamineError, XmlError, ZipError or ValueError for damaged files,
        # and its panics come through as pyo3_runtime.PanicException, a BaseException.
        raise SpreadsheetError(_invalid(kind)) from error


def _choose_sheet(workbook, recognise: Recognise | None, scans: list[_SheetScan] | None) -> Table:
    names = list(workbook.sheet_names)
    worksheets = [
        index
        for index, metadata in enumerate(workbook.sheets_metadata)
        if str(metadata.typ).endswith("WorkSheet")
    ]
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

_XLSX_CELL = re.compile(r"([A-Z]+)(\d+)")
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _local(tag: str) -> str:
    return tag.rpartition(" ")[2]


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """The names and parts of the sheets, in the workbook's order (calamine's)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target", "")
        for r in relationships.iter()
        if r.tag.rpartition("}")[2] == "Relationship"
    }
    parts = []
    for sheet in workbook.iter():
        if sheet.tag.rpartition("}")[2] != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.rpartition("}")[2] == "id"), None)
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((sheet.get("name", ""), part))
    return parts


def _parser() -> expat.XMLParserType:
    """A namespace-aware expat parser that refuses any DTD (``safety`` refuses them first)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args):
        raise ValueError("DTD")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.buffer_text = True
    return parser


def _feed(parser: expat.XMLParserType, archive: zipfile.ZipFile, part: str) -> None:
    with archive.open(part) as stream:
        while chunk := stream.read(256 * 1024):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _scan_xlsx(archive: zipfile.ZipFile) -> list[_SheetScan]:
    names = set(archive.namelist())
    return [
        _scan_xlsx_sheet(archive, part, name) if part in names else _SheetScan(name)
        for name, part in _xlsx_sheet_parts(archive)
    ]


def _scan_xlsx_sheet(archive: zipfile.ZipFile, part: str, name: str) -> _SheetScan:
    """The extent of a sheet (every ``<c>`` counts: calamine keeps even empty ones), and its
    formulas without value: ``<c><f>…</f></c>`` with no ``<v>`` or an empty one, unless the
    formula's result is an empty text (``t="str"``)."""
    scan = _SheetScan(name)
    state = {"row": 0, "column": 0, "formula": False, "value": None, "text": False, "v": False}

    def start(tag, attributes):
        name = _local(tag)
        if name == "row":
            state["row"] = int(attributes.get("r") or state["row"] + 1)
            state["column"] = 0
        elif name == "c":
            match = _XLSX_CELL.fullmatch(attributes.get("r", ""))
            if match:
                state["column"] = _column_number(match[1])
                state["row"] = int(match[2])
            else:
                state["column"] += 1
            state["formula"], state["value"] = False, None
            state["text"] = attributes.get("t") == "str"
            scan.rows = max(scan.rows, state["row"])
            scan.columns = max(scan.columns, state["column"])
            check_extent(scan.name, scan.rows, scan.columns)
        elif name == "f":
            state["formula"] = True
        elif name == "v":
            state["v"], state["value"] = True, state["value"] or ""

    def end(tag):
        name = _local(tag)
        if name == "v":
            state["v"] = False
        elif name == "c" and state["formula"] and not state["value"] and not computed_empty():
            scan.formulas_without_value.append((state["row"], state["column"] - 1))

    def computed_empty():
        """An empty text computed by a formula is written <v></v> with t="str"."""
        return state["text"] and state["value"] is not None

    def text(data):
        if state["v"]:
            state["value"] += data.strip()

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    _feed(parser, archive, part)
    return scan


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _scan_ods(archive: zipfile.ZipFile) -> list[_SheetScan]:
    """Each table of content.xml: its extent, repeated rows and columns counted (a cell with
    ``table:number-columns-repeated="16384"`` in a row repeated a million times is one line of
    XML), and its formulas without value: ``table:formula`` with no ``office:*value*``
    attribute."""
    scans: list[_SheetScan] = []
    state = {"depth": 0, "row": 0, "repeat": 1, "column": 0, "cell": None, "filled": False}

    def start(tag, attributes):
        if tag == f"{_TABLE} table":
            state["depth"] += 1
            if state["depth"] == 1:
                scans.append(_SheetScan(attributes.get(f"{_TABLE} name", "")))
                state["row"] = 0
            return
        if state["depth"] != 1:
            return
        if tag == f"{_TABLE} table-row":
            state["repeat"] = int(attributes.get(f"{_TABLE} number-rows-repeated", 1))
            state["column"], state["filled"] = 0, False
        elif tag in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            repeat = int(attributes.get(f"{_TABLE} number-columns-repeated", 1))
            formula = f"{_TABLE} formula" in attributes
            valued = any(k.startswith(f"{_OFFICE} ") and "value" in k for k in attributes)
            state["cell"] = [repeat, valued or formula, formula and not valued]
        elif state["cell"] is not None:
            state["cell"][1] = True  # text:p and the like: the cell holds something

    def end(tag):
        if tag == f"{_TABLE} table":
            state["depth"] -= 1
            return
        if state["depth"] != 1:
            return
        scan = scans[-1]
        if tag in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            repeat, filled, without_value = state["cell"]
            state["cell"] = None
            if filled:
                state["filled"] = True
                scan.columns = max(scan.columns, state["column"] + repeat)
                scan.rows = max(scan.rows, state["row"] + state["repeat"])
                check_extent(scan.name, scan.rows, scan.columns)
            if without_value:
                scan.formulas_without_value.extend(
                    (state["row"] + r + 1, state["column"] + c)
                    for r in range(state["repeat"])
                    for c in range(repeat)
                )
            state["column"] += repeat
        elif tag == f"{_TABLE} table-row":
            state["row"] += state["repeat"]

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _feed(parser, archive, "content.xml")
    return scans


# An XLS file is an OLE compound file ("CFB") holding a "Workbook" stream of BIFF8 records.
_END_OF_CHAIN = 0xFFFFFFFE
# BIFF records of one cell: (row, column) are their first two 16-bit numbers.
_XLS_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6}
# Records of a run of cells in one row: the last column is their last 16-bit number.
_XLS_RUNS = {0x00BD, 0x00BE}
_XLS_BOF, _XLS_EOF, _XLS_FILEPASS, _XLS_GLOBALS = 0x0809, 0x000A, 0x002F, 0x0005


def _cfb_stream(data: bytes, wanted: tuple[str, ...]) -> bytes:
    """A stream of an OLE compound file, read by following its sector chain (MS-CFB)."""
    sector = 1 << int.from_bytes(data[30:32], "little")
    mini_sector = 1 << int.from_bytes(data[32:34], "little")
    if sector not in (512, 4096) or mini_sector != 64:
        raise ValueError("not a compound file")
    limit = len(data) // sector + 1

    def chain(start: int, table: list[int]) -> list[int]:
        sectors = []
        while start != _END_OF_CHAIN:
            if start >= len(table) or len(sectors) > len(table):
                raise ValueError("broken chain")
            sectors.append(start)
            start = table[start]
        return sectors

    def read(number: int) -> bytes:
        if number >= limit:
            raise ValueError("sector out of the file")
        return data[(number + 1) * sector : (number + 2) * sector]

    def numbers(raw: bytes) -> list[int]:
        return [int.from_bytes(raw[i : i + 4], "little") for i in range(0, len(raw), 4)]

    difat = numbers(data[76:512])
    next_difat, difat_count = (int.from_bytes(data[o : o + 4], "little") for o in (68, 72))
    for _round in range(min(difat_count, limit)):
        if next_difat >= limit:
            break
        more = numbers(read(next_difat))
        difat += more[:-1]
        next_difat = more[-1]
    fat: list[int] = []
    for number in difat:
        if number < limit:
            fat += numbers(read(number))
    directory = b"".join(read(n) for n in chain(int.from_bytes(data[48:52], "little"), fat))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    root = entries[0]
    for entry in entries:
        length = int.from_bytes(entry[64:66], "little")
        name = entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace")
        if entry[66] != 2 or name not in wanted:
            continue
        start = int.from_bytes(entry[116:120], "little")
        size = int.from_bytes(entry[120:124], "little")
        if size >= int.from_bytes(data[56:60], "little"):
            return b"".join(read(n) for n in chain(start, fat))[:size]
        # A small stream lives in the mini stream, itself stored in the root's chain.
        mini_fat_start = int.from_bytes(data[60:64], "little")
        mini_fat = numbers(b"".join(read(n) for n in chain(mini_fat_start, fat)))
        stream = b"".join(read(n) for n in chain(int.from_bytes(root[116:120], "little"), fat))
        return b"".join(
            stream[n * mini_sector : (n + 1) * mini_sector] for n in chain(start, mini_fat)
        )[:size]
    raise ValueError("no workbook stream")


def _scan_xls(data: bytes) -> list[_SheetScan]:
    """The extent of each worksheet of an XLS, from its cell records; a workbook encrypted with
    a password (a FILEPASS record) is refused as such."""
    stream = _cfb_stream(data, ("Workbook", "Book"))
    scans: list[_SheetScan] = []
    scan: _SheetScan | None = None
    depth = position = 0
    while position + 4 <= len(stream):
        kind = int.from_bytes(stream[position : position + 2], "little")
        length = int.from_bytes(stream[position + 2 : position + 4], "little")
        record = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if kind == _XLS_FILEPASS:
            raise SpreadsheetError(_encrypted())
        if kind == _XLS_BOF:
            depth += 1
            # The workbook's globals come first, then one substream per sheet, in order; a
            # chart inside a sheet is a substream within it.
            if depth == 1 and int.from_bytes(record[2:4], "little") != _XLS_GLOBALS:
                scan = _SheetScan()
                scans.append(scan)
            continue
        if kind == _XLS_EOF:
            depth = max(depth - 1, 0)
            continue
        if scan is None or length < 4 or not (kind in _XLS_CELLS or kind in _XLS_RUNS):
            continue
        row = int.from_bytes(record[0:2], "little") + 1
        column = int.from_bytes(record[2:4], "little") + 1
        if kind in _XLS_RUNS:
            column = int.from_bytes(record[-2:], "little") + 1
        scan.rows, scan.columns = max(scan.rows, row), max(scan.columns, column)
    return scans
