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
    LONG_BREAK,
    LOW_BACK_REVIEW,
    MORNING_MISSING,
    MORNING_WORSE,
    NO_SESSIONS,
    PAIN_FLARE,
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


def read_day_state(history: Sequence[SessionLog], today: date) -> DayState:
    """The day's state from a log sorted by day and cut at today."""
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


def ease_off(
    item: PlannedExercise, state: DayState, ladder: Ladder, today: date
) -> PlannedExercise:
    """Legs spreading or a flare: one rung easier, else two sets; rising pain: two sets."""
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
            return switch(
                item,
                easier,
                Decision.REGRESS,
                f"{why} {easier.name} is easier on your back until it settles; nothing moves "
                "up today.",
                code,
                today,
                sets=MIN_SETS,
            )
    return hold(
        item,
        f"{why} Keep this exercise with less volume until it settles; nothing moves up today.",
        code,
        sets=MIN_SETS,
        dose_max=_lower_top(item) if item.sets <= MIN_SETS else item.dose_max,
    )


def after_break(item: PlannedExercise, gap: int, ladder: Ladder, today: date) -> PlannedExercise:
    """Ease back in at two sets from the bottom of the range; after four weeks, one rung down."""
    why = f"It has been {gap} days since your last session: ease back in"
    if gap >= VERY_LONG_BREAK_DAYS:
        easier = ladder.easier(item.exercise)
        if easier is not None:
            return switch(
                item,
                easier,
                Decision.REGRESS,
                f"{why} with {easier.name}.",
                REGRESS_LONG_BREAK,
                today,
                sets=MIN_SETS,
            )
    return hold(
        item,
        f"{why} with {MIN_SETS} sets at the bottom of the range.",
        LONG_BREAK,
        sets=MIN_SETS,
        dose_max=item.dose_min if item.dose_min < item.dose_max else item.dose_max,
    )


def _lower_top(item: PlannedExercise) -> int:
    return max(item.dose_min, (item.dose_min + item.dose_max) // 2)


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


def day_notes(
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
