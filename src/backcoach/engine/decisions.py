"""What one progression decision is: its stable code, and the two shapes it takes.

Every rule of progression ends the same way: it keeps the exercise (`hold`) or moves to another
(`switch`), with words and a short stable code (`hold.morning_missing` ...) that
docs/progression.md lists. They live here, apart from the rules, so that each part of progression
(day state, low back, pace, the core) builds decisions alike and none imports another's rules.
"""

from __future__ import annotations

from datetime import date

from backcoach.engine.catalogue import Exercise
from backcoach.engine.plan import HIGH_PAIN_DAY, PlannedExercise
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
PAIN_FLARE = "ease_off.pain_flare"
LEGS_SPREADING = "ease_off.leg_symptoms_spreading"
LEGS_CENTRALISING = "note.leg_symptoms_centralising"
PAIN_RISING = "hold.pain_rising"
LONG_BREAK, REGRESS_LONG_BREAK = "hold.long_break", "regress.long_break"
VERY_HIGH_PAIN = HIGH_PAIN_DAY  # "hold.very_high_pain_before"
MORNING_WORSE = "hold.morning_worse"
HIGH_STABLE_PAIN = "hold.high_stable_pain"
MORNING_MISSING = "hold.morning_missing"


def hold(
    item: PlannedExercise,
    reason: str,
    code: str,
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
        reason,
        item.load_kg,
        Decision.HOLD,
        cue,
        code,
        item.since,
    )


def switch(
    item: PlannedExercise,
    to: Exercise,
    decision: Decision,
    reason: str,
    code: str,
    today: date,
    *,
    sets: int | None = None,
    cue: str = "",
) -> PlannedExercise:
    """Move to another exercise from today, at the bottom of its range with no set load."""
    return PlannedExercise(  # positional, as in hold
        to,
        sets or item.sets,
        to.dose_min,
        to.dose_max,
        f"{reason} {to.summary}",
        None,
        decision,
        cue,
        code,
        today,
    )
