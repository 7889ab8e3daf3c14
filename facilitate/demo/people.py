"""The demo's 200 attendees, added as an organiser adds them (``people.management``): plausible
French names and the local authorities they come from, a facilitator per team, the challenge
owners from the authority that brought each challenge, and members spread over the 14 teams.
Drawn from a seeded generator: the same people on every machine."""

import random
from dataclasses import dataclass
from itertools import product

from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.people.management import AttendeeDetails, add_attendee

ATTENDEES = 200
# Teams whose challenge came with two owners (the others have one).
TWO_OWNERS = range(1, 7)


@dataclass(frozen=True)
class Cast:
    """The people of one team, as the demo uses them to build the team's work."""

    team: Team
    facilitator: User
    owners: list[User]
    members: list[User]


def _names(data: dict, count: int, rng: random.Random) -> list[str]:
    pairs = rng.sample(list(product(data["first_names"], data["surnames"])), count)
    return [f"{first} {last}" for first, last in pairs]


def seat_people(event: Event, data: dict, actor, attendees: int = ATTENDEES) -> None:
    """Add the attendees with their team roles (one query or so each: a few hundred in all).
    ``attendees``: 200 for the demo; the pages benchmark seats a whole edition the same way."""
    rng = random.Random("rennes-2018-people")
    teams = [c.team for c in sorted(event.challenges, key=lambda c: c.number)]
    names = iter(_names(data, attendees, rng))
    placed = []
    for challenge, team in zip(
        sorted(event.challenges, key=lambda c: c.number), teams, strict=True
    ):
        placed.append((Role.FACILITATOR, team, rng.choice(data["organisations"])))
        owners = 2 if challenge.number in TWO_OWNERS else 1
        placed += [(Role.CHALLENGE_OWNER, team, challenge.owner_organisation)] * owners
    members = attendees - len(placed)
    placed += [
        (Role.MEMBER, teams[i % len(teams)], rng.choice(data["organisations"]))
        for i in range(members)
    ]
    for role, team, organisation in placed:
        add_attendee(
            event,
            AttendeeDetails(
                name=next(names),
                email=None,
                organisation=organisation,
                role=role,
                team_id=team.id,
            ),
            actor,
        )


def casts(event: Event) -> dict[int, Cast]:
    """Each team's people by challenge number, in the order they were added: two queries."""
    teams = {
        number: team
        for team, number in db.session.execute(
            select(Team, Challenge.number)
            .join(Challenge, Challenge.id == Team.challenge_id)
            .where(Team.event_id == event.id)
        )
    }
    people: dict[int, dict[Role, list[User]]] = {team.id: {} for team in teams.values()}
    for membership, user in db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.event_id == event.id, Membership.team_id.is_not(None))
        .order_by(Membership.id)
    ):
        people[membership.team_id].setdefault(membership.role, []).append(user)
    result = {}
    for number, team in teams.items():
        roles = people[team.id]
        if not roles.get(Role.FACILITATOR) or not roles.get(Role.MEMBER):
            continue  # a team the organisers emptied during a rehearsal
        result[number] = Cast(
            team=team,
            facilitator=roles[Role.FACILITATOR][0],
            owners=roles.get(Role.CHALLENGE_OWNER, []),
            members=roles[Role.MEMBER],
        )
    return result
