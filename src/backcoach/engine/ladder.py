"""Moving along the catalogue's ladders for one person: harder, easier, or another exercise."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from functools import lru_cache

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.vocabulary import Equipment

#: How many rungs a step may skip when the nearer ones need kit the person does not own.
MAX_RUNGS_SKIPPED = 3

#: How long a lever the trunk holds in each starting position, shortest first: lying with the
#: back on the floor; on hands and knees or kneeling; standing; bridged between two supports
#: (prone planks, and side-lying, where every side plank of the catalogue starts: the data does
#: not tell a lying clam from a side plank, so side-lying counts as the long lever).
LEVER_BY_POSITION: Mapping[str, int] = {
    "supine": 0,
    "seated": 0,
    "quadruped": 1,
    "kneeling": 1,
    "half_kneeling": 1,
    "standing": 2,
    "side_lying": 3,
    "prone": 3,
}
#: A position the table does not know counts as the longest lever (the safe side).
LONGEST_LEVER = max(LEVER_BY_POSITION.values())


def lever(exercise: Exercise) -> int:
    """How long a lever the trunk holds in this exercise's position (0 shortest)."""
    return LEVER_BY_POSITION.get(exercise.position, LONGEST_LEVER)


def no_harder(candidate: Exercise, than: Exercise) -> bool:
    """Neither a higher level nor a longer lever: what a swap for the low back may pick."""
    return candidate.level <= than.level and lever(candidate) <= lever(than)


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

    def gentler(self, exercise: Exercise) -> Exercise | None:
        """Another exercise of the same category for a back that took the load (M9).

        Never a higher level or a longer lever (`no_harder`); the shortest lever first, then
        another pattern, then the nearest level.
        """
        options = [
            other
            for other in self.catalogue.by_category[exercise.category]
            if other.id != exercise.id and no_harder(other, exercise) and self.usable(other)
        ]
        if not options:
            return None
        return min(
            options,
            key=lambda o: (lever(o), o.pattern == exercise.pattern, exercise.level - o.level),
        )

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
