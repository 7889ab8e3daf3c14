"""Attendees in and out as spreadsheets; access codes for mail merge."""

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitate.events.services import get_managed_event_or_404
from facilitate.people import bp
from facilitate.people.codes import access_code_headers, access_code_rows
from facilitate.people.spreadsheet import (
    attendee_headers,
    attendee_rows,
    check_attendee_file,
    describe_attendee_import,
    import_attendees,
)
from facilitate.spreadsheets.pages import import_page
from facilitate.spreadsheets.writing import spreadsheet_download


@bp.route("/events/<slug>/people/import", methods=["GET", "POST"])
def import_attendees_page(slug: str):
    event = get_managed_event_or_404(slug)

    def apply(checked):
        result = import_attendees(event, checked, current_user)
        return _(
            "Import done. New attendees: %(created)d; already known: %(updated)d; placed in a team: %(placed)d.",
            created=result.created,
            updated=result.updated,
            placed=result.placed,
        )

    def describe(checked):
        return describe_attendee_import(event, checked)

    return import_page(
        check=lambda data, filename: check_attendee_file(event, data, filename),
        apply=apply,
        describe=describe,
        title=_("Import attendees"),
        hint=_(
            "One line per person, below a header line (title lines above it are skipped). Columns, in French or "
            "English: nom (or prénom and nom) is required; adresse mail, organisation, rôle (membre, animateur, "
            "porteur du défi, co-organisateur) and équipe or défi (the number of the challenge whose team the person "
            "joins) are optional. An export of this page imports back: its identifier column finds each person again, "
            "with or without an email. An empty role or team cell keeps what the person has. "
            "LibreOffice (ODS), Excel (XLSX) and CSV files are accepted."
        ),
        done_url=url_for("people.manage", slug=slug),
        back_url=url_for("people.manage", slug=slug),
        breadcrumb=[
            (_("Organise: %(name)s", name=event.name), url_for("events.organise", slug=slug)),
            (_("Attendees"), url_for("people.manage", slug=slug)),
        ],
    )


@bp.get("/events/<slug>/people/export.<fmt>")
def export_attendees(slug: str, fmt: str):
    event = get_managed_event_or_404(slug)
    return spreadsheet_download(
        attendee_headers(), attendee_rows(event), fmt, f"{event.slug}-participants", _("Attendees")
    )


@bp.get("/events/<slug>/people/access-codes.csv")
def export_codes(slug: str):
    """Codes of those who have one: a GET issues none (badges page does, with a button)."""
    event = get_managed_event_or_404(slug)
    return spreadsheet_download(
        access_code_headers(),
        access_code_rows(event),
        "csv",
        f"{event.slug}-codes",
        _("Access codes"),
    )
