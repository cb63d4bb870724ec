"""Moving along the catalogue's ladders for one person: harder, easier, or another exercise."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.vocabulary import Equipment

#: How many rungs a step may skip when the nearer ones need kit the person does not own.
MAX_RUNGS_SKIPPED = 3


@dataclass(frozen=True, slots=True)
class Ladder:
    """The exercises one person can move to: fits their kit, not avoided, not already planned."""

    catalogue: Catalogue
    owned: frozenset[Equipment]
    avoid: frozenset[str]
    taken: Set[str]

    def usable(self, exercise: Exercise) -> bool:
        return (
            exercise.fits(self.owned)
            and exercise.id not in self.avoid
            and exercise.id not in self.taken
        )

    def harder(self, exercise: Exercise) -> Exercise | None:
        return self._follow(exercise, progressions=True)

    def easier(self, exercise: Exercise) -> Exercise | None:
        return self._follow(exercise, progressions=False)

    def alternative(self, exercise: Exercise) -> Exercise | None:
        """Another exercise of the same category, no harder, preferring another pattern."""
        options = [
            other
            for other in self.catalogue.by_category[exercise.category]
            if other.id != exercise.id and other.level <= exercise.level and self.usable(other)
        ]
        if not options:
            return None
        return min(options, key=lambda o: (o.pattern == exercise.pattern, exercise.level - o.level))

    def _follow(self, start: Exercise, *, progressions: bool) -> Exercise | None:
        """The nearest rung along one kind of link that the person can do."""
        frontier = [start]
        seen = {start.id}
        for _ in range(MAX_RUNGS_SKIPPED):
            step: list[Exercise] = []
            for node in frontier:
                for link in node.progressions if progressions else node.regressions:
                    if link in seen:
                        continue
                    seen.add(link)
                    rung = self.catalogue.get(link)
                    if self.usable(rung):
                        return rung
                    step.append(rung)
            frontier = step
        return None
