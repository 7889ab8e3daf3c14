"""What organisers do to attendees: add, edit (name, organisation, team role), remove (and
undo), and manage their access codes."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from facilitate.audit.services import record
from facilitate.auth.services import issue_access_code, normalise_email
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import AuditEntry, Event, Membership, Role, Team, User
from facilitate.models._types import utcnow

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


def attendee_count(event: Event) -> int:
    """How many attendees (participants) the event has: the hub's figure, and the voters the
    vote page counts ballots against."""
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
        )
    )


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
        raise DomainError(_("Another person already has this email address."), field="email")


def set_team_role(event: Event, user: User, role: Role, team: Team | None) -> None:
    if role == Role.CHALLENGE_OWNER and team is None:
        raise DomainError(
            _("A challenge owner needs the team of their challenge."), field="team_id"
        )
    db.session.execute(
        delete(Membership).where(
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
    """A new attendee, or a person already known by their email joining this event."""
    email = normalise_email(details.email) or None
    team = _team_of_event(event, details.team_id)
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    if user is not None:
        already = db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.event_id == event.id,
                Membership.role == Role.PARTICIPANT,
            )
        )
        if already is not None:
            raise DomainError(_("This person already attends the event."), field="email")
    else:
        user = User(
            email=email,
            name=details.name.strip(),
            organisation=(details.organisation or "").strip() or None,
        )
        db.session.add(user)
        issue_access_code(user)
        db.session.flush()
    db.session.add(Membership(user_id=user.id, event_id=event.id, role=Role.PARTICIPANT))
    set_team_role(event, user, details.role, team)
    db.session.flush()
    record(event, actor, "attendee.added", name=user.name)
    return user


def update_attendee(event: Event, user: User, details: AttendeeDetails, actor) -> list[str]:
    email = normalise_email(details.email) or None
    _check_email_free(email, user)
    team = _team_of_event(event, details.team_id)
    changed = []
    for name, value in (
        ("name", details.name.strip()),
        ("email", email),
        ("organisation", (details.organisation or "").strip() or None),
    ):
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    current = team_role_of(event, user)
    if current != (details.role, team.id if team else None):
        set_team_role(event, user, details.role, team)
        changed.append("roles")
    db.session.flush()
    if changed:
        record(event, actor, "attendee.updated", name=user.name, fields=changed)
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
    """Take the person out of this event (their account stays: they may attend others)."""
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.event_id == event.id)
    ).all()
    snapshot = [{"role": m.role.value, "team_id": m.team_id} for m in memberships]
    for m in memberships:
        db.session.delete(m)
    entry = record(
        event, actor, "attendee.removed", name=user.name, user_id=user.id, snapshot=snapshot
    )
    db.session.flush()
    return entry


def restore_attendee(entry: AuditEntry, actor) -> User:
    if entry.action != "attendee.removed" or entry.restored_at is not None:
        raise DomainError(_("This change cannot be undone, or has been already."))
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
        db.session.add(Membership(user_id=user.id, event_id=event.id, team_id=team_id, role=role))
    entry.restored_at = utcnow()
    db.session.flush()
    record(event, actor, "attendee.restored", name=user.name)
    return user


def regenerate_code(event: Event, user: User, actor) -> str:
    """A new code for a lost badge: the old one stops working at once."""
    code = issue_access_code(user)
    db.session.flush()
    record(event, actor, "code.regenerated", name=user.name)
    return code


def revoke_code(event: Event, user: User, actor) -> None:
    user.access_code = None
    user.end_sessions()
    db.session.flush()
    record(event, actor, "code.revoked", name=user.name)
