"""Cohort outcomes for a coach or their practice (issue 11, item 6; docs/cohort.md).

The engine (engine/cohort.py) works the figures out from one `ClientOutcome` per client; this
service fills those inputs for every client with an open link at once, with a fixed handful of
set-based queries (GROUP BY over all the clients, never a query per client), so a practice of
800 clients costs a few statements, not thousands:

- the clients, their program start (the active plan's, else the first plan's, never after the
  first thing they entered) and their last session: five statements over all clients;
- per batch of `BATCH` clients, each client's first 12 program weeks only (the window the
  figures cover, `FIGURE_WEEKS`): the plans' schedules, sessions by day, sets by day and the
  tracked answers: four statements, so the rows read grow with the clients, never with how long
  each has trained.

Every client whose data is read is written to the audit log (one line each, `what="cohort"`),
inserted together with one commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, insert, or_, select, text
from sqlalchemy.orm import aliased

from backcoach.engine.cohort import (
    TOLERANCE_DAYS,
    TREND_WEEKS,
    ClientOutcome,
    CohortOutcomes,
    McidShare,
    PainWeek,
    WeekSets,
    cohort_outcomes,
    program_week,
)
from backcoach.engine.outcomes import TRACKED, MeasureRecord, weekly_trend
from backcoach.engine.vocabulary import Felt
from backcoach.services.access import Action, Principal, Role
from backcoach.services.errors import Forbidden
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import (
    AuditEvent,
    CoachLink,
    Measure,
    PlanRecord,
    SetRecord,
    TrainingSession,
    User,
)

Scope = Literal["mine", "practice"]
SCOPES: tuple[Scope, ...] = ("mine", "practice")
#: Below this many clients a share, a median or a week's figure is not shown as a figure but as
#: "too few clients to say": with 4 clients one person moves a share by 25 points (our choice).
MIN_CLIENTS = 5
#: A pain trend needs this many program weeks that each rest on `MIN_CLIENTS` clients.
MIN_TREND_WEEKS = 3
#: The program weeks read of each client: the 12 weeks of the figures, and the answers up to
#: the 12-week time point's window (TOLERANCE_DAYS after it).
FIGURE_WEEKS = TREND_WEEKS
#: Clients per windowed statement: each brings three bound values (SQLite allows 32,766).
BATCH = 500


@dataclass(frozen=True, slots=True)
class CohortView:
    """The figures of a coach's (``mine``) or their practice's (``practice``) clients."""

    scope: Scope
    #: Whether the coach belongs to a practice (the page offers the switch only then).
    has_practice: bool
    outcomes: CohortOutcomes
    #: Pain weeks resting on `MIN_CLIENTS` clients or more, and the slope fitted to them.
    pain_slope_per_week: float | None
    min_clients: int = MIN_CLIENTS

    def enough(self, clients: int) -> bool:
        """Whether a figure resting on ``clients`` clients is shown as a figure."""
        return clients >= self.min_clients

    @property
    def pain_weeks(self) -> tuple[PainWeek, ...]:
        return tuple(week for week in self.outcomes.pain if self.enough(week.clients))

    @property
    def mcid(self) -> tuple[McidShare, ...]:
        return self.outcomes.mcid


def cohort(
    *,
    uow: UnitOfWork,
    principal: Principal,
    scope: Scope = "mine",
    today: dt.date,
    now: dt.datetime,
    zone: dt.tzinfo = dt.UTC,
) -> CohortView:
    """The cohort figures of the coach's clients (or their practice's) with an open link.

    ``zone`` is the day's zone for clients who chose none. Refused (Forbidden) to anyone but a
    coach; a coach reaches only their own clients and, for ``practice``, their colleagues'.
    """
    if principal.role is not Role.COACH:
        raise Forbidden("coaching.coach_only")
    practice_id = uow.session.scalar(select(User.practice_id).where(User.id == principal.user_id))
    clients = _clients(uow, principal.user_id, practice_id if scope == "practice" else None)
    outcomes = client_outcomes(uow, clients, today=today, zone=zone)
    _audit(uow, principal, list(clients), now)
    figures = cohort_outcomes(outcomes, today)
    return CohortView(
        scope="practice" if practice_id is not None and scope == "practice" else "mine",
        has_practice=practice_id is not None,
        outcomes=figures,
        pain_slope_per_week=_pain_slope(figures.pain),
    )


def _audit(uow: UnitOfWork, principal: Principal, client_ids: list[int], now: dt.datetime) -> None:
    """One audit line per client read (as access.record writes it), inserted in one statement."""
    if client_ids:
        line = {
            "at": now,
            "actor_id": principal.user_id,
            "action": Action.READ.value,
            "what": "cohort",
            "channel": principal.channel.value,
            "allowed": True,
        }
        uow.session.execute(insert(AuditEvent), [{**line, "subject_id": c} for c in client_ids])
    uow.commit()


def _pain_slope(weeks: Sequence[PainWeek]) -> float | None:
    """The slope of the weekly medians that rest on enough clients (None below MIN_TREND_WEEKS)."""
    enough = [week for week in weeks if week.clients >= MIN_CLIENTS]
    if len(enough) < MIN_TREND_WEEKS:
        return None
    week_one = dt.date(2000, 1, 3)  # any Monday: the weeks only need to lie on a calendar
    points = ((week_one + dt.timedelta(weeks=w.week - 1), w.median) for w in enough)
    return weekly_trend(points, week_one).slope_per_week


def _clients(uow: UnitOfWork, coach_id: int, practice_id: int | None) -> dict[int, str | None]:
    """The clients with an open link to this coach (and, given a practice, to its coaches),
    with the time zone each chose."""
    coach, client = aliased(User), aliased(User)
    whose: ColumnElement[bool] = CoachLink.coach_id == coach_id
    if practice_id is not None:
        whose = or_(whose, coach.practice_id == practice_id)
    rows = uow.session.execute(
        select(client.id, client.time_zone)
        .join(CoachLink, CoachLink.client_id == client.id)
        .join(coach, coach.id == CoachLink.coach_id)
        .where(CoachLink.ended_at.is_(None), whose)
        .order_by(client.id)
    )
    return dict(rows.all())


# --- the engine's inputs, for many clients at once ------------------------------------------


@dataclass(frozen=True, slots=True)
class _Window:
    """The days of a client read for the figures: the start to the end of program week 12."""

    client_id: int
    zone: dt.tzinfo
    start: dt.date
    #: The last day of sessions and sets read (program week 12, or today if sooner).
    last: dt.date
    #: The last day of answers read: the 12-week time point's window.
    last_answer: dt.date


def client_outcomes(
    uow: UnitOfWork,
    clients: dict[int, str | None],
    *,
    today: dt.date,
    zone: dt.tzinfo,
) -> list[ClientOutcome]:
    """One `ClientOutcome` per client (named by account id), read with set-based statements."""
    if not clients:
        return []
    starts = _starts(uow, list(clients), today)
    last_sessions = _per_client(
        uow,
        select(TrainingSession.user_id, func.max(TrainingSession.day))
        .where(
            TrainingSession.user_id.in_(list(clients)),
            TrainingSession.finished_at.is_not(None),
            TrainingSession.day <= today,
        )
        .group_by(TrainingSession.user_id),
    )
    windows = [
        _Window(
            client_id,
            _zone(time_zone, zone),
            start,
            min(start + dt.timedelta(weeks=FIGURE_WEEKS, days=-1), today),
            min(start + dt.timedelta(weeks=FIGURE_WEEKS, days=TOLERANCE_DAYS), today),
        )
        for client_id, time_zone in clients.items()
        for start in [starts[client_id]]
    ]
    outcomes = []
    for batch in _batches(windows):
        planned = _planned_days(uow, batch, today)
        sessions = _sessions_by_day(uow, batch)
        sets = _sets_by_day(uow, batch)
        answers = _answers(uow, batch)
        for window in batch:
            client_id, start = window.client_id, window.start
            pain_days = sessions.get(client_id, {})
            # Adherence counts days before today (today's session may still come), as attention.
            done = {day for day in pain_days if day < today}
            outcomes.append(
                ClientOutcome(
                    client=str(client_id),
                    start=start,
                    sessions_planned=len(planned.get(client_id, ())),
                    sessions_done=len(done),
                    last_session=last_sessions.get(client_id),
                    answers=tuple(answers.get(client_id, ())),
                    weekly_pain=_weekly_pain(start, pain_days),
                    weekly_sets=_weekly_sets(start, sets.get(client_id, {})),
                )
            )
    return outcomes


def _zone(name: str | None, fallback: dt.tzinfo) -> dt.tzinfo:
    if not name:
        return fallback
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError):  # a zone this machine's data no longer knows
        return fallback


def _batches(windows: Sequence[_Window]) -> Iterable[Sequence[_Window]]:
    for first in range(0, len(windows), BATCH):
        yield windows[first : first + BATCH]


def _per_client(uow: UnitOfWork, statement: Any) -> dict[int, Any]:
    return dict(uow.session.execute(statement).all())


def _starts(uow: UnitOfWork, ids: list[int], today: dt.date) -> dict[int, dt.date]:
    """Each client's program start as their Progress page has it (services/progress.py): the
    active plan's start (else the first plan's), never after the first answer or session."""
    stated: dict[int, Any] = dict(
        uow.session.execute(
            select(PlanRecord.user_id, PlanRecord.data["start"]).where(
                PlanRecord.user_id.in_(ids), PlanRecord.active
            )
        ).all()
    )
    without = [client_id for client_id in ids if not stated.get(client_id)]
    if without:
        first_plans = (
            select(func.min(PlanRecord.id))
            .where(PlanRecord.user_id.in_(without))
            .group_by(PlanRecord.user_id)
        )
        stated.update(
            uow.session.execute(
                select(PlanRecord.user_id, PlanRecord.data["start"]).where(
                    PlanRecord.id.in_(first_plans)
                )
            ).all()
        )
    first_answers = _per_client(
        uow,
        select(Measure.user_id, func.min(Measure.day))
        .where(Measure.user_id.in_(ids))
        .group_by(Measure.user_id),
    )
    first_sessions = _per_client(
        uow,
        select(TrainingSession.user_id, func.min(TrainingSession.day))
        .where(
            TrainingSession.user_id.in_(ids),
            TrainingSession.finished_at.is_not(None),
            TrainingSession.day <= today,
        )
        .group_by(TrainingSession.user_id),
    )
    starts = {}
    for client_id in ids:
        text = stated.get(client_id)
        start = dt.date.fromisoformat(text) if isinstance(text, str) and text else today
        entered = [d for d in (first_answers.get(client_id), first_sessions.get(client_id)) if d]
        starts[client_id] = min([start, *entered]) if entered else min(start, today)
    return starts


def _in_windows(
    user: Any,
    day: Any,
    windows: Sequence[_Window],
    *,
    answers: bool = False,
) -> ColumnElement[bool]:
    """Each client's own days: (user = 1 and day between its start and last) or ...

    Written as SQL text rather than built from bound parameters: with 500 clients a statement
    would carry 1,500 of them, and compiling those took most of the page's time. Nothing typed
    reaches it: ids are integers and days ISO dates from `date.isoformat`, which both SQLite
    (dates kept as ISO text) and PostgreSQL (a date literal) compare as days.
    """
    user_sql, day_sql = _qualified(user), _qualified(day)
    terms = " OR ".join(
        f"({user_sql} = {int(w.client_id):d} AND {day_sql} BETWEEN "
        f"'{w.start.isoformat()}' AND '{(w.last_answer if answers else w.last).isoformat()}')"
        for w in windows
    )
    return text(f"({terms})")  # type: ignore[return-value]


def _qualified(column: Any) -> str:
    """A mapped column as SQL names it: table.column."""
    return f"{column.table.name}.{column.name}"


def _planned_days(
    uow: UnitOfWork, windows: Sequence[_Window], today: dt.date
) -> dict[int, set[dt.date]]:
    """The training days planned in each client's window before today, as the calendar counts
    them (services/calendar.py `planned_days`): each plan's days until the day a newer plan
    replaced it. Only the plans made by the window's last day are read, and of them only the
    schedule; days before today only, so the referral gate (which drops days ahead) never
    changes the count."""
    by_client = {w.client_id: w for w in windows}
    ends = or_(
        *(
            and_(
                PlanRecord.user_id == w.client_id,
                PlanRecord.at
                < dt.datetime.combine(w.last + dt.timedelta(days=1), dt.time(), w.zone),
            )
            for w in windows
        )
    )
    rows = uow.session.execute(
        select(PlanRecord.user_id, PlanRecord.at, PlanRecord.data["schedule"])
        .where(ends)
        .order_by(PlanRecord.user_id, PlanRecord.at, PlanRecord.id)
    )
    plans: dict[int, list[tuple[dt.datetime, list[str]]]] = defaultdict(list)
    for client_id, at, schedule in rows:
        plans[client_id].append((at, list(schedule or ())))
    planned: dict[int, set[dt.date]] = {}
    for client_id, made in plans.items():
        window = by_client[client_id]
        last = min(window.last, today - dt.timedelta(days=1))
        days: set[dt.date] = set()
        for index, (_, schedule) in enumerate(made):
            # A plan is in charge up to the day the next one was made, as the calendar has it.
            until = (
                made[index + 1][0].astimezone(window.zone).date() if index + 1 < len(made) else last
            )
            for planned_day in schedule:
                day = dt.date.fromisoformat(planned_day)
                if window.start <= day <= min(until, last):
                    days.add(day)
        planned[client_id] = days
    return planned


def _sessions_by_day(
    uow: UnitOfWork, windows: Sequence[_Window]
) -> dict[int, dict[dt.date, tuple[int, int]]]:
    """Each client's finished sessions in the window: per day, the sum and count of the pain
    before them."""
    rows = uow.session.execute(
        select(
            TrainingSession.user_id,
            TrainingSession.day,
            func.sum(TrainingSession.pain_before),
            func.count(TrainingSession.id),
        )
        .where(
            TrainingSession.finished_at.is_not(None),
            _in_windows(TrainingSession.user_id, TrainingSession.day, windows),
        )
        .group_by(TrainingSession.user_id, TrainingSession.day)
    )
    found: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for client_id, day, pain, count in rows:
        found[client_id][day] = (int(pain or 0), int(count))
    return found


def _sets_by_day(
    uow: UnitOfWork, windows: Sequence[_Window]
) -> dict[int, dict[dt.date, tuple[int, int]]]:
    """Each client's sets logged in the window: per day, (felt in the low back, logged)."""
    low_back = func.sum(case((SetRecord.felt == Felt.LOW_BACK.value, 1), else_=0))
    rows = uow.session.execute(
        select(TrainingSession.user_id, TrainingSession.day, low_back, func.count(SetRecord.id))
        .join(SetRecord, SetRecord.session_id == TrainingSession.id)
        .where(_in_windows(TrainingSession.user_id, TrainingSession.day, windows))
        .group_by(TrainingSession.user_id, TrainingSession.day)
    )
    found: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for client_id, day, felt, logged in rows:
        found[client_id][day] = (int(felt or 0), int(logged))
    return found


