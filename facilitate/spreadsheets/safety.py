"""What no spreadsheet program writes in an XLSX or ODS, refused before any parser reads it: ZIP
bombs, XML document type declarations and entities, sheets too large to read."""

import zipfile
from xml.parsers import expat

from flask_babel import gettext as _

from facilitate.spreadsheets.problems import SpreadsheetError

# An XLSX is a ZIP of XML files. The real ones of organisers weigh a few megabytes once
# uncompressed; a "ZIP bomb" of a few kilobytes can claim gigabytes.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# calamine reads a sheet into one grid of every cell from A1 to its last one: a cell in XFD1048576
# of a 9 kB file asks for 512 GB, and the process dies. Organisers' tables have hundreds of rows.
MAX_ROWS = 200_000
MAX_CELLS = 5_000_000
# What is read of each part to find a document type declaration, which comes before the first
# element: in a real file, that is one line.
_PROLOG_BYTES = 1024 * 1024


class _Refused(Exception):
    """A part of the file holds what is not accepted; ``message`` says what."""


class _PrologRead(Exception):
    """The first element is reached: no declaration can follow."""


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse, with a message that names it, what no spreadsheet program writes in an XLSX or
    an ODS: XML document type declarations (DTD) and entities, as in the "billion laughs" (a
    few lines that expand to gigabytes) or external entities (which make a parser read other
    files or addresses), in any part of the archive. calamine's XML reader would not expand
    them, but no real file has them; the scan of the sheets refuses any DTD as well."""
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


def check_extent(sheet: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose last cell is too far for its grid to be held in memory."""
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise SpreadsheetError(
            _(
                "The sheet “%(sheet)s” is too large: it reaches row %(rows)d and column %(columns)d, while at most %(max)d rows and %(cells)d cells are accepted. Delete the rows and columns below and right of the table, or split the file.",
                sheet=sheet,
                rows=rows,
                columns=columns,
                max=MAX_ROWS,
                cells=MAX_CELLS,
            )
        )


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
            # A clean prolog, or a part that is no XML (a picture): the reader judges the rest.
            return
