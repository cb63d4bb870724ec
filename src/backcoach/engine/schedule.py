"""Dated training days: every other day when the person has the days, else what they have (M7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from backcoach.engine.reasons import Reason, reason

#: M7: every other day is the aim, which is 3.5 sessions a week on average.
EVERY_OTHER_DAY = 3.5
#: At least one rest day between sessions, so the muscles recover (M7).
MIN_GAP_DAYS = 2
_REST = timedelta(days=MIN_GAP_DAYS)  # built once: next_training_day runs for every decision
DEFAULT_WEEKS = 4

# Spread within a week for fewer days, keeping a rest day between sessions.
_WEEKLY_OFFSETS: dict[int, tuple[int, ...]] = {1: (0,), 2: (0, 3), 3: (0, 2, 4)}

# How often a program trains, said to the person (docs/progression.md, "Codes").
EVERY_OTHER_DAY_NOTE = "note.frequency.every_other_day"
THREE_DAYS_NOTE = "note.frequency.three_days"
ONE_DAY_NOTE = "note.frequency.one_day"
FEWER_DAYS_NOTE = "note.frequency.fewer_days"
#: Every code of a frequency note, with its parameters' names (tests/unit/test_wording_notes.py).
FREQUENCY_NOTE_PARAMS: dict[str, frozenset[str]] = {
    EVERY_OTHER_DAY_NOTE: frozenset(),
    THREE_DAYS_NOTE: frozenset(),
    ONE_DAY_NOTE: frozenset(),
    FEWER_DAYS_NOTE: frozenset({"sessions"}),
}


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often to train, and why (a note's code; backcoach.wording says it)."""

    sessions_per_week: float
    every_other_day: bool
    note: Reason


def frequency_for(days_per_week: int) -> Frequency:
    """Every other day from four free days a week up; fewer days still help (M7)."""
    if days_per_week >= 4:
        return Frequency(EVERY_OTHER_DAY, True, Reason(EVERY_OTHER_DAY_NOTE))
    sessions = min(days_per_week, 3)
    if sessions == 3:
        note = Reason(THREE_DAYS_NOTE)
    elif sessions == 1:
        note = Reason(ONE_DAY_NOTE)
    else:
        note = reason(FEWER_DAYS_NOTE, sessions=sessions)
    return Frequency(float(sessions), False, note)


@lru_cache(maxsize=2048)
def build_schedule(
    start: date, days_per_week: int, *, weeks: int = DEFAULT_WEEKS, weekdays: tuple[int, ...] = ()
) -> tuple[date, ...]:
    """Training dates from ``start`` (inclusive) for ``weeks`` weeks."""
    end = start + timedelta(days=7 * weeks)
    frequency = frequency_for(days_per_week)
    if weekdays:
        return _on_weekdays(start, end, _spread(sorted(set(weekdays)), days_per_week))
    if frequency.every_other_day:
        return tuple(start + timedelta(days=d) for d in range(0, (end - start).days, MIN_GAP_DAYS))
    offsets = _WEEKLY_OFFSETS[int(frequency.sessions_per_week)]
    days: list[date] = []
    week_start = start
    while week_start < end:
        days.extend(day for offset in offsets if (day := week_start + timedelta(days=offset)) < end)
        week_start += timedelta(days=7)
    return tuple(days)


def _spread(weekdays: list[int], days_per_week: int) -> tuple[int, ...]:
    """Pick up to the wanted number of the given weekdays, keeping rest days between them."""
    wanted = min(days_per_week, 4)
    chosen: list[int] = []
    for day in weekdays:
        if len(chosen) == wanted:
            break
        if not chosen or day - chosen[-1] >= MIN_GAP_DAYS:
            chosen.append(day)
    # Wrap-around: Sunday then Monday would be back-to-back; drop the later one.
    if len(chosen) > 1 and chosen[0] + 7 - chosen[-1] < MIN_GAP_DAYS:
        chosen.pop()
    if len(chosen) < min(wanted, len(weekdays)):
        # Too few spaced days: honour the person's days even without a rest day between.
        chosen = weekdays[:wanted]
    return tuple(chosen)


def _on_weekdays(start: date, end: date, weekdays: tuple[int, ...]) -> tuple[date, ...]:
    allowed = set(weekdays)
    return tuple(
        day
        for offset in range((end - start).days)
        if (day := start + timedelta(days=offset)).weekday() in allowed
    )


def next_training_day(last_session: date | None, today: date) -> date:
    """The first day from today that leaves a rest day after the last session."""
    if last_session is None:
        return today
    return max(today, last_session + _REST)


def around_pause(
    schedule: tuple[date, ...],
    first: date,
    last: date | None,
    days_per_week: int,
    weekdays: tuple[int, ...] = (),
) -> tuple[date, ...]:
    """A schedule with no day from ``first`` to ``last`` (inclusive; None: until the person
    resumes): a paused day is not planned, so it cannot be missed (M7 counts planned days).
    After a pause with an end, the days start again the day after it, as a new schedule would."""
    before = tuple(day for day in schedule if day < first)
    if last is None:
        return before
    return before + build_schedule(last + timedelta(days=1), days_per_week, weekdays=weekdays)
