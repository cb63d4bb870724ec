"""Tight moments: "I feel tight" is logged and answered with quick mobility drills (M1, M6, M10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select

from backcoach.engine.plan import PlannedExercise
from backcoach.services import safety
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.errors import Conflict
from backcoach.services.onboarding import active_plan
from backcoach.services.programs import stored_plan
from backcoach.services.safety import Gate
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import TightMoment as TightMomentRow


@dataclass(frozen=True, slots=True)
class TightMoment:
    """A tight moment as kept: when, and the drills offered (by exercise id)."""

    id: int
    at: dt.datetime
    drills: tuple[str, ...]


def mobility_drills(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> tuple[PlannedExercise, ...]:
    """The drills of the person's program for tight moments (M6); none without a program, or
    while the referral gate is shut (a red flag means no exercise until a clinician clears)."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    return _drills(uow, person_id)


def log_tight_moment(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> TightMoment:
    """Keep the moment and the drills offered, so "fewer tight moments" can be measured (M10)."""
    authorize(uow, principal, Action.WRITE, person_id, what="tight_moment", now=now)
    drills = _drills(uow, person_id)
    if not drills:
        raise Conflict("program.none", field="plan")
    row = TightMomentRow(user_id=person_id, at=now, drills=[_drill_record(d) for d in drills])
    uow.session.add(row)
    uow.commit()
    return TightMoment(row.id, row.at, tuple(d.exercise.id for d in drills))


def tight_moments_on(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    day: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> int:
    """How many tight moments the person logged on ``day`` in their time zone."""
    authorize(uow, principal, Action.READ, person_id, what="tight_moment", now=now)
    count = uow.session.scalar(
        select(func.count(TightMomentRow.id)).where(
            TightMomentRow.user_id == person_id,
            TightMomentRow.at >= _start_of(day, zone),
            TightMomentRow.at < _start_of(day + dt.timedelta(days=1), zone),
        )
    )
    return int(count or 0)


@dataclass(frozen=True, slots=True)
class TightCounts:
    """Tight moments today, this week and last week (weeks from Monday, in the person's zone),
    so that "fewer tight moments" shows week on week (M10)."""

    today: int
    this_week: int
    last_week: int


def tight_moment_counts(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    today: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> TightCounts:
    """How many tight moments the person logged today, this week and last week, counted on
    their own calendar (a moment at 23:30 in their zone is that day's, whatever UTC says)."""
    authorize(uow, principal, Action.READ, person_id, what="tight_moment", now=now)
    monday = today - dt.timedelta(days=today.weekday())
    last_monday, tomorrow = monday - dt.timedelta(days=7), today + dt.timedelta(days=1)
    bounds = [_start_of(day, zone) for day in (last_monday, monday, today, tomorrow)]
    at = TightMomentRow.at
    # One bounded read (an index range over two weeks), whatever the person's history.
    row = uow.session.execute(
        select(
            func.count(case((at >= bounds[2], 1))),
            func.count(case((at >= bounds[1], 1))),
            func.count(case((at < bounds[1], 1))),
        ).where(
            TightMomentRow.user_id == person_id,
            at >= bounds[0],
            at < bounds[3],
        )
    ).one()
    return TightCounts(today=int(row[0]), this_week=int(row[1]), last_week=int(row[2]))


def _start_of(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """Midnight at the start of ``day`` in ``zone``, in UTC (as the moments are kept)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def _drills(uow: UnitOfWork, person_id: int) -> tuple[PlannedExercise, ...]:
    if safety.gate(uow=uow, person_id=person_id) is not Gate.OPEN:
        return ()
    record = active_plan(uow=uow, person_id=person_id)
    if record is None:
        return ()
    return stored_plan(record).plan.mobility


def _drill_record(drill: PlannedExercise) -> dict[str, Any]:
    return {
        "id": drill.exercise.id,
        "sets": drill.sets,
        "dose": drill.exercise.dose.value,
        "amount": drill.dose_max,
    }
