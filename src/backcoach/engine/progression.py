"""From logged sessions to the next session: progress, hold, regress or swap, with the reason.

Order of the rules, safest first: a red flag refers; a pain flare, leg symptoms spreading further
down the leg or rising pain ease every exercise off (pain-monitoring model) and nothing
progresses; a long break eases back in; a set felt in the low back gets a cue, then an easier
variant (M9); then double progression, slowly: reps, then sets, then at most one rung per two
weeks. Last, the day's pain can hold back what would move up: a missing or worse next morning,
high pain that stayed high, or very high pain before the session. Each decision carries a short
stable code (`hold.morning_missing` ...) beside its words; docs/progression.md lists them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from math import floor
from operator import attrgetter

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.ladder import Ladder
from backcoach.engine.log import MORNING_RISE, VERY_HIGH_PAIN_BEFORE, ExerciseLog, SessionLog
from backcoach.engine.plan import (
    HIGH_PAIN_DAY,
    MAX_SETS,
    MIN_SETS,
    Plan,
    PlannedExercise,
    Referral,
)
from backcoach.engine.prescription import excluded
from backcoach.engine.schedule import build_schedule, next_training_day
from backcoach.engine.screening import still_referring
from backcoach.engine.vocabulary import Decision, LegSymptoms

#: A break this long eases back in at two sets; twice as long goes one rung down.
LONG_BREAK_DAYS = 14
VERY_LONG_BREAK_DAYS = 28
#: Weekly mean of resting pain (before sessions) rising by this much counts as "rising".
WEEKLY_PAIN_RISE = 1.0
#: Sessions in a row at the top of the range before progressing (double progression).
SESSIONS_AT_TOP = 2
#: Sessions in a row felt in the low back on the easiest rung before a coach or clinician looks.
LOW_BACK_SESSIONS_FOR_REVIEW = 3
#: At most one rung up the ladder in this many days (ACSM 2009: progress gradually).
RUNG_INTERVAL = timedelta(days=14)
#: A load step is this share of the current load, rounded to the exercise's smallest step
#: (ACSM 2009: 2-10% once the top of the range is reached).
LOAD_STEP_SHARE = 0.075

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

#: What the day's pain holds back: decisions that move up, and holds that only say "keep going"
#: (what `_from_sets` decides for an exercise with no sets, or sets felt in the target and none
#: short).
HELD_BACK_BY_THE_DAY = frozenset(
    {ADD_SET, ADD_LOAD, NEXT_RUNG, NO_SETS, BUILDING, RUNG_WAIT, TOP_OF_LADDER}
)

_DAY = attrgetter("day")
_FURTHER_DOWN, _LESS_FAR = LegSymptoms.FURTHER_DOWN, LegSymptoms.LESS_FAR
_WEEK, _FORTNIGHT = timedelta(days=7), timedelta(days=14)


@dataclass(frozen=True, slots=True)
class DayState:
    """What the whole log says before any single exercise is looked at (worked out once)."""

    flare: tuple[str, ...]
    rising_pain: str
    gap_days: int | None
    latest: SessionLog | None = None
    #: Codes of what in the latest session holds every exercise back, the most telling first.
    holds: tuple[str, ...] = ()
    #: The reason of a hold for holds[0] (empty without holds).
    held_back: str = ""
    legs_spreading: bool = False
    easing_off: bool = False
    long_break: bool = False


def decide_next(
    plan: Plan,
    sessions: Sequence[SessionLog],
    today: date,
    catalogue: Catalogue,
    *,
    cleared_on: date | None = None,
) -> Plan | Referral:
    """The next session's program, each exercise with its decision and a reason to read.

    A red flag raised at any logged check-in refers until a clearance on or after its day
    (``cleared_on``); a later session without answers forgets nothing.
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
    state = read_day_state(history, today)
    taken = {item.exercise.id for item in plan.exercises}
    # Easing off and a long break decide every exercise alike, without reading its sets.
    reads_sets = not (state.easing_off or state.long_break)
    by_exercise = _recent_logs(history, set(taken)) if reads_sets else {}
    # One ladder sees `taken` grow, so no two exercises of the next plan are the same.
    # The avoid list and what the person's body rules out (e.g. lying on the back after 12
    # weeks of pregnancy): no move may land there.
    ladder = Ladder(catalogue, plan.profile.equipment, excluded(plan.profile, catalogue), taken)
    decided: list[PlannedExercise] = []
    for item in plan.exercises:
        logs = by_exercise.get(item.exercise.id, [])
        choice = _decide(item, logs, state, ladder, history, today)
        taken.add(choice.exercise.id)
        decided.append(choice)
    profile = plan.profile
    start = next_training_day(latest.day if latest else None, today)
    codes, notes = _day_notes(state, len(history), decided)
    return Plan(
        profile=profile,
        start=plan.start,
        exercises=tuple(decided),
        mobility=plan.mobility,
        sessions_per_week=plan.sessions_per_week,
        frequency_note=plan.frequency_note,
        schedule=build_schedule(start, profile.days_per_week, weekdays=profile.weekdays),
        notes=plan.notes,
        decided_on=today,
        day_notes=notes,
        day_codes=codes,
    )


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


