"""Cohort outcomes for a coach or a practice: is the method working across clients (M10)?

Each figure is defined in docs/cohort.md. A client's change at 6 and 12 weeks is judged by
engine/change.py `assess_change`, so the cohort says what each person's page says. Numbers only;
the words are in backcoach.wording.cohort_words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Any

from backcoach.engine.change import Change, assess_change
from backcoach.engine.outcomes import TRACKED, Adherence, MeasureRecord, weekly_trend

#: A client is active with a session in the last 14 days (today included).
ACTIVE_DAYS = 14
#: The time points at which the MCID is counted, in weeks after the program's start.
TIME_POINTS_WEEKS = (6, 12)
#: An answer counts for a time point within this many days of it: one re-assessment interval
#: (engine/attention.py REASSESS_EVERY_DAYS), so a client who answers each time asked has one.
TOLERANCE_DAYS = 14
#: The first answer is the baseline only when given at most this many days after the start.
BASELINE_DAYS = 14
#: The pain trend and the sets felt in the low back cover program weeks 1-12.
TREND_WEEKS = 12
#: ODI and RMDQ together: one judgement per client, ODI when the client has both.
DISABILITY = "disability"
DISABILITY_INSTRUMENTS = ("odi", "rmdq")
#: What the cohort reports the MCID of, in this order.
REPORTED = (*TRACKED, DISABILITY)
#: Program week 1 laid on a calendar, only so outcomes.weekly_trend can fit its line.
_WEEK_ONE = date(2000, 1, 3)


def program_week(start: date, day: date) -> int:
    """The program week a day falls in: week 1 is the start and the six days after it."""
    return (day - start).days // 7 + 1


@dataclass(frozen=True, slots=True)
class WeekSets:
    """Sets logged in one program week and how many of them were felt in the low back (M9)."""

    week: int
    felt_in_low_back: int
    logged: int


@dataclass(frozen=True, slots=True)
class ClientOutcome:
    """What the cohort needs of one client, as of today.

    `answers`: the tracked questionnaires' scores (NPRS, ODI, RMDQ, PSFS average); only the first
    and those within TOLERANCE_DAYS of a time point are read. `weekly_pain`: (program week, mean
    pain before sessions) pairs; `weekly_sets`: one WeekSets per program week with sets logged.
    """

    client: str
    start: date
    sessions_planned: int
    sessions_done: int
    last_session: date | None = None
    answers: tuple[MeasureRecord, ...] = ()
    weekly_pain: tuple[tuple[int, float], ...] = ()
    weekly_sets: tuple[WeekSets, ...] = ()

    def __post_init__(self) -> None:
        if self.sessions_planned < 0 or self.sessions_done < 0:
            raise ValueError("sessions planned and done cannot be negative")
        if any(week < 1 for week, _ in self.weekly_pain):
            raise ValueError("program weeks start at 1")
        if any(not 0 <= pain <= 10 for _, pain in self.weekly_pain):
            raise ValueError("pain is 0-10")
        for sets in self.weekly_sets:
            if sets.week < 1 or not 0 <= sets.felt_in_low_back <= sets.logged:
                raise ValueError("sets felt in the low back are part of those logged, weeks from 1")


def is_active(client: ClientOutcome, today: date) -> bool:
    """A session in the last ACTIVE_DAYS days, today included."""
    last = client.last_session
    return last is not None and today - timedelta(days=ACTIVE_DAYS) < last <= today


def adherence_rate(client: ClientOutcome) -> float | None:
    """Sessions done of those planned since the start (outcomes.Adherence: at most 100%)."""
    return Adherence(client.sessions_planned, client.sessions_done).rate


def baseline(client: ClientOutcome, instrument: str) -> MeasureRecord | None:
    """The first answer, when it was given at most BASELINE_DAYS after the start."""
    series = [a for a in client.answers if a.instrument == instrument]
    if not series:
        return None
    first = min(series, key=lambda a: a.day)
    return first if first.day <= client.start + timedelta(days=BASELINE_DAYS) else None


def answer_at(
    client: ClientOutcome, instrument: str, weeks: int, today: date
) -> MeasureRecord | None:
    """The answer nearest to `weeks` after the start, within TOLERANCE_DAYS, up to today.

    None until the time point is reached: a client who started less than `weeks` ago is not
    counted. Of two answers equally near, the later one (more of the program behind it).
    """
    target = client.start + timedelta(weeks=weeks)
    if today < target:
        return None
    near = [
        a
        for a in client.answers
        if a.instrument == instrument
        and abs((a.day - target).days) <= TOLERANCE_DAYS
        and a.day <= today
    ]
    if not near:
        return None
    return min(near, key=lambda a: (abs((a.day - target).days), -a.day.toordinal()))


def change_at(client: ClientOutcome, instrument: str, weeks: int, today: date) -> Change | None:
    """The client's change from baseline to the time point, judged as their own page judges it.

    `instrument` may be DISABILITY: the ODI's change when the client has one, else the RMDQ's.
    """
    if instrument == DISABILITY:
        for name in DISABILITY_INSTRUMENTS:
            found = change_at(client, name, weeks, today)
            if found is not None:
                return found
        return None
    first, then = baseline(client, instrument), answer_at(client, instrument, weeks, today)
    if first is None or then is None:
        return None
    return assess_change(instrument, first.score, then.score)


@dataclass(frozen=True, slots=True)
class McidShare:
    """Of `answered` clients with a baseline and an answer at the time point, `reached` the MCID."""

    instrument: str
    weeks: int
    answered: int
    reached: int

    @property
    def share(self) -> float | None:
        """None when no client answered: never a share of nobody."""
        return None if not self.answered else round(self.reached / self.answered, 3)


@dataclass(frozen=True, slots=True)
class PainWeek:
    """The median of clients' mean pain before sessions in one program week."""

    week: int
    median: float
    clients: int


