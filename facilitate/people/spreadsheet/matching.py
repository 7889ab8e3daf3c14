"""Matching an attendee file's rows to who the event has (identifier, then email, then name and
organisation), and saying what would change for each, field by field. Nothing is written."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Event, Membership, Role, User
from facilitate.people.codes import participants_with_teams
from facilitate.people.spreadsheet.columns import role_words
from facilitate.people.spreadsheet.rows import AttendeeImport, AttendeeRow
from facilitate.spreadsheets.columns import header_key
from facilitate.spreadsheets.preview import FieldChange, RowChange, text_change
from facilitate.spreadsheets.problems import Problem


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


def match_rows(event, result: AttendeeImport, headers, labels) -> None:
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
