"""What organisers do to attendees: add, edit (name, organisation, team role), remove (and
undo), and manage their access codes."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, select

from facilitate.audit.services import record
from facilitate.auth.services import issue_access_code, normalise_email, revoke_access_code
from facilitate.dashboard.versions import of_event
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import AuditEntry, CalendarFeed, Event, Membership, Role, Team, User
from facilitate.models._types import utcnow
from facilitate.people.attendance import account_managed_by_event, attendance_of, join_event
from facilitate.planner import without_team

# The role a person has towards a team, one per person: a member works in it, a facilitator
# accompanies it, a challenge owner brought its challenge.
TEAM_ROLES = (Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER)


@dataclass
class AttendeeDetails:
    name: str
    email: str | None
    organisation: str | None
    role: Role = Role.MEMBER
    team_id: int | None = None


_memberships = Membership.__table__
# Built once: building the statement cost more than running it.
_ATTENDEE_COUNT = select(func.count()).where(
    _memberships.c.event_id == bindparam("event_id"),
    _memberships.c.role == Role.PARTICIPANT,
    without_team(_memberships.c.team_id),
)


def attendee_count(event: Event) -> int:
    """How many attendees (participants) the event has: the hub's figure, and the voters the
    vote page counts ballots against. A participant belongs to no team: saying so counts the
    entries of the index on (event, role, person) for the event's participants, without
    reading the rows."""
    return db.session.scalar(_ATTENDEE_COUNT, {"event_id": event.id})


def _team_of_event(event: Event, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = db.session.get(Team, team_id)
    if team is None or team.event_id != event.id:
        raise DomainError(_("Choose one of this event's teams."), field="team_id")
    return team


def _check_email_free(email: str | None, user: User | None) -> None:
    if not email:
        return
    other = db.session.scalar(select(User.id).where(User.email == email))
    if other is not None and (user is None or other != user.id):
        raise DomainError(
            _(
                "Another account already has this email address: to have that person attend, "
                "add them with this address instead."
            ),
            field="email",
        )


def set_team_role(event: Event, user: User, role: Role, team: Team | None) -> None:
    if role == Role.CHALLENGE_OWNER and team is None:
        raise DomainError(
            _("A challenge owner needs the team of their challenge."), field="team_id"
        )
    db.session.execute(
        of_event(delete(Membership), event.id).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role.in_(TEAM_ROLES),
        )
    )
    if role == Role.MEMBER and team is None:
        return  # a participant not placed in a team yet
    db.session.add(
        Membership(user_id=user.id, event_id=event.id, team_id=team.id if team else None, role=role)
    )


def add_attendee(event: Event, details: AttendeeDetails, actor) -> User:
    """A new attendee, or a person already known by their email joining this event: their
    account is left as it is; this event's name and organisation for them, and their access
    code here, are this event's own."""
    email = normalise_email(details.email) or None
    team = _team_of_event(event, details.team_id)
    name = details.name.strip()
    organisation = (details.organisation or "").strip() or None
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    if user is not None:
        if attendance_of(event, user) is not None:
            raise DomainError(_("This person already attends the event."), field="email")
    else:
        user = User(email=email, name=name)
        db.session.add(user)
        db.session.flush()
    join_event(event, user, name, organisation)
    set_team_role(event, user, details.role, team)
    db.session.flush()
    record(event, actor, "attendee.added", name=name, user_id=user.id)
    return user


def update_attendee(event: Event, user: User, details: AttendeeDetails, actor) -> list[str]:
    """Change what this event knows of the person. Their email and name are the account's: they
    follow this event's edits only for an account this event alone uses and nobody has claimed
    with a password (see ``account_managed_by_event``)."""
    attendance = attendance_of(event, user)
    email = normalise_email(details.email) or None
    changed = []
    managed_here = account_managed_by_event(event, user)
    if email != user.email:
        if not managed_here:
            raise DomainError(
                _(
                    "This email address belongs to the person's own account: only they can "
                    "change it."
                ),
                field="email",
            )
        _check_email_free(email, user)
        user.email = email
        changed.append("email")
    team = _team_of_event(event, details.team_id)
    for name, value in (
        ("name", details.name.strip()),
        ("organisation", (details.organisation or "").strip() or None),
    ):
        if getattr(attendance, name) != value:
            setattr(attendance, name, value)
            changed.append(name)
    if managed_here:
        # Nobody else knows this account: its name follows the only event that uses it.
        user.name = attendance.name
    current = team_role_of(event, user)
    if current != (details.role, team.id if team else None):
        set_team_role(event, user, details.role, team)
        changed.append("roles")
    db.session.flush()
    if changed:
        record(event, actor, "attendee.updated", name=attendance.name, fields=changed)
    return changed


