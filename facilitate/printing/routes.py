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
from facilitate.printing.forms import IssueMissingCodesForm


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


@bp.get("/events/<slug>/badges")
def badges(slug: str):
    event = get_managed_event_or_404(slug)
    teams = services.team_choices(event)
    team = _chosen_team(teams)
    roles = services.role_choices()
    role = request.args.get("role") or None
    if role is not None and role not in dict(roles):
        abort(404)
    return render_template(
        "printing/badges.html",
        event=event,
        teams=teams,
        team=team,
        roles=roles,
        role=role,
        badge_list=services.participant_badges(event, team.id if team else None, role),
        per_page=services.BADGES_PER_PAGE,
        form=IssueMissingCodesForm(),
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