def read_day_state(history: Sequence[SessionLog], today: date) -> DayState:
    if not history:
        return DayState((), "", None)
    latest = history[-1]
    gap = (today - latest.day).days
    long_break = gap >= LONG_BREAK_DAYS
    # After a long break the last session's pain says little about today: the break rule leads.
    holds = () if long_break else _holds(latest)
    rising = _rising_pain(history, today)
    spreading = latest.leg_symptoms is _FURTHER_DOWN
    return DayState(  # positional: this runs for every decision
        latest.flare,
        rising,
        gap,
        latest,
        holds,
        _held_back(holds[0], latest) if holds else "",
        spreading,
        bool(latest.flare) or bool(rising) or spreading,
        long_break,
    )


def _holds(latest: SessionLog) -> tuple[str, ...]:
    """What in the latest session holds progress back (pain-monitoring model), gravest first."""
    holds = []
    if latest.pain_before >= VERY_HIGH_PAIN_BEFORE:
        holds.append(VERY_HIGH_PAIN)
    morning = latest.pain_next_morning
    if morning is not None and latest.pain_before < morning < latest.pain_before + MORNING_RISE:
        holds.append(MORNING_WORSE)  # two or more above is a flare, which eases off instead
    if latest.high_stable_pain and not latest.flare:
        holds.append(HIGH_STABLE_PAIN)
    if morning is None:
        holds.append(MORNING_MISSING)
    return tuple(holds)


def _rising_pain(history: Sequence[SessionLog], today: date) -> str:
    """Mean pain before sessions this week against last week (pain-monitoring model)."""
    week_ago, fortnight_ago = today - _WEEK, today - _FORTNIGHT
    this_week: list[int] = []
    last_week: list[int] = []
    for session in reversed(history):  # newest first; stop at two weeks back
        if session.day <= fortnight_ago:
            break
        (this_week if session.day > week_ago else last_week).append(session.pain_before)
    if not this_week or not last_week:
        return ""
    # sum/len rather than statistics.fmean: this runs for every decision and is 5x faster.
    now, before = sum(this_week) / len(this_week), sum(last_week) / len(last_week)
    if now - before >= WEEKLY_PAIN_RISE:
        return f"your pain before sessions rose from {before:.1f} to {now:.1f} this week"
    return ""


def _decide(
    item: PlannedExercise,
    logs: list[tuple[SessionLog, ExerciseLog]],
    state: DayState,
    ladder: Ladder,
    history: Sequence[SessionLog],
    today: date,
) -> PlannedExercise:
    if state.easing_off:
        return _ease_off(item, state, ladder, today)
    if state.long_break:
        return _after_break(item, state.gap_days or 0, ladder, today)
    if state.held_back:
        last = logs[0][1] if logs else None
        if last is None or (last.felt_in_target and last.least >= item.dose_min):
            # What would move up or only keep going holds for the day's pain instead; the
            # exercise's own signals (low back, not felt, short) still apply below.
            return _hold(item, state.held_back, state.holds[0])
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
        return _hold(item, "No sets logged for this exercise yet: do it as planned.", NO_SETS)
    last = logs[0][1]
    before = logs[1][1] if len(logs) > 1 else None
    if last.felt_in_low_back:
        repeated = before is not None and before.felt_in_low_back
        return _low_back(item, repeated, ladder, history, today)
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
            return _switch(
                item,
                easier,
                Decision.REGRESS,
                f"Two sessions with sets short of {item.dose_min}: {easier.name} is "
                "an easier version to build from.",
                REGRESS_FELL_SHORT,
                today,
            )
    if short:
        return _hold(
            item,
            f"Some sets fell short of {item.dose_min} {exercise.dose.value}: keep "
            "this version and build up.",
            FELL_SHORT,
        )
    at_top = [
        _reached_top(logged, item) and session.settled for session, logged in logs[:SESSIONS_AT_TOP]
    ]
    if len(at_top) == SESSIONS_AT_TOP and all(at_top):
        return _progress(item, last, ladder, history, today)
    topped = sum(s.amount >= item.dose_max for s in last.sets)
    return _hold(
        item,
        f"{topped} of {len(last.sets)} sets reached {item.dose_max} {exercise.dose.value}, felt "
        f"in the right place. When every set reaches {item.dose_max} in two sessions in a row, "
        "it moves up.",
        BUILDING,
    )