def team_role_of(event: Event, user: User) -> tuple[Role, int | None]:
    row = db.session.execute(
        select(Membership.role, Membership.team_id).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role.in_(TEAM_ROLES),
        )
    ).first()
    return (row.role, row.team_id) if row else (Role.MEMBER, None)


def remove_attendee(event: Event, user: User, actor) -> AuditEntry:
    """Take the person out of this event as an attendee: their code here stops working, their
    sessions of this event end, their team roles go. Their account stays (they may attend
    others), and so does an organiser's role: co-organisers are managed on their own page,
    which never removes the last one."""
    memberships = db.session.scalars(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role != Role.ORGANISER,
        )
    ).all()
    attendance = next((m for m in memberships if m.role == Role.PARTICIPANT), None)
    name = attendance.name if attendance is not None else user.name
    snapshot = [
        {
            "role": m.role.value,
            "team_id": m.team_id,
            **(
                {
                    "name": m.name,
                    "family_name": m.family_name,
                    "organisation": m.organisation,
                    "access_code": m.access_code,
                }
                if m.role == Role.PARTICIPANT
                else {}
            ),
        }
        for m in memberships
    ]
    for m in memberships:
        db.session.delete(m)
    # Their calendar's secret address stops too, and would not come back with them.
    db.session.execute(
        delete(CalendarFeed).where(
            CalendarFeed.event_id == event.id, CalendarFeed.user_id == user.id
        )
    )
    entry = record(event, actor, "attendee.removed", name=name, user_id=user.id, snapshot=snapshot)
    db.session.flush()
    return entry


def restore_attendee(entry: AuditEntry, actor) -> list[str]:
    """Bring a removed person back with their roles and their badge's code, unless the code has
    been given to someone else since (then a new one). Returns what could not come back."""
    if entry.action != "attendee.removed" or entry.restored_at is not None:
        raise DomainError(_("This change cannot be undone, or has been already."))
    if entry.details.get("erased"):
        raise DomainError(_("This person's data has been erased: they cannot be brought back."))
    event = entry.event
    user = db.session.get(User, entry.details["user_id"])
    if user is None:
        raise DomainError(_("This person's account no longer exists."))
    existing = {
        (m.role, m.team_id)
        for m in db.session.scalars(
            select(Membership).where(Membership.user_id == user.id, Membership.event_id == event.id)
        )
    }
    teams = set(db.session.scalars(select(Team.id).where(Team.event_id == event.id)))
    for item in entry.details["snapshot"]:
        role, team_id = Role(item["role"]), item["team_id"]
        if (role, team_id) in existing or (team_id is not None and team_id not in teams):
            continue
        if role == Role.MEMBER and any(r == Role.MEMBER for r, _t in existing):
            continue
        if role == Role.PARTICIPANT:
            _restore_attendance(event, user, item, entry.details.get("name"))
        else:
            db.session.add(
                Membership(user_id=user.id, event_id=event.id, team_id=team_id, role=role)
            )
    entry.restored_at = utcnow()
    db.session.flush()
    record(event, actor, "attendee.restored", name=entry.details.get("name") or user.name)
    return []


def _restore_attendance(event: Event, user: User, item: dict, name: str | None) -> None:
    code = item.get("access_code")
    taken = code is not None and db.session.scalar(
        select(Membership.id).where(Membership.access_code == code)
    )
    attendance = join_event(
        event,
        user,
        item.get("name") or name or user.name,
        item.get("organisation"),
        with_code=code is None or bool(taken),
    )
    attendance.family_name = item.get("family_name")
    if code is not None and not taken:
        attendance.access_code = code


def regenerate_code(event: Event, attendance: Membership, actor) -> str:
    """A new code for a lost badge: the old one stops working at once, and so do the sessions
    opened with it; the person's other events are untouched."""
    code = issue_access_code(attendance)
    db.session.flush()
    record(event, actor, "code.regenerated", name=attendance.name)
    return code


def revoke_code(event: Event, attendance: Membership, actor) -> None:
    revoke_access_code(attendance)
    db.session.flush()
    record(event, actor, "code.revoked", name=attendance.name)
