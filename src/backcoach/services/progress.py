"""Progress: whether the relief is real (M10), from what a person logged and answered."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select

from backcoach.catalogue import default_catalogue
from backcoach.engine.change import Change
from backcoach.engine.log import SessionLog
from backcoach.engine.measures import StartBackResult, startback_from_scores
from backcoach.engine.outcomes import (
    TRACKED,
    MeasureRecord,
    OutcomeReport,
    measure_changes,
    summarise,
)
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.calendar import planned_days
from backcoach.services.onboarding import active_plan
from backcoach.services.session_logs import sessions_log
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import Measure, PlanRecord, TightMoment, TrainingSession

#: Pain, activities and STarT Back are asked again every two weeks.
REASSESS_EVERY = dt.timedelta(days=14)
REASSESSED = ("nprs", "psfs", "startback")
#: The weeks the charts and the week-by-week figures cover: a program's first three months in
#: full, then the latest twelve weeks, so the page costs the same after years of training. What
#: has changed since the start, and the sessions done in all, cover the whole history.
WINDOW_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Reassessment:
    """When the questionnaires were last answered, and whether it is time again."""

    last: dt.date | None
    due_on: dt.date | None
    due: bool


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    """Sessions due and done in one week from the plan's start (M7)."""

    week_start: dt.date
    due: int
    done: int


@dataclass(frozen=True, slots=True)
class HistoryTotals:
    """The whole history in a few figures, however long it is."""

    sessions: int
    tight_moments: int
    #: Each questionnaire's first answer, the starting point a change is measured from.
    first_measures: Mapping[str, MeasureRecord]


@dataclass(frozen=True, slots=True)
class Progress:
    today: dt.date
    start: dt.date
    #: The first day the charts and weekly figures cover (`WINDOW_WEEKS`); ``start`` until the
    #: program is older than that.
    window_start: dt.date
    has_plan: bool
    #: The sessions, measures and tight moments of the window.
    sessions: tuple[SessionLog, ...]
    measures: Mapping[str, tuple[MeasureRecord, ...]]
    #: The engine's outcomes over the window, with ``changes`` (first against latest answer)
    #: over the whole history.
    report: OutcomeReport
    totals: HistoryTotals
    weeks: tuple[WeekAdherence, ...]
    tight_days: Mapping[dt.date, int]
    reassessment: Reassessment
    #: The latest STarT Back result, read again by the engine (current notice, recommendation).
    startback: StartBackResult | None

    @property
    def changes(self) -> Mapping[str, Change]:
        return self.report.changes

    @property
    def window_weeks(self) -> int:
        return WINDOW_WEEKS

    @property
    def windowed(self) -> bool:
        """Whether the program is older than the window, so that the charts show its end."""
        return self.window_start > self.start

    @property
    def first_steps(self) -> bool:
        """Nothing to chart yet beyond the first answers: the page greets a new person."""
        totals = self.totals
        return not totals.sessions and not totals.tight_moments and not self.changes


def _reassessment(uow: UnitOfWork, person_id: int, today: dt.date) -> Reassessment:
    """Due when 14 days or more have passed since pain, activities and STarT Back were asked."""
    last = uow.session.scalar(
        select(Measure.day)
        .where(Measure.user_id == person_id, Measure.instrument.in_(REASSESSED))
        .order_by(Measure.day.desc())
        .limit(1)
    )
    if last is None:
        return Reassessment(None, None, False)
    due_on = last + REASSESS_EVERY
    return Reassessment(last, due_on, today >= due_on)


def reassessment_due(
    *, uow: UnitOfWork, principal: Principal, person_id: int, today: dt.date, now: dt.datetime
) -> bool:
    """For a banner on other pages: is it time to answer the questionnaires again?"""
    authorize(uow, principal, Action.READ, person_id, what="measures", now=now)
    return _reassessment(uow, person_id, today).due


