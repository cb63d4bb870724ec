"""How an exercise that earned it moves up, and how fast: a set, then load, then one rung.

Rule 10 of docs/progression.md, once the core has found every set at the top of the range twice
with pain settled. What is here is the pace (ACSM 2009: progress gradually): one step at a time,
load in steps of about 7.5%, and at most one rung of the ladder per 14 days, counted from the
exercise's `since` or, for a plan that does not say, from the log. It is apart from the core
because these limits, and the log walk that dates a rung, are what a reviewer of the pace reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from math import floor

from backcoach.engine.decisions import (
    ADD_LOAD,
    ADD_SET,
    NEXT_RUNG,
    RUNG_WAIT,
    RUNG_WAIT_SINCE_UNKNOWN,
    TOP_OF_LADDER,
    hold,
    switch,
)
from backcoach.engine.ladder import Ladder
from backcoach.engine.log import ExerciseLog, SessionLog
from backcoach.engine.plan import MAX_SETS, MIN_SETS, PlannedExercise
from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Decision

#: At most one rung up the ladder in this many days (ACSM 2009: progress gradually).
RUNG_INTERVAL = timedelta(days=14)
#: A load step is this share of the current load, rounded to the exercise's smallest step
#: (ACSM 2009: 2-10% once the top of the range is reached).
LOAD_STEP_SHARE = 0.075


def progress(
    item: PlannedExercise,
    last: ExerciseLog,
    ladder: Ladder,
    history: Sequence[SessionLog],
    today: date,
) -> PlannedExercise:
    """Reps first (the top of the range, twice), then a set, then load or one rung (ACSM 2009)."""
    exercise = item.exercise
    # Every reason here starts from what was earned: every set at the top, twice.
    earned = (("top", item.dose_max), ("unit", exercise.dose.value))
    if item.sets < MAX_SETS:
        why = Reason(ADD_SET, (*earned, ("sets", item.sets + 1), ("bottom", item.dose_min)))
        return item.with_changes(decision=Decision.PROGRESS, sets=item.sets + 1, cue="", reason=why)
    loads = [s.load_kg for s in last.sets if s.load_kg is not None]
    if exercise.loadable and loads:
        current = min(loads)
        step = load_step(current, exercise.load_step_kg)
        new_load = round(current + step, 2)
        why = Reason(
            ADD_LOAD,
            (*earned, ("step_kg", step), ("load_kg", new_load), ("bottom", exercise.dose_min)),
        )
        return item.with_changes(
            decision=Decision.PROGRESS,
            load_kg=new_load,
            dose_min=exercise.dose_min,
            dose_max=exercise.dose_max,
            cue="",
            reason=why,
        )
    harder = ladder.harder(exercise)
    if harder is None:
        return hold(item, Reason(TOP_OF_LADDER, earned))
    since = item.since or _on_it_since(history, exercise.id, today)
    if since is None:
        return hold(item, Reason(RUNG_WAIT_SINCE_UNKNOWN, (*earned, ("to_exercise", harder.id))))
    if today - since < RUNG_INTERVAL:
        from_day = (since + RUNG_INTERVAL).isoformat()
        return hold(
            item, Reason(RUNG_WAIT, (*earned, ("to_exercise", harder.id), ("from_day", from_day)))
        )
    why = Reason(
        NEXT_RUNG,
        (
            *earned,
            ("sets", item.sets),
            ("to_exercise", harder.id),
            ("to_sets", MIN_SETS),
            ("to_bottom", harder.dose_min),
            ("to_unit", harder.dose.value),
        ),
    )
    return switch(item, harder, Decision.PROGRESS, why, today, sets=MIN_SETS)


def load_step(current_kg: float, smallest_kg: float) -> float:
    """How much to add: 7.5% of the current load to the nearest step, and at least one step."""
    steps = floor(current_kg * LOAD_STEP_SHARE / smallest_kg + 0.5)
    return max(steps, 1) * smallest_kg


def _on_it_since(history: Sequence[SessionLog], exercise_id: str, today: date) -> date | None:
    """For a plan that does not say: the first day of the latest unbroken run of sessions that
    logged this exercise (a session without it breaks the run: the later day is the safer one).

    Walks back no further than two weeks before today, which is all the rung rule asks.
    """
    first = None
    enough = today - RUNG_INTERVAL
    for session in reversed(history):
        logged = session.exercise(exercise_id)
        if logged is None or not logged.sets:
            break
        first = session.day
        if first <= enough:
            break
    return first
