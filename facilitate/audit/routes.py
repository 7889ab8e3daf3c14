from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from facilitate.audit import bp
from facilitate.audit.entries import history_items
from facilitate.audit.messages import UNDOABLE, describe
from facilitate.challenges.management import restore_challenge
from facilitate.domain import DomainError
from facilitate.events.services import get_managed_event_or_404
from facilitate.extensions import db
from facilitate.forms import ConfirmForm
from facilitate.i18n import local_times
from facilitate.models import AuditEntry
from facilitate.numbers import database_id
from facilitate.pagination import row_urls
from facilitate.people.management import restore_attendee
from facilitate.security import generate_csrf

# As the lists and the edition's history: fifty a page, the older ones a link away.
PAGE_SIZE = 50
_UNDO = {"challenge.deleted": restore_challenge, "attendee.removed": restore_attendee}


# Built once per process (README, "Statements built once per process"): the latest page, and
# a page of older entries.
_LATEST = (
    select(AuditEntry)
    .options(joinedload(AuditEntry.actor))
    .where(AuditEntry.event_id == bindparam("event_id"))
    .order_by(AuditEntry.id.desc())
    .limit(PAGE_SIZE + 1)
)
_OLDER = _LATEST.where(AuditEntry.id < bindparam("before"))


@bp.get("/events/<slug>/history")
def history(slug: str):
    event = get_managed_event_or_404(slug)
    before = request.args.get("before", type=database_id)
    if before:
        entries = db.session.scalars(_OLDER, {"event_id": event.id, "before": before}).all()
    else:
        entries = db.session.scalars(_LATEST, {"event_id": event.id}).all()
    older = entries[PAGE_SIZE - 1].id if len(entries) > PAGE_SIZE else None
    items = history_items(entries[:PAGE_SIZE], event.timezone, describe, _undo_writer(event))
    return render_template("audit/history.html", event=event, items=items, older=older)


def _undo_writer(event):
    """What follows an entry the history can undo: when it was undone, or its undo button
    (the page's one CSRF token, its own address); nothing for the other entries."""
    undo_url = row_urls("audit.undo", "entry_id", slug=event.slug)
    undo_words, token = escape(_("Undo")), escape(generate_csrf())
    undone_at = local_times(event.timezone)

    def after(entry, said):
        if entry.action not in UNDOABLE or entry.details.get("erased"):
            return ""
        if entry.restored_at:
            words = escape(_("Undone on %(when)s.", when=undone_at(entry.restored_at)))
            return f'<p class="notice">{words}</p>\n'
        return (
            f'<form method="post" action="{escape(undo_url(entry.id))}">\n'
            f'<input type="hidden" name="csrf_token" value="{token}">\n'
            '<button type="submit" class="button button--small button--secondary">'
            f'{undo_words}<span class="visually-hidden">: {said}</span></button>\n</form>\n'
        )

    return after


@bp.post("/events/<slug>/history/<int:entry_id>/undo")
def undo(slug: str, entry_id: int):
    event = get_managed_event_or_404(slug)
    entry = db.session.get(AuditEntry, entry_id)
    if entry is None or entry.event_id != event.id or entry.action not in _UNDO:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            not_restored = _UNDO[entry.action](entry, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Undone: %(change)s.", change=describe(entry)), "success")
            if not_restored:
                flash(
                    _("Not brought back: %(people)s.", people=", ".join(not_restored)),
                    "warning",
                )
    return redirect(url_for("audit.history", slug=slug), code=303)
