"""A person's attendance at an event: the participant membership, which holds what this event's
organisers know of them (name as printed, organisation) and the access code that signs them in
to this event only.

The account (``User``) is the person's own. An event's organisers change the attendance, never
the account, with one exception that takes nothing from anyone: an account they created here,
which has no password and attends no other event, is theirs to correct (a mistyped email).
"""

from typing import NamedTuple

from sqlalchemy import any_, bindparam, exists, func, select

from facilitate.auth.services import issue_access_code
from facilitate.extensions import db
from facilitate.models import Event, Membership, Role, User
from facilitate.models.users import new_session_nonce
from facilitate.names import name_key


class Attendee(NamedTuple):
    """A person as an event lists them: their account id, and this event's name and
    organisation for them (a tuple: lists make a thousand of them a request)."""

    id: int
    name: str
    organisation: str | None
    family_name: str | None = None  # only to sort by (see facilitate.names)


_memberships = Membership.__table__
# Every attendee of an event: built once (see people.attendee_list), the event a parameter.
_ATTENDEES = (
    select(
        _memberships.c.user_id,
        _memberships.c.name,
        _memberships.c.organisation,
        _memberships.c.family_name,
    ).where(
        _memberships.c.event_id == bindparam("event_id"),
        _memberships.c.role == Role.PARTICIPANT,
        _memberships.c.erased_at.is_(None),
    )
    # No ORDER BY: by account id, SQLite walked every membership of the platform (10,000
    # attendees) along the index on accounts rather than the event's range.
)


def attendees_by_name(event_id: int, team_id: int | None = None) -> list[Attendee]:
    """The event's attendees (erased people aside), or those with a role in one team, by surname
    then first name, in the reader's collation (``facilitate.names``): one query."""
    if team_id is None:
        rows = db.session.execute(_ATTENDEES, {"event_id": event_id})
    else:
        rows = db.session.execute(
            select(
                Membership.user_id,
                Membership.name,
                Membership.organisation,
                Membership.family_name,
            )
            .where(
                Membership.event_id == event_id,
                Membership.role == Role.PARTICIPANT,
                Membership.erased_at.is_(None),
                _in_team(event_id, team_id),
            )
            .order_by(Membership.user_id)
        )
    by_name = name_key()
    # All rows at once (one fetch, not one a row), sorted on their own key: 1 ms less a request
    # for an edition's 1,050 attendees.
    # Sorted by account id first (what the database gave in no set order), so that namesakes
    # keep one order.
    people = sorted(map(Attendee._make, rows.all()))
    people.sort(key=lambda person: by_name(person.name, person.family_name))
    return people


def _in_team(event_id: int, team_id: int):
    """Whether the attendee has a role in this team. On PostgreSQL, the team's people are read
    first, once, into an array (``= ANY(ARRAY(...))``): as ``IN (...)``, a database without
    planner statistics (freshly filled, not yet analyzed) joined every attendee of the event to
    the team's memberships, 9 ms for a team page at 1,050 attendees against 0.5."""
    team_people = select(Membership.user_id).where(
        Membership.event_id == event_id, Membership.team_id == team_id
    )
    if db.session.get_bind().dialect.name == "postgresql":
        return Membership.user_id == any_(func.array(team_people.scalar_subquery()))
    return Membership.user_id.in_(team_people)


def attendance_of(event: Event, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
        )
    )


def join_event(
    event: Event, user: User, name: str, organisation: str | None, with_code: bool = True
) -> Membership:
    """Make the person an attendee of the event, with this event's name and organisation for
    them and, unless told otherwise, an access code of their own for this event."""
    attendance = Membership(
        user_id=user.id,
        event_id=event.id,
        role=Role.PARTICIPANT,
        name=name,
        organisation=organisation,
        code_nonce=new_session_nonce(),
    )
    if with_code:
        issue_access_code(attendance)
    db.session.add(attendance)
    return attendance


def attends_elsewhere(event: Event, user: User) -> bool:
    """Whether the person has any role at another event (then their account is not this event's
    to change)."""
    return bool(
        db.session.scalar(
            select(exists().where(Membership.user_id == user.id, Membership.event_id != event.id))
        )
    )


def account_managed_by_event(event: Event, user: User) -> bool:
    """True when this event's organisers may correct the account itself (its email): it has no
    password, so nobody owns it yet, and it attends no other event, so nobody else relies on
    it. Otherwise only the attendance is theirs."""
    return not user.has_password and not attends_elsewhere(event, user)
