"""Importing attendees from a spreadsheet: everything checked first, then all rows written or
none. The command line and the organisers' web pages share this code."""

from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select

from facilitate.audit.services import record
from facilitate.auth.codes import new_access_code
from facilitate.auth.services import issue_access_code, normalise_email
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.models.users import new_session_nonce
from facilitate.people.codes import participants_with_teams
from facilitate.spreadsheets.cells import cell
from facilitate.spreadsheets.columns import match_columns
from facilitate.spreadsheets.problems import Problem, SpreadsheetError
from facilitate.spreadsheets.reading import read_table

__all__ = ["AttendeeImport", "AttendeeRow", "ImportResult", "Problem"]

COLUMNS = {
    "name": (
        "name",
        "nom",
        "full name",
        "nom complet",
        "nom et prénom",
        "prénom nom",
        "participant",
    ),
    "first_name": ("prénom", "first name", "given name"),
    "last_name": ("nom de famille", "last name", "family name", "surname"),
    "email": (
        "email",
        "e-mail",
        "mail",
        "courriel",
        "adresse e-mail",
        "adresse email",
        "adresse électronique",
        "email address",
    ),
    "organisation": (
        "organisation",
        "organization",
        "structure",
        "collectivité",
        "employeur",
        "organisme",
        "employer",
    ),
    "challenge": (
        "challenge",
        "défi",
        "challenge number",
        "numéro du défi",
        "n° du défi",
        "n° défi",
        "numéro de défi",
    ),
}
MAX_NAME = 200
MAX_ORGANISATION = 200


@dataclass
class AttendeeRow:
    line: int
    name: str
    email: str
    organisation: str | None
    challenge_number: int | None


@dataclass
class AttendeeImport:
    rows: list[AttendeeRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    placed: int = 0


def check_attendee_file(event: Event, data: bytes, filename: str) -> AttendeeImport:
    """Read and check every row; nothing is written."""
    result = AttendeeImport()
    try:
        table = read_table(data, filename)
    except SpreadsheetError as error:
        result.problems.append(Problem(None, None, str(error)))
        return result

    columns = match_columns(table.headers, COLUMNS)
    if "name" not in columns and "last_name" in columns:
        columns["name"] = columns.pop("last_name")
    if "name" not in columns and "first_name" in columns:
        columns["name"] = columns.pop("first_name")
    missing = [
        label for key, label in (("name", _("name")), ("email", _("email"))) if key not in columns
    ]
    if missing:
        result.problems.append(
            Problem(
                None,
                None,
                ngettext(
                    "Missing column: %(missing)s. The first line must name the columns, "
                    "for example: nom;email;organisation;défi.",
                    "Missing columns: %(missing)s. The first line must name the columns, "
                    "for example: nom;email;organisation;défi.",
                    len(missing),
                    missing=", ".join(missing),
                ),
            )
        )
        return result
    if not table.rows:
        result.problems.append(
            Problem(None, None, _("The file has no attendee below its header line."))
        )
        return result

    team_numbers = set(
        db.session.scalars(
            select(Challenge.number).join(Challenge.team).where(Challenge.event_id == event.id)
        )
    )
    # Problems name the columns as the file's own header line does.
    headers = {key: table.headers[index] for key, index in columns.items()}
    seen_emails: dict[str, int] = {}
    for line, cells in table.rows:
        row, problems = _check_row(line, cells, columns, headers, team_numbers, seen_emails)
        result.problems.extend(problems)
        if row is not None:
            result.rows.append(row)
    return result


def _check_row(line, cells, columns, headers, team_numbers, seen_emails):
    problems = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(line, headers.get(key), message))

    # "Prénom" and "Nom" in two columns make one name, first name first.
    name = " ".join(
        part
        for part in (cell(cells, columns.get("first_name")), cell(cells, columns["name"]))
        if part
    )
    email_text = cell(cells, columns["email"])
    organisation = cell(cells, columns.get("organisation")) or None
    challenge_text = cell(cells, columns.get("challenge"))

    if not name:
        problem("name", _("the name is empty."))
    elif len(name) > MAX_NAME:
        problem("name", _("the name is longer than %(n)d characters.", n=MAX_NAME))
    if organisation and len(organisation) > MAX_ORGANISATION:
        problem(
            "organisation",
            _("the organisation is longer than %(n)d characters.", n=MAX_ORGANISATION),
        )

    email = normalise_email(email_text)
    if not email:
        problem("email", _("the email address is empty."))
    else:
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            problem("email", _("“%(email)s” is not a valid email address.", email=email_text))
        else:
            if email in seen_emails:
                problem(
                    "email",
                    _(
                        "%(email)s already appears on line %(other)d.",
                        email=email,
                        other=seen_emails[email],
                    ),
                )
            else:
                seen_emails[email] = line

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
    return AttendeeRow(line, name, email, organisation, challenge_number), []


