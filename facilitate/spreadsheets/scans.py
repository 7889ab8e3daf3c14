"""Each sheet looked over before calamine reads it: how far it really extends (a stale or huge
one is refused before calamine allocates it) and which cells hold a formula saved without its
value. XLSX sheets through their XML, ODS through content.xml, XLS through its BIFF records."""

import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from defusedxml import ElementTree

from facilitate.spreadsheets.problems import SpreadsheetError, encrypted_file
from facilitate.spreadsheets.safety import check_extent


@dataclass
class SheetScan:
    """What the XML of one sheet says before calamine reads it."""

    name: str = ""
    rows: int = 0  # the last row holding a cell
    columns: int = 0  # the last column holding a cell
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


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


def scan_xlsx(archive: zipfile.ZipFile) -> list[SheetScan]:
    names = set(archive.namelist())
    return [
        _scan_xlsx_sheet(archive, part, name) if part in names else SheetScan(name)
        for name, part in _xlsx_sheet_parts(archive)
    ]


def _scan_xlsx_sheet(archive: zipfile.ZipFile, part: str, name: str) -> SheetScan:
    """The extent of a sheet (every ``<c>`` counts: calamine keeps even empty ones), and its
    formulas without value: ``<c><f>…</f></c>`` with no ``<v>`` or an empty one, unless the
    formula's result is an empty text (``t="str"``)."""
    scan = SheetScan(name)
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


def scan_ods(archive: zipfile.ZipFile) -> list[SheetScan]:
    """Each table of content.xml: its extent, repeated rows and columns counted (a cell with
    ``table:number-columns-repeated="16384"`` in a row repeated a million times is one line of
    XML), and its formulas without value: ``table:formula`` with no ``office:*value*``
    attribute."""
    scans: list[SheetScan] = []
    state = {"depth": 0, "row": 0, "repeat": 1, "column": 0, "cell": None, "filled": False}

    def start(tag, attributes):
        if tag == f"{_TABLE} table":
            state["depth"] += 1
            if state["depth"] == 1:
                scans.append(SheetScan(attributes.get(f"{_TABLE} name", "")))
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


def scan_xls(data: bytes) -> list[SheetScan]:
    """The extent of each worksheet of an XLS, from its cell records; a workbook encrypted with
    a password (a FILEPASS record) is refused as such."""
    stream = _cfb_stream(data, ("Workbook", "Book"))
    scans: list[SheetScan] = []
    scan: SheetScan | None = None
    depth = position = 0
    while position + 4 <= len(stream):
        kind = int.from_bytes(stream[position : position + 2], "little")
        length = int.from_bytes(stream[position + 2 : position + 4], "little")
        record = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if kind == _XLS_FILEPASS:
            raise SpreadsheetError(encrypted_file())
        if kind == _XLS_BOF:
            depth += 1
            # The workbook's globals come first, then one substream per sheet, in order; a
            # chart inside a sheet is a substream within it.
            if depth == 1 and int.from_bytes(record[2:4], "little") != _XLS_GLOBALS:
                scan = SheetScan()
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
