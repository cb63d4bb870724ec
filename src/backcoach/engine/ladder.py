"""Moving along the catalogue's ladders for one person: harder, easier, or another exercise."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from functools import lru_cache

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
        rungs: Iterable[Exercise] | None = _within_reach(self.catalogue, progressions).get(start)
        if rungs is None:  # an exercise from another catalogue object: walk its links here
            rungs = _walk(self.catalogue, start, progressions)
        for rung in rungs:
            if self.usable(rung):
                return rung
        return None


# The walk from each exercise depends on the catalogue alone, and every decision takes a step or
# two. A catalogue is immutable once loaded and hashed by identity (as are its exercises), so an
# entry never goes stale and two catalogues never share one.
@lru_cache(maxsize=32)
def _within_reach(
    catalogue: Catalogue, progressions: bool
) -> Mapping[Exercise, tuple[Exercise, ...]]:
    """Every rung within reach of each exercise of the catalogue, nearest first."""
    return {e: tuple(_walk(catalogue, e, progressions)) for e in catalogue.exercises}


def _walk(catalogue: Catalogue, start: Exercise, progressions: bool) -> Iterator[Exercise]:
    """The rungs along one kind of link, breadth first, up to MAX_RUNGS_SKIPPED links away."""
    frontier = [start]
    seen = {start.id}
    for _ in range(MAX_RUNGS_SKIPPED):
        step: list[Exercise] = []
        for node in frontier:
            for link in node.progressions if progressions else node.regressions:
                if link in seen:
                    continue
                seen.add(link)
                rung = catalogue.get(link)
                yield rung
                step.append(rung)
        frontier = step
