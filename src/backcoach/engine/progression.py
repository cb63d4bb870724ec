"""From logged sessions to the next session: progress, hold, regress or swap, with the reason.

Order of the rules, safest first: a red flag refers; a pain flare or rising pain eases every
exercise off (pain-monitoring model) and nothing progresses; a long break eases back in; a set
felt in the low back gets a cue, then an easier variant (M9); only then double progression.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.ladder import Ladder
from backcoach.engine.log import ExerciseLog, SessionLog
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan, PlannedExercise, Referral
from backcoach.engine.schedule import build_schedule, next_training_day
from backcoach.engine.screening import screen
from backcoach.engine.vocabulary import Decision

#: A break this long eases back in at two sets; twice as long goes one rung down.
LONG_BREAK_DAYS = 14
VERY_LONG_BREAK_DAYS = 28
#: Weekly mean of resting pain (before sessions) rising by this much counts as "rising".
WEEKLY_PAIN_RISE = 1.0
#: Sessions in a row at the top of the range before progressing (double progression).
SESSIONS_AT_TOP = 2
_DAY = attrgetter("day")
_WEEK, _FORTNIGHT = timedelta(days=7), timedelta(days=14)


@dataclass(frozen=True, slots=True)
class DayState:
    """What the whole log says before any single exercise is looked at."""

    flare: tuple[str, ...]
    rising_pain: str
    gap_days: int | None

    @property
    def easing_off(self) -> bool:
        return bool(self.flare) or bool(self.rising_pain)

    @property
    def long_break(self) -> bool:
        return self.gap_days is not None and self.gap_days >= LONG_BREAK_DAYS


def decide_next(
    plan: Plan, sessions: Sequence[SessionLog], today: date, catalogue: Catalogue
) -> Plan | Referral:
    """The next session's program, each exercise with its decision and a reason to read."""
    history = sorted(sessions, key=_DAY)  # Timsort: linear on a log that is already in order
    while history and history[-1].day > today:
        history.pop()  # sessions after today are not read
    latest = history[-1] if history else None
    if latest is not None and any(latest.red_flags.values()):
        return Referral(screen(latest.red_flags))
    state = read_day_state(history, today)
    taken = {item.exercise.id for item in plan.exercises}
    # Easing off and a long break decide every exercise alike, without reading its sets.
    reads_sets = not (state.easing_off or state.long_break)
    by_exercise = _recent_logs(history, set(taken)) if reads_sets else {}
    # One ladder sees `taken` grow, so no two exercises of the next plan are the same.
    ladder = Ladder(catalogue, plan.profile.equipment, plan.profile.avoid, taken)
    decided: list[PlannedExercise] = []
    for item in plan.exercises:
        choice = _decide(item, by_exercise.get(item.exercise.id, []), state, ladder)
        taken.add(choice.exercise.id)
        decided.append(choice)
    profile = plan.profile
    start = next_training_day(latest.day if latest else None, today)
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
        day_notes=_day_notes(state, len(history)),
    )


def _recent_logs(
    history: Sequence[SessionLog], wanted: set[str]
) -> dict[str, list[tuple[SessionLog, ExerciseLog]]]:
    """The last two logged sessions (with sets) of each wanted exercise, most recent first.

    Walks back only as far as it must, so a long log costs no more than a short one.
    """
    found: dict[str, list[tuple[SessionLog, ExerciseLog]]] = {key: [] for key in wanted}
    missing = len(wanted)
    for session in reversed(history):
        for logged in session.exercises:
            pairs = found.get(logged.exercise_id)
            if pairs is not None and len(pairs) < SESSIONS_AT_TOP and logged.sets:
                pairs.append((session, logged))
                if len(pairs) == SESSIONS_AT_TOP:
                    missing -= 1
        if not missing:
            break
    return found


def read_day_state(history: Sequence[SessionLog], today: date) -> DayState:
    if not history:
        return DayState((), "", None)
    latest = history[-1]
    return DayState(latest.flare, _rising_pain(history, today), (today - latest.day).days)


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
) -> PlannedExercise:
    exercise = item.exercise
    if state.easing_off:
        return _ease_off(item, state, ladder)
    if state.gap_days is not None and state.gap_days >= LONG_BREAK_DAYS:
        return _after_break(item, state.gap_days, ladder)
    if not logs:
        return _hold(item, "No sets logged for this exercise yet: do it as planned.")
    last = logs[0][1]
    before = logs[1][1] if len(logs) > 1 else None
    if last.felt_in_low_back:
        return _low_back(
            item,
            repeated=before is not None and before.felt_in_low_back,
            ladder=ladder,
        )
    if not last.felt_in_target:
        return _not_felt(
            item,
            repeated=before is not None and not before.felt_in_target,
            ladder=ladder,
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
            )
    if short:
        return _hold(
            item,
            f"Some sets fell short of {item.dose_min} {exercise.dose.value}: keep "
            "this version and build up.",
        )
    at_top = [
        _reached_top(logged, item) and not session.flare
        for session, logged in logs[:SESSIONS_AT_TOP]
    ]
    if len(at_top) == SESSIONS_AT_TOP and all(at_top):
        return _progress(item, last, ladder)
    topped = sum(s.amount >= item.dose_max for s in last.sets)
    return _hold(
        item,
        f"{topped} of {len(last.sets)} sets reached {item.dose_max} {exercise.dose.value}, felt "
        f"in the right place. When every set reaches {item.dose_max} in two sessions in a row, "
        "it moves up.",
    )