def _ease_off(
    item: PlannedExercise, state: DayState, ladder: Ladder, today: date
) -> PlannedExercise:
    if state.legs_spreading:
        code = LEGS_SPREADING
        why = (
            "Your leg symptoms spread further down the leg after the last session: please ask a "
            "clinician (a physiotherapist or your doctor) to look at your back soon."
        )
        if state.flare:
            why += f" Pain also flared ({'; '.join(state.flare)})."
    elif state.flare:
        code, why = PAIN_FLARE, f"Pain flared ({'; '.join(state.flare)})."
    else:
        code, why = PAIN_RISING, f"Pain is rising ({state.rising_pain})."
    if code != PAIN_RISING:
        easier = ladder.easier(item.exercise)
        if easier is not None:
            return _switch(
                item,
                easier,
                Decision.REGRESS,
                f"{why} {easier.name} is easier on your back until it settles; nothing moves "
                "up today.",
                code,
                today,
                sets=MIN_SETS,
            )
    return _hold(
        item,
        f"{why} Keep this exercise with less volume until it settles; nothing moves up today.",
        code,
        sets=MIN_SETS,
        dose_max=_lower_top(item) if item.sets <= MIN_SETS else item.dose_max,
    )


def _after_break(item: PlannedExercise, gap: int, ladder: Ladder, today: date) -> PlannedExercise:
    why = f"It has been {gap} days since your last session: ease back in"
    if gap >= VERY_LONG_BREAK_DAYS:
        easier = ladder.easier(item.exercise)
        if easier is not None:
            return _switch(
                item,
                easier,
                Decision.REGRESS,
                f"{why} with {easier.name}.",
                REGRESS_LONG_BREAK,
                today,
                sets=MIN_SETS,
            )
    return _hold(
        item,
        f"{why} with {MIN_SETS} sets at the bottom of the range.",
        LONG_BREAK,
        sets=MIN_SETS,
        dose_max=item.dose_min if item.dose_min < item.dose_max else item.dose_max,
    )


def _low_back(
    item: PlannedExercise,
    repeated: bool,
    ladder: Ladder,
    history: Sequence[SessionLog],
    today: date,
) -> PlannedExercise:
    """M9, felt in the low back: a cue; twice running, easier or gentler; three times, a review."""
    exercise = item.exercise
    fault = exercise.low_back_fix
    cue = fault.fix if fault else "Slow down and keep your ribs down and your back still."
    if repeated:
        easier = ladder.easier(exercise)
        if easier is not None:
            return _switch(
                item,
                easier,
                Decision.REGRESS,
                "Felt in your low back two sessions running: "
                f"{easier.name} is easier to feel in the right muscles.",
                REGRESS_LOW_BACK,
                today,
                cue=cue,
            )
        run = _low_back_run(history, exercise.id)
        if run >= LOW_BACK_SESSIONS_FOR_REVIEW:
            return _hold(
                item,
                f"Felt in your low back {run} sessions running, and there is no easier version "
                "you can do: please ask your coach or a physiotherapist to review this exercise "
                "with you. Until then keep it as it is, use the cue, and stop a set if your back "
                "takes over.",
                LOW_BACK_REVIEW,
                cue=cue,
            )
        other = ladder.gentler(exercise)  # never a higher level or a longer lever
        if other is not None:
            return _switch(
                item,
                other,
                Decision.SWAP,
                "Felt in your low back two sessions running and there is no easier "
                f"version: try {other.name} instead.",
                SWAP_LOW_BACK,
                today,
                cue=cue,
            )
    return _hold(
        item,
        "You felt it in your low back. Keep this exercise and use the cue next "
        "time; it does not move up while the back takes the load.",
        LOW_BACK_CUE,
        cue=cue,
    )


