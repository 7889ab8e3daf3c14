"""The attendee list as a spreadsheet, both ways: everything checked first, then all rows written
or none. The command line and the organisers' web pages share this code.

The export writes what the import reads back unchanged: an identifier (the attendance's), the
name and organisation this event prints, the email, the role and the team's challenge number.
A row is matched to someone the event has by that identifier, then by email, then, for people
without an email, by name and organisation; the preview says which. A person's account stays
theirs (see ``people/attendance.py``): this file changes this event's record of them, and the
account's email only where the event alone manages the account.
"""

from collections import Counter
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import aliased

from facilitate.audit.services import record
from facilitate.auth.codes import new_access_code
from facilitate.auth.services import issue_access_code, normalise_email
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.models.users import new_session_nonce
from facilitate.numbers import database_id
from facilitate.people.management import TEAM_ROLES
from facilitate.spreadsheets.cells import cell, split_list
from facilitate.spreadsheets.columns import ColumnReport, header_key, open_table
from facilitate.spreadsheets.preview import FieldChange, RowChange, text_change
from facilitate.spreadsheets.problems import Problem
from facilitate.teams.placement import normalise_organisation

__all__ = ["AttendeeImport", "AttendeeRow", "ImportResult", "Problem"]

COLUMNS = {
    "id": ("identifiant", "id", "identifier", "n° participant"),
    "name": (
        "name",
        "nom",
        "full name",
        "nom complet",
        "nom et prénom",
        "prénom nom",
        "prénom et nom",
        "participant",
        "participante",
    ),
    "first_name": ("prénom", "first name", "given name"),
    "last_name": ("nom de famille", "last name", "family name", "surname"),
    "email": (
        "email",
        "e-mail",
        "mail",
        "mél",
        "courriel",
        "adresse mail",
        "adresse e-mail",
        "adresse email",
        "adresse électronique",
        "adresse de courriel",
        "email address",
    ),
    "organisation": (
        "organisation",
        "organization",
        "structure",
        "collectivité",
        "employeur",
        "organisme",
        "administration",
        "employer",
    ),
    "role": ("rôle", "role", "rôle dans l'équipe", "role in the team"),
    "challenge": (
        "challenge",
        "défi",
        "équipe",
        "team",
        "challenge number",
        "numéro du défi",
        "n° du défi",
        "n° défi",
        "numéro de défi",
    ),
}
MAX_NAME = 200
MAX_ORGANISATION = 200
# Co-organisers are exported with their role; the file does not give or take organiser rights,
# which an invitation gives (the person proves their address) and the organisers page takes.
CO_ORGANISER = "co-organiser"

# The words a role cell may hold, as ``header_key`` spells them, whatever the gender or the
# language.
ROLE_WORDS = {
    Role.MEMBER: (
        "membre",
        "membre de l'équipe",
        "participant",
        "participante",
        "member",
        "team member",
    ),
    Role.FACILITATOR: (
        "animateur",
        "animatrice",
        "animateur ou animatrice",
        "animateur·rice",
        "facilitateur",
        "facilitatrice",
        "facilitator",
    ),
    Role.CHALLENGE_OWNER: (
        "porteur",
        "porteuse",
        "porteur du défi",
        "porteuse du défi",
        "porteur ou porteuse du défi",
        "porteur de défi",
        "porteuse de défi",
        "porteur ou porteuse de défi",
        "challenge owner",
        "owner",
    ),
    CO_ORGANISER: (
        "co-organisateur",
        "co-organisatrice",
        "co-organisateur ou co-organisatrice",
        "organisateur",
        "organisatrice",
        "co-organiser",
        "co-organizer",
        "organiser",
        "organizer",
    ),
}
_ROLE_BY_WORD = {header_key(word): role for role, words in ROLE_WORDS.items() for word in words}


def export_headers() -> dict[str, str]:
    """The export's header for each column, in the reader's language; the preview names the
    fields the same way."""
    return {
        "id": _("Identifier"),
        "name": _("Name"),
        "email": _("Email"),
        "organisation": _("Organisation"),
        "role": _("Role"),
        "challenge": _("Challenge"),
    }


def _labels() -> dict[str, str]:
    return export_headers() | {"first_name": _("First name"), "last_name": _("Last name")}


def role_words() -> dict[object, str]:
    """The word the export writes for each role, in the reader's language."""
    return {
        Role.MEMBER: _("member"),
        Role.FACILITATOR: _("facilitator"),
        Role.CHALLENGE_OWNER: _("challenge owner"),
        CO_ORGANISER: _("co-organiser"),
    }


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
class ImportResult:
    created: int = 0
    updated: int = 0
    placed: int = 0


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


