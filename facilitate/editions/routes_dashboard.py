"""The national dashboard of an edition, and the poll that keeps it live (the site dashboard's
script, dashboard.js, polls it the same way: 304 while nothing shown has changed)."""

from flask import current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from facilitate.dashboard.services import STAGES, now
from facilitate.editions import bp
from facilitate.editions.dashboard import edition_etag, edition_progress
from facilitate.editions.routes import edition_for_reading
from facilitate.models import Edition

PARIS = "Europe/Paris"
POLL_HEADERS = {"Cache-Control": "no-cache, private"}


def _sites_fragment(edition: Edition) -> str:
    text = {
        "challenge": _("Challenge %(number)d"),
        "progress": _("%(done)d of %(total)d done"),
        "stages": {stage: str(stage.label) for stage in STAGES},
    }
    return render_template(
        "editions/_sites.html",
        edition=edition,
        sites=edition_progress(edition),
        text=text,
        now=now(),
    )


@bp.get("/editions/<int:edition_id>/dashboard")
def dashboard(edition_id: int):
    edition = edition_for_reading(edition_id)
    etag = edition_etag(edition)
    return render_template(
        "editions/dashboard.html",
        edition=edition,
        etag=etag,
        fragment=Markup(_sites_fragment(edition)),  # noqa: S704  (our own template, autoescaped)
        fragment_url=url_for("editions.dashboard_sites", edition_id=edition.id),
        paris=PARIS,
        now=now(),
    )


@bp.get("/editions/<int:edition_id>/dashboard/sites")
def dashboard_sites(edition_id: int):
    """Every site's figures alone: 304 while the sites' versions, the edition's ballots and the
    reader's language are the ones the client has."""
    edition = edition_for_reading(edition_id)
    etag = edition_etag(edition)
    if request.if_none_match.contains_weak(etag):
        response = current_app.response_class(status=304)
    else:
        response = make_response(_sites_fragment(edition))
    response.set_etag(etag)
    response.headers.update(POLL_HEADERS)
    return response
