"""Attendees in and out as spreadsheets; access codes for mail merge."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from facilitate.events.services import get_managed_event_or_404
from facilitate.extensions import db
from facilitate.models import Challenge
from facilitate.people import bp
from facilitate.people.codes import access_code_table
from facilitate.people.spreadsheet import (
    attendee_table,
    check_attendee_file,
    import_attendees,
    known_people,
)
from facilitate.spreadsheets.pages import import_page
from facilitate.spreadsheets.writing import spreadsheet_download
from facilitate.teams.placement import normalise_organisation


def own_organisation_placements(event, checked) -> list[str]:
    """Rows that put someone on the challenge of their own organisation: allowed (the file is
    the organiser's), but said before importing, as the automatic placement would not do it."""
    owners = dict(
        db.session.execute(
            select(Challenge.number, Challenge.owner_organisation).where(
                Challenge.event_id == event.id
            )
        ).all()
    )
    return [
        _(
            "Line %(line)d: %(name)s (%(organisation)s) will work on challenge %(number)d, brought by their own organisation.",
            line=row.line,
            name=row.name,
            organisation=row.organisation,
            number=row.challenge_number,
        )
        for row in checked.rows
        if row.challenge_number is not None
        and row.organisation
        and normalise_organisation(row.organisation)
        == normalise_organisation(owners.get(row.challenge_number))
    ]


def _known_people_lines(event, checked) -> list[str]:
    known = known_people(event, checked)
    lines = []
    if known.attending:
        lines.append(
            ngettext(
                "%(num)d person already attends this event: their name and organisation here "
                "are updated, their access code stays the same.",
                "%(num)d people already attend this event: their name and organisation here "
                "are updated, their access codes stay the same.",
                known.attending,
            )
        )
    if known.joining:
        lines.append(
            ngettext(
                "%(num)d address already has an account on the platform: that person joins this "
                "event with their own account and gets an access code for this event. The name "
                "and organisation in your file are used for this event only.",
                "%(num)d addresses already have an account on the platform: these people join "
                "this event with their own accounts and get an access code for this event. The "
                "names and organisations in your file are used for this event only.",
                known.joining,
            )
        )
    return lines


@bp.route("/events/<slug>/people/import", methods=["GET", "POST"])
def import_attendees_page(slug: str):
    event = get_managed_event_or_404(slug)

    def apply(checked):
        result = import_attendees(event, checked, current_user)
        return _(
            "Import done: %(created)d new attendees, %(updated)d already known, %(placed)d placed in a team.",
            created=result.created,
            updated=result.updated,
            placed=result.placed,
        )

    def describe(checked):
        placed = sum(1 for row in checked.rows if row.challenge_number is not None)
        own = own_organisation_placements(event, checked)
        return [
            *own,
            ngettext(
                "%(num)d attendee in the file.", "%(num)d attendees in the file.", len(checked.rows)
            ),
            ngettext(
                "%(num)d will be placed in a team.", "%(num)d will be placed in a team.", placed
            ),
            *_known_people_lines(event, checked),
        ]

    return import_page(
        check=lambda data, filename: check_attendee_file(event, data, filename),
        apply=apply,
        describe=describe,
        title=_("Import attendees"),
        hint=_(
            "One line per person. Columns, in French or English: nom (or prénom and nom), email, organisation, "
            "and optionally défi: the number of the challenge whose team the person joins. "
            "CSV saved by Excel (“;”, Windows or UTF-8) and XLSX files are accepted."
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
    headers, rows = attendee_table(event)
    return spreadsheet_download(headers, rows, fmt, f"{event.slug}-participants", _("Attendees"))


@bp.get("/events/<slug>/people/access-codes.csv")
def export_codes(slug: str):
    """Codes of those who have one: a GET issues none (badges page does, with a button)."""
    event = get_managed_event_or_404(slug)
    headers, rows = access_code_table(event, issue_missing=False)
    return spreadsheet_download(headers, rows, "csv", f"{event.slug}-codes", _("Access codes"))
