"""Teams of an event: who is in which, placing by hand, and saving an automatic placement."""

import hashlib
import json
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import String, bindparam, select, type_coerce

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.people.attendance import Attendee, attendees_by_name
from facilitate.people.attendee_list import team_rows
from facilitate.people.management import TEAM_ROLES, set_team_role
from facilitate.teams.placement import Person, Placement, TeamSlot


@dataclass
class TeamRoster:
    team: Team
    challenge: Challenge  # or, for the placement page, one TeamHead for both
    members: list[Attendee] = field(default_factory=list)
    facilitators: list[Attendee] = field(default_factory=list)
    owners: list[Attendee] = field(default_factory=list)


@dataclass
class Rosters:
    teams: list[TeamRoster]
    unplaced: list[Attendee]  # participants with no role in any team
    free_facilitators: list[Attendee]
    # Every attendee the rosters were made from, in name order (the other lists keep it).
    everyone: list[Attendee] = field(default_factory=list)


class TeamHead(NamedTuple):
    """What the placement page reads of a team and its challenge (``roster.team.id``,
    ``roster.challenge.number`` and ``owner_organisation``): one tuple standing for both,
    instead of two ORM objects, each challenge with its sheet's eight lists read from JSON."""

    id: int
    number: int
    owner_organisation: str | None


def rosters(event: Event) -> Rosters:
    """Every team with its people, and who has no team yet: three queries whatever the size."""
    heads = [TeamHead(*row) for row in team_rows(event, "owner_organisation")]
    return _rosters(event, [(head, head) for head in heads], attendees_by_name(event.id))


def team_roster(challenge: Challenge) -> TeamRoster:
    """One team with its people, for its own page: three queries, whatever the size of the
    event (the other teams' rosters are not read)."""
    team = db.session.scalar(select(Team).where(Team.challenge_id == challenge.id))
    if team is None:
        abort(404)
    participants = attendees_by_name(team.event_id, team.id)
    return _rosters(challenge.event, [(team, challenge)], participants, team.id).teams[0]


_GROUPS = {Role.MEMBER: "members", Role.FACILITATOR: "facilitators", Role.CHALLENGE_OWNER: "owners"}

# Who has which team role: at the event, or in one team. Built once (see people.attendee_list).
_memberships = Membership.__table__
# The role as its text, which equals its ``Role`` (a StrEnum): not made a ``Role`` row by row
# (SQLAlchemy's conversion was a sixth of the rosters' cost).
_TEAM_ROLES = select(
    _memberships.c.user_id, type_coerce(_memberships.c.role, String), _memberships.c.team_id
).where(_memberships.c.event_id == bindparam("event_id"), _memberships.c.role.in_(TEAM_ROLES))
_TEAM_ROLES_IN_TEAM = _TEAM_ROLES.where(_memberships.c.team_id == bindparam("team_id"))


def _rosters(event: Event, pairs, participants: list[Attendee], only_team=None) -> Rosters:
    """Who of ``participants`` is in which of the teams ``pairs`` lists (all of the event's, or
    the one ``only_team``). Every group keeps the name order of ``participants``: they are
    walked in that order and dealt to their groups, rather than each group sorted (1,050
    people and 210 groups at an edition)."""
    by_team = {team.id: TeamRoster(team, challenge) for team, challenge in pairs}
    if only_team is None:
        roles = db.session.execute(_TEAM_ROLES, {"event_id": event.id}).all()
    else:
        roles = db.session.execute(
            _TEAM_ROLES_IN_TEAM, {"event_id": event.id, "team_id": only_team}
        ).all()
    roles_of: dict[int, list[tuple[Role, int | None]]] = {}
    for user_id, role, team_id in roles:
        roles_of.setdefault(user_id, []).append((role, team_id))
    free_facilitators = []
    unplaced = []
    for user in participants:
        held = roles_of.get(user.id)
        if held is None:
            unplaced.append(user)
            continue
        for role, team_id in held:
            if team_id is None:
                free_facilitators.append(user)
            else:
                getattr(by_team[team_id], _GROUPS[role]).append(user)
    return Rosters(list(by_team.values()), unplaced, free_facilitators, participants)


def team_of_event(event: Event, team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None or team.event_id != event.id:
        raise DomainError(_("Choose one of this event's teams."), field="team_id")
    return team


def place_member(event: Event, attendance: Membership, team: Team | None, actor) -> None:
    """Put a participant in a team by hand (or take them out with ``team=None``)."""
    set_team_role(event, attendance.user, Role.MEMBER, team)
    db.session.flush()
    if team is None:
        record(event, actor, "attendee.unplaced", name=attendance.name)
    else:
        record(event, actor, "attendee.placed", name=attendance.name, number=team.challenge.number)


def placement_inputs(r: Rosters) -> tuple[list[Person], list[TeamSlot]]:
    """Who the automatic placement places (participants who are members or have no team role:
    facilitators and challenge owners stay where they are), and each team's owner
    organisations: the challenge's own, and those of the people who own it. From the event's
    ``rosters``, which the proposal's page shows too (read once, not twice)."""
    people = [
        Person(u.id, u.organisation, roster.team.id) for roster in r.teams for u in roster.members
    ]
    people += [Person(u.id, u.organisation, None) for u in r.unplaced]
    people.sort(key=lambda p: p.id)
    teams = []
    for roster in r.teams:
        owners = {roster.challenge.owner_organisation, *(u.organisation for u in roster.owners)}
        teams.append(TeamSlot(roster.team.id, frozenset(o for o in owners if o)))
    return people, teams


def fingerprint(people: list[Person], teams: list[TeamSlot], *settings) -> str:
    """Changes when anything the proposal was made from changes, so that saving a proposal made
    before someone else placed people or imported attendees is refused."""
    payload = json.dumps(
        [
            [(p.id, p.organisation, p.team_id) for p in people],
            [(t.id, sorted(t.owner_organisations)) for t in teams],
            list(settings),
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def save_placement(event: Event, people: list[Person], placement: Placement, actor) -> int:
    """Write the reviewed proposal; returns how many people changed team."""
    moved = placement.moved(people)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(moved))))}
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.event_id == event.id))}
    for person_id, (_old, new) in moved.items():
        set_team_role(event, users[person_id], Role.MEMBER, teams.get(new))
    db.session.flush()
    record(event, actor, "placement.saved", moved=len(moved))
    return len(moved)
