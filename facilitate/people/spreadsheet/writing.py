"""Writing a checked attendee file (all rows or none), and the attendee list as a file the
import reads back."""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from facilitate.audit.services import record
from facilitate.auth.codes import new_access_code
from facilitate.auth.services import issue_access_code
from facilitate.dashboard.versions import of_event
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.models.users import new_session_nonce
from facilitate.people.codes import (
    AttendeeRoles,
    attendances_in_name_order_of,
    attendee_roles_of,
)
from facilitate.people.management import TEAM_ROLES
from facilitate.people.spreadsheet.columns import CO_ORGANISER, export_headers, role_words
from facilitate.people.spreadsheet.rows import AttendeeImport


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    placed: int = 0


def _membership_row(user_id, event_id, role, team_id=None, **attendance) -> dict:
    """A row for the bulk insert: every row names every column, attendance details or None."""
    return {
        "user_id": user_id,
        "event_id": event_id,
        "team_id": team_id,
        "role": role,
        **dict.fromkeys(("name", "family_name", "organisation", "access_code", "code_nonce")),
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
        if row.family_name:  # else kept while the name holds it (see Membership)
            attendance.family_name = row.family_name
        if attendance.access_code is None:
            issue_access_code(attendance)
        account = accounts.get(attendance.user_id)
        if account is not None:
            # Nobody else knows this account: its name follows the only event that uses it.
            account.name = row.name
            if account.id in checked.email_changes:
                account.email = checked.email_changes[account.id]

    # New accounts in one statement. Each row's session nonce is drawn here, unique, so that the
    # ids returned are told apart by it: people without an email have nothing else to tell.
    new_people = [
        {"email": row.email, "name": row.name, "session_nonce": new_session_nonce()}
        for row in checked.rows
        if row.attendance_id is None and (not row.email or row.email not in joining)
    ]
    new_ids: list[int] = []
    if new_people:
        inserted = dict(
            db.session.execute(
                insert(User).returning(User.session_nonce, User.id), new_people
            ).all()
        )
        new_ids = [inserted[person["session_nonce"]] for person in new_people]
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
                    family_name=row.family_name,
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
        db.session.execute(
            of_event(delete(Membership), event.id).where(Membership.id.in_(replaced))
        )
    if new_memberships:
        # Through the table: the ORM's bulk insert would fetch every new id back, and on
        # PostgreSQL send one statement per row to do so.
        db.session.execute(of_event(insert(Membership.__table__), event.id), new_memberships)
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


def attendee_rows(event: Event) -> Iterator[list]:
    """One row per attendee of the event, in name order, as the import reads them back:
    identifier, name, email, organisation, role and challenge number. Two queries by the
    event's index (team roles and organisers, then ``attendances_in_name_order``), both run
    at the first row."""
    for _event_id, row in attendee_rows_of([event.id]):
        yield row


def attendee_rows_of(event_ids: list[int]) -> Iterator[tuple[int, list]]:
    """``attendee_rows`` of several events (an edition's sites), event after event in the
    order given, each row with its event's id: two queries whatever their number."""
    words = role_words()
    roles = attendee_roles_of(event_ids)
    found = attendances_in_name_order_of(event_ids, Membership.id)
    no_roles = AttendeeRoles()
    for event_id in event_ids:
        held_by = roles.get(event_id, {})
        for name, email, organisation, user_id, attendance_id, _family in found.get(event_id, []):
            held = held_by.get(user_id, no_roles)
            first = held.parts[0] if held.parts else None
            role = words[first.role if first else Role.MEMBER]
            yield (
                event_id,
                [
                    attendance_id,
                    name,
                    email,
                    organisation,
                    f"{role}\n{words[CO_ORGANISER]}" if held.organiser else role,
                    first.number if first else None,
                ],
            )


def attendee_headers() -> list[str]:
    return list(export_headers().values())


def attendee_table(event: Event) -> tuple[list[str], list[list]]:
    """The headers and ``attendee_rows`` in a list."""
    return attendee_headers(), list(attendee_rows(event))
