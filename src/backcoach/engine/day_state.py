"""What the whole log says about today, before any one exercise: pain monitoring and breaks.

Rules 2-6 and 12-15 of docs/progression.md. From the latest session and the last two weeks it
reads, once per decision, what the pain-monitoring model (Thomeé 1997; Silbernagel et al. 2007)
says: leg symptoms spreading, a flare, pain rising week on week, and what holds progress back
(very high pain before, a worse or missing next morning, high but stable pain); and how long
the break since the last session is. Those ease off, or ease back in, every exercise alike
without reading its sets, and give the day's notes. They are apart from the core because they
read the log, not the exercise: the core asks `read_day_state` once and each exercise obeys it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backcoach.engine.decisions import (
    HIGH_STABLE_PAIN,
    LEGS_CENTRALISING,
    LEGS_SPREADING,
    LEGS_SPREADING_EASIER,
    LEGS_SPREADING_FLARE,
    LEGS_SPREADING_FLARE_EASIER,
    LONG_BREAK,
    LOW_BACK_REVIEW,
    MORNING_MISSING,
    MORNING_WORSE,
    NO_SESSIONS,
    PAIN_FLARE,
    PAIN_FLARE_EASIER,
    PAIN_RISING,
    REGRESS_LONG_BREAK,
    SAFETY_AGAIN,
    VERY_HIGH_PAIN,
    hold,
    switch,
)
from backcoach.engine.ladder import Ladder
from backcoach.engine.log import MORNING_RISE, VERY_HIGH_PAIN_BEFORE, SessionLog
from backcoach.engine.low_back import LOW_BACK_SESSIONS_FOR_REVIEW
from backcoach.engine.plan import MIN_SETS, PlannedExercise
from backcoach.engine.reasons import Param, Reason
from backcoach.engine.vocabulary import Decision, LegSymptoms

#: A break this long eases back in at two sets; twice as long goes one rung down.
LONG_BREAK_DAYS = 14
VERY_LONG_BREAK_DAYS = 28
#: Weekly mean of resting pain (before sessions) rising by this much counts as "rising".
WEEKLY_PAIN_RISE = 1.0

_FURTHER_DOWN, _LESS_FAR = LegSymptoms.FURTHER_DOWN, LegSymptoms.LESS_FAR
_WEEK, _FORTNIGHT = timedelta(days=7), timedelta(days=14)


@dataclass(frozen=True, slots=True)
class DayState:
    """What the whole log says before any single exercise is looked at (worked out once)."""

    #: The parts of the latest session's flare (flare.during ...), empty without one.
    flare: tuple[Reason, ...]
    #: Weekly mean pain before sessions rising (hold.pain_rising, before and now), or None.
    rising_pain: Reason | None
    gap_days: int | None
    latest: SessionLog | None = None
    #: What in the latest session holds every exercise back, the most telling first.
    holds: tuple[Reason, ...] = ()
    #: The reason of a hold for holds[0] (None without holds).
    held_back: Reason | None = None
    legs_spreading: bool = False
    easing_off: bool = False
    long_break: bool = False


def read_day_state(history: Sequence[SessionLog], today: date) -> DayState:
    """The day's state from a log sorted by day and cut at today."""
    if not history:
        return DayState((), None, None)
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
        holds[0] if holds else None,
        spreading,
        bool(latest.flare) or rising is not None or spreading,
        long_break,
    )


def _holds(latest: SessionLog) -> tuple[Reason, ...]:
    """What in the latest session holds progress back (pain-monitoring model), gravest first."""
    holds = []
    before = latest.pain_before
    if before >= VERY_HIGH_PAIN_BEFORE:
        holds.append(Reason(VERY_HIGH_PAIN, (("before", before),)))
    morning = latest.pain_next_morning
    if morning is not None and before < morning < before + MORNING_RISE:
        # Two or more above is a flare, which eases off instead.
        holds.append(Reason(MORNING_WORSE, (("morning", morning), ("before", before))))
    if latest.high_stable_pain and not latest.flare:
        holds.append(
            Reason(
                HIGH_STABLE_PAIN,
                (("before", before), ("during", latest.pain_during), ("after", latest.pain_after)),
            )
        )
    if morning is None:
        holds.append(_MORNING_MISSING)
    return tuple(holds)


_MORNING_MISSING = Reason(MORNING_MISSING)


