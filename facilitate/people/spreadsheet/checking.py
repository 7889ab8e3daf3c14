"""Checking an attendee file: every row read, then matched to who the event has (identifier,
email, name and organisation), and what would change said field by field. Nothing is written."""

from collections import Counter
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.auth.services import normalise_email
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.numbers import database_id
from facilitate.people.codes import participants_with_teams
from facilitate.people.spreadsheet.columns import (
    CO_ORGANISER,
    COLUMNS,
    MAX_NAME,
    MAX_ORGANISATION,
    ROLE_BY_WORD,
    field_labels,
    role_words,
)
from facilitate.spreadsheets.cells import cell, split_list
from facilitate.spreadsheets.columns import ColumnReport, header_key, open_table
from facilitate.spreadsheets.preview import FieldChange, RowChange, text_change
from facilitate.spreadsheets.problems import Problem
from facilitate.spreadsheets.reading import Table


@dataclass
class AttendeeRow:
    line: int
    name: str
    email: str | None
    organisation: str | None
    challenge_number: int | None
    # None: the file leaves the person's team role as it is.
    role: Role | None = None
    co_organiser: bool = False
    # The attendance this row updates, and how it was found: "id", "email" or "name".
    attendance_id: int | None = None
    matched_by: str | None = None
    # The last name when the file gives it in a column of its own (lists sort by it).
    family_name: str | None = None


@dataclass
class AttendeeImport:
    rows: list[AttendeeRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    report: ColumnReport | None = None
    # The fields the file has a column for.
    columns: tuple[str, ...] = ()
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    # Rows matched by identifier, email, or name and organisation.
    matched: Counter = field(default_factory=Counter)
    # Identifiers the event does not have (a file from another event): those rows are matched
    # by email or name instead.
    foreign_ids: int = 0
    # Rows that say co-organiser for someone who is not one: told, not granted.
    not_organisers: list[str] = field(default_factory=list)
    # Accounts this event alone manages (no password, no other event): their name follows
    # this event's, and their email may be corrected here (account id -> new email).
    managed_accounts: set[int] = field(default_factory=set)
    email_changes: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


@dataclass
class _Known:
    """What the event has of one attendee, read in a few queries for the whole file."""

    attendance: Membership
    user: User
    role: Role
    team_id: int | None
    number: int | None
    organiser: bool
    managed_here: bool


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
    _match(event, result, headers, labels)
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


def _known_people(event: Event) -> list[_Known]:
    """The event's attendees, with their team role and whether they organise
    (``participants_with_teams``), and whether anyone else knows their account: three simple
    queries by the event's index whatever the number of rows."""
    attendees = select(Membership.user_id).where(
        Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
    )
    elsewhere = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.user_id.in_(attendees), Membership.event_id != event.id
            )
        )
    )
    return [
        _Known(
            attendance=attendance,
            user=user,
            role=roles.team_role or Role.MEMBER,
            team_id=team.id if team else None,
            number=number,
            organiser=roles.organiser,
            managed_here=user.password_hash is None and user.id not in elsewhere,
        )
        for attendance, user, team, number, roles in participants_with_teams(event)
    ]


def _match(event, result: AttendeeImport, headers, labels) -> None:
    """Find who each row updates (identifier, then email, then name and organisation), and
    what changes for them."""
    known = _known_people(event)
    by_id = {person.attendance.id: person for person in known}
    by_email = {person.user.email: person for person in known if person.user.email}
    by_name: dict[tuple, list[_Known]] = {}
    for person in known:
        if person.user.email is None:
            key = (header_key(person.attendance.name), header_key(person.attendance.organisation))
            by_name.setdefault(key, []).append(person)
    accounts = dict(
        db.session.execute(
            select(User.email, User.id).where(
                User.email.in_([row.email for row in result.rows if row.email])
            )
        ).all()
    )
    taken: dict[int, int] = {}
    words = role_words()
    for row in result.rows:
        person, problem = _find(row, by_id, by_email, by_name, headers, result)
        if problem is None and person is not None:
            other = taken.setdefault(person.attendance.id, row.line)
            if other != row.line:
                problem = Problem(
                    row.line,
                    headers.get("id") or headers["name"],
                    _("this is the same person as on line %(other)d.", other=other),
                )
        if problem is None and person is not None and row.email != person.user.email:
            problem = _email_change(row, person, accounts, headers, result)
        if problem is not None:
            result.problems.append(problem)
            continue
        if person is None:
            continue
        row.attendance_id = person.attendance.id
        result.matched[row.matched_by] += 1
        if person.managed_here:
            result.managed_accounts.add(person.user.id)
        if row.co_organiser and not person.organiser:
            result.not_organisers.append(row.name)
        changes = _changes(row, person, labels, words)
        if changes:
            result.changes.append(RowChange(person.attendance.name, changes, row.line))
        else:
            result.unchanged += 1
    for row in result.rows:
        if row.attendance_id is None and row.co_organiser:
            result.not_organisers.append(row.name)
        if row.role == Role.CHALLENGE_OWNER and row.challenge_number is None:
            current = by_id.get(row.attendance_id)
            if current is None or current.team_id is None:
                result.problems.append(
                    Problem(
                        row.line,
                        headers.get("challenge") or headers["role"],
                        _("a challenge owner needs the number of their challenge."),
                    )
                )


def _find(row: AttendeeRow, by_id, by_email, by_name, headers, result):
    """Who the row names: by identifier; else by email; else by name and organisation. An
    identifier that is not this event's (a file exported from another event: ids are unique
    across events, so it cannot name someone else here) is set aside, and counted."""
    if row.attendance_id is not None:
        person = by_id.get(row.attendance_id)
        if person is not None:
            row.matched_by = "id"
            return person, None
        row.attendance_id = None
        result.foreign_ids += 1
    if row.email:
        person = by_email.get(row.email)
        row.matched_by = "email" if person else None
        return person, None
    candidates = by_name.get((header_key(row.name), header_key(row.organisation or "")), [])
    if len(candidates) > 1:
        return None, Problem(
            row.line,
            headers["name"],
            _(
                "several attendees without an email have this name and organisation: add the "
                "identifier column of an export to tell them apart."
            ),
        )
    row.matched_by = "name" if candidates else None
    return (candidates[0] if candidates else None), None


def _email_change(row: AttendeeRow, person: _Known, accounts, headers, result):
    """A row found by identifier or name whose email differs: an empty cell leaves the email as
    it is; a new one corrects it only on an account this event alone manages."""
    if not row.email:
        row.email = person.user.email
        return None
    column = headers.get("email")
    if not person.managed_here:
        return Problem(
            row.line,
            column,
            _("this email address belongs to the person's own account: only they can change it."),
        )
    if row.email in accounts and accounts[row.email] != person.user.id:
        return Problem(
            row.line,
            column,
            _("another account already has this email address: add that person on their own line."),
        )
    result.email_changes[person.user.id] = row.email
    return None


def _changes(row: AttendeeRow, person: _Known, labels, words) -> list[FieldChange]:
    role = row.role or person.role
    number = row.challenge_number if row.challenge_number is not None else person.number
    changes = [
        text_change(labels["name"], person.attendance.name, row.name),
        text_change(labels["organisation"], person.attendance.organisation, row.organisation),
        text_change(labels["email"], person.user.email, row.email),
        text_change(labels["role"], words[person.role], words[role]),
        text_change(
            labels["challenge"],
            None if person.number is None else str(person.number),
            None if number is None else str(number),
        ),
    ]
    return [change for change in changes if change is not None]
