"""Reading a workbook (XLSX, XLSM, XLS or ODS) into a ``Table``: refused first if it is
encrypted, damaged or made to harm (``safety``; each sheet's XML scanned once by ``scans`` for
its real extent and its formulas saved without a value), then read by python-calamine, with the
values the spreadsheet program computed, one sheet after the other until one has the header
line wanted."""

import datetime
import io
import zipfile

from flask_babel import gettext as _
from python_calamine import CalamineWorkbook, PasswordError

from facilitate.spreadsheets.problems import (
    MissingSheet,
    SpreadsheetError,
    encrypted_file,
    invalid_workbook,
    not_a_spreadsheet,
)
from facilitate.spreadsheets.safety import check_archive, check_extent
from facilitate.spreadsheets.scans import SheetScan, scan_ods, scan_xls, scan_xlsx
from facilitate.spreadsheets.table import (
    Recognise,
    Table,
    clean_cell,
    header_key,
    table_of,
    trimmed,
)

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def read_ole(data: bytes, recognise: Recognise | None, sheets=None) -> Table:
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
        raise SpreadsheetError(invalid_workbook("xls")) from error
    return _read_workbook(data, recognise, "xls", scans, sheets)


def read_zip(data: bytes, recognise: Recognise | None, extension: str, sheets=None) -> Table:
    """A zip archive: an XLSX (or XLSM) or an ODS workbook, told by its content; ``extension``,
    the file name's, only names the format a damaged file was meant to be."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
            names = set(archive.namelist())
            if "mimetype" in names and _mimetype(archive) == _ODS_MIMETYPE:
                kind = "ods"
            elif "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                kind = "xlsx"
            elif extension in ("xlsx", "xlsm", "ods"):
                raise SpreadsheetError(invalid_workbook(extension))
            else:
                raise SpreadsheetError(not_a_spreadsheet())
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
        raise SpreadsheetError(invalid_workbook(kind)) from error
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
        raise SpreadsheetError(invalid_workbook(kind)) from error


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
        table = table_of(rows, recognise) if recognise is not None else None
        if table is not None:
            break
    if table is None:
        if first is None:
            raise SpreadsheetError(_("The file is empty."))
        index, rows = first
        table = table_of(rows, None)
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
        cells = trimmed([_cell_text(v) for v in values])
        if cells:
            rows.append((first_row + offset + 1, padding + cells))
    return rows


def _time(value: datetime.time | datetime.datetime) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _cell_text(value) -> str:
    """A calamine value as typed in the spreadsheet (see ``reading``'s documentation)."""
    if isinstance(value, str):
        return clean_cell(value)
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
    return clean_cell(str(value))
