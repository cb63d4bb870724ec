"""Whether the relief is real (M10): adherence, pain and disability over time, tight moments."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.change import Change, assess_change, far_enough_apart
from backcoach.engine.log import SessionLog

#: Instruments whose change over time is judged against an MCID (STarT Back is not).
TRACKED = ("nprs", "odi", "rmdq", "psfs")


@dataclass(frozen=True, slots=True)
class MeasureRecord:
    """One score of one instrument on one day."""

    day: date
    instrument: str
    score: float


@dataclass(frozen=True, slots=True)
class Adherence:
    """Sessions done against sessions scheduled up to today (M7)."""

    scheduled: int
    done: int

    @property
    def rate(self) -> float | None:
        return None if not self.scheduled else round(min(1.0, self.done / self.scheduled), 3)


@dataclass(frozen=True, slots=True)
class WeeklyPoint:
    week_start: date
    mean: float
    count: int


@dataclass(frozen=True, slots=True)
class Trend:
    """Weekly means of a series and its slope in points per week (negative = falling)."""

    weeks: tuple[WeeklyPoint, ...]
    slope_per_week: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "weeks": [
                {"week_start": w.week_start.isoformat(), "mean": w.mean, "count": w.count}
                for w in self.weeks
            ],
            "slope_per_week": self.slope_per_week,
        }


@dataclass(frozen=True, slots=True)
class OutcomeReport:
    today: date
    adherence: Adherence
    pain: Trend
    tight_moments: Trend
    changes: Mapping[str, Change]
    weekly_sets: Mapping[str, Mapping[str, int]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "adherence": {
                "scheduled": self.adherence.scheduled,
                "done": self.adherence.done,
                "rate": self.adherence.rate,
            },
            "pain_before_sessions": self.pain.to_dict(),
            "tight_moments_per_day": self.tight_moments.to_dict(),
            "changes": {name: change.to_dict() for name, change in self.changes.items()},
            "weekly_sets_by_category": {week: dict(c) for week, c in self.weekly_sets.items()},
        }


def adherence(schedule: Sequence[date], session_days: Iterable[date], today: date) -> Adherence:
    """Count sessions from the first scheduled day to today; extra sessions cannot pass 100%."""
    due = [day for day in schedule if day <= today]
    if not due:
        return Adherence(0, 0)
    first = min(schedule)
    done = len({day for day in session_days if first <= day <= today})
    return Adherence(len(due), done)


def weekly_trend(points: Iterable[tuple[date, float]], start: date) -> Trend:
    """Group a dated series into weeks from ``start`` and fit a least-squares line."""
    buckets: dict[int, list[float]] = defaultdict(list)
    for day, value in points:
        if day >= start:
            buckets[(day - start).days // 7].append(value)
    weeks = tuple(
        WeeklyPoint(start + timedelta(days=7 * index), round(fmean(values), 2), len(values))
        for index, values in sorted(buckets.items())
    )
    return Trend(
        weeks, _slope([(w.week_start - start).days / 7 for w in weeks], [w.mean for w in weeks])
    )


def tight_moments_per_day(moments: Iterable[date], start: date, today: date) -> Trend:
    """Tight moments a day, counting the days with none, as a weekly trend (M1, M10)."""
    counts = Counter(day for day in moments if start <= day <= today)
    days = [start + timedelta(days=offset) for offset in range((today - start).days + 1)]
    return weekly_trend(((day, float(counts[day])) for day in days), start)


def measure_changes(records: Iterable[MeasureRecord]) -> dict[str, Change]:
    """First against latest score of each tracked instrument, judged by its MCID: the latest
    answered at least `MIN_CHANGE_INTERVAL` after the first (sooner ones claim no change)."""
    by_instrument: dict[str, list[MeasureRecord]] = defaultdict(list)
    for record in records:
        if record.instrument in TRACKED:
            by_instrument[record.instrument].append(record)
    changes = {}
    for name, series in by_instrument.items():
        series.sort(key=lambda r: r.day)
        first, later = series[0], [r for r in series if far_enough_apart(series[0].day, r.day)]
        if later:
            changes[name] = assess_change(name, first.score, later[-1].score)
    return changes


def weekly_sets_by_category(
    sessions: Iterable[SessionLog], catalogue: Catalogue, start: date
) -> dict[str, dict[str, int]]:
    """Training volume: sets a week per category (core, hip extension, external rotation)."""
    weeks: dict[str, Counter[str]] = defaultdict(Counter)
    for session in sessions:
        if session.day < start:
            continue
        week = (start + timedelta(days=7 * ((session.day - start).days // 7))).isoformat()
        for logged in session.exercises:
            if logged.exercise_id in catalogue:
                category = catalogue.get(logged.exercise_id).category.value
                weeks[week][category] += len(logged.sets)
    return {week: dict(counter) for week, counter in sorted(weeks.items())}


def summarise(
    *,
    schedule: Sequence[date],
    sessions: Sequence[SessionLog],
    measures: Sequence[MeasureRecord],
    tight_moments: Sequence[date],
    catalogue: Catalogue,
    start: date,
    today: date,
) -> OutcomeReport:
    """Everything that shows whether the program is working, as of ``today``."""
    past = [s for s in sessions if s.day <= today]
    return OutcomeReport(
        today=today,
        adherence=adherence(schedule, (s.day for s in past), today),
        pain=weekly_trend(((s.day, float(s.pain_before)) for s in past), start),
        tight_moments=tight_moments_per_day(tight_moments, start, today),
        changes=measure_changes(m for m in measures if m.day <= today),
        weekly_sets=weekly_sets_by_category(past, catalogue, start),
    )


def _slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 2:
        return None
    mean_x, mean_y = fmean(xs), fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    return round(sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread, 3)
