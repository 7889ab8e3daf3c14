"""Checking an attendee file: every row read and checked, then matched to who the event has
(matching.py), and what would change said field by field. Nothing is written."""

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.auth.services import normalise_email
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Team
from facilitate.numbers import database_id
from facilitate.people.spreadsheet.columns import (
    CO_ORGANISER,
    COLUMNS,
    MAX_NAME,
    MAX_ORGANISATION,
    ROLE_BY_WORD,
    field_labels,
)
from facilitate.people.spreadsheet.matching import match_rows
from facilitate.people.spreadsheet.rows import AttendeeImport, AttendeeRow
from facilitate.spreadsheets.cells import cell, split_list
from facilitate.spreadsheets.columns import header_key, open_table
from facilitate.spreadsheets.problems import Problem
from facilitate.spreadsheets.reading import Table

__all__ = ["AttendeeImport", "AttendeeRow", "check_attendee_file"]


def check_attendee_file(
    event: Event, data: bytes, filename: str, table: Table | None = None
) -> AttendeeImport:
    """Read and check every row, match it to who the event has, and say what importing it
    would change; nothing is written. ``table``: the rows read already (one site's of an
    edition workbook)."""
    result = AttendeeImport()
    labels = field_labels()
    opened = open_table(
        data,
        filename,
        aliases=COLUMNS,
        labels=labels,
        required=(("name", "last_name", "first_name"),),
        example=_("nom;email;organisation;rôle;défi"),
        no_rows=_("The file has no attendee below its header line."),
        problems=result.problems,
        table=table,
    )
    if opened is None:
        return result
    result.report = opened.report
    if result.problems:
        return result
    table, columns = opened.table, dict(opened.columns)
    if "name" not in columns:
        columns["name"] = columns.pop("last_name", None) or columns.pop("first_name")
    result.columns = tuple(columns)
    headers = {key: table.headers[index] for key, index in columns.items()}

    team_numbers = {
        number: team_id
        for number, team_id in db.session.execute(
            select(Challenge.number, Team.id)
            .join(Challenge.team)
            .where(Challenge.event_id == event.id)
        )
    }
    seen: dict[tuple, int] = {}
    for line, cells in table.rows:
        row, problems = _check_row(line, cells, columns, headers, team_numbers, seen)
        result.problems.extend(problems)
        if row is not None:
            result.rows.append(row)
    if result.problems:
        return result
    match_rows(event, result, headers, labels)
    return result


def _check_row(line, cells, columns, headers, team_numbers, seen):
    problems = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(line, headers.get(key), message))

    def once(key: str, value, column: str, message) -> None:
        """A row names a person once: ``message(other line)`` when an earlier row did."""
        other = seen.setdefault((key, value), line)
        if other != line:
            problem(column, message(other))

    # "Prénom" and "Nom" in two columns make one name, first name first.
    name = " ".join(
        part
        for part in (cell(cells, columns.get("first_name")), cell(cells, columns["name"]))
        if part
    )
    email_text = cell(cells, columns.get("email"))
    organisation = cell(cells, columns.get("organisation")) or None
    challenge_text = cell(cells, columns.get("challenge"))
    id_text = cell(cells, columns.get("id"))

    if not name:
        problem("name", _("the name is empty."))
    elif len(name) > MAX_NAME:
        problem("name", _("the name is longer than %(n)d characters.", n=MAX_NAME))
    if organisation and len(organisation) > MAX_ORGANISATION:
        problem(
            "organisation",
            _("the organisation is longer than %(n)d characters.", n=MAX_ORGANISATION),
        )

    attendance_id = None
    if id_text:
        attendance_id = database_id(id_text)
        if attendance_id is None:
            problem("id", _("“%(value)s” is not an identifier of this event.", value=id_text))
        else:
            once(
                "id",
                attendance_id,
                "id",
                lambda other: _("this identifier already appears on line %(other)d.", other=other),
            )

    email = None
    if email_text:
        try:
            email = validate_email(
                normalise_email(email_text), check_deliverability=False
            ).normalized.lower()
        except EmailNotValidError:
            problem("email", _("“%(email)s” is not a valid email address.", email=email_text))
        else:
            once(
                "email",
                email,
                "email",
                lambda other: _(
                    "%(email)s already appears on line %(other)d.", email=email, other=other
                ),
            )
    elif name and attendance_id is None:
        once(
            "name",
            (header_key(name), header_key(organisation or "")),
            "name",
            lambda other: _(
                "a person of the same name and organisation, without an email either, is on "
                "line %(other)d: give one of them an email to tell them apart.",
                other=other,
            ),
        )

    role, co_organiser = None, False
    role_text = cell(cells, columns.get("role"))
    for word in split_list(role_text.replace(",", "\n")) if role_text else []:
        found = ROLE_BY_WORD.get(header_key(word))
        if found is None:
            problem(
                "role",
                _(
                    "“%(value)s” is not a role: write member, facilitator, challenge owner or "
                    "co-organiser (in French: membre, animateur, porteur du défi, "
                    "co-organisateur).",
                    value=word,
                ),
            )
        elif found == CO_ORGANISER:
            co_organiser = True
        elif role is not None and role != found:
            problem("role", _("a person has one role in a team: choose one."))
        else:
            role = found

    challenge_number = None
    if challenge_text:
        digits = challenge_text.removeprefix("Défi").removeprefix("défi").strip()
        # Short enough for int(): a pasted 5,000-digit number is not a challenge number either.
        if not (digits.isascii() and digits.isdecimal() and len(digits) <= 9):
            problem("challenge", _("“%(value)s” is not a challenge number.", value=challenge_text))
        elif int(digits) not in team_numbers:
            problem("challenge", _("this event has no challenge number %(number)s.", number=digits))
        else:
            challenge_number = int(digits)

    if problems:
        return None, problems
    row = AttendeeRow(line, name, email, organisation, challenge_number, role, co_organiser)
    row.attendance_id = attendance_id
    if "first_name" in columns:
        row.family_name = cell(cells, columns["name"]) or None
    return row, []
