"""Automatic placement of participants into teams: a proposal the organisers review, then save.

Pure Python on purpose: no database, no Flask. The caller loads people and teams, calls
`propose_placement`, shows the proposal (with `Placement.moved`, `below_minimum` and
`above_maximum` for the warnings) and saves it only when the organiser accepts it.

What the organisers were promised, highest priority first:
1. nobody works on a challenge owned by their own organisation;
2. no team grows beyond max_size, and sizes are as balanced as rule 1 allows;
3. organisations are mixed: people of one organisation are spread across teams;
and also: people already placed keep their team (keep_existing), the same input and seed give the
same proposal, and nobody is dropped silently (`Placement.unplaced` says why).

How, in three passes:
- greedy: the largest organisations first (they are the hardest to spread), each person into the
  smallest eligible team, then the one with fewest colleagues, then a seeded draw. Size comes
  before colleagues because balance outranks mixing. When every eligible team is full, a chain of
  moves (someone from that team to another one with room, and so on) makes room if the rules allow;
- balance: the same chains move people from big teams to teams two or more smaller, until none
  is left (rule 1 and people kept in place can make perfect balance impossible);
- mixing: swaps and moves between teams that lower the largest number of people of one
  organisation in one team, then the number of same-organisation pairs, without changing the
  spread of sizes. When there are more people than places, who waits unplaced is part of it:
  otherwise the largest organisation, placed first, would fill the teams.
"""

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from facilitate.teams.placement_board import (
    NO_ELIGIBLE_TEAM,
    TEAMS_FULL,
    Board,
    normalise_organisation,
)

__all__ = [
    "NO_ELIGIBLE_TEAM",
    "TEAMS_FULL",
    "Person",
    "Placement",
    "TeamSlot",
    "above_maximum",
    "below_minimum",
    "normalise_organisation",
    "propose_placement",
]


@dataclass(frozen=True)
class Person:
    """Someone to place. `team_id` is where they are now (None: not placed yet)."""

    id: int
    organisation: str | None
    team_id: int | None = None


@dataclass(frozen=True)
class TeamSlot:
    """A team as placement sees it: only who owns its challenge matters (usually one organisation)."""

    id: int
    owner_organisations: frozenset[str]


@dataclass
class Placement:
    """The proposal. `assignments` covers everyone placed, kept or new, so that the caller can save
    it as is; whoever is missing from it is in `unplaced` with a reason code (`NO_ELIGIBLE_TEAM`
    or `TEAMS_FULL`). `sizes` has every team, empty ones included."""

    assignments: dict[int, int]
    unplaced: list[tuple[int, str]]
    sizes: dict[int, int]

    def moved(self, people: Iterable[Person]) -> dict[int, tuple[int | None, int | None]]:
        """Who would change team, as person id -> (current team, proposed team), None meaning no
        team: what the organiser reviews before saving. Newly placed people are included (from
        None), and so are people who lose a team they could not keep (to None)."""
        changes = {}
        for person in sorted(people, key=lambda p: p.id):
            proposed = self.assignments.get(person.id)
            if proposed != person.team_id:
                changes[person.id] = (person.team_id, proposed)
        return changes


def below_minimum(placement: Placement, min_size: int) -> list[int]:
    """Teams smaller than min_size, for the caller's warning: placement balances rather than
    leaving some teams empty when there are too few people (or rule 1 forbids filling them)."""
    return [team for team, size in placement.sizes.items() if size < min_size]


def above_maximum(placement: Placement, max_size: int) -> list[int]:
    """Teams larger than max_size. Placement never fills a team beyond it, but people kept in
    their team (keep_existing) are never moved out, so a team filled beyond it by hand stays so."""
    return [team for team, size in placement.sizes.items() if size > max_size]


def propose_placement(
    people: list[Person],
    teams: list[TeamSlot],
    min_size: int,
    max_size: int,
    keep_existing: bool = True,
    seed: int = 0,
) -> Placement:
    """Place people into teams following the rules in this module's docstring.

    keep_existing: people whose team_id is a known team that is not owned by their organisation
    stay there and are never moved; everyone else is placed. False places everyone afresh.
    The result depends only on the people, teams, bounds and seed (not on the order of the
    lists); the seed only breaks ties. min_size does not change the placement (see
    `below_minimum`); it is validated with max_size."""
    _check_input(people, teams, min_size, max_size)
    rng = random.Random(seed)  # noqa: S311  (reproducible tie-breaks, not secrets)
    board = Board(sorted(teams, key=lambda t: t.id), max_size, rng)
    newcomers = []
    for person in sorted(people, key=lambda p: p.id):
        organisation = normalise_organisation(person.organisation)
        team = person.team_id
        if keep_existing and team in board.members and board.eligible(organisation, team):
            board.add(person.id, organisation, team, locked=True)
        else:
            newcomers.append((person.id, organisation))
    board.place(newcomers)
    board.balance()
    while board.bench and board.place_bench():
        board.balance()
    board.mix()
    return Placement(
        assignments=dict(sorted(board.team_of.items())),
        unplaced=board.unplaced(),
        sizes={team: board.size(team) for team in board.team_ids},
    )


def _check_input(people: list[Person], teams: list[TeamSlot], min_size: int, max_size: int) -> None:
    for name, value in (("min_size", min_size), ("max_size", max_size)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number, not {value!r}.")
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}.")
    if min_size > max_size:
        raise ValueError(f"min_size ({min_size}) must not be greater than max_size ({max_size}).")
    for what, ids in (("person", [p.id for p in people]), ("team", [t.id for t in teams])):
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        if repeated:
            raise ValueError(f"Each {what} must appear once; repeated ids: {repeated}.")