@dataclass(frozen=True, slots=True)
class LowBackWeek:
    """The cohort's sets of one program week, and those felt in the low back."""

    week: int
    felt_in_low_back: int
    logged: int
    clients: int

    @property
    def share(self) -> float | None:
        return None if not self.logged else round(self.felt_in_low_back / self.logged, 3)


@dataclass(frozen=True, slots=True)
class CohortOutcomes:
    today: date
    clients: int
    active: int
    #: Median of the adherence of clients with a session planned, and how many they are.
    median_adherence: float | None
    adherence_clients: int
    mcid: tuple[McidShare, ...]
    pain: tuple[PainWeek, ...]
    #: The slope of the weekly medians in points per week (negative = falling).
    pain_slope_per_week: float | None
    low_back: tuple[LowBackWeek, ...]

    def share(self, instrument: str, weeks: int) -> McidShare:
        """The MCID figure of one instrument (or DISABILITY) at one time point."""
        return next(s for s in self.mcid if s.instrument == instrument and s.weeks == weeks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "clients": self.clients,
            "active": self.active,
            "median_adherence": self.median_adherence,
            "adherence_clients": self.adherence_clients,
            "mcid": [
                {
                    "instrument": s.instrument,
                    "weeks": s.weeks,
                    "answered": s.answered,
                    "reached": s.reached,
                    "share": s.share,
                }
                for s in self.mcid
            ],
            "pain_before_sessions": [
                {"week": p.week, "median": p.median, "clients": p.clients} for p in self.pain
            ],
            "pain_slope_per_week": self.pain_slope_per_week,
            "sets_felt_in_low_back": [
                {
                    "week": w.week,
                    "felt_in_low_back": w.felt_in_low_back,
                    "logged": w.logged,
                    "clients": w.clients,
                    "share": w.share,
                }
                for w in self.low_back
            ],
        }


