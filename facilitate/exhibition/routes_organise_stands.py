"""Stands as the organisers prepare them: a number and a place for each team, and the A3 posters
whose QR code opens the stand page on visitors' phones."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_managed_event_or_404
from facilitate.exhibition import bp
from facilitate.exhibition.exhibits import exhibit_of
from facilitate.exhibition.forms import NumberStandsForm, stands_form
from facilitate.exhibition.posters import (
    Poster,
    PosterSelection,
    mark_posters_printed,
    poster_batch,
    poster_digest,
    poster_of,
)
from facilitate.exhibition.routes_stands import stand_route
from facilitate.exhibition.stands import number_by_challenge, save_stands, stands_of
from facilitate.models import Event
from facilitate.numbers import database_id
from facilitate.printing.batches import marks_field
from facilitate.printing.forms import MarkPrintedForm
from facilitate.printing.routes import mark_printed

# --- Stand numbers and places -----------------------------------------------------------------


def _render_manage(event: Event, stands, form, status: int = 200):
    return (
        render_template(
            "exhibition/stands/manage.html",
            event=event,
            stands=stands,
            form=form,
            number_form=NumberStandsForm(formdata=None),
        ),
        status,
    )


@bp.route("/events/<slug>/organise/stands", methods=["GET", "POST"])
def manage_stands(slug: str):
    event = get_managed_event_or_404(slug)
    stands = stands_of(event)
    if request.method == "GET":
        return _render_manage(event, stands, stands_form(stands))
    form = stands_form(stands, submitted=True)
    if not form.validate():
        return _render_manage(event, stands, form, 400)
    try:
        changed = save_stands(event, current_user, form.submitted())
    except DomainError as error:
        show_on_form(form, error)
        return _render_manage(event, stands, form, 409)
    if changed:
        flash(ngettext("%(num)d stand saved.", "%(num)d stands saved.", changed), "success")
    else:
        flash(_("Nothing to save: the stands were already so."), "info")
    return redirect(url_for("exhibition.manage_stands", slug=slug), code=303)


@bp.post("/events/<slug>/organise/stands/by-challenge")
def number_stands(slug: str):
    """Stand N for the team of challenge N. When that would move stands already numbered
    otherwise, the organiser first sees which, and confirms."""
    event = get_managed_event_or_404(slug)
    form = NumberStandsForm()
    if not form.validate():
        abort(400)
    moved = [s for s in stands_of(event) if s.stand is not None and s.stand != s.challenge_number]
    if moved and form.confirmed.data != "yes":
        return render_template(
            "exhibition/stands/confirm_numbering.html", event=event, moved=moved, form=form
        )
    changed = number_by_challenge(event, current_user)
    if changed:
        flash(
            ngettext(
                "%(num)d stand numbered after its challenge.",
                "%(num)d stands numbered after their challenge.",
                changed,
            ),
            "success",
        )
    else:
        flash(_("Every stand already had its challenge's number."), "info")
    return redirect(url_for("exhibition.manage_stands", slug=slug), code=303)


# --- Posters ------------------------------------------------------------------------------------


def _poster_selection() -> PosterSelection:
    """The posters the address asks for: ``team`` (an id), ``printed=no``. A team that is no
    number, or a state that is none of the page's choices, is not found."""
    wanted = request.args.get("team", "")
    team_id = database_id(wanted)
    printed = request.args.get("printed") or None
    if (wanted and team_id is None) or printed not in (None, "no"):
        abort(404)
    return PosterSelection(team_id, printed == "no")


def _render_posters(event: Event, posters: list[Poster], marks: str, **context):
    return render_template(
        "exhibition/stands/posters.html",
        event=event,
        posters=posters,
        base_url=current_app.config["BASE_URL"],
        printed_form=MarkPrintedForm(formdata=None, marks=marks),
        **context,
    )


@bp.get("/events/<slug>/organise/stands/posters")
def posters(slug: str):
    event = get_managed_event_or_404(slug)
    selection = _poster_selection()
    batch = poster_batch(event, selection)
    if batch is None:
        abort(404)
    return _render_posters(
        event, batch.posters, batch.marks, single=False, batch=batch, selection=selection
    )


@bp.post("/events/<slug>/organise/stands/posters/printed")
def posters_printed(slug: str):
    """The posters shown were printed; back to the same selection (among those not yet
    printed, the posters marked have left it)."""
    event = get_managed_event_or_404(slug)
    selection = _poster_selection()
    mark_printed(
        lambda marks: mark_posters_printed(event, current_user, marks),
        lambda marked: ngettext(
            "%(num)d poster marked as printed.", "%(num)d posters marked as printed.", marked
        ),
    )
    return redirect(
        url_for(
            "exhibition.posters",
            slug=slug,
            team=selection.team_id,
            printed="no" if selection.not_printed else None,
        ),
        code=303,
    )


@stand_route("/poster")
def poster(team):
    event = team.challenge.event
    policy.require(policy.can_manage_event(current_user, event))
    marks = marks_field([(team.id, poster_digest(team.stand_number, team.stand_place))])
    return _render_posters(event, [poster_of(exhibit_of(team))], marks, single=True)
