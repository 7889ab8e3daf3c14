"""The working board of `placement.propose_placement`: teams, who is in them, and the passes
that place, balance and mix. Kept apart from the public interface in `placement` so each stays
readable; nothing outside `placement` should need this module."""

from __future__ import annotations

import functools
import heapq
import random
import unicodedata
from collections import Counter, deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from facilitate.teams.placement_mixing import Mixing

if TYPE_CHECKING:
    from facilitate.teams.placement import TeamSlot

NO_ELIGIBLE_TEAM = "no_eligible_team"
TEAMS_FULL = "teams_full"

# Spellings that hand-typed names mix up and that are one character for the eye: typographic
# apostrophes (very common in French names: "Communauté d’agglomération"), dashes, ligatures.
_SAME_CHARACTER = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u0152": "oe",
        "\u0153": "oe",
        "\u00c6": "ae",
        "\u00e6": "ae",
    }
)


@functools.lru_cache(maxsize=4096)
def normalise_organisation(name: str | None) -> str | None:
    """The key under which two spellings of an organisation are the same organisation.

    Names are typed by hand in forms and spreadsheets, so " Ville de Rennes", "VILLE DE RENNES" and
    "Communauté d’agglomération" / "Communaute d'agglomeration" must compare equal, or rule 1 breaks
    silently. None for a missing or blank name: it conflicts with nobody and counts for nobody's
    mixing. Remembered: an edition's 1,050 people come from a few dozen organisations."""
    if not name:
        return None
    text = name.translate(_SAME_CHARACTER).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = " ".join(text.split())
    return text or None


