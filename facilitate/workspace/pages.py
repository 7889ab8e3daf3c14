"""Which workspace page a view shows, and where an action returns.

The workspace shows the team's current stage in full, with its forms, and the other stages
light: their checklist and a summary of what was done, with a link to the stage's own page,
where that stage is full and editable. Rendering every stage's forms and cards was most of the
page's cost (issue 13: 35 ms of CPU a request with all four stages open), so a page renders
the forms of one stage only, and reads what that stage lists only.

An action returns to the page its form was on: a form on a stage page (or the journal page)
posts with ``?back=<stage>`` (or ``?back=journal``); the workspace's forms post without it. A
refused form is shown again on that page with its errors. A form about a stage the workspace
no longer shows in full (the facilitator moved the team on meanwhile) returns to that stage's
page, where the form and its message have their place.
"""

from flask import render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from facilitate import policy
from facilitate.extensions import db
from facilitate.models import JournalEntry, Persona, Stage, Team
from facilitate.workspace import html
from facilitate.workspace.checklists import checklist
from facilitate.workspace.forms import framing_values
from facilitate.workspace.services import STAGES, retained_idea, work_counts

JOURNAL = "journal"
# The workspace shows the latest entries; the journal page shows them all.
JOURNAL_RECENT = 10


def _may(team: Team) -> dict[str, bool]:
    """What this person may do on this team's pages, asked once per page rather than once per
    form or card (the templates read ``may.edit`` and the like)."""
    user = current_user
    return {
        "edit": policy.can_edit_workspace(user, team),
        "comment": policy.can_comment_on_workspace(user, team),
        "dot": policy.can_place_dots(user, team),
        "close_dots": policy.can_close_dot_vote(user, team),
        "retain": policy.can_retain_idea(user, team),
        "endorse": policy.can_endorse_idea(user, team),
        "move": policy.can_move_team_stage(user, team),
        "read_feedback": policy.can_read_feedback(user, team),
    }


# The statements of every workspace page, built once: building a statement with its options
# costs more than SQLite takes to run it (README, "Every request pays little by design").
_JOURNAL = (
    select(JournalEntry)
    .options(joinedload(JournalEntry.author))
    .where(JournalEntry.team_id == bindparam("team_id"))
    .order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc())
)
_RECENT_JOURNAL = _JOURNAL.limit(JOURNAL_RECENT + 1)
_PERSONAS = (
    select(Persona)
    .where(Persona.team_id == bindparam("team_id"))
    .order_by(Persona.position, Persona.id)
)


def _journal(team: Team, recent: bool) -> list[JournalEntry]:
    """The latest entries and one more (to tell whether there are older ones), or them all."""
    statement = _RECENT_JOURNAL if recent else _JOURNAL
    return list(db.session.scalars(statement, {"team_id": team.id}))


def _personas(team: Team) -> list[Persona]:
    return list(db.session.scalars(_PERSONAS, {"team_id": team.id}))


def _common(team: Team, **extra) -> dict:
    counts = work_counts([team.id])[team.id]
    return {
        "team": team,
        "challenge": team.challenge,
        "event": team.challenge.event,
        "stages": STAGES,
        # Each stage's name, translated once: the track, the sections and the journal show them.
        "stage_labels": {stage: str(stage.label) for stage in STAGES},
        "counts": counts,
        "may": _may(team),
        **extra,
    }