@dataclass
class KnownPeople:
    """What a preview may say of the file's addresses that already have an account: how many
    attend this event already, and how many will join it. Never which other events they
    attend: that is none of this event's business."""

    attending: int
    joining: int


def known_people(event: Event, checked: AttendeeImport) -> KnownPeople:
    emails = [row.email for row in checked.rows]
    rows = db.session.execute(
        select(User.id, Membership.id)
        .outerjoin(
            Membership,
            (Membership.user_id == User.id)
            & (Membership.event_id == event.id)
            & (Membership.role == Role.PARTICIPANT),
        )
        .where(User.email.in_(emails))
    ).all()
    attending = sum(1 for _user, attendance in rows if attendance is not None)
    return KnownPeople(attending=attending, joining=len(rows) - attending)


def _accounts_used_elsewhere(event: Event, user_ids: list[int]) -> set[int]:
    """Which of these accounts have a role at another event: one query."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.user_id.in_(user_ids), Membership.event_id != event.id
            )
        )
    )


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

    A person already known by their email keeps their account as it is: this file's name and
    organisation are this event's record of them only, and a person already attending keeps
    their code here. A challenge number places them in that challenge's team, moving them from
    another team of this event if need be.
    """
    if not checked.ok:
        raise ValueError("import_attendees needs a file without problems")
    emails = [row.email for row in checked.rows]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    teams = {
        number: team_id
        for number, team_id in db.session.execute(
            select(Challenge.number, Team.id)
            .join(Challenge.team)
            .where(Challenge.event_id == event.id)
        )
    }
    memberships = db.session.scalars(
        select(Membership).where(
            Membership.event_id == event.id,
            Membership.role.in_((Role.PARTICIPANT, Role.MEMBER)),
            Membership.user_id.in_([u.id for u in users.values()]),
        )
    ).all()
    attendances = {m.user_id: m for m in memberships if m.role == Role.PARTICIPANT}
    participant_ids = set(attendances)
    member_of = {m.user_id: m for m in memberships if m.role == Role.MEMBER}
    by_email = {row.email: row for row in checked.rows}

    result = ImportResult()
    result.updated = len(users)
    # People already attending: this event's record of them changes, never their account.
    emails_by_id = {user.id: email for email, user in users.items()}
    shared = _accounts_used_elsewhere(event, list(attendances))
    for attendance in attendances.values():
        row = by_email[emails_by_id[attendance.user_id]]
        attendance.name, attendance.organisation = row.name, row.organisation
        account = users[row.email]
        if account.password_hash is None and account.id not in shared:
            account.name = row.name  # an account only this event knows follows it
        if attendance.access_code is None:
            issue_access_code(attendance)
    # New accounts and memberships are written in bulk, a few statements for the whole file,
    # in the same transaction as the rest.
    user_ids = {user.email: user.id for user in users.values()}
    new_people = [
        {"email": row.email, "name": row.name} for row in checked.rows if row.email not in users
    ]
    if new_people:
        inserted = db.session.execute(insert(User).returning(User.id, User.email), new_people)
        user_ids.update({email: user_id for user_id, email in inserted})
        result.created = len(new_people)

    new_memberships = []
    for row in checked.rows:
        user_id = user_ids[row.email]
        if user_id not in participant_ids:
            participant_ids.add(user_id)
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
        if row.challenge_number is not None:
            team_id = teams[row.challenge_number]
            current = member_of.get(user_id)
            if current is None:
                new_memberships.append(_membership_row(user_id, event.id, Role.MEMBER, team_id))
            else:
                current.team_id = team_id
            result.placed += 1
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
    """One row per participant of the event, in name order, in one query. The headers are the
    import's own ("Nom", "Adresse e-mail", "Organisation", "Défi" in French)."""
    headers = [_("Name"), _("Email"), _("Organisation"), _("Challenge")]
    rows = [
        [attendance.name, user.email, attendance.organisation, number]
        for attendance, user, _team, number in participants_with_teams(event)
    ]
    return headers, rows