def check_attendee_file(event: Event, data: bytes, filename: str) -> AttendeeImport:
    """Read and check every row, match it to who the event has, and say what importing it
    would change; nothing is written."""
    result = AttendeeImport()
    labels = _labels()
    opened = open_table(
        data,
        filename,
        aliases=COLUMNS,
        labels=labels,
        required=(("name", "last_name", "first_name"),),
        example=_("nom;email;organisation;rôle;défi"),
        no_rows=_("The file has no attendee below its header line."),
        problems=result.problems,
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
    _match(event, result, headers, team_numbers, labels)
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
        found = _ROLE_BY_WORD.get(header_key(word))
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
    return row, []


def _known_people(event: Event, rows: list[AttendeeRow]) -> list[_Known]:
    """The event's attendees the file may name, with their team role and whether they
    organise: by the file's identifiers and emails, and everyone without an email (matched by
    name). Three queries whatever the number of rows."""
    team_role = aliased(Membership)
    organiser = aliased(Membership)
    ids = [row.attendance_id for row in rows if row.attendance_id is not None]
    emails = [row.email for row in rows if row.email]
    query = (
        select(Membership, User, team_role.role, team_role.team_id, Challenge.number, organiser.id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            team_role,
            (team_role.user_id == Membership.user_id)
            & (team_role.event_id == event.id)
            & team_role.role.in_(TEAM_ROLES),
        )
        .outerjoin(Team, Team.id == team_role.team_id)
        .outerjoin(Challenge, Challenge.id == Team.challenge_id)
        .outerjoin(
            organiser,
            (organiser.user_id == Membership.user_id)
            & (organiser.event_id == event.id)
            & (organiser.role == Role.ORGANISER),
        )
        .where(
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.id.in_(ids) | User.email.in_(emails) | User.email.is_(None),
        )
    )
    found = db.session.execute(query).all()
    user_ids = [user.id for _a, user, *_rest in found]
    elsewhere = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.user_id.in_(user_ids), Membership.event_id != event.id
            )
        )
    )
    return [
        _Known(
            attendance=attendance,
            user=user,
            role=role or Role.MEMBER,
            team_id=team_id,
            number=number,
            organiser=organiser_id is not None,
            managed_here=user.password_hash is None and user.id not in elsewhere,
        )
        for attendance, user, role, team_id, number, organiser_id in found
    ]


def _match(event, result: AttendeeImport, headers, team_numbers, labels) -> None:
    """Find who each row updates (identifier, then email, then name and organisation), and
    what changes for them."""
    known = _known_people(event, result.rows)
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


@dataclass
class KnownPeople:
    """What a preview may say of the file's addresses that already have an account: how many
    attend this event already, and how many will join it. Never which other events they
    attend: that is none of this event's business."""

    attending: int
    joining: int


def known_people(event: Event, checked: AttendeeImport) -> KnownPeople:
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


def _membership_row(user_id, event_id, role, team_id=None, **attendance) -> dict:
    """A row for the bulk insert: every row names every column, attendance details or None."""
    return {
        "user_id": user_id,
        "event_id": event_id,
        "team_id": team_id,
        "role": role,
        **dict.fromkeys(("name", "organisation", "access_code", "code_nonce")),
        **attendance,
    }