def _open_stage(context: dict, stage: Stage, forms: dict, listed=STAGES) -> dict:
    """What the stage shown in full needs besides its own panel's data; the checklists of the
    stages ``listed`` (the workspace shows the four, a stage's page its own)."""
    team, labels = context["team"], context["stage_labels"]
    checklists = {s: checklist(team, s, context["counts"]) for s in listed}
    context["checklists_html"] = {
        s: html.checklist(s, items, sum(item.done for item in items))
        for s, items in checklists.items()
    }
    context["stage_urls"] = urls = html.stage_urls(team)
    context["track"] = html.track(team, stage, labels, urls)
    context["section_start"] = html.section_start(stage, team, labels)
    if stage == Stage.FRAMING:
        context["personas"] = _personas(team)
        if context["may"]["edit"]:
            # None: the framing as stored, rendered once while it stays so (blank_forms.py).
            forms["framing_form"] = forms.get("framing_form")
            context["framing_values"] = framing_values(team)
            # None: the empty form, rendered once per language (blank_forms.py).
            forms["persona_form"] = forms.get("persona_form")
    context.update(forms)
    context["refused"] = _refused(forms)
    return context


def _refused(forms: dict) -> bool:
    """A form on the page was refused: the title says so first."""
    return any(getattr(form, "errors", None) for form in forms.values())


def render_workspace(team: Team, status: int = 200, **forms):
    """The current stage in full, the others light, and the latest journal entries; a view
    that refused input passes its form back to show it with its errors."""
    journal = _journal(team, recent=True)
    context = _common(
        team,
        shown=team.stage,
        back=None,
        retained=retained_idea(team),
        journal=journal[:JOURNAL_RECENT],
        journal_more=len(journal) > JOURNAL_RECENT,
    )
    _add_journal_form(context, forms)
    _open_stage(context, team.stage, forms)
    context["light_sections"] = html.light_sections(
        context, [stage for stage in STAGES if stage != team.stage]
    )
    _add_journal_items(context)
    return render_template("workspace/workspace.html", **context), status


def render_stage(team: Team, stage: Stage, status: int = 200, **forms):
    """One stage's own page: its checklist, everything it holds and its forms."""
    context = _common(team, shown=stage, back=stage.value)
    _open_stage(context, stage, forms, listed=(stage,))
    return render_template("workspace/stage.html", **context), status


def render_journal(team: Team, status: int = 200, **forms):
    """The whole journal, newest first, with the form to write in it."""
    context = _common(team, back=JOURNAL, journal=_journal(team, recent=False))
    _add_journal_form(context, forms)
    _add_journal_items(context)
    context.update(forms, refused=_refused(forms))
    return render_template("workspace/journal.html", **context), status


def _add_journal_form(context: dict, forms: dict) -> None:
    # None: the empty form, rendered once per language (blank_forms.py).
    forms.setdefault("journal_form", None)


def _add_journal_items(context: dict) -> None:
    context["journal_items"] = html.journal_items(
        context["journal"], context["event"].timezone, context["stage_labels"]
    )


def _stage_page_wanted(team: Team, stage: Stage) -> bool:
    return request.args.get("back") == stage.value or stage != team.stage


def render_back(team: Team, stage: Stage, status: int, **forms):
    """The page the refused form about ``stage`` came from, with the form and its errors."""
    if _stage_page_wanted(team, stage):
        return render_stage(team, stage, status, **forms)
    return render_workspace(team, status, **forms)


def workspace_url(team: Team, anchor: str = "") -> str:
    event = team.challenge.event
    return url_for("workspace.show", slug=event.slug, number=team.challenge.number) + anchor


def stage_url(team: Team, stage: Stage, anchor: str = "") -> str:
    event = team.challenge.event
    return (
        url_for(
            "workspace.show_stage",
            slug=event.slug,
            number=team.challenge.number,
            stage=stage.value,
        )
        + anchor
    )


def back_url(team: Team, stage: Stage | None, anchor: str = "") -> str:
    """Where an action about ``stage`` (None: the journal or the stage gate) returns."""
    if stage is None:
        if request.args.get("back") == JOURNAL:
            event = team.challenge.event
            return (
                url_for("workspace.journal", slug=event.slug, number=team.challenge.number) + anchor
            )
        return workspace_url(team, anchor)
    if _stage_page_wanted(team, stage):
        return stage_url(team, stage, anchor)
    return workspace_url(team, anchor)
