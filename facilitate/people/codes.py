"""The list of access codes that organisers print on badges or send by mail merge."""

from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from flask_babel import gettext as _
from sqlalchemy import Integer, String, bindparam, cast, null, select, union_all

from facilitate.auth.codes import format_access_code
from facilitate.auth.services import issue_access_code, sign_in_url
from facilitate.extensions import db
from facilitate.i18n import within_sentence
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.names import sort_people
from facilitate.people.management import TEAM_ROLES
from facilitate.planner import without_team


def team_label(team_name: str | None, challenge_number: int | None) -> str:
    if team_name:
        return team_name
    if challenge_number is None:
        return ""
    return _("Challenge %(number)d team", number=challenge_number)


@dataclass(frozen=True)
class TeamName:
    """A team as the badges, lists and files name it: its id and name, nothing of its work."""

    id: int
    name: str | None


@dataclass(frozen=True)
class TeamPart:
    """One role a person holds towards one team."""

    role: Role
    team: TeamName | None
    number: int | None

    @property
    def team_label(self) -> str:
        return team_label(self.team.name if self.team else None, self.number)


# A person's roles in the order a badge names them; a member's team comes first for the file.
_ROLE_ORDER = {Role.MEMBER: 0, Role.FACILITATOR: 1, Role.CHALLENGE_OWNER: 2}


@dataclass(frozen=True)
class AttendeeRoles:
    """What a badge and the codes list say of a person's part in the event: every role they
    hold towards a team (a member of one, facilitator of another, owner of two challenges...)
    and whether they organise it."""

    parts: tuple[TeamPart, ...] = ()
    organiser: bool = False

    @property
    def team_role(self) -> Role | None:
        """The first of the roles, the one the attendee file's single role column holds."""
        return self.parts[0].role if self.parts else None

    @property
    def keys(self) -> set[str]:
        """For filtering badges: "organiser", "facilitator", "challenge_owner", "member";
        a person appears under each of their roles."""
        keys = {part.role.value for part in self.parts}
        if self.organiser:
            keys.add(Role.ORGANISER.value)
        return keys or {Role.MEMBER.value}  # a participant in no team yet

    @property
    def team_ids(self) -> set[int]:
        return {part.team.id for part in self.parts if part.team is not None}

    @property
    def in_several_teams(self) -> bool:
        return len({part.number for part in self.parts}) > 1

    @property
    def label(self) -> str:
        """ "Animateur ou animatrice", "Organisateur ou organisatrice"...; empty for a member,
        whose team says enough. Someone with roles in several teams has each named with its
        team: "Animateur ou animatrice (Équipe du défi 1), porteur ou porteuse du défi (…)"."""
        several = self.in_several_teams
        named = []
        for part in self.parts:
            if several:
                named.append(f"{part.role.label} ({part.team_label})")
            elif part.role != Role.MEMBER:
                named.append(str(part.role.label))
        if self.organiser:
            named.append(str(Role.ORGANISER.label))
        # A list reads as one phrase: capital on its first word only.
        return ", ".join(named[:1] + [within_sentence(part) for part in named[1:]])

    @property
    def team_line(self) -> str:
        """The team a badge prints, when the person has one (several are named in ``label``)."""
        return "" if self.in_several_teams or not self.parts else self.parts[0].team_label

    @property
    def challenge_numbers(self) -> list[int]:
        return sorted({part.number for part in self.parts if part.number is not None})


def _roles_statement():
    """The events' teams and the roles their people hold, as rows of two kinds in one
    statement: a team (no user: its event, id, name and challenge number), then a role (event,
    user, role, team id). Each side is read by the event's index and joined here: joined in the
    database, each of the thousand roles of an edition looked up its team and challenge
    (PostgreSQL without statistics plans it as nested loops, 1.8 ms of its CPU a request; 0.6
    so)."""
    event_ids = bindparam("event_ids", expanding=True)
    no_integer = cast(null(), Integer)
    teams = (
        select(
            Team.event_id,
            no_integer.label("user_id"),
            cast(null(), String).label("role"),
            Team.id,
            Team.name,
            Challenge.number,
        )
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(Team.event_id.in_(event_ids))
    )
    roles = select(
        Membership.event_id,
        Membership.user_id,
        Membership.role,
        Membership.team_id,
        cast(null(), String),
        no_integer,
    ).where(
        Membership.event_id.in_(event_ids),
        Membership.role.in_((*TEAM_ROLES, Role.ORGANISER)),
    )
    return union_all(teams, roles)


_ROLES = _roles_statement()


def attendee_roles(event: Event) -> dict[int, AttendeeRoles]:
    """Every role each person holds in the event, by user id, in one query (``_ROLES``); a
    person with none is not in the dict. The teams come with their id and name only: callers
    read nothing else of them."""
    return attendee_roles_of([event.id]).get(event.id, {})


