"""The workspace page, the stage pages and the journal page; framing, personas, journal and
stage gates. Which page a view shows or returns to is ``pages.py``'s rule."""

from flask import abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import (
    ConfirmForm,
    apply_list_action,
    clean_items,
    list_action,
    refuse_list_action,
)
from facilitate.i18n import within_sentence
from facilitate.models import Persona, PrototypeFile, Stage, Team
from facilitate.workspace import bp, services
from facilitate.workspace.conflicts import mark_conflicts, save_fields
from facilitate.workspace.forms import (
    FRAMING_FIELDS,
    FRAMING_LISTS,
    FramingForm,
    JournalForm,
    PersonaForm,
    StageForm,
    framing_form,
    stored_framing,
)
from facilitate.workspace.pages import (
    JOURNAL,
    back_url,
    render_back,
    render_journal,
    render_stage,
    render_workspace,
)
from facilitate.workspace.services import get_team_or_404, move_team_stage, touch, write_journal

WORKSPACE = "/events/<slug>/teams/<int:number>/workspace"


def _submitted(form: FramingForm, name: str):
    if name in FRAMING_LISTS:
        return clean_items(form[name].data)
    # Browsers send CRLF: an untouched textarea must not look like an edit.
    return (form[name].data or "").replace("\r\n", "\n").strip()


def _assign(team: Team, name: str, value, old) -> None:
    if name in FRAMING_LISTS:
        # Saving the framing makes the lists the team's own, even if unchanged from the sheet.
        if value != old or getattr(team, f"framing_{name}") is None:
            setattr(team, f"framing_{name}", value)
    elif value != old:
        setattr(team, name, value or None)


def _team_for(slug: str, number: int, predicate) -> Team:
    team = get_team_or_404(slug, number)
    policy.require(predicate(current_user, team))
    return team


def readable_file(slug: str, number: int, file_id: int) -> tuple[PrototypeFile, str]:
    """A prototype file for whoever may read it (the workspace's readers; anyone for a team on
    the showcase's consented photos), with the name to serve it under: the public never sees
    the uploader's file name, which may name someone."""
    team = get_team_or_404(slug, number)
    row = services.file_of_team_or_404(team, file_id)
    policy.require(policy.can_read_prototype_file(current_user, team, row))
    if policy.can_read_workspace(current_user, team):
        return row, row.original_name
    return row, f"photo-{number}-{row.id}"


@bp.get(WORKSPACE)
def show(slug: str, number: int):
    return render_workspace(_team_for(slug, number, policy.can_read_workspace))


@bp.get(WORKSPACE + "/<stage>")
def show_stage(slug: str, number: int, stage: str):
    """One stage in full: what the workspace shows light when the team is elsewhere."""
    if stage not in {s.value for s in Stage}:
        abort(404)
    return render_stage(_team_for(slug, number, policy.can_read_workspace), Stage(stage))


@bp.get(WORKSPACE + "/journal")
def journal(slug: str, number: int):
    return render_journal(_team_for(slug, number, policy.can_read_workspace))


@bp.post(WORKSPACE + "/framing")
def save_framing(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = FramingForm()
    action = list_action()
    if action:
        data = form.data
        if apply_list_action(data, action, FRAMING_LISTS, lambda _name: ""):
            form = FramingForm(formdata=None, data=data)
            return render_back(team, Stage.FRAMING, 200, framing_form=form)
        refuse_list_action(form)
        return render_back(team, Stage.FRAMING, 400, framing_form=form)
    if not form.validate():
        return render_back(team, Stage.FRAMING, 400, framing_form=form)

    conflicts = save_fields(
        form,
        FRAMING_FIELDS,
        stored=lambda name: stored_framing(team, name),
        submitted=lambda name: _submitted(form, name),
        assign=lambda name, value, old: _assign(team, name, value, old),
    )
    touch(team)
    db.session.commit()
    if conflicts:
        # The rest is saved; the conflicting fields come back with both versions to merge.
        fresh = mark_conflicts(framing_form(team), conflicts)
        return render_back(team, Stage.FRAMING, 409, framing_form=fresh, conflicts=conflicts)
    flash_at("framing", _("Framing saved."))
    return redirect(back_url(team, Stage.FRAMING, "#framing"), code=303)


@bp.post(WORKSPACE + "/personas")
def add_persona(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = PersonaForm()
    if not form.validate():
        return render_back(team, Stage.FRAMING, 400, persona_form=form)
    services.add_persona(
        team, current_user, form.name.data, form.role.data, form.needs.data, form.pains.data
    )
    db.session.commit()
    flash_at("personas", _("Persona added."))
    return redirect(back_url(team, Stage.FRAMING, "#personas"), code=303)


@bp.post(WORKSPACE + "/personas/<int:persona_id>/remove")
def remove_persona(slug: str, number: int, persona_id: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    persona = db.session.get(Persona, persona_id)
    if persona is not None and persona.team_id == team.id and ConfirmForm().validate_on_submit():
        db.session.delete(persona)
        touch(team)
        db.session.commit()
        flash_at("personas", _("Persona removed."))
    return redirect(back_url(team, Stage.FRAMING, "#personas"), code=303)


@bp.post(WORKSPACE + "/journal")
def add_journal_entry(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = JournalForm()
    if not form.validate():
        if request.args.get("back") == JOURNAL:
            return render_journal(team, 400, journal_form=form)
        return render_workspace(team, 400, journal_form=form)
    write_journal(team, current_user, form.body.data.strip())
    db.session.commit()
    return redirect(back_url(team, None, "#journal"), code=303)


@bp.post(WORKSPACE + "/stage")
def move_stage(slug: str, number: int):
    team = _team_for(slug, number, policy.can_move_team_stage)
    form = StageForm()
    if not form.validate() or form.stage.data not in {s.value for s in Stage}:
        flash(_("Choose a stage."), "error")
        return redirect(back_url(team, None), code=303)
    target = Stage(form.stage.data)
    unfinished = move_team_stage(team, target, current_user)
    db.session.commit()
    flash(_("The team is now at the %(stage)s stage.", stage=target.label), "success")
    if unfinished:
        flash(
            _(
                "Not done yet at the previous stage: %(items)s.",
                items="; ".join(within_sentence(item.label) for item in unfinished),
            ),
            "warning",
        )
    return redirect(back_url(team, None), code=303)
