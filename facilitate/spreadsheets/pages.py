"""The web side of spreadsheet imports, shared by challenges and attendees.

Upload, then a preview that lists every problem by line and column, or what will be created
and updated; nothing is written until the organiser confirms. The confirmation carries the
file itself (base64 in a hidden field), so no upload is kept on the server between the two
steps; it is checked again before anything is written, all rows or none.
"""

import base64
import binascii
from collections.abc import Callable
from pathlib import PurePath

from flask import flash, redirect, render_template, request
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired

from facilitate.extensions import db
from facilitate.i18n import lazy_gettext as _l
from facilitate.text import FlaskForm


class UploadForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={
            "accept": ".ods,.xlsx,.xlsm,.xls,.csv,.txt,.tsv,text/csv,"
            "application/vnd.oasis.opendocument.spreadsheet,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
            "application/vnd.ms-excel"
        },
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    content = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import"))


def import_page(
    *,
    check: Callable[[bytes, str], object],
    apply: Callable[[object], str],
    describe: Callable[[object], list[str]],
    title: str,
    hint: str,
    done_url: str,
    back_url: str,
    breadcrumb: list[tuple[str, str]],
    template: str = "spreadsheets/preview.html",
    **extra,
):
    """Run one step of an import: the upload form, its preview, or the confirmed write.

    ``check(data, filename)`` returns a check result with ``problems``, ``ok``, the file's
    column ``report`` (None when unreadable) and the rows it ``changes``;
    ``apply(checked)`` writes it and returns the message to flash; ``describe(checked)`` says
    in a few lines what the import will do. ``template`` shows the preview (an edition's
    workbook has its own, a section per site), with ``extra`` in its context.
    """
    context = dict(
        title=title, hint=hint, back_url=back_url, breadcrumb=breadcrumb, template=template, **extra
    )
    if request.method == "POST" and "content" in request.form:
        confirm = ConfirmImportForm()
        data = _decoded(confirm.content.data) if confirm.validate_on_submit() else None
        if data is not None:
            checked = check(data, confirm.filename.data)
            if checked.ok:
                message = apply(checked)
                db.session.commit()
                flash(message, "success")
                return redirect(done_url, code=303)
            return _preview(checked, data, confirm.filename.data, describe, context), 400
        flash(_l("The file could not be read back; please send it again."), "error")
        return redirect(request.url, code=303)

    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = PurePath(upload.filename or "").name
        data = upload.read()
        checked = check(data, filename)
        return _preview(checked, data, filename, describe, context), 200 if checked.ok else 400
    status = 400 if request.method == "POST" else 200
    return render_template("spreadsheets/upload.html", form=form, **context), status


def _preview(checked, data: bytes, filename: str, describe, context):
    confirm = ConfirmImportForm(
        formdata=None, content=base64.b64encode(data).decode("ascii"), filename=filename
    )
    context = dict(context)
    return render_template(
        context.pop("template"),
        checked=checked,
        filename=filename,
        summary=describe(checked) if checked.ok else [],
        report=checked.report,
        changes=checked.changes if checked.ok else [],
        confirm=confirm,
        upload=UploadForm(formdata=None),
        **context,
    )


def _decoded(content: str) -> bytes | None:
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return None
