"""The engine's easing-off over a coach's override, for the plans services/overrides.py makes at
once (an override made, undone or ended with the link) between two decisions of the engine.

`decide_next` lets a flare, legs spreading, rising pain, a long break or a set felt in the low
back ease an exercise off over a coach's dose (engine/overrides.py, `SAFETY_CODES`): the safer
behaviour wins. A plan made at once must keep the same precedence, or a dose set during a flare,
or an undo, would give back the sets the easing-off took away until the next session
(docs/progression.md, "Coach overrides").
"""

from __future__ import annotations

from collections.abc import Sequence

from backcoach.engine.decisions import (
    COACH_ADDED,
    LEGS_SPREADING,
    LEGS_SPREADING_EASIER,
    LEGS_SPREADING_FLARE,
    LEGS_SPREADING_FLARE_EASIER,
    LONG_BREAK,
    PAIN_FLARE,
    PAIN_FLARE_EASIER,
    PAIN_RISING,
    REGRESS_LONG_BREAK,
    hold,
)
from backcoach.engine.overrides import SAFETY_CODES
from backcoach.engine.plan import MIN_SETS, Plan, PlannedExercise
from backcoach.engine.reasons import Reason

#: The easing-off of a whole day (every exercise alike); the low-back codes are one exercise's.
_DAY_EASING = {
    PAIN_FLARE: PAIN_FLARE,
    PAIN_FLARE_EASIER: PAIN_FLARE,
    LEGS_SPREADING: LEGS_SPREADING,
    LEGS_SPREADING_EASIER: LEGS_SPREADING,
    LEGS_SPREADING_FLARE: LEGS_SPREADING_FLARE,
    LEGS_SPREADING_FLARE_EASIER: LEGS_SPREADING_FLARE,
    PAIN_RISING: PAIN_RISING,
    LONG_BREAK: LONG_BREAK,
    REGRESS_LONG_BREAK: LONG_BREAK,
}


def safely_restored(earlier: PlannedExercise, current: PlannedExercise) -> PlannedExercise:
    """``earlier`` put back in place of ``current``, never above the dose the engine's
    easing-off holds now: while ``current`` is eased off (a safety code), what comes back takes
    its sets and its share of the range, and says the easing-off's reason."""
    if current.code not in SAFETY_CODES:
        return earlier
    if earlier.exercise.id == current.exercise.id:
        return _capped(earlier, current)
    # Another exercise (a swap undone): the same sets, and no more reps above its bottom than
    # the easing-off leaves above the bottom of the exercise it eased.
    span = current.dose_max - current.dose_min
    return hold(
        earlier,
        current.reason,
        sets=min(earlier.sets, current.sets),
        dose_max=min(earlier.dose_max, earlier.dose_min + span),
        cue=earlier.cue,
    )


def eased_for_today(
    plan: Plan, exercises: Sequence[PlannedExercise]
) -> tuple[PlannedExercise, ...]:
    """``exercises`` (``plan``'s with a coach's override made today) with the easing-off of
    ``plan`` kept: a dose above an eased exercise's is held to it, and an exercise added on a
    day of easing off comes in at the fewest sets, as the engine would ease it next. A dose at
    or below the easing-off is the coach's (the safer one wins). A swapped-in exercise takes
    the sets of the one it replaces, as `decide_next` gives it on the day of the swap."""
    now = {item.exercise.id: item for item in plan.exercises}
    day = next((item.reason for item in plan.exercises if item.code in _DAY_EASING), None)
    result = []
    for item in exercises:
        current = now.get(item.exercise.id)
        if current is not None and current.code in SAFETY_CODES and not _within(item, current):
            item = _capped(item, current)
        elif current is None and day is not None and item.code == COACH_ADDED:
            item = _eased_addition(item, day)
        result.append(item)
    return tuple(result)


def _within(item: PlannedExercise, eased: PlannedExercise) -> bool:
    return (
        item.sets <= eased.sets
        and item.dose_min <= eased.dose_min
        and item.dose_max <= eased.dose_max
        and _load_at_most(item.load_kg, eased.load_kg)
    )


def _capped(item: PlannedExercise, eased: PlannedExercise) -> PlannedExercise:
    """The same exercise at no more than the eased dose, for the easing-off's reason."""
    load = item.load_kg
    if load is not None and eased.load_kg is not None:
        load = min(load, eased.load_kg)
    return item.with_changes(
        sets=min(item.sets, eased.sets),
        dose_min=min(item.dose_min, eased.dose_min),
        dose_max=min(item.dose_max, eased.dose_max),
        load_kg=load,
        reason=eased.reason,
        decision=eased.decision,
    )


def _eased_addition(item: PlannedExercise, day: Reason) -> PlannedExercise:
    """An added exercise on a day of easing off: two sets and the engine's lower top, for the
    day's reason (the exercise's own, without a move to an easier one)."""
    code = _DAY_EASING[day.code]
    if code == LONG_BREAK:
        days = day.values.get("days", 0)
        why, top = Reason(code, (("days", days), ("sets", MIN_SETS))), item.dose_min
    else:
        said = tuple((name, value) for name, value in day.params if name != "to_exercise")
        why, top = Reason(code, said), max(item.dose_min, (item.dose_min + item.dose_max) // 2)
    return hold(item, why, sets=MIN_SETS, dose_max=top)


def _load_at_most(load: float | None, eased: float | None) -> bool:
    return load is None or eased is None or load <= eased
