"""Prototyping and exhibition preparation: the prototype's description, its photos and files,
feedback from tests, and the pitch (DOMAIN.md, stages 3 and 4).

The description and the pitch carry fingerprints like the framing (conflicts.py): two members
editing the same field never silently overwrite each other. Files are checked and stored by
uploads.py, photos upright and without their metadata (photos.py); the page's partials get
what they list from ``prototyping_panel(team)``, a fixed number of queries whatever the number
of files and entries.
"""

import os
from functools import cached_property

from flask import abort, g, redirect
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from facilitate import policy
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import FeedbackEntry, Idea, PrototypeFile, PrototypeKind, Stage, Team
from facilitate.text import FlaskForm
from facilitate.workspace import bp, photos, uploads
from facilitate.workspace.blank_forms import register
from facilitate.workspace.cards import file_cards, file_size
from facilitate.workspace.conflicts import form_with_bases, mark_conflicts, save_fields
from facilitate.workspace.pages import back_url, render_back
from facilitate.workspace.routes import _team_for, readable_file
from facilitate.workspace.services import (
    add_prototype_file,
    add_test_note,
    file_of_team_or_404,
    retained_idea,
    touch,
)

PITCH_MAX = 600
FEEDBACK_MAX = 2000
PROTOTYPE_FIELDS = ("prototype_kind", "prototype_summary", "prototype_tests", "test_plan")


def _text(value):
    """Submitted text as stored: browsers send CRLF line ends; the database keeps LF."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _kind_choices():
    return [("", _l("Not chosen yet"))] + [(kind.value, kind.label) for kind in PrototypeKind]


class PrototypeForm(FlaskForm):
    prototype_kind = SelectField(
        _l("Kind of prototype"), choices=_kind_choices, validators=[Optional()]
    )
    prototype_summary = TextAreaField(
        _l("What the prototype is"),
        description=_l("In a few sentences, what visitors will see or try."),
        filters=[_text],
        validators=[Optional(), Length(max=2000, message=_l("At most 2,000 characters."))],
    )
    prototype_tests = TextAreaField(
        _l("What it tests"),
        description=_l("The assumption the prototype checks with real users."),
        filters=[_text],
        validators=[Optional(), Length(max=2000, message=_l("At most 2,000 characters."))],
    )
    test_plan = TextAreaField(
        _l("Test plan"),
        description=_l("With whom, where and how you will test it."),
        filters=[_text],
        validators=[Optional(), Length(max=5000, message=_l("At most 5,000 characters."))],
    )
    base_prototype_kind = HiddenField()
    base_prototype_summary = HiddenField()
    base_prototype_tests = HiddenField()
    base_test_plan = HiddenField()
    submit = SubmitField(_l("Save the prototype"))


class UploadForm(FlaskForm):
    file = FileField(
        _l("Photo or document"),
        description=_l("A photo (JPEG, PNG or WebP) or a PDF, at most %(size)s MB."),
        validators=[FileRequired(_l("Choose a file first."))],
    )
    consent = BooleanField(_l("The people pictured agreed to this photo being shared."))
    public_consent = BooleanField(
        _l("They also agreed to it appearing on the event’s public showcase, on the internet.")
    )
    submit = SubmitField(_l("Add the file"))

    def validate_public_consent(self, field):
        """Being public comes on top of being shared within the event, never instead of it."""
        if field.data and not self.consent.data:
            raise ValidationError(
                _l(
                    "A photo can be public only if the people pictured agreed to it being shared: tick the box above too, or untick this one."
                )
            )


class FeedbackForm(FlaskForm):
    feedback = TextAreaField(
        _l("What testers said"),
        filters=[_text],
        validators=[
            DataRequired(_l("Write something first.")),
            Length(max=FEEDBACK_MAX, message=_l("At most 2,000 characters.")),
        ],
    )
    submit = SubmitField(_l("Add the feedback"))


register("feedback", FeedbackForm)


class PitchForm(FlaskForm):
    pitch = TextAreaField(
        _l("Pitch"),
        filters=[_text],
        validators=[
            Optional(),
            Length(max=PITCH_MAX, message=_l("At most 600 characters: shorten the pitch.")),
        ],
    )
    base_pitch = HiddenField()
    submit = SubmitField(_l("Save the pitch"))


# --- What the partials show -------------------------------------------------------------------


def _stored(team: Team, name: str) -> str:
    value = getattr(team, name)
    if isinstance(value, PrototypeKind):
        return value.value
    return value or ""


def _assign(team: Team, name: str, value: str) -> None:
    if name == "prototype_kind":
        team.prototype_kind = PrototypeKind(value) if value else None
    else:
        setattr(team, name, value or None)


def _fresh_form(form_class, team: Team, names):
    return form_with_bases(form_class, {name: _stored(team, name) for name in names})


def _upload_form(submitted: bool = False) -> UploadForm:
    form = UploadForm() if submitted else UploadForm(formdata=None)
    form.file.description = form.file.description % {
        "size": format_decimal(uploads.max_bytes() / (1024 * 1024), format="#,##0.#")
    }
    return form


_FILES = (
    select(PrototypeFile)
    .where(PrototypeFile.team_id == bindparam("team_id"))
    .order_by(PrototypeFile.created_at, PrototypeFile.id)
)
_FEEDBACK = (
    select(FeedbackEntry)
    .options(joinedload(FeedbackEntry.author))
    .where(FeedbackEntry.team_id == bindparam("team_id"))
    .order_by(FeedbackEntry.created_at.desc(), FeedbackEntry.id.desc())
)


register("upload", UploadForm, build=_upload_form, depends=uploads.max_bytes)
register("pitch", PitchForm, build=lambda values: form_with_bases(PitchForm, values))
register("prototype", PrototypeForm, build=lambda values: form_with_bases(PrototypeForm, values))


class Panel:
    """What the prototyping and exhibition partials show, each read or built only when the
    page renders it (the exhibition panel lists no files; building forms is much of a page's
    cost), and once: a fixed number of queries whatever the number of files and entries, their
    statements built once per process."""

    def __init__(self, team: Team):
        self.team = team

    @property
    def retained(self) -> Idea | None:
        return retained_idea(self.team)

    @cached_property
    def files(self) -> list[PrototypeFile]:
        return list(db.session.scalars(_FILES, {"team_id": self.team.id}))

    @cached_property
    def feedback(self) -> list[FeedbackEntry]:
        """Only for the people who may read it (``policy.can_read_feedback``)."""
        if not policy.can_read_feedback(current_user, self.team):
            return []
        return list(db.session.scalars(_FEEDBACK, {"team_id": self.team.id}))

    @property
    def prototype_values(self) -> dict:
        """What the prototype form shows (blank_forms.py renders it once while it stays so)."""
        return {name: _stored(self.team, name) for name in PROTOTYPE_FIELDS}

    @property
    def pitch_values(self) -> dict:
        """What the pitch form shows (blank_forms.py renders it once while it stays so)."""
        return {"pitch": _stored(self.team, "pitch")}


@bp.app_template_global()
def prototyping_panel(team: Team) -> Panel:
    """The prototyping and exhibition partials' data and forms, once per request."""
    return g.setdefault("_prototyping_panel", {}).setdefault(team.id, Panel(team))