def _ease_off(item: PlannedExercise, state: DayState, ladder: Ladder) -> PlannedExercise:
    why = "; ".join(state.flare) if state.flare else state.rising_pain
    if state.flare:
        easier = ladder.easier(item.exercise)
        if easier is not None:
            return _switch(
                item,
                easier,
                Decision.REGRESS,
                f"Pain flared ({why}). {easier.name} is easier on your back until the "
                "pain settles; nothing moves up today.",
                sets=MIN_SETS,
            )
    return _hold(
        item,
        f"Pain {'flared' if state.flare else 'is rising'} ({why}). Keep this exercise with less "
        "volume until the pain settles; nothing moves up today.",
        sets=MIN_SETS,
        dose_max=_lower_top(item) if item.sets <= MIN_SETS else item.dose_max,
    )


def _after_break(item: PlannedExercise, gap: int, ladder: Ladder) -> PlannedExercise:
    why = f"It has been {gap} days since your last session: ease back in"
    if gap >= VERY_LONG_BREAK_DAYS:
        easier = ladder.easier(item.exercise)
        if easier is not None:
            return _switch(
                item, easier, Decision.REGRESS, f"{why} with {easier.name}.", sets=MIN_SETS
            )
    return _hold(
        item,
        f"{why} with {MIN_SETS} sets at the bottom of the range.",
        sets=MIN_SETS,
        dose_max=item.dose_min if item.dose_min < item.dose_max else item.dose_max,
    )


def _low_back(
    item: PlannedExercise,
    *,
    repeated: bool,
    ladder: Ladder,
) -> PlannedExercise:
    """M9: felt in the low back. First a cue; the second time an easier variant, or a swap."""
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
                cue=cue,
            )
        other = ladder.alternative(exercise)
        if other is not None:
            return _switch(
                item,
                other,
                Decision.SWAP,
                "Felt in your low back two sessions running and there is no easier "
                f"version: try {other.name} instead.",
                cue=cue,
            )
    return _hold(
        item,
        "You felt it in your low back. Keep this exercise and use the cue next "
        "time; it does not move up while the back takes the load.",
        cue=cue,
    )


def _not_felt(
    item: PlannedExercise,
    *,
    repeated: bool,
    ladder: Ladder,
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
            )
    return _hold(
        item,
        f"Not felt in the {where} yet. Slow down and use the cue; it moves up "
        "once you feel it there.",
        cue=exercise.cues[0],
    )


def _progress(item: PlannedExercise, last: ExerciseLog, ladder: Ladder) -> PlannedExercise:
    exercise = item.exercise
    top = f"{item.dose_max} {exercise.dose.value}"
    earned = f"Every set reached {top} in two sessions, felt in the right muscle, with pain settled"
    loads = [s.load_kg for s in last.sets if s.load_kg is not None]
    if exercise.loadable and loads:
        new_load = round(min(loads) + exercise.load_step_kg, 2)
        return item.with_changes(
            decision=Decision.PROGRESS,
            load_kg=new_load,
            dose_min=exercise.dose_min,
            dose_max=exercise.dose_max,
            cue="",
            reason=f"{earned}: add {exercise.load_step_kg:g} kg (to {new_load:g} kg) and start "
            f"again at {exercise.dose_min} {exercise.dose.value}.",
        )
    harder = ladder.harder(exercise)
    if harder is not None:
        return _switch(
            item,
            harder,
            Decision.PROGRESS,
            f"{earned}: move up to {harder.name}, starting at {harder.dose_min} "
            f"{harder.dose.value}.",
        )
    if item.sets < MAX_SETS:
        return item.with_changes(
            decision=Decision.PROGRESS,
            sets=item.sets + 1,
            cue="",
            reason=f"{earned}: add a set ({item.sets + 1} sets).",
        )
    return _hold(
        item,
        f"{earned}. This is the top of the ladder with your equipment: slow the "
        "lowering to 3-4 seconds to keep it challenging.",
    )


def _hold(
    item: PlannedExercise,
    reason: str,
    *,
    sets: int | None = None,
    dose_max: int | None = None,
    cue: str = "",
) -> PlannedExercise:
    """Keep the exercise and its load, with a reason and perhaps fewer sets or a lower top."""
    # Positional, like PlannedExercise.with_changes: every decision builds one, and naming the
    # eight fields makes each call about a third slower.
    return PlannedExercise(
        item.exercise,
        item.sets if sets is None else sets,
        item.dose_min,
        item.dose_max if dose_max is None else dose_max,
        reason,
        item.load_kg,
        Decision.HOLD,
        cue,
    )


def _switch(
    item: PlannedExercise,
    to: Exercise,
    decision: Decision,
    reason: str,
    *,
    sets: int | None = None,
    cue: str = "",
) -> PlannedExercise:
    """Move to another exercise, starting at the bottom of its range with no set load."""
    return PlannedExercise(  # positional, as in _hold
        to,
        sets or item.sets,
        to.dose_min,
        to.dose_max,
        f"{reason} {to.summary}",
        None,
        decision,
        cue,
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


def _day_notes(state: DayState, sessions: int) -> tuple[str, ...]:
    notes = []
    if sessions == 0:
        notes.append("No sessions logged yet: start with the plan as it is.")
    if state.flare:
        notes.append("Pain flared: " + "; ".join(state.flare) + ".")
    if state.rising_pain:
        notes.append(f"Pain is rising: {state.rising_pain}.")
    if state.long_break:
        notes.append(f"{state.gap_days} days since the last session: easing back in.")
    return tuple(notes)
