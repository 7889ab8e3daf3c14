"""The attendee list of an event: every attendance as a light row, searched, filtered and
ordered, a page at a time (issue 13: an edition's 1,050 attendees).

Why rows and not ORM objects: the order is the reader's collation of surnames
(``facilitate.names``), which no database index gives, so every attendance is read to sort
them. Reading 1,050 accounts and attendances as ORM objects cost 240 ms of CPU a request; the
few columns shown, as tuples, cost a few milliseconds, and the page shows 50 of them. Two
queries whatever the number, both on the event's own rows.

The statements of the organisers' lists (this one, the teams page, the placement) are built
once per process on the tables, the event's id a parameter: building an ORM statement and its
cache key, then running it through the ORM, cost 0.25 ms more a query than running it.
"""

import functools
from dataclasses import dataclass
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import String, bindparam, func, select, type_coerce

from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.names import collator, name_key
from facilitate.people.management import TEAM_ROLES
from facilitate.search import matcher

NO_TEAM = "none"

_teams, _challenges = Team.__table__, Challenge.__table__
_memberships, _users = Membership.__table__, User.__table__
EVENT_ID = bindparam("event_id")

# Each attendance's team role, and each attendance as a line of the list.
# The role as its text, equal to its ``Role`` (a StrEnum): not converted row by row.
_TEAM_ROLES = select(
    _memberships.c.user_id, type_coerce(_memberships.c.role, String), _memberships.c.team_id
).where(_memberships.c.event_id == EVENT_ID, _memberships.c.role.in_(TEAM_ROLES))
_ROWS = (
    select(
        _memberships.c.user_id,
        _memberships.c.name,
        _memberships.c.family_name,
        _memberships.c.organisation,
        _memberships.c.access_code.is_not(None),
        _memberships.c.badge_printed_at.is_not(None),
        _memberships.c.erased_at.is_not(None),
    ).where(_memberships.c.event_id == EVENT_ID, _memberships.c.role == Role.PARTICIPANT)
    # No ORDER BY: by account id, SQLite walked every membership of the platform (10,000
    # attendees) along the index on accounts rather than the event's range. Sorted here.
)
_EMAILS = select(_users.c.id, _users.c.email).where(
    _users.c.id.in_(bindparam("ids", expanding=True))
)


@functools.cache
def _team_rows_statement(columns: tuple[str, ...]):
    return (
        select(_teams.c.id, _challenges.c.number, *(_challenges.c[name] for name in columns))
        .join(_challenges, _challenges.c.id == _teams.c.challenge_id)
        .where(_teams.c.event_id == EVENT_ID)
        .order_by(_challenges.c.number)
    )


@dataclass(frozen=True)
class EventTeam:
    id: int
    number: int
    question: str


def _short(question: str) -> str:
    return question if len(question) <= 70 else question[:67] + "…"


def team_labels(teams: list[EventTeam]) -> list[str]:
    """Teams as organisers name them, by challenge number and question; the message translated
    once rather than once a team (without values, gettext gives it unformatted)."""
    pattern = _("Challenge %(number)d – %(question)s")
    return [pattern % {"number": t.number, "question": _short(t.question)} for t in teams]


def team_rows(event: Event, *columns: str):
    """The event's teams by challenge number, as rows (team id, challenge number, the columns
    of their challenge named ``columns``): one query, no ORM object."""
    return db.session.execute(_team_rows_statement(columns), {"event_id": event.id})


def event_teams(event: Event) -> list[EventTeam]:
    """The event's teams by challenge number: one query."""
    return [EventTeam(*row) for row in team_rows(event, "question")]


class AttendeeRow(NamedTuple):
    """One line of the list: what this event knows of the person, and their team role (a
    tuple: a thousand of them are made each request)."""

    id: int  # the account's
    name: str | None  # None: erased
    family_name: str | None
    organisation: str | None
    has_code: bool
    badge_printed: bool
    erased: bool
    role: str | None = None  # their team role (a Role's text); None: a participant without one
    team_number: int | None = None  # the challenge number of their team
    email: str | None = None  # read for the rows of the page only (see ``with_emails``)


@dataclass(frozen=True)
class Filters:
    """What the organiser asked for; empty: everyone (see ``AttendeeListForm``)."""

    q: str = ""
    team: str = ""  # a challenge number, NO_TEAM, or "" for every team
    role: str = ""  # a team role, "participant" for none, or "" for every role
    code: str = ""  # "issued", "none" or ""
    badge: str = ""  # "printed", "not_printed" or ""
    sort: str = "name"  # "name", "organisation" or "team"


def attendee_rows(event: Event, teams: list[EventTeam]) -> list[AttendeeRow]:
    """Every attendance of the event (erased ones too: they still count), by account id."""
    numbers = {team.id: team.number for team in teams}
    event_id = {"event_id": event.id}
    roles = {
        user_id: (role, numbers.get(team_id))
        for user_id, role, team_id in db.session.execute(_TEAM_ROLES, event_id).all()
    }
    rows = db.session.execute(_ROWS, event_id).all()
    nobody = (None, None)
    return sorted(AttendeeRow(*row, *roles.get(row[0], nobody)) for row in rows)


def found_by_email(event: Event, search: str) -> set[int]:
    """The attendees whose email holds ``search`` (emails are kept in lower case): one query,
    only when searching, so that the list does not read every account to show fifty."""
    text = search.strip().lower()
    if not text:
        return set()
    return set(
        db.session.scalars(
            select(Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.event_id == event.id,
                Membership.role == Role.PARTICIPANT,
                func.lower(User.email).contains(text, autoescape=True),
            )
        )
    )


def with_emails(rows: list[AttendeeRow]) -> list[AttendeeRow]:
    """The page's rows with their account's email: one query, for fifty ids."""
    ids = [row.id for row in rows]
    emails = dict(db.session.execute(_EMAILS, {"ids": ids}).all())
    return [row._replace(email=emails.get(row.id)) for row in rows]


def _keeps(row: AttendeeRow, filters: Filters) -> bool:
    if filters.team == NO_TEAM and row.team_number is not None:
        return False
    if filters.team not in ("", NO_TEAM) and str(row.team_number) != filters.team:
        return False
    if filters.role:
        role = row.role or Role.PARTICIPANT.value
        if role != filters.role:
            return False
    if filters.code and row.has_code != (filters.code == "issued"):
        return False
    return not filters.badge or row.badge_printed == (filters.badge == "printed")


def select_attendees(
    rows: list[AttendeeRow], filters: Filters, by_email: set[int] = frozenset()
) -> list[AttendeeRow]:
    """The rows the filters keep, in the order asked: by surname (the erased last), by
    organisation (none last) or by team (no team last), then by surname. A search finds the
    words in the name and organisation, or the whole text in the email (``by_email``)."""
    matches = matcher(filters.q)
    kept = [
        row
        for row in rows
        if _keeps(row, filters)
        and (
            matches is None
            or (not row.erased and (matches(row.name, row.organisation) or row.id in by_email))
        )
    ]
    by_name = name_key()
    if filters.sort == "organisation":
        collate = collator().getSortKey
        return sorted(
            kept,
            key=lambda row: (
                not row.organisation,
                collate(row.organisation or ""),
                by_name(row.name, row.family_name),
            ),
        )
    if filters.sort == "team":
        return sorted(
            kept,
            key=lambda row: (
                row.team_number is None,
                row.team_number or 0,
                by_name(row.name, row.family_name),
            ),
        )
    return sorted(kept, key=lambda row: by_name(row.name, row.family_name))