def _not_felt(
    item: PlannedExercise,
    *,
    repeated: bool,
    ladder: Ladder,
    today: date,
) -> PlannedExercise:
    exercise = item.exercise
    where = " and ".join(t.replace("_", " ") for t in exercise.targets)
    if repeated:
        other = ladder.alternative(exercise)
        if other is not None:
            return _switch(
                item,
                other,
                Decision.SWAP,
                f"Two sessions without feeling it in the {where}: {other.name} may connect better.",
                SWAP_NOT_FELT,
                today,
            )
    return _hold(
        item,
        f"Not felt in the {where} yet. Slow down and use the cue; it moves up "
        "once you feel it there.",
        NOT_FELT,
        cue=exercise.cues[0],
    )


def _progress(
    item: PlannedExercise,
    last: ExerciseLog,
    ladder: Ladder,
    history: Sequence[SessionLog],
    today: date,
) -> PlannedExercise:
    """Reps first (the top of the range, twice), then a set, then load or one rung (ACSM 2009)."""
    exercise = item.exercise
    top = f"{item.dose_max} {exercise.dose.value}"
    earned = f"Every set reached {top} in two sessions, felt in the right muscle, with pain settled"
    if item.sets < MAX_SETS:
        return item.with_changes(
            decision=Decision.PROGRESS,
            sets=item.sets + 1,
            cue="",
            code=ADD_SET,
            reason=f"{earned}: add a set ({item.sets + 1} sets), aiming for "
            f"{item.dose_min}-{item.dose_max} {exercise.dose.value} again.",
        )
    loads = [s.load_kg for s in last.sets if s.load_kg is not None]
    if exercise.loadable and loads:
        current = min(loads)
        step = load_step(current, exercise.load_step_kg)
        new_load = round(current + step, 2)
        return item.with_changes(
            decision=Decision.PROGRESS,
            load_kg=new_load,
            dose_min=exercise.dose_min,
            dose_max=exercise.dose_max,
            cue="",
            code=ADD_LOAD,
            reason=f"{earned}: add {step:g} kg (to {new_load:g} kg) and start "
            f"again at {exercise.dose_min} {exercise.dose.value}.",
        )
    harder = ladder.harder(exercise)
    if harder is None:
        return _hold(
            item,
            f"{earned}. This is the top of the ladder with your equipment: slow the "
            "lowering to 3-4 seconds to keep it challenging.",
            TOP_OF_LADDER,
        )
    since = item.since or _on_it_since(history, exercise.id, today)
    if since is None or today - since < RUNG_INTERVAL:
        when = (
            f" (from {(since + RUNG_INTERVAL).isoformat()})"
            if since is not None
            else " on it (your log does not show since when)"
        )
        return _hold(
            item,
            f"{earned}. {harder.name} comes next, after two weeks on this exercise{when}: one "
            "step up at a time. Until then keep the same dose, with a slower lowering if it "
            "feels easy.",
            RUNG_WAIT,
        )
    return _switch(
        item,
        harder,
        Decision.PROGRESS,
        f"{earned}, at {item.sets} sets: move up to {harder.name}, starting at {MIN_SETS} sets of "
        f"{harder.dose_min} {harder.dose.value}.",
        NEXT_RUNG,
        today,
        sets=MIN_SETS,
    )


def _low_back_run(history: Sequence[SessionLog], exercise_id: str) -> int:
    """How many of the exercise's latest logged sessions in a row were felt in the low back.

    Read only on the rare path that needs a third session, so the common one walks two.
    """
    run = 0
    for session in reversed(history):
        logged = session.exercise(exercise_id)
        if logged is None or not logged.sets:
            continue
        if not logged.felt_in_low_back or run == LOW_BACK_SESSIONS_FOR_REVIEW:
            break
        run += 1
    return run


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


