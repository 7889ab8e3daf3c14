"""What the invitations page reads: the open invitations, and the event's facilitators and
challenge owners with theirs. Issuing, renewing and accepting links is ``services``' work."""

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from facilitate.extensions import db
from facilitate.models import Challenge, Event, Invitation, Membership, Role, Team, User
from facilitate.names import name_key, sort_people

TEAM_ROLES_WITH_PASSWORD = (Role.FACILITATOR, Role.CHALLENGE_OWNER)


class InviteeAccount(NamedTuple):
    """What the invitees' table reads of an account (a tuple, not a ``User``: no ORM object)."""

    id: int
    name: str
    email: str | None
    password_hash: str | None


@dataclass(frozen=True)
class Invitee:
    """A facilitator or challenge owner of the event, and whether they need a link."""

    user: InviteeAccount
    role: Role
    challenge_number: int | None
    invitation: Invitation | None


# Built once: building it with its options cost more than running it.
_OPEN_INVITATIONS = (
    select(Invitation)
    .options(joinedload(Invitation.invited_by))
    .where(
        Invitation.event_id == bindparam("event_id"),
        Invitation.used_at.is_(None),
        Invitation.cancelled_at.is_(None),
    )
    .order_by(Invitation.created_at, Invitation.id)
)


def open_invitations(event: Event) -> list[Invitation]:
    """Invitations neither accepted nor cancelled (expired ones too: a fresh link revives them),
    by the invited person's name (``facilitate.names``), the older first for one name."""
    return sort_people(
        db.session.scalars(_OPEN_INVITATIONS, {"event_id": event.id}),
        key=lambda invitation: invitation.name,
    )


# The invitees' statement, built once on the tables (see people.attendee_list).
_users, _memberships = User.__table__, Membership.__table__
_teams, _challenges = Team.__table__, Challenge.__table__
_INVITEES = (
    select(
        _users.c.id,
        _users.c.name,
        _users.c.email,
        _users.c.password_hash,
        _memberships.c.role,
        _challenges.c.number,
    )
    .join(_memberships, _memberships.c.user_id == _users.c.id)
    .outerjoin(_teams, _teams.c.id == _memberships.c.team_id)
    .outerjoin(_challenges, _challenges.c.id == _teams.c.challenge_id)
    .where(
        _memberships.c.event_id == bindparam("event_id"),
        _memberships.c.role.in_(TEAM_ROLES_WITH_PASSWORD),
    )
    .order_by(_users.c.id)
)


def invitees(event: Event, invitations: list[Invitation]) -> list[Invitee]:
    """The event's facilitators and challenge owners, by role (facilitators first), then
    challenge (facilitators of no team last), then name, with their open invitation if any: one
    query."""
    rows = db.session.execute(_INVITEES, {"event_id": event.id}).all()
    by_name = name_key()
    rows = sorted(
        rows,
        key=lambda row: (
            row.role != Role.FACILITATOR,
            row.number is None,
            row.number or 0,
            by_name(row.name),
        ),
    )
    by_address = {(i.email, i.role): i for i in invitations}
    invitees = []
    for user_id, name, email, password_hash, role, number in rows:
        user = InviteeAccount(user_id, name, email, password_hash)
        invitation = by_address.get((email, role)) if email else None
        invitees.append(Invitee(user, role, number, invitation))
    return invitees
