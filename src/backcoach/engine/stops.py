"""An exercise stopped in a session, and what the next decision does with it (rule 7a).

In the player a person can say "this hurts" or "I can't do it" on an exercise and then do the
easier rung instead, or skip it. Either way the exercise's own log then says nothing (no sets),
so progression would read its sets from before the stop and could move it up: the stop must
weigh more than that. docs/progression.md, rule 7a, states the rule and its sources:

- while the stop is the exercise's latest word (no session with its sets since), the exercise
  goes a rung down (the easier rung), or, with none, to another exercise of its category that is
  no harder and no longer a lever (`Ladder.gentler`), or, with neither, holds at 2 sets. A
  decision the engine already made that is no harder (an easier rung, a gentler swap) stands;
- until `SESSIONS_AFTER_STOP` sessions with its sets follow the stop, it never progresses.

A coach's decision (an override) is left as the coach made it: the coach sees the stop. Each
decided exercise is paired with the one it came from by id or the ladder, never by place (a
coach may add or reorder); a guess that could hide a stopped exercise's move up holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.decisions import (
    HOLD_SINCE_STOPPED,
    HOLD_STOPPED,
    REGRESS_STOPPED_CANNOT,
    REGRESS_STOPPED_PAIN,
    SWAP_STOPPED,
    hold,
    switch,
)
from backcoach.engine.ladder import MAX_RUNGS_SKIPPED, Ladder, no_harder
from backcoach.engine.plan import MIN_SETS, Plan, PlannedExercise
from backcoach.engine.prescription import excluded
from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Decision

#: Sessions with the exercise's sets after a stop before it may progress again: the two
#: sessions at the top that double progression asks for, both after the stop.
SESSIONS_AFTER_STOP = 2


class StopReason(StrEnum):
    """Why an exercise was stopped."""

    PAIN = "pain"  # "this hurts"
    CANNOT = "cannot"  # "I can't do it" (too hard, no pain)


class StopAction(StrEnum):
    """What was done instead."""

    EASIER = "easier"  # the easier rung, in the same session
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class Stop:
    """The latest stop of one exercise, and how many sessions with its sets came after it."""

    exercise_id: str
    reason: StopReason
    day: date
    sessions_since: int = 0


def after_stops(
    before: Plan, decided: Plan, stops: Mapping[str, Stop], catalogue: Catalogue, today: date
) -> Plan:
    """``decided`` (what `decide_next` made of ``before``) with rule 7a applied to each
    exercise of ``before`` that was stopped."""
    if not stops:
        return decided
    profile = before.profile
    taken = {item.exercise.id for item in decided.exercises}
    ladder = Ladder(catalogue, profile.equipment, excluded(profile, catalogue), taken)
    changed: list[PlannedExercise] = []
    for now, source in zip(
        decided.exercises, _sources(before, decided, stops, catalogue), strict=True
    ):
        if source is None or now.code.startswith("coach."):
            changed.append(now)
            continue
        was, doubt = source
        stop = stops.get(was.exercise.id)
        if stop is not None and holds_back(stop):
            choice = _after_stop(was, now, stop, ladder, today)
        elif doubt and now.decision is Decision.PROGRESS:
            # It may have come from a stopped exercise instead: safer not to move up.
            choice = hold(was, _SINCE)
        else:
            choice = now
        if choice.exercise.id != now.exercise.id:
            taken.discard(now.exercise.id)
            taken.add(choice.exercise.id)
        changed.append(choice)
    return _with_exercises(decided, tuple(changed))


def holds_back(stop: Stop) -> bool:
    """The stop still weighs: fewer than `SESSIONS_AFTER_STOP` sessions with its sets since."""
    return stop.sessions_since < SESSIONS_AFTER_STOP


#: Where a decided exercise came from: the exercise of the plan before, and whether the pairing
#: is a guess that a recently stopped exercise could have been the source instead.
_Source = tuple[PlannedExercise, bool]


def _sources(
    before: Plan, decided: Plan, stops: Mapping[str, Stop], catalogue: Catalogue
) -> list[_Source | None]:
    """For each decided exercise, the exercise of ``before`` it was decided from (None: a
    coach's addition). Never by place, since a coach may add, swap or reorder: by its own id
    (kept), by the one its reason names (a swap says what it replaced), else by the ladder."""
    by_id = {item.exercise.id: item for item in before.exercises}
    found: list[_Source | None] = []
    for now in decided.exercises:
        named = now.reason.values.get("exercise")
        was = by_id.get(now.exercise.id) or (by_id.get(named) if isinstance(named, str) else None)
        found.append(None if was is None else (was, False))
    claimed = {source[0].exercise.id for source in found if source is not None}
    # What the engine moved to another exercise (a rung up or down, a swap) came from one of the
    # exercises that left the plan: those of its category on whose ladder it stands.
    left = [item for item in before.exercises if item.exercise.id not in claimed]
    pools = {
        index: _could_have_become(now, left, catalogue)
        for index, now in enumerate(decided.exercises)
        if found[index] is None and not now.code.startswith("coach.")
    }
    while pools:
        for pool in pools.values():
            pool[:] = [item for item in pool if item.exercise.id not in claimed]
        certain = [index for index, pool in pools.items() if len(pool) <= 1]
        if not certain:
            break
        for index in certain:
            pool = pools.pop(index)
            if pool:
                found[index] = (pool[0], False)
                claimed.add(pool[0].exercise.id)
    # Several could have become one: a stopped exercise is taken first (the rule then applies),
    # and every guess that a stopped exercise might have made holds any move up.
    recent = {key for key, stop in stops.items() if holds_back(stop)}
    for index, pool in pools.items():
        open_pool = [item for item in pool if item.exercise.id not in claimed]
        if not open_pool:
            continue
        stopped = [item for item in open_pool if item.exercise.id in recent]
        was = (stopped or open_pool)[0]
        claimed.add(was.exercise.id)
        found[index] = (was, any(item.exercise.id in recent for item in pool))
    return found


def _could_have_become(
    now: PlannedExercise, left: list[PlannedExercise], catalogue: Catalogue
) -> list[PlannedExercise]:
    """The exercises of ``left`` that ``now`` could have been decided from, nearest first."""
    exercise = now.exercise
    same = [item for item in left if item.exercise.category is exercise.category] or list(left)
    if now.decision not in (Decision.PROGRESS, Decision.REGRESS):
        return same  # a swap: any exercise of its category
    upward = now.decision is Decision.PROGRESS
    steps = {
        item.exercise.id: _rungs_between(item.exercise, exercise, catalogue, upward=upward)
        for item in same
    }
    linked = [item for item in same if steps[item.exercise.id] is not None]
    return sorted(linked, key=lambda item: steps[item.exercise.id] or 0) or same


def _rungs_between(
    start: Exercise, end: Exercise, catalogue: Catalogue, *, upward: bool
) -> int | None:
    """How many links up (or down) the ladder from ``start`` to ``end``, as far as a step may
    skip (`MAX_RUNGS_SKIPPED`); None when ``end`` is not within reach."""
    frontier, seen = [start], {start.id}
    for distance in range(1, MAX_RUNGS_SKIPPED + 1):
        step: list[Exercise] = []
        for node in frontier:
            for link in node.progressions if upward else node.regressions:
                if link == end.id:
                    return distance
                if link not in seen and link in catalogue:
                    seen.add(link)
                    step.append(catalogue.get(link))
        frontier = step
    return None


def _after_stop(
    was: PlannedExercise, now: PlannedExercise, stop: Stop, ladder: Ladder, today: date
) -> PlannedExercise:
    if stop.sessions_since > 0:  # done again since, but not yet twice: no moving up
        return hold(was, _SINCE) if now.decision is Decision.PROGRESS else now
    # The stop is the exercise's latest word. An easier or gentler move already made stands.
    moved = now.decision in (Decision.REGRESS, Decision.SWAP)
    if moved and now.exercise.id != was.exercise.id and no_harder(now.exercise, was.exercise):
        return now
    exercise = was.exercise
    easier = ladder.easier(exercise)
    if easier is not None:
        code = REGRESS_STOPPED_PAIN if stop.reason is StopReason.PAIN else REGRESS_STOPPED_CANNOT
        why = Reason(code, (("to_exercise", easier.id),))
        return switch(was, easier, Decision.REGRESS, why, today, sets=MIN_SETS)
    other = ladder.gentler(exercise)  # never a higher level or a longer lever
    if other is not None:
        why = Reason(SWAP_STOPPED, (("to_exercise", other.id),))
        return switch(was, other, Decision.SWAP, why, today, sets=MIN_SETS)
    return hold(was, _HOLD, sets=MIN_SETS)


def _with_exercises(plan: Plan, exercises: tuple[PlannedExercise, ...]) -> Plan:
    return plan if exercises == plan.exercises else replace(plan, exercises=exercises)


_SINCE = Reason(HOLD_SINCE_STOPPED)
_HOLD = Reason(HOLD_STOPPED)
