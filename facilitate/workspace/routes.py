"""The workspace page, framing, personas, journal and stage gates."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

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
from facilitate.models import JournalEntry, Persona, Stage, Team
from facilitate.workspace import bp, services
from facilitate.workspace.conflicts import form_with_bases, mark_conflicts, save_fields
from facilitate.workspace.forms import (
    FRAMING_FIELDS,
    FRAMING_LISTS,
    FramingForm,
    JournalForm,
    PersonaForm,
    StageForm,
)
from facilitate.workspace.services import (
    STAGES,
    checklist,
    get_team_or_404,
    move_team_stage,
    touch,
    work_counts,
    write_journal,
)

JOURNAL_SHOWN = 50


def _stored(team: Team, name: str):
    if name in FRAMING_LISTS:
        value = getattr(team, f"framing_{name}")
        # The team's lists start from the sheet's until the team saves its own.
        return list(value) if value is not None else list(getattr(team.challenge, name) or [])
    return getattr(team, name) or ""


def _framing_form(team: Team) -> FramingForm:
    return form_with_bases(FramingForm, {name: _stored(team, name) for name in FRAMING_FIELDS})


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


def render_workspace(team: Team, status: int = 200, **forms):
    """The whole page; a view that refuses input passes its form back to show errors in place."""
    counts = work_counts([team.id])[team.id]
    checklists = {stage: checklist(team, stage, counts) for stage in STAGES}
    personas = db.session.scalars(
        select(Persona).where(Persona.team_id == team.id).order_by(Persona.position, Persona.id)
    ).all()
    journal = db.session.scalars(
        select(JournalEntry)
        .options(joinedload(JournalEntry.author))
        .where(JournalEntry.team_id == team.id)
        .order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc())
        .limit(JOURNAL_SHOWN)
    ).all()
    context = {
        "framing_form": forms.pop("framing_form", None) or _framing_form(team),
        "persona_form": forms.pop("persona_form", None) or PersonaForm(formdata=None),
        "journal_form": forms.pop("journal_form", None) or JournalForm(formdata=None),
        "stage_form": StageForm(formdata=None),
        **forms,
    }
    return (
        render_template(
            "workspace/workspace.html",
            team=team,
            challenge=team.challenge,
            event=team.challenge.event,
            stages=STAGES,
            counts=counts,
            checklists=checklists,
            personas=personas,
            journal=journal,
            **context,
        ),
        status,
    )


def _workspace_url(team: Team, anchor: str = "") -> str:
    return (
        url_for("workspace.show", slug=team.challenge.event.slug, number=team.challenge.number)
        + anchor
    )


def _team_for(slug: str, number: int, predicate) -> Team:
    team = get_team_or_404(slug, number)
    policy.require(predicate(current_user, team))
    return team


@bp.get("/events/<slug>/teams/<int:number>/workspace")
def show(slug: str, number: int):
    return render_workspace(_team_for(slug, number, policy.can_read_workspace))


@bp.post("/events/<slug>/teams/<int:number>/workspace/framing")
def save_framing(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = FramingForm()
    action = list_action()
    if action:
        data = form.data
        if apply_list_action(data, action, FRAMING_LISTS, lambda _name: ""):
            form = FramingForm(formdata=None, data=data)
            return render_workspace(team, framing_form=form)
        refuse_list_action(form)
        return render_workspace(team, 400, framing_form=form)
    if not form.validate():
        return render_workspace(team, 400, framing_form=form)

    conflicts = save_fields(
        form,
        FRAMING_FIELDS,
        stored=lambda name: _stored(team, name),
        submitted=lambda name: _submitted(form, name),
        assign=lambda name, value, old: _assign(team, name, value, old),
    )
    touch(team)
    db.session.commit()
    if conflicts:
        # The rest is saved; the conflicting fields come back with both versions to merge.
        fresh = mark_conflicts(_framing_form(team), conflicts)
        return render_workspace(team, 409, framing_form=fresh, conflicts=conflicts)
    flash_at("framing", _("Framing saved."))
    return redirect(_workspace_url(team, "#framing"), code=303)


@bp.post("/events/<slug>/teams/<int:number>/workspace/personas")
def add_persona(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = PersonaForm()
    if not form.validate():
        return render_workspace(team, 400, persona_form=form)
    services.add_persona(
        team, current_user, form.name.data, form.role.data, form.needs.data, form.pains.data
    )
    db.session.commit()
    flash_at("personas", _("Persona added."))
    return redirect(_workspace_url(team, "#personas"), code=303)


@bp.post("/events/<slug>/teams/<int:number>/workspace/personas/<int:persona_id>/remove")
def remove_persona(slug: str, number: int, persona_id: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    persona = db.session.get(Persona, persona_id)
    if persona is not None and persona.team_id == team.id and ConfirmForm().validate_on_submit():
        db.session.delete(persona)
        touch(team)
        db.session.commit()
        flash_at("personas", _("Persona removed."))
    return redirect(_workspace_url(team, "#personas"), code=303)


@bp.post("/events/<slug>/teams/<int:number>/workspace/journal")
def add_journal_entry(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = JournalForm()
    if not form.validate():
        return render_workspace(team, 400, journal_form=form)
    write_journal(team, current_user, form.body.data.strip())
    db.session.commit()
    return redirect(_workspace_url(team, "#journal"), code=303)


@bp.post("/events/<slug>/teams/<int:number>/workspace/stage")
def move_stage(slug: str, number: int):
    team = _team_for(slug, number, policy.can_move_team_stage)
    form = StageForm()
    if not form.validate() or form.stage.data not in {s.value for s in Stage}:
        flash(_("Choose a stage."), "error")
        return redirect(_workspace_url(team), code=303)
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
    return redirect(_workspace_url(team), code=303)
