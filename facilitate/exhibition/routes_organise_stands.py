"""Stands as the organisers prepare them: a number and a place for each team, and the A3 posters
whose QR code opens the stand page on visitors' phones."""

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_managed_event_or_404
from facilitate.exhibition import bp
from facilitate.exhibition.exhibits import Exhibit, exhibit_of, numbered_exhibits
from facilitate.exhibition.forms import NumberStandsForm, stands_form
from facilitate.exhibition.routes_stands import stand_route, stand_url
from facilitate.exhibition.stands import number_by_challenge, save_stands, stands_of
from facilitate.models import Event
from facilitate.printing.services import qr_code_svg

# Beyond these many characters of text, the poster uses a smaller type, then a smaller one
# still, to stay on its one page (a pitch holds 600, a prototype summary 2,000).
DENSE_POSTER_CHARACTERS = 1200
VERY_DENSE_POSTER_CHARACTERS = 2400


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


@dataclass(frozen=True)
class Poster:
    exhibit: Exhibit
    url: str  # the stand page's public address, printed under the QR code
    qr_code: Markup
    density: str  # "", "dense" or "very-dense": the poster's type size (poster.css)


def public_stand_url(exhibit: Exhibit) -> str:
    """The stand page at the public address (BASE_URL), as printed links are: its number."""
    return current_app.config["BASE_URL"].rstrip("/") + stand_url(exhibit.team)


def _poster(event: Event, exhibit: Exhibit) -> Poster:
    url = public_stand_url(exhibit)
    texts = [
        exhibit.team.pitch,
        exhibit.team.prototype_summary,
        exhibit.retained.title if exhibit.retained else None,
        exhibit.retained.retained_reason if exhibit.retained else None,
        exhibit.challenge.question,
    ]
    number = exhibit.team.stand_number
    label = (
        _("QR code to the page of stand %(number)d", number=number)
        if number
        else _("QR code to the page of the stand of %(team)s", team=exhibit.label)
    )
    return Poster(
        exhibit=exhibit,
        url=url,
        qr_code=qr_code_svg(url, label),
        density=_density(sum(len(t or "") for t in texts)),
    )


def _density(characters: int) -> str:
    if characters > VERY_DENSE_POSTER_CHARACTERS:
        return "very-dense"
    if characters > DENSE_POSTER_CHARACTERS:
        return "dense"
    return ""


def _render_posters(event: Event, posters: list[Poster], single: bool):
    return render_template(
        "exhibition/stands/posters.html",
        event=event,
        posters=posters,
        single=single,
        base_url=current_app.config["BASE_URL"],
    )


@bp.get("/events/<slug>/organise/stands/posters")
def posters(slug: str):
    event = get_managed_event_or_404(slug)
    exhibits = numbered_exhibits(event)
    return _render_posters(event, [_poster(event, e) for e in exhibits], single=False)


@stand_route("/poster")
def poster(team):
    event = team.challenge.event
    policy.require(policy.can_manage_event(current_user, event))
    return _render_posters(event, [_poster(event, exhibit_of(team))], single=True)
