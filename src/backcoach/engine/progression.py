"""From logged sessions to the next session: progress, hold, regress or swap, with the reason.

Order of the rules, safest first: a red flag refers; a pain flare, leg symptoms spreading further
down the leg or rising pain ease every exercise off (pain-monitoring model) and nothing
progresses; a long break eases back in; a set felt in the low back gets a cue, then an easier
variant (M9); then double progression, slowly: reps, then sets, then at most one rung per two
weeks. Last, the day's pain can hold back what would move up: a missing or worse next morning,
high pain that stayed high, or very high pain before the session. Each decision carries a reason:
a short stable code (`hold.morning_missing` ...) and its parameters, which docs/progression.md
lists and `backcoach.wording` puts into words.

This module is the entry point and the per-exercise decision that puts the rules in that order.
The rules themselves live beside it, and none of them imports this one: `day_state` (what the
whole log says: pain monitoring and breaks, and the day's notes), `low_back` (M9's low-back
signal), `progression_pace` (how fast an exercise moves up) and `decisions` (the codes, and how
a hold or a switch is built). Callers keep importing from here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from operator import attrgetter

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.day_state import (
    VERY_LONG_BREAK_DAYS,
    DayState,
    after_break,
    day_notes,
    ease_off,
    read_day_state,
)
from backcoach.engine.decisions import (
    ADD_LOAD,
    ADD_SET,
    BUILDING,
    FELL_SHORT,
    HIGH_STABLE_PAIN,
    LEGS_CENTRALISING,
    LEGS_SPREADING,
    LEGS_SPREADING_EASIER,
    LEGS_SPREADING_FLARE,
    LEGS_SPREADING_FLARE_EASIER,
    LONG_BREAK,
    LOW_BACK_CUE,
    LOW_BACK_REVIEW,
    MORNING_MISSING,
    MORNING_WORSE,
    NEXT_RUNG,
    NO_SESSIONS,
    NO_SETS,
    NOT_FELT,
    PAIN_FLARE,
    PAIN_FLARE_EASIER,
    PAIN_RISING,
    REGRESS_FELL_SHORT,
    REGRESS_LONG_BREAK,
    REGRESS_LOW_BACK,
    RUNG_WAIT,
    RUNG_WAIT_SINCE_UNKNOWN,
    SAFETY_AGAIN,
    START_MOBILITY,
    START_STRENGTH,
    SWAP_LOW_BACK,
    SWAP_NOT_FELT,
    TOP_OF_LADDER,
    VERY_HIGH_PAIN,
    hold,
    switch,
)
from backcoach.engine.ladder import Ladder
from backcoach.engine.log import ExerciseLog, SessionLog
from backcoach.engine.low_back import felt_in_low_back
from backcoach.engine.overrides import NO_OVERRIDES, Constraints, Overrides, PinnedLadder
from backcoach.engine.plan import Plan, PlannedExercise, Referral
from backcoach.engine.prescription import excluded
from backcoach.engine.progression_pace import load_step, progress
from backcoach.engine.reasons import Reason
from backcoach.engine.schedule import build_schedule, frequency_for, next_training_day
from backcoach.engine.screening import still_referring
from backcoach.engine.vocabulary import Decision

# What callers import from here. Every decision code is re-exported too, so that this module
# still names them all (a test checks each against docs/progression.md).
__all__ = [
    "ADD_LOAD",
    "ADD_SET",
    "BUILDING",
    "FELL_SHORT",
    "HELD_BACK_BY_THE_DAY",
    "HIGH_STABLE_PAIN",
    "LEGS_CENTRALISING",
    "LEGS_SPREADING",
    "LEGS_SPREADING_EASIER",
    "LEGS_SPREADING_FLARE",
    "LEGS_SPREADING_FLARE_EASIER",
    "LONG_BREAK",
    "LOW_BACK_CUE",
    "LOW_BACK_REVIEW",
    "MORNING_MISSING",
    "MORNING_WORSE",
    "NEXT_RUNG",
    "NOT_FELT",
    "NO_SESSIONS",
    "NO_SETS",
    "PAIN_FLARE",
    "PAIN_FLARE_EASIER",
    "PAIN_RISING",
    "READS_BACK_DAYS",
    "REGRESS_FELL_SHORT",
    "REGRESS_LONG_BREAK",
    "REGRESS_LOW_BACK",
    "RUNG_WAIT",
    "RUNG_WAIT_SINCE_UNKNOWN",
    "SAFETY_AGAIN",
    "SESSIONS_AT_TOP",
    "START_MOBILITY",
    "START_STRENGTH",
    "SWAP_LOW_BACK",
    "SWAP_NOT_FELT",
    "TOP_OF_LADDER",
    "VERY_HIGH_PAIN",
    "DayState",
    "decide_next",
    "load_step",
    "read_back",
    "read_day_state",
]

#: Sessions in a row at the top of the range before progressing (double progression).
SESSIONS_AT_TOP = 2

#: How far back sets and pain are read: four weeks, the break after which an exercise goes a
#: rung down anyway (rule 6). What was logged before says little about today's capacity, and a
#: bound lets a caller load four weeks of sets however long the log (`read_back`). Check-ins
#: are still read to the first, so a red flag is never forgotten (rule 1).
READS_BACK_DAYS = VERY_LONG_BREAK_DAYS

#: What the day's pain holds back: decisions that move up, and holds that only say "keep going"
#: (what `_from_sets` decides for an exercise with no sets, or sets felt in the target and none
#: short).
HELD_BACK_BY_THE_DAY = frozenset(
    {
        ADD_SET,
        ADD_LOAD,
        NEXT_RUNG,
        NO_SETS,
        BUILDING,
        RUNG_WAIT,
        RUNG_WAIT_SINCE_UNKNOWN,
        TOP_OF_LADDER,
    }
)

_DAY = attrgetter("day")


def decide_next(
    plan: Plan,
    sessions: Sequence[SessionLog],
    today: date,
    catalogue: Catalogue,
    *,
    cleared_on: date | None = None,
    overrides: Overrides = NO_OVERRIDES,
) -> Plan | Referral:
    """The next session's program, each exercise with its decision and a reason to read.

    A red flag raised at any logged check-in refers until a clearance on or after its day
    (``cleared_on``); a later session without answers forgets nothing. A coach's ``overrides``
    are constraints the decisions keep (engine/overrides.py; docs/progression.md, "Coach
    overrides"); the impossible ones are left out.
    """
    history = sorted(sessions, key=_DAY)  # Timsort: linear on a log that is already in order
    while history and history[-1].day > today:
        history.pop()  # sessions after today are not read
    latest = history[-1] if history else None
    check_ins = [(session.day, session.red_flags) for session in history if session.red_flags]
    if check_ins:
        referral = still_referring(
            check_ins, baseline=plan.profile.screening_answers(), cleared_on=cleared_on
        )
        if referral is not None:
            return Referral(referral)
    recent = read_back(history, today)
    state = read_day_state(recent, today)
    # The identity test first: no overrides (the usual case) costs no method call.
    coach = (
        None
        if overrides is NO_OVERRIDES or not overrides
        else Constraints(overrides, plan, catalogue)
    )
    exercises = plan.exercises if coach is None else coach.before(plan.exercises, today)
    taken = {item.exercise.id for item in exercises}
    # Easing off and a long break decide every exercise alike, without reading its sets.
    reads_sets = not (state.easing_off or state.long_break)
    by_exercise = _recent_logs(recent, set(taken)) if reads_sets else {}
    # One ladder sees `taken` grow, so no two exercises of the next plan are the same.
    # The avoid list and what the person's body rules out (e.g. lying on the back after 12
    # weeks of pregnancy): no move may land there.
    profile = plan.profile
    avoid = excluded(profile, catalogue)
    if coach is None:
        ladder = Ladder(catalogue, profile.equipment, avoid, taken)
    else:
        # What the coach swapped out never comes back; what the coach chose never moves.
        taken |= coach.swapped_out
        ladder = PinnedLadder(catalogue, profile.equipment, avoid, taken, coach.pinned)
    decided: list[PlannedExercise] = []
    for item in exercises:
        if coach is not None and item.exercise.id in coach.settled:
            decided.append(item)  # the coach decided it today: the log is of another exercise
            continue
        logs = by_exercise.get(item.exercise.id, [])
        choice = _decide(item, logs, state, ladder, recent, today)
        if coach is not None:
            choice = coach.after(item, choice)
        taken.add(choice.exercise.id)
        decided.append(choice)
    start = next_training_day(latest.day if latest else None, today)
    notes = day_notes(state, len(history), decided)
    days, weekdays = profile.days_per_week, profile.weekdays
    sessions_per_week, frequency_note = plan.sessions_per_week, plan.frequency_note
    if coach is not None and coach.schedule is not None:
        days, weekdays = coach.schedule.days_per_week, coach.schedule.weekdays
        frequency = frequency_for(days)
        sessions_per_week, frequency_note = frequency.sessions_per_week, frequency.note
    return Plan(
        profile=profile,
        start=plan.start,
        exercises=tuple(decided),
        mobility=plan.mobility,
        sessions_per_week=sessions_per_week,
        frequency_note=frequency_note,
        schedule=build_schedule(start, days, weekdays=weekdays),
        notes=plan.notes,
        decided_on=today,
        day_notes=notes,
    )


def read_back(history: Sequence[SessionLog], today: date) -> Sequence[SessionLog]:
    """The sessions of a log (sorted by day, none after today) that decide sets and pain: those
    of the last `READS_BACK_DAYS` days, or the latest alone when it is older (a long break)."""
    first = bisect_right(history, today - timedelta(days=READS_BACK_DAYS), key=_DAY)
    return history[min(first, len(history) - 1) :] if history else history


def _recent_logs(
    history: Sequence[SessionLog], wanted: set[str]
) -> dict[str, list[tuple[SessionLog, ExerciseLog]]]:
    """The last two logged sessions (with sets) of each wanted exercise, most recent first.

    Walks back only as far as it must, so a long log costs no more than a short one.
    """
    found: dict[str, list[tuple[SessionLog, ExerciseLog]]] = {key: [] for key in wanted}
    enough = SESSIONS_AT_TOP
    missing = len(wanted)
    for session in reversed(history):
        for logged in session.exercises:
            pairs = found.get(logged.exercise_id)
            if pairs is not None and len(pairs) < enough and logged.sets:
                pairs.append((session, logged))
                if len(pairs) == enough:
                    missing -= 1
        if not missing:
            break
    return found


def _decide(
    item: PlannedExercise,
    logs: list[tuple[SessionLog, ExerciseLog]],
    state: DayState,
    ladder: Ladder,
    history: Sequence[SessionLog],
    today: date,
) -> PlannedExercise:
    if state.easing_off:
        return ease_off(item, state, ladder, today)
    if state.long_break:
        return after_break(item, state.gap_days or 0, ladder, today)
    if state.held_back is not None:
        last = logs[0][1] if logs else None
        if last is None or (last.felt_in_target and last.least >= item.dose_min):
            # What would move up or only keep going holds for the day's pain instead; the
            # exercise's own signals (low back, not felt, short) still apply below.
            return hold(item, state.held_back)
    return _from_sets(item, logs, ladder, history, today)


def _from_sets(
    item: PlannedExercise,
    logs: list[tuple[SessionLog, ExerciseLog]],
    ladder: Ladder,
    history: Sequence[SessionLog],
    today: date,
) -> PlannedExercise:
    """What the exercise's own recent sets call for (M9, double progression)."""
    exercise = item.exercise
    if not logs:
        return hold(item, _NO_SETS)
    last = logs[0][1]
    before = logs[1][1] if len(logs) > 1 else None
    if last.felt_in_low_back:
        repeated = before is not None and before.felt_in_low_back
        return felt_in_low_back(item, repeated, ladder, history, today)
    if not last.felt_in_target:
        return _not_felt(
            item,
            repeated=before is not None and not before.felt_in_target,
            ladder=ladder,
            today=today,
        )
    short = _fell_short(last, item)
    if short and before is not None and _fell_short(before, item):
        easier = ladder.easier(exercise)
        if easier is not None:
            why = Reason(
                REGRESS_FELL_SHORT, (("bottom", item.dose_min), ("to_exercise", easier.id))
            )
            return switch(item, easier, Decision.REGRESS, why, today)
    if short:
        return hold(
            item, Reason(FELL_SHORT, (("bottom", item.dose_min), ("unit", exercise.dose.value)))
        )
    at_top = [
        _reached_top(logged, item) and session.settled for session, logged in logs[:SESSIONS_AT_TOP]
    ]
    if len(at_top) == SESSIONS_AT_TOP and all(at_top):
        return progress(item, last, ladder, history, today)
    topped = sum(s.amount >= item.dose_max for s in last.sets)
    return hold(
        item,
        Reason(
            BUILDING,
            (
                ("topped", topped),
                ("sets", len(last.sets)),
                ("top", item.dose_max),
                ("unit", exercise.dose.value),
            ),
        ),
    )


def _not_felt(
    item: PlannedExercise,
    *,
    repeated: bool,
    ladder: Ladder,
    today: date,
) -> PlannedExercise:
    exercise = item.exercise
    if repeated:
        other = ladder.alternative(exercise)
        if other is not None:
            why = Reason(SWAP_NOT_FELT, (("exercise", exercise.id), ("to_exercise", other.id)))
            return switch(item, other, Decision.SWAP, why, today)
    return hold(item, Reason(NOT_FELT, (("exercise", exercise.id),)), cue=exercise.cues[0])


_NO_SETS = Reason(NO_SETS)


def _fell_short(logged: ExerciseLog, item: PlannedExercise) -> bool:
    return logged.least < item.dose_min


def _reached_top(logged: ExerciseLog, item: PlannedExercise) -> bool:
    """All planned sets at the top of the range, at the planned load, felt in the target."""
    if len(logged.sets) < item.sets or not logged.felt_in_target or logged.least < item.dose_max:
        return False
    return item.load_kg is None or all((s.load_kg or 0) >= item.load_kg for s in logged.sets)
