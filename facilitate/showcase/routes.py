"""The showcase pages (public) and the button that puts a team on it or takes it off."""

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.editions.access import edition_or_404
from facilitate.editions.services import site_events
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.models import Event
from facilitate.showcase import bp
from facilitate.showcase.exhibit_html import ExhibitWriter, exhibit_body, exhibit_cards
from facilitate.showcase.forms import SHOW, ShowcaseForm
from facilitate.showcase.services import (
    by_theme,
    by_theme_across,
    exhibits,
    photo_count,
    put_on_showcase,
    theme_of,
)
from facilitate.workspace.services import get_team_or_404

TOGGLE_ANCHOR = "showcase"


def _visible_event_or_404(slug: str) -> Event:
    event = get_event_or_404(slug)
    policy.require(policy.can_view_showcase(current_user, event))
    return event


bp.add_app_template_global(photo_count, "showcase_photo_count")
bp.add_app_template_global(exhibit_body, "showcase_exhibit_body")
bp.add_app_template_global(exhibit_cards, "showcase_exhibit_cards")
bp.add_app_template_global(ExhibitWriter, "showcase_exhibit_writer")


@bp.get("/events/<slug>/showcase")
def show(slug: str):
    event = _visible_event_or_404(slug)
    return render_template(
        "showcase/showcase.html", event=event, groups=by_theme(event, exhibits(event))
    )


@bp.get("/events/<slug>/showcase/<int:number>")
def challenge(slug: str, number: int):
    """One challenge's page: a team not on the showcase has none (404, as if it did not exist)."""
    event = _visible_event_or_404(slug)
    found = exhibits(event, number)
    if not found:
        abort(404)
    exhibit = found[0]
    return render_template(
        "showcase/challenge.html",
        event=event,
        exhibit=exhibit,
        theme=theme_of(event, exhibit.challenge),
    )


@bp.post("/events/<slug>/teams/<int:number>/showcase")
def toggle(slug: str, number: int):
    team = get_team_or_404(slug, number)
    policy.require(policy.can_put_on_showcase(current_user, team))
    form = ShowcaseForm()
    if not form.validate_on_submit():
        flash_at(TOGGLE_ANCHOR, _("Nothing changed: please try again."), "error")
    elif put_on_showcase(team, form.choice.data == SHOW, current_user):
        db.session.commit()
        if team.on_showcase:
            flash_at(TOGGLE_ANCHOR, _("The team’s work is now on the public showcase."))
        else:
            flash_at(TOGGLE_ANCHOR, _("The team’s work is no longer on the public showcase."))
    url = url_for("workspace.show", slug=slug, number=number)
    return redirect(f"{url}#{TOGGLE_ANCHOR}", code=303)


@bp.get("/editions/<int:edition_id>/showcase")
def edition(edition_id: int):
    """Every site's teams on show, by theme across the sites, each linking to its site's page."""
    found = edition_or_404(edition_id, policy.can_view_edition_showcase)
    sites = [site for site in site_events(found) if policy.can_view_showcase(current_user, site)]
    return render_template(
        "showcase/edition.html",
        edition=found,
        sites={site.id: site for site in sites},
        groups=by_theme_across(sites, exhibits(sites)),
    )