def previous_activities(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> tuple[str, ...]:
    """The activity names of the latest PSFS, to ask about the same ones again."""
    authorize(uow, principal, Action.READ, person_id, what="measures", now=now)
    answers = uow.session.scalar(
        select(Measure.answers)
        .where(Measure.user_id == person_id, Measure.instrument == "psfs")
        .order_by(Measure.at.desc(), Measure.id.desc())
        .limit(1)
    )
    if not answers:
        return ()
    return tuple(
        str(item["name"])
        for item in answers.get("activities", [])
        if isinstance(item, dict) and item.get("name")
    )


@dataclass(frozen=True, slots=True)
class StartingPoint:
    """The latest answer to each questionnaire, as shown once onboarding's measures are saved."""

    pain: int | None
    activities: tuple[tuple[str, int], ...]
    startback: StartBackResult | None
    odi: float | None
    rmdq: float | None


def _latest_startback(uow: UnitOfWork, person_id: int) -> StartBackResult | None:
    """The person's latest STarT Back result, scored again from its total and subscore."""
    result = uow.session.scalar(
        select(Measure.result)
        .where(Measure.user_id == person_id, Measure.instrument == "startback")
        .order_by(Measure.at.desc(), Measure.id.desc())
        .limit(1)
    )
    return _startback(result) if result else None


def starting_point(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> StartingPoint | None:
    """The latest pain, activities, STarT Back, ODI and RMDQ; None before any answer."""
    authorize(uow, principal, Action.READ, person_id, what="measures", now=now)
    latest: dict[str, Measure] = {}
    for instrument in ("nprs", "psfs", "startback", "odi", "rmdq"):
        row = uow.session.scalar(
            select(Measure)
            .where(Measure.user_id == person_id, Measure.instrument == instrument)
            .order_by(Measure.at.desc(), Measure.id.desc())
            .limit(1)
        )
        if row is not None:
            latest[instrument] = row
    if not latest:
        return None
    psfs = latest.get("psfs")
    activities = tuple(
        (str(item["name"]), int(item["score"]))
        for item in (psfs.result.get("activities", []) if psfs else [])
        if isinstance(item, dict)
    )
    return StartingPoint(
        pain=int(latest["nprs"].score) if "nprs" in latest else None,
        activities=activities,
        startback=_startback(latest["startback"].result) if "startback" in latest else None,
        odi=latest["odi"].score if "odi" in latest else None,
        rmdq=latest["rmdq"].score if "rmdq" in latest else None,
    )


def _startback(stored: Mapping[str, Any]) -> StartBackResult:
    """A stored result scored again, so it carries today's notice and recommendation."""
    return startback_from_scores(stored["score"], stored["psychosocial"])


def progress(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    today: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> Progress:
    """Everything the progress page shows, worked out by the engine's outcomes (M10)."""
    authorize(uow, principal, Action.READ, person_id, what="progress", now=now)
    return progress_of(uow=uow, person_id=person_id, today=today, zone=zone)


def progress_of(*, uow: UnitOfWork, person_id: int, today: dt.date, zone: dt.tzinfo) -> Progress:
    """`progress` for the services, after `authorize` (a coach's view of a client is audited
    once, as what that view is)."""
    plan = active_plan(uow=uow, person_id=person_id)
    start = _start(uow, person_id, plan, today, zone)
    window_start = start + dt.timedelta(weeks=max(0, (today - start).days // 7 - WINDOW_WEEKS + 1))
    measures = _measures(uow, person_id, since=window_start)
    sessions = sessions_log(uow=uow, person_id=person_id, since=window_start, until=today)
    moments = [
        at.astimezone(zone).date()
        for at in uow.session.scalars(
            select(TightMoment.at).where(
                TightMoment.user_id == person_id,
                TightMoment.at >= dt.datetime.combine(window_start, dt.time(), zone),
            )
        )
    ]
    schedule = tuple(
        p.day
        for p in planned_days(
            uow=uow,
            person_id=person_id,
            today=today,
            zone=zone,
            first_day=window_start,
            last_day=today,
            with_exercises=False,
        )
    )
    firsts, latests = _first_and_latest(uow, person_id, today)
    report = summarise(
        schedule=schedule,
        sessions=sessions,
        measures=measures,
        tight_moments=moments,
        catalogue=default_catalogue(),
        start=window_start,
        today=today,
    )
    # What has changed is the first answer against the latest, however long ago the first.
    report = replace(report, changes=measure_changes([*firsts.values(), *latests.values()]))
    by_instrument: dict[str, list[MeasureRecord]] = defaultdict(list)
    for record in measures:
        by_instrument[record.instrument].append(record)
    tight_days: dict[dt.date, int] = defaultdict(int)
    for day in moments:
        if window_start <= day <= today:
            tight_days[day] += 1
    return Progress(
        today=today,
        start=start,
        window_start=window_start,
        has_plan=plan is not None,
        sessions=sessions,
        measures={name: tuple(records) for name, records in by_instrument.items()},
        report=report,
        totals=_totals(uow, person_id, today, firsts),
        weeks=weekly_adherence(schedule, [s.day for s in sessions], window_start, today),
        tight_days=dict(sorted(tight_days.items())),
        reassessment=_reassessment(uow, person_id, today),
        startback=_latest_startback(uow, person_id),
    )


def weekly_adherence(
    schedule: tuple[dt.date, ...], session_days: list[dt.date], start: dt.date, today: dt.date
) -> tuple[WeekAdherence, ...]:
    """Sessions due (scheduled up to today) and done, week by week from ``start``."""
    if today < start:
        return ()
    due: dict[int, int] = defaultdict(int)
    done: dict[int, set[dt.date]] = defaultdict(set)
    for day in schedule:
        if start <= day <= today:
            due[(day - start).days // 7] += 1
    for day in session_days:
        if start <= day <= today:
            done[(day - start).days // 7].add(day)
    weeks = (today - start).days // 7 + 1
    return tuple(
        WeekAdherence(start + dt.timedelta(days=7 * index), due[index], len(done[index]))
        for index in range(weeks)
    )


def _measures(uow: UnitOfWork, person_id: int, *, since: dt.date) -> list[MeasureRecord]:
    rows = uow.session.execute(
        select(Measure.day, Measure.instrument, Measure.score)
        .where(Measure.user_id == person_id, Measure.day >= since)
        .order_by(Measure.at, Measure.id)
    )
    return [MeasureRecord(day, instrument, score) for day, instrument, score in rows]


def _first_and_latest(
    uow: UnitOfWork, person_id: int, today: dt.date
) -> tuple[dict[str, MeasureRecord], dict[str, MeasureRecord]]:
    """Each tracked questionnaire's first answer up to today, and its latest when that is
    another answer (two indexed look-ups per instrument)."""
    firsts: dict[str, MeasureRecord] = {}
    latests: dict[str, MeasureRecord] = {}
    for instrument in TRACKED:
        base = select(Measure.id, Measure.day, Measure.score).where(
            Measure.user_id == person_id, Measure.instrument == instrument, Measure.day <= today
        )
        first = uow.session.execute(
            base.order_by(Measure.day, Measure.at, Measure.id).limit(1)
        ).first()
        if first is None:
            continue
        latest = uow.session.execute(
            base.order_by(Measure.day.desc(), Measure.at.desc(), Measure.id.desc()).limit(1)
        ).first()
        firsts[instrument] = MeasureRecord(first.day, instrument, first.score)
        if latest is not None and latest.id != first.id:
            latests[instrument] = MeasureRecord(latest.day, instrument, latest.score)
    return firsts, latests


def _totals(
    uow: UnitOfWork, person_id: int, today: dt.date, firsts: Mapping[str, MeasureRecord]
) -> HistoryTotals:
    sessions = uow.session.scalar(
        select(func.count(TrainingSession.id)).where(
            TrainingSession.user_id == person_id,
            TrainingSession.finished_at.is_not(None),
            TrainingSession.day <= today,
        )
    )
    moments = uow.session.scalar(
        select(func.count(TightMoment.id)).where(TightMoment.user_id == person_id)
    )
    return HistoryTotals(sessions or 0, moments or 0, dict(firsts))


def _start(
    uow: UnitOfWork, person_id: int, plan: PlanRecord | None, today: dt.date, zone: dt.tzinfo
) -> dt.date:
    """The program's first day; before there is one, the first day anything was entered (and
    never after anything entered before it)."""
    if plan is None:
        plan = uow.session.scalar(
            select(PlanRecord)
            .where(PlanRecord.user_id == person_id)
            .order_by(PlanRecord.at, PlanRecord.id)
            .limit(1)
        )
    start = today
    if plan is not None and plan.data.get("start"):
        start = dt.date.fromisoformat(plan.data["start"])
    earliest = [
        uow.session.scalar(select(func.min(Measure.day)).where(Measure.user_id == person_id)),
        uow.session.scalar(
            select(func.min(TrainingSession.day)).where(
                TrainingSession.user_id == person_id,
                TrainingSession.finished_at.is_not(None),
                TrainingSession.day <= today,
            )
        ),
    ]
    first_moment = uow.session.scalar(
        select(func.min(TightMoment.at)).where(TightMoment.user_id == person_id)
    )
    if first_moment is not None:
        earliest.append(first_moment.astimezone(zone).date())
    entered = [day for day in earliest if day is not None]
    return min([start, *entered]) if entered else min(start, today)
