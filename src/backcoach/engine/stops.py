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

A coach's decision (an override) is left as the coach made it: the coach sees the stop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.decisions import (
    HOLD_SINCE_STOPPED,
    HOLD_STOPPED,
    REGRESS_STOPPED_CANNOT,
    REGRESS_STOPPED_PAIN,
    SWAP_STOPPED,
    hold,
    switch,
)
from backcoach.engine.ladder import Ladder, no_harder
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
    if not stops or len(before.exercises) != len(decided.exercises):
        # Without stops nothing changes. A coach's override that added or removed an exercise
        # leaves no pairing by place: then only an exercise kept under its own id is checked.
        return _by_id(decided, stops) if stops else decided
    profile = before.profile
    taken = {item.exercise.id for item in decided.exercises}
    ladder = Ladder(catalogue, profile.equipment, excluded(profile, catalogue), taken)
    changed: list[PlannedExercise] = []
    for was, now in zip(before.exercises, decided.exercises, strict=True):
        stop = stops.get(was.exercise.id)
        if stop is None or now.code.startswith("coach."):
            changed.append(now)
            continue
        choice = _after_stop(was, now, stop, ladder, today)
        if choice.exercise.id != now.exercise.id:
            taken.discard(now.exercise.id)
            taken.add(choice.exercise.id)
        changed.append(choice)
    return _with_exercises(decided, tuple(changed))


def _after_stop(
    was: PlannedExercise, now: PlannedExercise, stop: Stop, ladder: Ladder, today: date
) -> PlannedExercise:
    if stop.sessions_since >= SESSIONS_AFTER_STOP:
        return now
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


def _by_id(decided: Plan, stops: Mapping[str, Stop]) -> Plan:
    """The safe half of the rule where there is no pairing: a stopped exercise kept under its
    own id never progresses while the stop is recent."""
    changed = tuple(
        hold(item, _SINCE)
        if item.decision is Decision.PROGRESS
        and not item.code.startswith("coach.")
        and (stop := stops.get(item.exercise.id)) is not None
        and stop.sessions_since < SESSIONS_AFTER_STOP
        else item
        for item in decided.exercises
    )
    return _with_exercises(decided, changed)


def _with_exercises(plan: Plan, exercises: tuple[PlannedExercise, ...]) -> Plan:
    return plan if exercises == plan.exercises else replace(plan, exercises=exercises)


_SINCE = Reason(HOLD_SINCE_STOPPED)
_HOLD = Reason(HOLD_STOPPED)