def _answers(uow: UnitOfWork, windows: Sequence[_Window]) -> dict[int, list[MeasureRecord]]:
    """The tracked questionnaires' answers from each client's start to the 12-week window's end."""
    rows = uow.session.execute(
        select(Measure.user_id, Measure.day, Measure.instrument, Measure.score)
        .where(
            Measure.instrument.in_(TRACKED),
            _in_windows(Measure.user_id, Measure.day, windows, answers=True),
        )
        .order_by(Measure.user_id, Measure.day, Measure.at, Measure.id)
    )
    found: dict[int, list[MeasureRecord]] = defaultdict(list)
    for client_id, day, instrument, score in rows:
        found[client_id].append(MeasureRecord(day, instrument, score))
    return found


def _weekly_pain(
    start: dt.date, days: dict[dt.date, tuple[int, int]]
) -> tuple[tuple[int, float], ...]:
    weeks: dict[int, tuple[int, int]] = {}
    for day, (pain, count) in days.items():
        week = program_week(start, day)
        total, sessions = weeks.get(week, (0, 0))
        weeks[week] = (total + pain, sessions + count)
    return tuple(
        (week, round(total / sessions, 2))
        for week, (total, sessions) in sorted(weeks.items())
        if sessions and 1 <= week <= TREND_WEEKS
    )


def _weekly_sets(start: dt.date, days: dict[dt.date, tuple[int, int]]) -> tuple[WeekSets, ...]:
    weeks: dict[int, tuple[int, int]] = {}
    for day, (felt, logged) in days.items():
        week = program_week(start, day)
        all_felt, all_logged = weeks.get(week, (0, 0))
        weeks[week] = (all_felt + felt, all_logged + logged)
    return tuple(
        WeekSets(week, felt, logged)
        for week, (felt, logged) in sorted(weeks.items())
        if 1 <= week <= TREND_WEEKS
    )