class Board(Mixing):
    """Teams and who is in them, with the running measures of mixing that the passes need:
    per team, how many people of each organisation; over all (team, organisation) cells, how many
    cells hold each count (its largest key is rule 3's first measure) and the number of
    same-organisation pairs (its second measure). People with no organisation count for nothing."""

    def __init__(self, teams: list[TeamSlot], max_size: int, rng: random.Random) -> None:
        self.team_ids = [team.id for team in teams]
        self.max_size = max_size
        self.rng = rng
        self.owners = {
            team.id: frozenset(
                key for key in map(normalise_organisation, team.owner_organisations) if key
            )
            for team in teams
        }
        # Dicts as ordered sets: iteration order must not depend on hashing, for determinism.
        self.members: dict[int, dict[int, None]] = {team: {} for team in self.team_ids}
        self.counts: dict[int, Counter[str]] = {team: Counter() for team in self.team_ids}
        self.team_of: dict[int, int] = {}
        self.organisation_of: dict[int, str | None] = {}
        self.locked: set[int] = set()
        self.cells: Counter[int] = Counter()
        self.pairs = 0
        self.version = 0  # changes with every move, so that a failed search can be remembered
        self._failed_at: dict[str | None, int] = {}  # organisation -> version of its failed search
        self.bench: dict[int, None] = {}  # people who could not be placed
        # The greedy pass's open teams for one organisation, as a heap of greedy keys, valid
        # while the board is at the version recorded with it (see _enter_open_team).
        self._open: list[tuple[int, int, float, int]] = []
        self._open_for: tuple[str | None, int] | None = None

    # -- state ------------------------------------------------------------------------------

    def eligible(self, organisation: str | None, team: int) -> bool:
        return organisation is None or organisation not in self.owners[team]

    def size(self, team: int) -> int:
        return len(self.members[team])

    def has_room(self, team: int) -> bool:
        return self.size(team) < self.max_size

    def add(self, person: int, organisation: str | None, team: int, locked: bool = False) -> None:
        self.organisation_of[person] = organisation
        if locked:
            self.locked.add(person)
        self._enter(person, team)

    def move(self, person: int, team: int) -> None:
        self._leave(person)
        self._enter(person, team)

    def score(self) -> tuple[int, int]:
        """Rule 3's measures, to be minimised in this order."""
        return max((n for n, cells in self.cells.items() if cells > 0), default=0), self.pairs

    def _enter(self, person: int, team: int) -> None:
        self.members[team][person] = None
        self.team_of[person] = team
        self._count(team, self.organisation_of[person], +1)
        self.version += 1

    def _leave(self, person: int) -> None:
        team = self.team_of.pop(person)
        del self.members[team][person]
        self._count(team, self.organisation_of[person], -1)
        self.version += 1

    def _count(self, team: int, organisation: str | None, step: int) -> None:
        if organisation is None:
            return
        before = self.counts[team].get(organisation, 0)
        after = before + step
        self.counts[team][organisation] = after
        if before:
            self.cells[before] -= 1
        if after:
            self.cells[after] += 1
        self.pairs += before if step > 0 else -after

    # -- greedy pass --------------------------------------------------------------------------

    def place(self, newcomers: list[tuple[int, str | None]]) -> None:
        """Place everyone in `newcomers`; those who cannot be placed wait on the bench."""
        for person, organisation in self._placing_order(newcomers):
            self.organisation_of[person] = organisation
            if not self._place_one(person):
                self.bench[person] = None

    def place_bench(self) -> bool:
        """Try the bench again, as later moves may have opened a way; True if anyone got in."""
        placed = [person for person in list(self.bench) if self._place_one(person)]
        for person in placed:
            del self.bench[person]
        return bool(placed)

    def _place_one(self, person: int) -> bool:
        organisation = self.organisation_of[person]
        if self._enter_open_team(person, organisation):
            return True
        if self._failed_at.get(organisation) == self.version or not self._make_room(person):
            self._failed_at[organisation] = self.version
            return False
        return True

    def unplaced(self) -> list[tuple[int, str]]:
        return sorted((person, self._reason(self.organisation_of[person])) for person in self.bench)

    def _placing_order(
        self, newcomers: list[tuple[int, str | None]]
    ) -> list[tuple[int, str | None]]:
        """Largest organisations first, then those owning most teams (both are the hardest to
        place well), ties drawn by the seed; people with no organisation last, as they fit
        anywhere and fill the gaps."""
        groups: dict[str, list[int]] = {}
        loners = []
        for person, organisation in newcomers:
            if organisation is None:
                loners.append(person)
            else:
                groups.setdefault(organisation, []).append(person)
        owned = Counter(key for owners in self.owners.values() for key in owners)
        order = sorted(groups)
        self.rng.shuffle(order)
        order.sort(key=lambda key: (-len(groups[key]), -owned[key]))
        placing = [(person, key) for key in order for person in sorted(groups[key])]
        return placing + [(person, None) for person in sorted(loners)]

    def _greedy_key(self, team: int, organisation: str | None) -> tuple[int, int, float, int]:
        colleagues = self.counts[team].get(organisation, 0) if organisation else 0
        return len(self.members[team]), colleagues, self.rng.random(), team

    def _enter_open_team(self, person: int, organisation: str | None) -> bool:
        """Put the person in the eligible team with room that has the smallest greedy key (size,
        then colleagues, then a seeded draw); False if there is none.

        The greedy pass places the people of one organisation one after the other, so the open
        teams are kept in a heap for that organisation rather than all compared for each person
        (70 teams and 1,050 people made that 73,500 keys). Placing someone changes only the key
        of the team they enter; any other change to the board (a chain of moves) changes its
        version, and the heap is then built afresh."""
        if self._open_for != (organisation, self.version):
            # _greedy_key and the tests of has_room and eligible, written out: this runs for
            # every team once per organisation and move (2,100 keys at an edition).
            members, counts, owners = self.members, self.counts, self.owners
            draw, max_size = self.rng.random, self.max_size
            self._open = [
                (len(members[team]), counts[team].get(organisation, 0), draw(), team)
                for team in self.team_ids
                if len(members[team]) < max_size
                and (organisation is None or organisation not in owners[team])
            ]
            heapq.heapify(self._open)
        if not self._open:
            self._open_for = (organisation, self.version)
            return False
        team = heapq.heappop(self._open)[3]
        self._enter(person, team)
        if self.has_room(team):
            heapq.heappush(self._open, self._greedy_key(team, organisation))
        self._open_for = (organisation, self.version)
        return True

    def _make_room(self, person: int) -> bool:
        """Every team this person may join is full: move someone out along a chain of teams
        ending in one with room, then place the person. False if no such chain exists."""
        organisation = self.organisation_of[person]
        if not any(self.has_room(team) for team in self.team_ids):
            return False
        starts = [team for team in self.team_ids if self.eligible(organisation, team)]
        path = self._find_chain(starts, self.has_room)
        if path is None:
            return False
        first_team = self._shift(path)
        self._enter(person, first_team)
        return True

    def _reason(self, organisation: str | None) -> str:
        if not any(self.eligible(organisation, team) for team in self.team_ids):
            return NO_ELIGIBLE_TEAM
        if not any(self.has_room(team) for team in self.team_ids):
            return TEAMS_FULL
        return NO_ELIGIBLE_TEAM  # the only teams with room are the person's organisation's

    # -- chains of moves (greedy and balance passes) -------------------------------------------

    def _find_chain(
        self, starts: list[int], is_end: Callable[[int], bool]
    ) -> list[tuple[int, int, int]] | None:
        """Shortest chain of moves from a team in `starts` to a team where `is_end` holds: each
        step moves one movable person to a team they may join. Returns the steps as
        (person, from team, to team), first step first, or None. This is an augmenting path:
        intermediate teams keep their size, the first loses one person, the last gains one."""
        came_from: dict[int, tuple[int, int] | None] = {team: None for team in starts}
        queue = deque(starts)
        while queue:
            team = queue.popleft()
            for organisation, person in self._movable_by_organisation(team):
                for other in self.team_ids:
                    if other in came_from or not self.eligible(organisation, other):
                        continue
                    came_from[other] = (team, person)
                    if is_end(other):
                        return self._chain_to(other, came_from)
                    queue.append(other)
        return None

    @staticmethod
    def _chain_to(
        end: int, came_from: dict[int, tuple[int, int] | None]
    ) -> list[tuple[int, int, int]]:
        steps = []
        team = end
        while (step := came_from[team]) is not None:
            previous, person = step
            steps.append((person, previous, team))
            team = previous
        return steps[::-1]

    def _movable_by_organisation(self, team: int) -> list[tuple[str | None, int]]:
        """One movable member per organisation: eligibility depends only on the organisation."""
        chosen: dict[str | None, int] = {}
        for person in self.members[team]:
            if person not in self.locked:
                chosen.setdefault(self.organisation_of[person], person)
        return list(chosen.items())

    def _shift(self, steps: list[tuple[int, int, int]]) -> int:
        """Apply a chain, last step first so that no team is ever over max_size; return the
        team that lost a person."""
        for person, _, to_team in reversed(steps):
            self.move(person, to_team)
        return steps[0][1]

    # -- balance pass -------------------------------------------------------------------------

    def balance(self) -> None:
        """Move people along chains from a team to one at least two smaller, until no chain is
        left. Each move lowers the sum of squared sizes, so this ends; when it does, no team is
        two or more larger than another one it could give to, which is the best balance rules 1
        and 4 allow."""
        while True:
            open_sizes = [self.size(team) for team in self.team_ids if self.has_room(team)]
            if not open_sizes:
                return
            floor = min(open_sizes)
            sources = sorted(
                (team for team in self.team_ids if self.size(team) >= floor + 2),
                key=lambda team: (-self.size(team), team),
            )
            for source in sources:
                limit = self.size(source) - 2
                path = self._find_chain(
                    [source],
                    lambda team, limit=limit: self.size(team) <= limit and self.has_room(team),
                )
                if path is not None:
                    self._shift(path)
                    break
            else:
                return
