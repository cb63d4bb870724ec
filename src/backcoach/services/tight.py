"""Tight moments: "I feel tight" is logged and answered with quick mobility drills (M1, M6, M10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from backcoach.catalogue import default_catalogue
from backcoach.engine.plan import PlannedExercise
from backcoach.formats.plan import read_plan
from backcoach.services import safety
from backcoach.services.errors import Conflict
from backcoach.services.onboarding import active_plan
from backcoach.services.safety import Gate
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import TightMoment, User


def mobility_drills(*, uow: UnitOfWork, user: User) -> tuple[PlannedExercise, ...]:
    """The drills of the person's program for tight moments (M6); none without a program, or
    while the referral gate is shut (a red flag means no exercise until a clinician clears)."""
    if safety.gate(uow=uow, user=user) is not Gate.OPEN:
        return ()
    record = active_plan(uow=uow, user_id=user.id)
    if record is None:
        return ()
    return read_plan(record.data, default_catalogue()).mobility


def log_tight_moment(*, uow: UnitOfWork, user: User, now: dt.datetime) -> TightMoment:
    """Keep the moment and the drills offered, so "fewer tight moments" can be measured (M10)."""
    drills = mobility_drills(uow=uow, user=user)
    if not drills:
        raise Conflict("program.none", field="plan")
    moment = TightMoment(user_id=user.id, at=now, drills=[_drill_record(d) for d in drills])
    uow.session.add(moment)
    uow.commit()
    return moment


def tight_moments_on(*, uow: UnitOfWork, user: User, day: dt.date, zone: dt.tzinfo) -> int:
    """How many tight moments the person logged on ``day`` in their time zone."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    count = uow.session.scalar(
        select(func.count(TightMoment.id)).where(
            TightMoment.user_id == user.id,
            TightMoment.at >= start.astimezone(dt.UTC),
            TightMoment.at < end.astimezone(dt.UTC),
        )
    )
    return int(count or 0)


def _drill_record(drill: PlannedExercise) -> dict[str, Any]:
    return {
        "id": drill.exercise.id,
        "sets": drill.sets,
        "dose": drill.exercise.dose.value,
        "amount": drill.dose_max,
    }
