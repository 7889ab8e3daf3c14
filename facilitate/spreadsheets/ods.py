"""An OpenDocument spreadsheet (LibreOffice's own format) written row by row.

odfpy, which wrote these files before, builds the whole document as a tree of Python objects
before writing a byte: some 3 kB for each cell, a 10,000-attendee list in hundreds of megabytes
and half a second of CPU for an edition's 1,050. A sheet of text and numbers needs little of
ODF: this module writes ``content.xml`` as the rows come, straight into the ZIP (compressed as
it goes), with the parts every reader expects: ``mimetype`` first and stored uncompressed (how
programs recognise the format), the manifest, styles and meta. The cells are those odfpy wrote:
typed (``office:value-type`` float, boolean, date or string), one ``text:p`` per line, the
header row bold, each column its width.
"""

import datetime
import zipfile
from collections.abc import Iterable
from typing import IO

from facilitate.spreadsheets.cells import export_value

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
# Rows joined into one write to the compressed part.
_ROWS_PER_WRITE = 200
_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'office:version="1.2"'
)
_PROLOG = "<?xml version='1.0' encoding='UTF-8'?>\n"
_MANIFEST = (
    f"{_PROLOG}<manifest:manifest {_NAMESPACES}>"
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_STYLES = (
    f"{_PROLOG}<office:document-styles {_NAMESPACES}><office:styles/>"
    "<office:automatic-styles/></office:document-styles>"
)
_META = (
    f"{_PROLOG}<office:document-meta {_NAMESPACES}><office:meta>"
    f"<meta:generator>facilitate</meta:generator></office:meta></office:document-meta>"
)
_HEADER_STYLE = (
    '<style:style style:name="header" style:family="table-cell">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def cell(value, style: str = "") -> str:
    """One ``table:table-cell``; ``style`` an attribute (the header's) or "". None and "" are
    empty cells; a number is a float cell showing ``str(value)``, as odfpy wrote it."""
    value = export_value(value)
    if value is None or value == "":
        return f"<table:table-cell{style}/>"
    if isinstance(value, bool):
        typed = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
    elif isinstance(value, (int, float)):
        typed = f'office:value-type="float" office:value="{value!r}"'
    elif isinstance(value, (datetime.datetime, datetime.date)):
        typed = f'office:value-type="date" office:date-value="{value.isoformat()}"'
    else:
        typed = 'office:value-type="string"'
    # One paragraph per line, as LibreOffice writes a cell with line breaks.
    lines = "</text:p><text:p>".join(_escape(line) for line in str(value).split("\n"))
    return f"<table:table-cell {typed}{style}><text:p>{lines}</text:p></table:table-cell>"


def _row(values: Iterable, style: str = "") -> str:
    return "<table:table-row>" + "".join(cell(v, style) for v in values) + "</table:table-row>"


def write(out: IO[bytes], headers: list, rows: Iterable[list], name: str, widths: list[float]):
    """The spreadsheet into ``out`` (a binary file open for writing, seekable, so that every
    part's sizes stand in its local header: no data descriptors, which some readers of the
    ``mimetype`` entry refuse). ``name``: the sheet's, valid already; ``widths``: in
    characters, per column."""
    write_sheets(out, [(name, headers, rows, widths)])


def write_sheets(out: IO[bytes], sheets: list[tuple[str, list, Iterable[list], list[float]]]):
    """A workbook of several sheets (name, headers, rows, widths), as ``write`` writes one;
    each sheet's rows are read once, in turn."""
    columns = "".join(
        f'<style:style style:name="column{number}-{index}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{width * 0.2:.2f}cm"/>'
        "</style:style>"
        for number, (_name, _headers, _rows, widths) in enumerate(sheets)
        for index, width in enumerate(widths)
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("styles.xml", _STYLES)
        archive.writestr("meta.xml", _META)
        with archive.open("content.xml", "w") as content:
            content.write(
                (
                    f"{_PROLOG}<office:document-content {_NAMESPACES}>"
                    f"<office:automatic-styles>{_HEADER_STYLE}{columns}</office:automatic-styles>"
                    "<office:body><office:spreadsheet>"
                ).encode()
            )
            for number, (name, headers, rows, widths) in enumerate(sheets):
                content.write(
                    (
                        f'<table:table table:name="{_attribute(name)}">'
                        + "".join(
                            f'<table:table-column table:style-name="column{number}-{index}"/>'
                            for index in range(len(widths))
                        )
                        + _row(headers, ' table:style-name="header"')
                    ).encode()
                )
                pending = []
                for values in rows:
                    pending.append(_row(values))
                    if len(pending) == _ROWS_PER_WRITE:
                        content.write("".join(pending).encode())
                        pending.clear()
                pending.append("</table:table>")
                content.write("".join(pending).encode())
            content.write(b"</office:spreadsheet></office:body></office:document-content>")
