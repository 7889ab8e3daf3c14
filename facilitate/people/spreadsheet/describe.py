"""What the preview and the command line say an attendee import will do, in a few lines."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Challenge, Event, User
from facilitate.people.spreadsheet.rows import AttendeeImport
from facilitate.teams.placement import normalise_organisation


@dataclass
class KnownPeople:
    """What a preview may say of the file's addresses that already have an account: how many
    attend this event already, and how many will join it. Never which other events they
    attend: that is none of this event's business."""

    attending: int
    joining: int


def known_people(checked: AttendeeImport) -> KnownPeople:
    attending = sum(1 for row in checked.rows if row.attendance_id is not None)
    emails = [row.email for row in checked.rows if row.attendance_id is None and row.email]
    joining = len(db.session.scalars(select(User.id).where(User.email.in_(emails))).all())
    return KnownPeople(attending=attending, joining=joining)


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
    known = known_people(checked)
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


def describe_attendee_import(event: Event, checked: AttendeeImport) -> list[str]:
    """What the preview (and the command line) says the import will do, before the list of
    changes."""
    new = sum(1 for row in checked.rows if row.attendance_id is None)
    lines = [
        *own_organisation_placements(event, checked),
        ngettext(
            "%(num)d attendee in the file.", "%(num)d attendees in the file.", len(checked.rows)
        ),
    ]
    found = [
        (checked.matched["id"], _("by identifier")),
        (checked.matched["email"], _("by email")),
        (checked.matched["name"], _("by name and organisation")),
    ]
    if any(count for count, _how in found):
        lines.append(
            _(
                "Found among this event's attendees: %(found)s.",
                found=", ".join(f"{count} {how}" for count, how in found if count),
            )
        )
    if new:
        lines.append(ngettext("%(num)d new attendee.", "%(num)d new attendees.", new))
    placed = sum(1 for row in checked.rows if row.challenge_number is not None)
    if placed:
        lines.append(
            ngettext(
                "%(num)d will be placed in a team.", "%(num)d will be placed in a team.", placed
            )
        )
    if checked.unchanged:
        lines.append(
            ngettext(
                "%(num)d attendee is already as in the file.",
                "%(num)d attendees are already as in the file.",
                checked.unchanged,
            )
        )
    if not new and not checked.changes:
        lines.append(_("No change: the event already has everything this file holds."))
    if checked.foreign_ids:
        lines.append(
            ngettext(
                "%(num)d identifier is not one of this event's (a file exported from another "
                "event?): that row is matched by email or name instead.",
                "%(num)d identifiers are not this event's (a file exported from another "
                "event?): those rows are matched by email or name instead.",
                checked.foreign_ids,
            )
        )
    if checked.not_organisers:
        lines.append(
            _(
                "Not made co-organisers by this file: %(names)s. Organiser rights are given by "
                "an invitation, from the Organisers page.",
                names=", ".join(checked.not_organisers),
            )
        )
    lines.extend(_known_people_lines(event, checked))
    return lines