def _hold(
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


def _switch(
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
    return PlannedExercise(  # positional, as in _hold
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


def _lower_top(item: PlannedExercise) -> int:
    return max(item.dose_min, (item.dose_min + item.dose_max) // 2)


def _fell_short(logged: ExerciseLog, item: PlannedExercise) -> bool:
    return logged.least < item.dose_min


def _reached_top(logged: ExerciseLog, item: PlannedExercise) -> bool:
    """All planned sets at the top of the range, at the planned load, felt in the target."""
    if len(logged.sets) < item.sets or not logged.felt_in_target or logged.least < item.dose_max:
        return False
    return item.load_kg is None or all((s.load_kg or 0) >= item.load_kg for s in logged.sets)


def _held_back(code: str, latest: SessionLog) -> str:
    """Why nothing moves up today, for a hold the latest session's pain calls for."""
    before = latest.pain_before
    if code == VERY_HIGH_PAIN:
        return (
            f"Your pain was {before}/10 before the last session, which is very high: nothing "
            "moves up. While it is that high, do only the mobility drills for tight moments, "
            "and check with a doctor or physiotherapist if it stays that high."
        )
    if code == MORNING_WORSE:
        return (
            f"The morning after the last session your pain was {latest.pain_next_morning}/10, "
            f"above the {before}/10 before it: nothing moves up until the morning after is no "
            "worse than before. Keep the same exercise and dose."
        )
    if code == HIGH_STABLE_PAIN:
        return (
            f"Your pain was high but stable (before {before}/10, during {latest.pain_during}/10, "
            f"after {latest.pain_after}/10): not a flare, as it did not rise with the session, "
            "but nothing moves up while it is above 5. Keep the same exercise and dose."
        )
    return (
        "Waiting for the morning after the last session: until you tell us how your back felt "
        "then, this exercise stays as it is. It can move up once the morning answer is in."
    )


def _day_notes(
    state: DayState, sessions: int, decided: Sequence[PlannedExercise]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The day's codes and notes, one note per code and in the same order."""
    codes: list[str] = []
    notes: list[str] = []
    if sessions == 0:
        codes.append(NO_SESSIONS)
        notes.append("No sessions logged yet: start with the plan as it is.")
    if state.legs_spreading:
        codes.append(LEGS_SPREADING)
        notes.append(
            "Leg symptoms spread further down the leg after the last session: everything eases "
            "off, and please ask a clinician (a physiotherapist or your doctor) to look at your "
            "back soon."
        )
    if state.flare:
        codes.append(PAIN_FLARE)
        notes.append("Pain flared: " + "; ".join(state.flare) + ".")
    if state.rising_pain:
        codes.append(PAIN_RISING)
        notes.append(f"Pain is rising: {state.rising_pain}.")
    if state.long_break:
        codes.append(LONG_BREAK)
        notes.append(f"{state.gap_days} days since the last session: easing back in.")
    if state.gap_days is not None and state.gap_days >= VERY_LONG_BREAK_DAYS:
        codes.append(SAFETY_AGAIN)
        notes.append(
            "After four weeks or more away, answer the safety questions again before the next "
            "session (backcoach screen): things can change over a few weeks."
        )
    latest = state.latest
    if latest is not None:
        for code in state.holds:
            codes.append(code)
            notes.append(
                "Waiting for the morning after the last session: nothing moves up until you tell "
                "us how your back felt then (the morning check-in)."
                if code == MORNING_MISSING
                else _held_back(code, latest)
            )
        if latest.leg_symptoms is _LESS_FAR and not state.long_break:
            codes.append(LEGS_CENTRALISING)
            notes.append(
                "Good news: your leg symptoms reach less far down the leg than before, a sign "
                "your back is settling."
            )
    if LOW_BACK_REVIEW in {item.code for item in decided}:
        review = [item.exercise.name for item in decided if item.code == LOW_BACK_REVIEW]
        codes.append(LOW_BACK_REVIEW)
        notes.append(
            f"{', '.join(review)}: felt in the low back {LOW_BACK_SESSIONS_FOR_REVIEW} sessions "
            "running with no easier version left. Please ask your coach or a physiotherapist to "
            "review it with you."
        )
    return tuple(codes), tuple(notes)