def _rising_pain(history: Sequence[SessionLog], today: date) -> Reason | None:
    """Mean pain before sessions this week against last week (pain-monitoring model)."""
    week_ago, fortnight_ago = today - _WEEK, today - _FORTNIGHT
    this_week: list[int] = []
    last_week: list[int] = []
    for session in reversed(history):  # newest first; stop at two weeks back
        if session.day <= fortnight_ago:
            break
        (this_week if session.day > week_ago else last_week).append(session.pain_before)
    if not this_week or not last_week:
        return None
    # sum/len rather than statistics.fmean: this runs for every decision and is 5x faster.
    now, before = sum(this_week) / len(this_week), sum(last_week) / len(last_week)
    if now - before >= WEEKLY_PAIN_RISE:
        return Reason(PAIN_RISING, (("before", round(before, 1)), ("now", round(now, 1))))
    return None


def ease_off(
    item: PlannedExercise, state: DayState, ladder: Ladder, today: date
) -> PlannedExercise:
    """Legs spreading or a flare: one rung easier, else two sets; rising pain: two sets."""
    flare = state.flare
    if state.legs_spreading or flare:
        easier = ladder.easier(item.exercise)
        if state.legs_spreading:
            if flare:
                code = LEGS_SPREADING_FLARE if easier is None else LEGS_SPREADING_FLARE_EASIER
            else:
                code = LEGS_SPREADING if easier is None else LEGS_SPREADING_EASIER
        else:
            code = PAIN_FLARE if easier is None else PAIN_FLARE_EASIER
        said: tuple[tuple[str, Param], ...] = (("flare", flare),) if flare else ()
        if easier is not None:
            why = Reason(code, (*said, ("to_exercise", easier.id)))
            return switch(item, easier, Decision.REGRESS, why, today, sets=MIN_SETS)
        why = Reason(code, said)
    else:
        why = state.rising_pain or Reason(PAIN_RISING)
    return hold(
        item,
        why,
        sets=MIN_SETS,
        dose_max=_lower_top(item) if item.sets <= MIN_SETS else item.dose_max,
    )


def after_break(item: PlannedExercise, gap: int, ladder: Ladder, today: date) -> PlannedExercise:
    """Ease back in at two sets from the bottom of the range; after four weeks, one rung down."""
    if gap >= VERY_LONG_BREAK_DAYS:
        easier = ladder.easier(item.exercise)
        if easier is not None:
            why = Reason(REGRESS_LONG_BREAK, (("days", gap), ("to_exercise", easier.id)))
            return switch(item, easier, Decision.REGRESS, why, today, sets=MIN_SETS)
    return hold(
        item,
        Reason(LONG_BREAK, (("days", gap), ("sets", MIN_SETS))),
        sets=MIN_SETS,
        dose_max=item.dose_min if item.dose_min < item.dose_max else item.dose_max,
    )


def _lower_top(item: PlannedExercise) -> int:
    return max(item.dose_min, (item.dose_min + item.dose_max) // 2)


def day_notes(
    state: DayState, sessions: int, decided: Sequence[PlannedExercise]
) -> tuple[Reason, ...]:
    """The day's notes, each a code and its parameters (docs/progression.md, "Codes")."""
    notes: list[Reason] = []
    if sessions == 0:
        notes.append(Reason(NO_SESSIONS))
    if state.legs_spreading:
        notes.append(Reason(LEGS_SPREADING))
    if state.flare:
        notes.append(Reason(PAIN_FLARE, (("flare", state.flare),)))
    if state.rising_pain is not None:
        notes.append(state.rising_pain)
    if state.long_break:
        notes.append(Reason(LONG_BREAK, (("days", state.gap_days or 0),)))
    if state.gap_days is not None and state.gap_days >= VERY_LONG_BREAK_DAYS:
        notes.append(Reason(SAFETY_AGAIN))
    latest = state.latest
    if latest is not None:
        notes.extend(state.holds)
        if latest.leg_symptoms is _LESS_FAR and not state.long_break:
            notes.append(Reason(LEGS_CENTRALISING))
    # One note per exercise to review, so that each names its exercise (by id).
    notes.extend(
        Reason(
            LOW_BACK_REVIEW,
            (("exercise", item.exercise.id), ("sessions", LOW_BACK_SESSIONS_FOR_REVIEW)),
        )
        for item in decided
        if item.reason.code == LOW_BACK_REVIEW
    )
    return tuple(notes)
