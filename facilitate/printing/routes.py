from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from facilitate import policy
from facilitate.challenges.services import get_challenge_or_404
from facilitate.events.services import get_managed_event_or_404
from facilitate.extensions import db
from facilitate.numbers import database_id
from facilitate.printing import bp, services
from facilitate.printing.batches import batch_number
from facilitate.printing.forms import IssueMissingCodesForm, MarkPrintedForm


@bp.get("/events/<slug>/challenges/print")
def challenge_sheets(slug: str):
    event = get_managed_event_or_404(slug)
    return render_template(
        "printing/challenge_sheets.html", event=event, challenges=services.event_challenges(event)
    )


@bp.get("/events/<slug>/challenges/<int:number>/print")
def challenge_sheet(slug: str, number: int):
    challenge = get_challenge_or_404(slug, number)
    policy.require(policy.can_manage_event(current_user, challenge.event))
    return render_template(
        "printing/challenge_sheet.html", event=challenge.event, challenge=challenge
    )


def _chosen_team(teams: list[services.TeamChoice]) -> services.TeamChoice | None:
    """The team named by ``?team=``, if any; a team of another event is not found."""
    wanted = request.args.get("team", "")
    if not wanted:
        return None
    for team in teams:
        if str(team.id) == wanted:
            return team
    abort(404)


def _selection(teams: list[services.TeamChoice]) -> services.BadgeSelection:
    """The badges the address asks for: ``team``, ``role``, ``printed=no``. A team, role or
    state that is none of the page's choices is not found."""
    team = _chosen_team(teams)
    role = request.args.get("role") or None
    if role is not None and role not in dict(services.role_choices()):
        abort(404)
    printed = request.args.get("printed") or None
    if printed not in (None, "no"):
        abort(404)
    return services.BadgeSelection(team.id if team else None, role, printed == "no")


def _selection_args(selection: services.BadgeSelection) -> dict:
    """The selection as ``url_for`` arguments (None are left out of the address)."""
    return {
        "team": selection.team_id,
        "role": selection.role,
        "printed": "no" if selection.not_printed else None,
    }


@bp.get("/events/<slug>/badges")
def badges(slug: str):
    event = get_managed_event_or_404(slug)
    teams = services.team_choices(event)
    selection = _selection(teams)
    batch = services.badge_batch(event, selection, batch_number(request.args.get("batch")))
    return render_template(
        "printing/badges.html",
        event=event,
        teams=teams,
        team=next((t for t in teams if t.id == selection.team_id), None),
        roles=services.role_choices(),
        selection=selection,
        selection_args=_selection_args(selection),
        batch=batch,
        per_page=services.BADGES_PER_PAGE,
        form=IssueMissingCodesForm(),
        printed_form=MarkPrintedForm(formdata=None, marks=batch.marks),
    )


@bp.post("/events/<slug>/badges/printed")
def mark_badges_printed(slug: str):
    """The badges of the batch shown were printed. Back to the selection, at the batch the
    page named (``?batch=``, see ``Batches.after_marking``)."""
    event = get_managed_event_or_404(slug)
    selection = _selection(services.team_choices(event))
    mark_printed(
        lambda marks: services.mark_badges_printed(event, current_user, marks),
        lambda marked: ngettext(
            "%(num)d badge marked as printed.", "%(num)d badges marked as printed.", marked
        ),
    )
    asked = batch_number(request.args.get("batch")) or 1
    return redirect(_badges_url(slug, selection, asked), code=303)


def _badges_url(slug: str, selection: services.BadgeSelection, batch: int) -> str:
    """The address of a batch of the selection (the slug as asked: the event's row is expired
    by the commit, and reading it again would cost a query)."""
    return url_for(
        "printing.badges",
        slug=slug,
        **_selection_args(selection),
        batch=batch if batch > 1 else None,
    )


def mark_printed(mark: Callable[[dict], tuple[int, int]], done: Callable[[int], str]) -> None:
    """The "mark as printed" of badges and posters alike: read the documents the form names,
    ``mark`` them (it returns how many were marked and how many were out of date), commit, and
    say what was done (``done(marked)``)."""
    form = MarkPrintedForm()
    if not form.validate():
        flash(_("Nothing was marked: reload the page and try again."), "error")
        return
    marked, left = mark(form.marked)
    db.session.commit()
    if marked:
        flash(done(marked), "success")
    if left:
        flash(
            ngettext(
                "%(num)d document changed since the page was shown (or left the event): it "
                "stays among those not yet printed.",
                "%(num)d documents changed since the page was shown (or left the event): they "
                "stay among those not yet printed.",
                left,
            ),
            "warning",
        )


@bp.post("/events/<slug>/badges/issue-missing-codes")
def issue_missing_codes(slug: str):
    event = get_managed_event_or_404(slug)
    form = IssueMissingCodesForm()
    if form.validate_on_submit():
        count = services.issue_missing_codes(event, current_user)
        db.session.commit()
        if count:
            flash(
                ngettext(
                    "%(num)d access code issued: the new badges are ready to print.",
                    "%(num)d access codes issued: the new badges are ready to print.",
                    count,
                ),
                "success",
            )
        else:
            flash(_("Every participant already has an access code."), "info")
    team = request.args.get("team", type=database_id)
    return redirect(url_for("printing.badges", slug=event.slug, team=team), code=303)
