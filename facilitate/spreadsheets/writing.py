"""Writing spreadsheets the organisers open by double-click, and sending them as downloads."""

import csv
import io

from flask import Response, abort
from openpyxl import Workbook

from facilitate.spreadsheets.cells import neutralise_formula
from facilitate.text import clean_text


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


_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def spreadsheet_download(
    headers: list[str], rows: list[list], fmt: str, basename: str, sheet_title: str
) -> Response:
    if fmt not in _TYPES:
        abort(404)
    data = write_csv(headers, rows) if fmt == "csv" else write_xlsx(headers, rows, sheet_title)
    return Response(
        data,
        mimetype=_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{basename}.{fmt}"'},
    )
