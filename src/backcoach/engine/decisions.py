"""What one progression decision is: its stable code, and the two shapes it takes.

Every rule of progression ends the same way: it keeps the exercise (`hold`) or moves to another
(`switch`), with a `Reason`: a short stable code (`hold.morning_missing` ...) and its parameters,
which docs/progression.md lists and `backcoach.wording` puts into words. They live here, apart
from the rules, so that each part of progression (day state, low back, pace, the core) builds
decisions alike and none imports another's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from backcoach.engine.catalogue import Exercise
from backcoach.engine.log import FLARE_AFTER, FLARE_DURING, FLARE_MORNING
from backcoach.engine.plan import HIGH_PAIN_DAY, PlannedExercise
from backcoach.engine.reasons import AS_WRITTEN, Reason
from backcoach.engine.vocabulary import Decision

# The stable codes of the decisions (per exercise and per day); docs/progression.md lists them.
NO_SESSIONS = "note.no_sessions"
#: After a break of VERY_LONG_BREAK_DAYS or more, the safety questions come before training.
SAFETY_AGAIN = "screen.ask_again"
NO_SETS = "hold.no_sets"
BUILDING = "hold.building"
FELL_SHORT, REGRESS_FELL_SHORT = "hold.fell_short", "regress.fell_short"
LOW_BACK_CUE, REGRESS_LOW_BACK, SWAP_LOW_BACK = (
    "hold.low_back_cue",
    "regress.low_back",
    "swap.low_back",
)
LOW_BACK_REVIEW = "review.low_back_easiest_rung"
NOT_FELT, SWAP_NOT_FELT = "hold.not_felt", "swap.not_felt"
ADD_SET, ADD_LOAD, NEXT_RUNG = "progress.add_set", "progress.add_load", "progress.next_rung"
RUNG_WAIT, TOP_OF_LADDER = "hold.rung_wait", "hold.top_of_ladder"
#: A rung wait for an exercise whose start the plan and the log do not tell.
RUNG_WAIT_SINCE_UNKNOWN = "hold.rung_wait_since_unknown"
PAIN_FLARE = "ease_off.pain_flare"
LEGS_SPREADING = "ease_off.leg_symptoms_spreading"
# Easing off says what else flared, and whether an easier rung takes over: each its own code,
# so that each has its own words (the day's code stays PAIN_FLARE or LEGS_SPREADING).
PAIN_FLARE_EASIER = "ease_off.pain_flare.easier"
LEGS_SPREADING_EASIER = "ease_off.leg_symptoms_spreading.easier"
LEGS_SPREADING_FLARE = "ease_off.leg_symptoms_spreading.with_flare"
LEGS_SPREADING_FLARE_EASIER = "ease_off.leg_symptoms_spreading.with_flare.easier"
LEGS_CENTRALISING = "note.leg_symptoms_centralising"
PAIN_RISING = "hold.pain_rising"
LONG_BREAK, REGRESS_LONG_BREAK = "hold.long_break", "regress.long_break"
VERY_HIGH_PAIN = HIGH_PAIN_DAY  # "hold.very_high_pain_before"
MORNING_WORSE = "hold.morning_worse"
HIGH_STABLE_PAIN = "hold.high_stable_pain"
MORNING_MISSING = "hold.morning_missing"
# An exercise stopped in the player ("this hurts", "I can't do it"; engine/stops.py).
REGRESS_STOPPED_PAIN, REGRESS_STOPPED_CANNOT = "regress.stopped_pain", "regress.stopped_cannot"
SWAP_STOPPED, HOLD_STOPPED = "swap.stopped", "hold.stopped"
HOLD_SINCE_STOPPED = "hold.since_stopped"
# A new program's exercises (prescription): why this exercise, at this level.
START_STRENGTH, START_MOBILITY = "start.strength", "start.mobility"
# A coach's override decided the exercise (engine/overrides.py): the coach's id and whether a
# note goes with it ("yes"/"no"); the note's words stay with the override, never in a code.
COACH_LOCKED, COACH_DOSE_SET = "coach.locked", "coach.dose_set"
COACH_HELD, COACH_SWAPPED, COACH_ADDED = "coach.held", "coach.swapped", "coach.added"
_BY_COACH = ("coach", "note")

_EARNED = ("top", "unit")
_HELD_BACK: Mapping[str, tuple[str, ...]] = {
    VERY_HIGH_PAIN: ("before",),
    MORNING_WORSE: ("morning", "before"),
    HIGH_STABLE_PAIN: ("before", "during", "after"),
    MORNING_MISSING: (),
}

#: Every code an exercise's reason (or a part of one) can carry, with its parameters' names:
#: the contract between the engine and the wording layer (tests/unit/test_wording.py).
REASON_PARAMS: Mapping[str, frozenset[str]] = {
    code: frozenset(names)
    for code, names in {
        NO_SETS: (),
        BUILDING: ("topped", "sets", "top", "unit"),
        FELL_SHORT: ("bottom", "unit"),
        REGRESS_FELL_SHORT: ("bottom", "to_exercise"),
        LOW_BACK_CUE: (),
        REGRESS_LOW_BACK: ("to_exercise",),
        SWAP_LOW_BACK: ("to_exercise",),
        LOW_BACK_REVIEW: ("sessions",),
        NOT_FELT: ("exercise",),
        SWAP_NOT_FELT: ("exercise", "to_exercise"),
        ADD_SET: (*_EARNED, "sets", "bottom"),
        ADD_LOAD: (*_EARNED, "step_kg", "load_kg", "bottom"),
        NEXT_RUNG: (*_EARNED, "sets", "to_exercise", "to_sets", "to_bottom", "to_unit"),
        RUNG_WAIT: (*_EARNED, "to_exercise", "from_day"),
        RUNG_WAIT_SINCE_UNKNOWN: (*_EARNED, "to_exercise"),
        TOP_OF_LADDER: _EARNED,
        PAIN_FLARE: ("flare",),
        PAIN_FLARE_EASIER: ("flare", "to_exercise"),
        LEGS_SPREADING: (),
        LEGS_SPREADING_EASIER: ("to_exercise",),
        LEGS_SPREADING_FLARE: ("flare",),
        LEGS_SPREADING_FLARE_EASIER: ("flare", "to_exercise"),
        PAIN_RISING: ("before", "now"),
        LONG_BREAK: ("days", "sets"),
        REGRESS_LONG_BREAK: ("days", "to_exercise"),
        REGRESS_STOPPED_PAIN: ("to_exercise",),
        REGRESS_STOPPED_CANNOT: ("to_exercise",),
        SWAP_STOPPED: ("to_exercise",),
        HOLD_STOPPED: (),
        HOLD_SINCE_STOPPED: (),
        **_HELD_BACK,
        START_STRENGTH: ("exercise", "level", "person_level"),
        START_MOBILITY: ("exercise",),
        COACH_LOCKED: _BY_COACH,
        COACH_DOSE_SET: _BY_COACH,
        COACH_HELD: _BY_COACH,
        COACH_SWAPPED: (*_BY_COACH, "exercise"),
        COACH_ADDED: _BY_COACH,
        # The parts of a flare (`flare` above), from engine/log.py.
        FLARE_DURING: ("during", "acceptable", "before"),
        FLARE_AFTER: ("after", "acceptable", "before"),
        FLARE_MORNING: ("morning", "rise", "before"),
        # Words a document kept from before reason codes (formats/plan.py reads them back).
        AS_WRITTEN: ("text",),
    }.items()
}

#: Every code a day note can carry, with its parameters' names.
DAY_NOTE_PARAMS: Mapping[str, frozenset[str]] = {
    code: frozenset(names)
    for code, names in {
        NO_SESSIONS: (),
        LEGS_SPREADING: (),
        PAIN_FLARE: ("flare",),
        PAIN_RISING: ("before", "now"),
        LONG_BREAK: ("days",),
        SAFETY_AGAIN: (),
        **_HELD_BACK,
        LEGS_CENTRALISING: (),
        LOW_BACK_REVIEW: ("exercise", "sessions"),
        AS_WRITTEN: ("text",),
    }.items()
}


def hold(
    item: PlannedExercise,
    why: Reason,
    *,
    sets: int | None = None,
    dose_max: int | None = None,
    cue: str = "",
) -> PlannedExercise:
    """Keep the exercise and its load, with a reason and perhaps fewer sets or a lower top."""
    # Positional, like PlannedExercise.with_changes: every decision builds one, and naming the
    # fields makes each call about a third slower.
    return PlannedExercise(
        item.exercise,
        item.sets if sets is None else sets,
        item.dose_min,
        item.dose_max if dose_max is None else dose_max,
        why,
        item.load_kg,
        Decision.HOLD,
        cue,
        item.since,
    )


def switch(
    item: PlannedExercise,
    to: Exercise,
    decision: Decision,
    why: Reason,
    today: date,
    *,
    sets: int | None = None,
    cue: str = "",
) -> PlannedExercise:
    """Move to another exercise from today, at the bottom of its range with no set load.

    The words of a switch end with what the new exercise is (its summary, `backcoach.wording`).
    """
    return PlannedExercise(  # positional, as in hold
        to,
        sets or item.sets,
        to.dose_min,
        to.dose_max,
        why,
        None,
        decision,
        cue,
        today,
    )