bp.add_app_template_filter(file_size)
bp.add_app_template_global(file_cards)


@bp.app_template_global()
def kind_label(value: str) -> str:
    return str(PrototypeKind(value).label) if value else _("Not chosen yet")


# --- Saving text with conflict detection ------------------------------------------------------


def _save_fields(team: Team, form: FlaskForm, names) -> dict:
    """Write the fields nobody else changed meanwhile; return the others with both versions."""

    def assign(name, value, old):
        if value != old:
            _assign(team, name, value)

    conflicts = save_fields(
        form,
        names,
        stored=lambda name: _stored(team, name),
        submitted=lambda name: _text(form[name].data or ""),
        assign=assign,
    )
    touch(team)
    return conflicts


def _conflicting_form(form_class, team: Team, names, conflicts: dict):
    return mark_conflicts(_fresh_form(form_class, team, names), conflicts)


@bp.post("/events/<slug>/teams/<int:number>/workspace/prototype")
def save_prototype(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = PrototypeForm()
    if not form.validate():
        return render_back(team, Stage.PROTOTYPING, 400, prototype_form=form)
    conflicts = _save_fields(team, form, PROTOTYPE_FIELDS)
    db.session.commit()
    if conflicts:
        fresh = _conflicting_form(PrototypeForm, team, PROTOTYPE_FIELDS, conflicts)
        return render_back(
            team, Stage.PROTOTYPING, 409, prototype_form=fresh, prototype_conflicts=conflicts
        )
    flash_at("prototype", _("Prototype saved."))
    return redirect(back_url(team, Stage.PROTOTYPING, "#prototype"), code=303)


@bp.post("/events/<slug>/teams/<int:number>/workspace/pitch")
def save_pitch(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = PitchForm()
    if not form.validate():
        return render_back(team, Stage.EXHIBITION, 400, pitch_form=form)
    conflicts = _save_fields(team, form, ("pitch",))
    db.session.commit()
    if conflicts:
        fresh = _conflicting_form(PitchForm, team, ("pitch",), conflicts)
        return render_back(team, Stage.EXHIBITION, 409, pitch_form=fresh, pitch_conflicts=conflicts)
    flash_at("pitch-panel", _("Pitch saved."))
    return redirect(back_url(team, Stage.EXHIBITION, "#pitch-panel"), code=303)


# --- Feedback ---------------------------------------------------------------------------------


@bp.post("/events/<slug>/teams/<int:number>/workspace/feedback")
def add_feedback(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = FeedbackForm()
    if not form.validate():
        return render_back(team, Stage.PROTOTYPING, 400, feedback_form=form)
    add_test_note(team, current_user, form.feedback.data)
    db.session.commit()
    flash_at("feedback-section", _("Feedback added."))
    return redirect(back_url(team, Stage.PROTOTYPING, "#feedback-section"), code=303)


# --- Files ------------------------------------------------------------------------------------


def _refusal(form: UploadForm, data: bytes, limit: int):
    """Why this content is refused, as (field, message); None when it may be stored."""
    if len(data) > limit:
        return form.file, _(
            "This file is too large: at most %(size)s MB.",
            size=format_decimal(limit / (1024 * 1024), format="#,##0.#"),
        )
    if not data:
        return form.file, _("This file is empty.")
    file_type = uploads.detect_type(data[:16])
    if file_type is None:
        return form.file, _(
            "This file is not a JPEG, PNG or WebP photo nor a PDF document. Only these can be added."
        )
    if file_type.is_image and not form.consent.data:
        return form.consent, _(
            "Tick this box to confirm the people pictured agreed; otherwise choose another photo."
        )
    return None


@bp.post("/events/<slug>/teams/<int:number>/workspace/files")
def upload_file(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = _upload_form(submitted=True)
    if not form.validate():
        return render_back(team, Stage.PROTOTYPING, 400, upload_form=form)
    limit = uploads.max_bytes()
    data = uploads.read_limited(form.file.data.stream, limit)
    refusal = _refusal(form, data, limit)
    if refusal is not None:
        field, message = refusal
        field.errors.append(message)
        return render_back(team, Stage.PROTOTYPING, 400, upload_form=form)

    try:
        add_prototype_file(
            team,
            current_user,
            data,
            uploads.detect_type(data[:16]),
            form.file.data.filename,
            form.consent.data,
            form.public_consent.data,
        )
    except photos.PhotoError as refused:
        form.file.errors.append(str(refused))
        return render_back(team, Stage.PROTOTYPING, 400, upload_form=form)
    db.session.commit()
    flash_at("files", _("File added."))
    return redirect(back_url(team, Stage.PROTOTYPING, "#files"), code=303)


@bp.get("/events/<slug>/teams/<int:number>/workspace/files/<int:file_id>")
def show_file(slug: str, number: int, file_id: int):
    row, name = readable_file(slug, number, file_id)
    path = uploads.path_of(row.storage_name)
    if path is None or not os.path.isfile(path):
        abort(404)
    if row.is_photo and not photos.ready_to_serve(row.storage_name):
        abort(404)
    extension = row.storage_name.rsplit(".", 1)[1]
    return uploads.send_inline(path, row.content_type, name, extension)


@bp.post("/events/<slug>/teams/<int:number>/workspace/files/<int:file_id>/delete")
def delete_file(slug: str, number: int, file_id: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    row = file_of_team_or_404(team, file_id)
    if ConfirmForm().validate_on_submit():
        storage_name = row.storage_name
        db.session.delete(row)
        touch(team)
        db.session.commit()
        # Only once the row is gone for good: a failed commit leaves both in place.
        uploads.remove(storage_name)
        flash_at("files", _("File removed."))
    return redirect(back_url(team, Stage.PROTOTYPING, "#files"), code=303)
