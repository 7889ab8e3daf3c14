"""Sending a spreadsheet to the browser as a download."""

from flask import Response, abort

from facilitate.spreadsheets import write_csv, write_xlsx

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
