"""The mixing pass of the placement's working board (``placement_board.Board``, which holds the
state these methods read and change): rule 3, organisations spread across teams. Kept apart so
that each module stays readable; nothing outside ``placement_board`` should need this one."""

# The mixing pass stops earlier if it finds nothing to improve; this only bounds pathological input.
_MAX_MIXING_PASSES = 50


class Mixing:
    """Swaps and moves that lower rule 3's score (``Board.score``), keeping rules 1 and 2."""

    def mix(self) -> None:
        """Improve rule 3 by local changes that keep rules 1 and 2: swaps of two people between
        teams, or a move from a team to a smaller one. Only changes that lower the score are
        kept, so this ends; the cap bounds pathological inputs."""
        for _ in range(_MAX_MIXING_PASSES):
            if not self._mixing_pass():
                return

    def _mixing_pass(self) -> bool:
        crowded = [
            person
            for team in self.team_ids
            for person in self.members[team]
            if person not in self.locked and self._colleagues_with(person) >= 2
        ]
        improved = False
        for person in crowded:
            if self._colleagues_with(person) >= 2 and self._relieve(person):
                improved = True
        return improved

    def _colleagues_with(self, person: int) -> int:
        """How many people of this person's organisation are in their team, themselves included."""
        organisation = self.organisation_of[person]
        if organisation is None:
            return 0
        return self.counts[self.team_of[person]][organisation]

    def _relieve(self, person: int) -> bool:
        """Move this person to a team with at least two fewer of their organisation, alone if
        sizes allow or swapped with someone of another organisation. Keeps the first change that
        lowers the score."""
        organisation = self.organisation_of[person]
        here = self.team_of[person]
        crowd = self.counts[here][organisation]
        best = self.score()
        for there in self.team_ids:
            if there == here or not self.eligible(organisation, there):
                continue
            already = self.counts[there][organisation]
            if already > crowd - 2:
                continue
            if self.size(there) < self.size(here) and self.has_room(there):
                self.move(person, there)
                if self.score() < best:
                    return True
                self.move(person, here)
            for other in list(self.members[there]):
                other_organisation = self.organisation_of[other]
                if (
                    other in self.locked
                    or other_organisation == organisation
                    or not self.eligible(other_organisation, here)
                ):
                    continue
                # Change in same-organisation pairs; only swaps that may lower the score are tried.
                change = already - crowd + 1
                if other_organisation is not None:
                    counts_here = self.counts[here][other_organisation]
                    change += counts_here - self.counts[there][other_organisation] + 1
                if change >= 0 and crowd < best[0]:
                    continue
                self.move(person, there)
                self.move(other, here)
                if self.score() < best:
                    return True
                self.move(other, there)
                self.move(person, here)
        return self._swap_with_bench(person, best)

    def _swap_with_bench(self, person: int, best: tuple[int, int]) -> bool:
        """When teams are full, who waits on the bench is a choice too: let someone of a less
        crowded organisation in instead. Keeps the change if it lowers the score."""
        organisation = self.organisation_of[person]
        here = self.team_of[person]
        crowd = self.counts[here][organisation]
        waiting: dict[str | None, int] = {}
        for other in self.bench:
            waiting.setdefault(self.organisation_of[other], other)
        for other_organisation, other in waiting.items():
            if other_organisation == organisation or not self.eligible(other_organisation, here):
                continue
            change = 1 - crowd
            if other_organisation is not None:
                change += self.counts[here][other_organisation]
            if change >= 0 and crowd < best[0]:
                continue
            self._bench_swap(person, other)
            if self.score() < best:
                return True
            self._bench_swap(other, person)
        return False

    def _bench_swap(self, leaving: int, entering: int) -> None:
        team = self.team_of[leaving]
        self._leave(leaving)
        del self.bench[entering]
        self.bench[leaving] = None
        self._enter(entering, team)
