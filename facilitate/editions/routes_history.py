"""An edition's history: what its national organisers did to it, newest first."""

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitate import policy
from facilitate.audit.entries import history_items
from facilitate.audit.messages import describe_edition
from facilitate.editions import bp
from facilitate.extensions import db
from facilitate.models import Edition, EditionAuditEntry
from facilitate.pagination import paginate_select
from facilitate.timezones import timezone_name, utc_offset

# An edition is national: its history reads in Paris time, as its dashboard does.
HISTORY_TIMEZONE = "Europe/Paris"
PER_PAGE = 50


@bp.get("/editions/<int:edition_id>/history")
def history(edition_id: int):
    """Five statements whatever the number of entries: the session's person, the edition,
    their national roles, the count and the page (with each entry's actor)."""
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        abort(404)
    policy.require(policy.can_view_edition_history(current_user, edition))
    page = paginate_select(
        select(EditionAuditEntry)
        .options(joinedload(EditionAuditEntry.actor))
        .where(EditionAuditEntry.edition_id == edition.id)
        .order_by(EditionAuditEntry.created_at.desc(), EditionAuditEntry.id.desc()),
        per_page=PER_PAGE,
    )
    return render_template(
        "editions/history.html",
        edition=edition,
        page=page,
        items=history_items(page.items, HISTORY_TIMEZONE, describe_edition),
        zone=timezone_name(HISTORY_TIMEZONE),
        offset=utc_offset(HISTORY_TIMEZONE),
    )