def import_attendees(event: Event, checked: AttendeeImport, actor=None) -> ImportResult:
    """Write a checked file: every row or, if any row has a problem, none. Flushes, never
    commits; the change is recorded in the event's history as done by ``actor``.

    A person already attending (matched by the check) gets this file's name, organisation,
    role and team here, and keeps their code. A person known elsewhere by their email joins
    with their own account, left as it is. A role or team cell left empty keeps what the person
    has; a team given without a role keeps their role.
    """
    if not checked.ok:
        raise ValueError("import_attendees needs a file without problems")
    teams = {
        number: team_id
        for number, team_id in db.session.execute(
            select(Challenge.number, Team.id)
            .join(Challenge.team)
            .where(Challenge.event_id == event.id)
        )
    }
    attendance_ids = [row.attendance_id for row in checked.rows if row.attendance_id is not None]
    attendances = {
        attendance.id: attendance
        for attendance in db.session.scalars(
            select(Membership).where(Membership.id.in_(attendance_ids))
        )
    }
    user_ids = {attendance.user_id for attendance in attendances.values()}
    emails = [row.email for row in checked.rows if row.attendance_id is None and row.email]
    joining = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    user_ids |= {user.id for user in joining.values()}
    team_roles = {
        membership.user_id: membership
        for membership in db.session.scalars(
            select(Membership).where(
                Membership.event_id == event.id,
                Membership.role.in_(TEAM_ROLES),
                Membership.user_id.in_(user_ids),
            )
        )
    }
    accounts = {
        user.id: user
        for user in db.session.scalars(select(User).where(User.id.in_(checked.managed_accounts)))
    }

    result = ImportResult()
    # People already attending: this event's record of them changes; their account only where
    # the check found that this event alone manages it.
    for row in checked.rows:
        attendance = attendances.get(row.attendance_id)
        if attendance is None:
            continue
        result.updated += 1
        attendance.name, attendance.organisation = row.name, row.organisation
        if attendance.access_code is None:
            issue_access_code(attendance)
        account = accounts.get(attendance.user_id)
        if account is not None:
            # Nobody else knows this account: its name follows the only event that uses it.
            account.name = row.name
            if account.id in checked.email_changes:
                account.email = checked.email_changes[account.id]

    new_people = [
        {"email": row.email, "name": row.name}
        for row in checked.rows
        if row.attendance_id is None and (not row.email or row.email not in joining)
    ]
    new_ids: list[int] = []
    if new_people:
        # One statement, ids in the order given (RETURNING keeps the rows' order on both
        # databases for a multi-row INSERT ... VALUES).
        inserted = db.session.execute(
            insert(User).returning(User.id, sort_by_parameter_order=True), new_people
        )
        new_ids = list(inserted.scalars())
        result.created = len(new_people)
    new_ids.reverse()

    new_memberships = []
    replaced = []  # team roles that change: deleted, then written anew with the others
    for row in checked.rows:
        if row.attendance_id is not None:
            user_id = attendances[row.attendance_id].user_id
        elif row.email and row.email in joining:
            user_id = joining[row.email].id
            result.updated += 1
        else:
            user_id = new_ids.pop()
        if row.attendance_id is None:
            new_memberships.append(
                _membership_row(
                    user_id,
                    event.id,
                    Role.PARTICIPANT,
                    name=row.name,
                    organisation=row.organisation,
                    access_code=new_access_code(),
                    code_nonce=new_session_nonce(),
                )
            )
        current = team_roles.get(user_id)
        role = row.role or (current.role if current else Role.MEMBER)
        if row.challenge_number is not None:
            team_id = teams[row.challenge_number]
        else:
            team_id = current.team_id if current else None
        if current is not None and (current.role, current.team_id) == (role, team_id):
            continue
        if current is not None:
            replaced.append(current.id)
        if team_id is not None or role == Role.FACILITATOR:
            new_memberships.append(_membership_row(user_id, event.id, role, team_id))
            result.placed += team_id is not None
    if replaced:
        db.session.execute(delete(Membership).where(Membership.id.in_(replaced)))
    if new_memberships:
        # Through the table: the ORM's bulk insert would fetch every new id back, and on
        # PostgreSQL send one statement per row to do so.
        db.session.execute(insert(Membership.__table__), new_memberships)
    record(
        event,
        actor,
        "attendees.imported",
        count=len(checked.rows),
        created=result.created,
        updated=result.updated,
        placed=result.placed,
    )
    db.session.flush()
    # Rows written in bulk bypass the session: what it had loaded (people's memberships, teams'
    # members) is read again when next used.
    db.session.expire_all()
    return result


def attendee_table(event: Event) -> tuple[list[str], list[list]]:
    """One row per attendee of the event, in name order, in one query, as the import reads
    them back: identifier, name, email, organisation, role and challenge number."""
    headers = export_headers()
    words = role_words()
    team_role = aliased(Membership)
    organiser = aliased(Membership)
    rows = db.session.execute(
        select(
            Membership.id,
            Membership.name,
            User.email,
            Membership.organisation,
            team_role.role,
            Challenge.number,
            organiser.id,
        )
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            team_role,
            (team_role.user_id == Membership.user_id)
            & (team_role.event_id == event.id)
            & team_role.role.in_(TEAM_ROLES),
        )
        .outerjoin(Team, Team.id == team_role.team_id)
        .outerjoin(Challenge, Challenge.id == Team.challenge_id)
        .outerjoin(
            organiser,
            (organiser.user_id == Membership.user_id)
            & (organiser.event_id == event.id)
            & (organiser.role == Role.ORGANISER),
        )
        .where(Membership.event_id == event.id, Membership.role == Role.PARTICIPANT)
        .order_by(Membership.name, Membership.id)
    ).all()
    table = []
    for attendance_id, name, email, organisation, role, number, organiser_id in rows:
        roles = [words[role or Role.MEMBER]]
        if organiser_id is not None:
            roles.append(words[CO_ORGANISER])
        table.append([attendance_id, name, email, organisation, "\n".join(roles), number])
    return list(headers.values()), table