def attendee_roles_of(event_ids: list[int]) -> dict[int, dict[int, AttendeeRoles]]:
    """``attendee_roles`` of several events (an edition's sites), by event id, in one query."""
    rows = db.session.execute(_ROLES, {"event_ids": list(event_ids)}).all()
    teams = {
        team_id: (TeamName(team_id, name), number)
        for _event_id, user_id, _role, team_id, name, number in rows
        if user_id is None
    }
    parts: dict[tuple[int, int], list[TeamPart]] = {}
    organisers: set[tuple[int, int]] = set()
    for event_id, user_id, role, team_id, _name, _number in rows:
        if user_id is None:
            continue
        if role == Role.ORGANISER:
            organisers.add((event_id, user_id))
        else:
            team, number = teams.get(team_id, (None, None))
            parts.setdefault((event_id, user_id), []).append(TeamPart(Role(role), team, number))
    roles: dict[int, dict[int, AttendeeRoles]] = {}
    for (event_id, user_id), held in parts.items():
        roles.setdefault(event_id, {})[user_id] = AttendeeRoles(
            tuple(sorted(held, key=lambda p: (_ROLE_ORDER[p.role], p.number or 0))),
            (event_id, user_id) in organisers,
        )
    for event_id, user_id in organisers:
        roles.setdefault(event_id, {}).setdefault(user_id, AttendeeRoles((), organiser=True))
    return roles


def attending(event: Event) -> tuple:
    """The conditions on ``Membership`` of the event's attendances: its participants, those
    erased (anonymised) left out. A participant belongs to no team: saying so reads them as a
    range of the index on (event, role, person), already in the order of their accounts, rather
    than every membership of the event."""
    return (Membership.event_id == event.id, *_ATTENDING)


_ATTENDING = (
    Membership.role == Role.PARTICIPANT,
    without_team(Membership.team_id),
    Membership.erased_at.is_(None),
)


def attendances_in_name_order(event: Event, *columns, where: tuple = ()) -> list:
    """The event's attendances as plain columns, not ORM objects (a tenth of the memory and
    the time, for the exports): name, email, organisation, user id, then ``columns``, then
    the family name, in name order (``sort_people``, which needs them all before the first),
    in one query by the event's index."""
    return attendances_in_name_order_of([event.id], *columns, where=where).get(event.id, [])


def attendances_in_name_order_of(event_ids: list[int], *columns, where: tuple = ()) -> dict:
    """``attendances_in_name_order`` of several events (an edition's sites), by event id, in
    one query. People of the same name come in the order of their accounts: sorted here, not
    by PostgreSQL (its sort of a thousand rows was a fifth of the query's cost)."""
    found: dict[int, list] = {}
    for event_id, *row in db.session.execute(
        select(
            Membership.event_id,
            Membership.name,
            User.email,
            Membership.organisation,
            Membership.user_id,
            *columns,
            Membership.family_name,
        )
        .join(User, User.id == Membership.user_id)
        .where(Membership.event_id.in_(event_ids), *_ATTENDING, *where)
    ):
        found.setdefault(event_id, []).append(tuple(row))
    return {
        event_id: sort_people(
            sorted(rows, key=itemgetter(3)), key=itemgetter(0), family=itemgetter(-1)
        )
        for event_id, rows in found.items()
    }


def participants_with_teams(
    event: Event,
) -> list[tuple[Membership, User, Team | None, int | None, AttendeeRoles]]:
    """Every attendance of the event with the person's account, their first team (a member's
    team, else the first they facilitate or own), its challenge number and all their roles, in
    two queries by the event's index. Not one with outer joins from each attendance to its
    other memberships: right after a bulk import PostgreSQL's statistics are stale and it plans
    such joins as nested loops over every pair of memberships."""
    roles = attendee_roles(event)
    rows = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(*attending(event))
        .order_by(Membership.user_id)
    )
    result = []
    for attendance, user in sort_people(
        rows, key=lambda row: row[0].name, family=lambda row: row[0].family_name
    ):
        held = roles.get(user.id, AttendeeRoles())
        first = held.parts[0] if held.parts else None
        result.append(
            (
                attendance,
                user,
                first.team if first else None,
                first.number if first else None,
                held,
            )
        )
    return result


def access_code_headers() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Role"),
        _("Team"),
        _("Challenge"),
        _("Access code"),
        _("Sign-in link"),
    ]


def access_code_rows(event: Event) -> Iterator[list]:
    """One row per participant who has a code at this event, in name order. Two queries (run
    at the first row), the attendances as plain columns rather than ORM objects: a third of
    the memory and of the time, for an export streamed as it is written."""
    roles = attendee_roles(event)
    no_roles = AttendeeRoles()
    for name, email, organisation, user_id, code, _family in attendances_in_name_order(
        event, Membership.access_code, where=(Membership.access_code.is_not(None),)
    ):
        held = roles.get(user_id, no_roles)
        number = held.parts[0].number if held.parts else None
        yield [
            name,
            email or "",
            organisation or "",
            held.label,
            held.team_line,
            ", ".join(map(str, held.challenge_numbers))
            if held.in_several_teams
            else (number if number is not None else ""),
            format_access_code(code),
            sign_in_url(code),
        ]


def access_code_table(event: Event, issue_missing: bool = True) -> tuple[list[str], list[list]]:
    """One row per participant, with this event's code; without ``issue_missing``, those who
    have no code are left out (a web page's GET must not change anything)."""
    if issue_missing:
        for attendance in db.session.scalars(
            select(Membership).where(*attending(event), Membership.access_code.is_(None))
        ):
            issue_access_code(attendance)
        db.session.flush()
    return access_code_headers(), list(access_code_rows(event))