def cohort_outcomes(clients: Sequence[ClientOutcome], today: date) -> CohortOutcomes:
    """Every cohort figure of docs/cohort.md, as of today."""
    rates = [rate for c in clients if (rate := adherence_rate(c)) is not None]
    pain = _pain_by_week(clients)
    trend = weekly_trend(
        ((_WEEK_ONE + timedelta(weeks=p.week - 1), p.median) for p in pain), _WEEK_ONE
    )
    return CohortOutcomes(
        today=today,
        clients=len(clients),
        active=sum(is_active(c, today) for c in clients),
        median_adherence=round(median(rates), 3) if rates else None,
        adherence_clients=len(rates),
        mcid=tuple(
            _mcid_share(clients, instrument, weeks, today)
            for instrument in REPORTED
            for weeks in TIME_POINTS_WEEKS
        ),
        pain=pain,
        pain_slope_per_week=trend.slope_per_week,
        low_back=_low_back_by_week(clients),
    )


def _mcid_share(
    clients: Iterable[ClientOutcome], instrument: str, weeks: int, today: date
) -> McidShare:
    changes = [
        change for c in clients if (change := change_at(c, instrument, weeks, today)) is not None
    ]
    return McidShare(instrument, weeks, len(changes), sum(c.mcid_reached for c in changes))


def _pain_by_week(clients: Iterable[ClientOutcome]) -> tuple[PainWeek, ...]:
    by_week: dict[int, list[float]] = {}
    for client in clients:
        # One mean per client and week, the last given, so no client counts twice.
        for week, pain in dict(client.weekly_pain).items():
            if week <= TREND_WEEKS:
                by_week.setdefault(week, []).append(pain)
    return tuple(
        PainWeek(week, round(median(values), 2), len(values))
        for week, values in sorted(by_week.items())
    )


def _low_back_by_week(clients: Iterable[ClientOutcome]) -> tuple[LowBackWeek, ...]:
    totals: dict[int, tuple[int, int, int]] = {}
    for client in clients:
        weeks: dict[int, tuple[int, int]] = {}
        for sets in client.weekly_sets:
            felt, logged = weeks.get(sets.week, (0, 0))
            weeks[sets.week] = (felt + sets.felt_in_low_back, logged + sets.logged)
        for week, (felt, logged) in weeks.items():
            if week > TREND_WEEKS or not logged:
                continue
            all_felt, all_logged, counted = totals.get(week, (0, 0, 0))
            totals[week] = (all_felt + felt, all_logged + logged, counted + 1)
    return tuple(
        LowBackWeek(week, felt, logged, counted)
        for week, (felt, logged, counted) in sorted(totals.items())
    )


#: The columns of cohort_rows, in order; their headings are in wording/cohort_words.py.
ROW_COLUMNS: tuple[str, ...] = (
    "client",
    "start",
    "active",
    "last_session",
    "sessions_planned",
    "sessions_done",
    "adherence",
    *(
        f"{name}_{part}"
        for name in TRACKED
        for part in (
            "baseline",
            *(f"week{w}_{kind}" for w in TIME_POINTS_WEEKS for kind in ("score", "mcid")),
        )
    ),
)

Cell = str | int | float | bool | None


def cohort_rows(clients: Iterable[ClientOutcome], today: date) -> list[dict[str, Cell]]:
    """One flat row per client (keys ROW_COLUMNS, plain values), for the CSV export."""
    rows = []
    for client in clients:
        row: dict[str, Cell] = {
            "client": client.client,
            "start": client.start.isoformat(),
            "active": is_active(client, today),
            "last_session": client.last_session.isoformat() if client.last_session else None,
            "sessions_planned": client.sessions_planned,
            "sessions_done": client.sessions_done,
            "adherence": adherence_rate(client),
        }
        for name in TRACKED:
            first = baseline(client, name)
            row[f"{name}_baseline"] = None if first is None else first.score
            for weeks in TIME_POINTS_WEEKS:
                then = answer_at(client, name, weeks, today)
                change = change_at(client, name, weeks, today)
                row[f"{name}_week{weeks}_score"] = None if then is None else then.score
                row[f"{name}_week{weeks}_mcid"] = None if change is None else change.mcid_reached
        rows.append(row)
    return rows
