"""The vote as the organisers run it (its page, status and settings), the results page for the
event's people and the reveal screen for the projector. The rules are in exhibition.vote."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.events.services import get_event_or_404, get_managed_event_or_404
from facilitate.exhibition import bp
from facilitate.exhibition.ballots import ballots_cast
from facilitate.exhibition.exhibits import showcases
from facilitate.exhibition.forms_vote import VoteSettingsForm, VoteStatusForm
from facilitate.exhibition.ranking_html import ranking_tables, reveal_sections
from facilitate.exhibition.vote import (
    VoteStatusError,
    change_vote_status,
    results,
    update_vote_settings,
)
from facilitate.flashes import flash_at
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import MAX_VOTES_PER_PARTICIPANT, Event, VoteStatus
from facilitate.people.management import attendee_count

# The organiser's moments: these two ask "are you sure?" first.
CONFIRMED_MOVES = {VoteStatus.CLOSED, VoteStatus.REVEALED}

_STATUS_TEXT = {
    VoteStatus.NOT_STARTED: _l("The vote has not started: participants cannot vote yet."),
    VoteStatus.OPEN: _l("The vote is open: participants are giving and changing their votes."),
    VoteStatus.CLOSED: _l(
        "The vote is closed: ballots can no longer change, and participants cannot see the "
        "results yet."
    ),
    VoteStatus.REVEALED: _l(
        "The results are revealed: everyone at the event can see them, and the vote can no "
        "longer change."
    ),
}


def _move_label(current: VoteStatus, wanted: VoteStatus) -> str:
    if wanted == VoteStatus.OPEN:
        return _("Open the vote") if current == VoteStatus.NOT_STARTED else _("Reopen the vote")
    if wanted == VoteStatus.CLOSED:
        return _("Close the vote")
    return _("Reveal the results")


def render_vote_page(
    event: Event,
    settings_form: VoteSettingsForm | None = None,
    status_error: str | None = None,
    status: int = 200,
):
    result = results(event)
    current = event.vote_status
    moves = [
        (wanted, _move_label(current, wanted))
        for wanted in VoteStatus
        if current.may_become(wanted)
    ]
    if settings_form is None:
        settings_form = VoteSettingsForm(
            formdata=None,
            votes_per_participant=event.votes_per_participant,
            own_team_votes_allowed=event.own_team_votes_allowed,
        )
    return (
        render_template(
            "exhibition/vote/vote.html",
            event=event,
            result=result,
            status_text=_STATUS_TEXT[current],
            moves=moves,
            status_form=VoteStatusForm(formdata=None),
            status_error=status_error,
            settings_form=settings_form,
            participants=attendee_count(event),
            max_votes=MAX_VOTES_PER_PARTICIPANT,
            tables=ranking_tables(result, heading_level=3),
        ),
        status,
    )


# --- The organisers' vote page ------------------------------------------------------------------


@bp.get("/events/<slug>/organise/vote")
def vote(slug: str):
    return render_vote_page(get_managed_event_or_404(slug))


def _done_message(before: VoteStatus, now: VoteStatus) -> str:
    if now == before:
        return _("Nothing changed: the vote was already “%(status)s”.", status=now.label)
    if now == VoteStatus.OPEN:
        if before == VoteStatus.CLOSED:
            return _("The vote is open again: participants can change their ballots.")
        return _("The vote is open: participants can vote from their phones.")
    if now == VoteStatus.CLOSED:
        return _("The vote is closed. Reveal the results when you are ready to announce them.")
    return _(
        "The results are revealed: participants can see them. Announce them in the room with the reveal screen."
    )


@bp.post("/events/<slug>/organise/vote/status", endpoint="change_vote_status")
def change_vote_status_page(slug: str):
    event = get_managed_event_or_404(slug)
    form = VoteStatusForm()
    if not form.validate_on_submit():
        message = next(iter(form.status.errors), None) or _("Use one of the vote page's buttons.")
        return render_vote_page(event, status_error=message, status=400)
    wanted, before = form.wanted, event.vote_status
    if wanted in CONFIRMED_MOVES and before.may_become(wanted) and not form.confirmed.data:
        return render_template(
            "exhibition/vote/confirm.html",
            event=event,
            wanted=wanted,
            ballots=ballots_cast(event),
            form=VoteStatusForm(formdata=None),
        )
    try:
        now = change_vote_status(event, current_user, wanted)
    except VoteStatusError as error:
        return render_vote_page(event, status_error=error.message, status=409)
    flash_at(
        "vote-status-title",
        _done_message(before, now),
        "success" if now != before else "warning",
    )
    return redirect(url_for("exhibition.vote", slug=slug) + "#vote-status-title", code=303)


@bp.post("/events/<slug>/organise/vote/settings")
def vote_settings(slug: str):
    event = get_managed_event_or_404(slug)
    form = VoteSettingsForm()
    if not form.validate_on_submit():
        return render_vote_page(event, settings_form=form, status=400)
    update_vote_settings(
        event, current_user, form.votes_per_participant.data, form.own_team_votes_allowed.data
    )
    flash_at("vote-settings-title", _("The vote settings are saved."))
    return redirect(url_for("exhibition.vote", slug=slug) + "#vote-settings-title", code=303)


# --- Results for the event's people, and the reveal screen --------------------------------------


@bp.get("/events/<slug>/results", endpoint="results")
def results_page(slug: str):
    """The event's people see the ranking once revealed; before that, only how many voted."""
    event = get_event_or_404(slug)
    policy.require(policy.can_see_people(current_user, event))
    if not policy.can_see_results(current_user, event):
        return render_template(
            "exhibition/vote/results.html", event=event, result=None, ballots=ballots_cast(event)
        )
    result = results(event)
    return render_template(
        "exhibition/vote/results.html",
        event=event,
        result=result,
        ballots=result.ballots,
        tables=ranking_tables(result, showcases(event.slug, result.stands)),
    )


@bp.get("/events/<slug>/reveal")
def reveal(slug: str):
    """The projector screen: places from the last to the first, then within each theme; each
    stand with its team, challenge, retained idea and photo."""
    event = get_managed_event_or_404(slug)
    result = results(event)
    overall, themes = reveal_sections(result, showcases(event.slug, result.stands))
    return render_template(
        "exhibition/vote/reveal.html", event=event, result=result, overall=overall, themes=themes
    )
