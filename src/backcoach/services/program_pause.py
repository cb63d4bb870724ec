"""Pausing and resuming a program: a paused day is not planned, so it is never a missed one.

A pause makes a new plan whose schedule has no day in the pause (engine/schedule.py
`around_pause`); everything that counts planned days reads plans' schedules (the calendar and
its feed, the coach's "sessions missed", adherence), so each leaves the pause out. Resuming
makes a plan whose days start again from today (after a rest day). A session trained during a
pause ends it: the person is back.

The pause stops no safety rule (docs/progression.md, "Pauses"): after 28 days or more without a
session the safety questions come again before training, and a long break eases the next
session, however the days were spent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from backcoach.engine.plan import Plan
from backcoach.engine.schedule import around_pause, build_schedule, next_training_day
from backcoach.services import attention
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.errors import Conflict, Invalid
from backcoach.services.onboarding import active_plan, add_plan
from backcoach.services.programs import stored_plan
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import PlanRecord, ProgramPause, TrainingSession

#: The longest pause with an end date; an open pause (no end) lasts until the person resumes.
LONGEST_PAUSE_DAYS = 365
#: How far ahead a pause may start: with the longest pause, its days stay within two years.
LATEST_START_DAYS = 365


@dataclass(frozen=True, slots=True)
class PauseView:
    """A pause in force: its first day and its last (None: until the person resumes)."""

    id: int
    starts_on: dt.date
    ends_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def pause_program(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    starts_on: dt.date,
    ends_on: dt.date | None,
    today: dt.date,
    now: dt.datetime,
) -> PauseView:
    """Pause the program from ``starts_on`` (today or later) to ``ends_on`` (inclusive; None:
    until resumed). A pause already in force is replaced by this one. `Invalid` names the date
    that cannot be (a start in the past or more than `LATEST_START_DAYS` ahead, an end before
    the start or `LONGEST_PAUSE_DAYS` after it); no program is a `Conflict`
    (``profile.no_program``)."""
    authorize(uow, principal, Action.WRITE, person_id, what="program", now=now)
    problems = []
    if starts_on < today:
        problems.append(Invalid("pause.starts_in_past", field="starts_on"))
    elif (starts_on - today).days > LATEST_START_DAYS:
        problems.append(Invalid("pause.starts_too_late", field="starts_on", days=LATEST_START_DAYS))
    if ends_on is not None and ends_on < starts_on:
        problems.append(Invalid("pause.ends_before_start", field="ends_on"))
    elif ends_on is not None and (ends_on - starts_on).days >= LONGEST_PAUSE_DAYS:
        problems.append(Invalid("pause.too_long", field="ends_on", days=LONGEST_PAUSE_DAYS))
    if problems:
        raise Invalid.all_of(problems)
    record = _program(uow, person_id)
    earlier = _in_force(uow, person_id, today)
    plan = stored_plan(record).plan
    if earlier is not None:  # replaced: its days come back before the new pause is made
        earlier.resumed_at = now
        plan = _resumed(uow, person_id, plan, today)
    days, weekdays = plan.profile.days_per_week, plan.profile.weekdays
    schedule = around_pause(plan.schedule, starts_on, ends_on, days, weekdays)
    row = ProgramPause(user_id=person_id, starts_on=starts_on, ends_on=ends_on, made_at=now)
    uow.session.add(row)
    _replan(uow, person_id, replace(plan, schedule=schedule), now)
    attention.refresh_if_coached(uow, person_id=person_id, today=today, now=now)
    uow.commit()
    return PauseView(row.id, starts_on, ends_on)


def resume_program(
    *, uow: UnitOfWork, principal: Principal, person_id: int, today: dt.date, now: dt.datetime
) -> None:
    """End the pause in force now: training days are planned again from today (after a rest
    day since the last session). Not paused: `Conflict` ``pause.none``."""
    authorize(uow, principal, Action.WRITE, person_id, what="program", now=now)
    row = _in_force(uow, person_id, today)
    if row is None:
        raise Conflict("pause.none", field="form")
    row.resumed_at = now
    record = active_plan(uow=uow, person_id=person_id)
    if record is not None:
        _replan(uow, person_id, _resumed(uow, person_id, stored_plan(record).plan, today), now)
    attention.refresh_if_coached(uow, person_id=person_id, today=today, now=now)
    uow.commit()


def current_pause(
    *, uow: UnitOfWork, principal: Principal, person_id: int, today: dt.date, now: dt.datetime
) -> PauseView | None:
    """The pause in force today or ahead (None when the program runs)."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    row = _in_force(uow, person_id, today)
    return None if row is None else PauseView(row.id, row.starts_on, row.ends_on)


def _in_force(uow: UnitOfWork, person_id: int, today: dt.date) -> ProgramPause | None:
    """The latest pause not resumed, not over, and not ended by a session trained since."""
    row = uow.session.scalar(
        select(ProgramPause)
        .where(ProgramPause.user_id == person_id, ProgramPause.resumed_at.is_(None))
        .order_by(ProgramPause.made_at.desc(), ProgramPause.id.desc())
        .limit(1)
    )
    if row is None or (row.ends_on is not None and row.ends_on < today):
        return None
    trained = uow.session.scalar(
        select(func.count(TrainingSession.id)).where(
            TrainingSession.user_id == person_id,
            TrainingSession.started_at > row.made_at,
            TrainingSession.day >= row.starts_on,
        )
    )
    return None if trained else row


def _program(uow: UnitOfWork, person_id: int) -> PlanRecord:
    record = active_plan(uow=uow, person_id=person_id)
    if record is None:
        raise Conflict("profile.no_program", field="form")
    return record


def _resumed(uow: UnitOfWork, person_id: int, plan: Plan, today: dt.date) -> Plan:
    """The plan's days from today as if never paused: from the next training day (a rest day
    after the last session), the days before today kept as they were."""
    last = uow.session.scalar(
        select(func.max(TrainingSession.day)).where(
            TrainingSession.user_id == person_id, TrainingSession.finished_at.is_not(None)
        )
    )
    past = tuple(day for day in plan.schedule if day < today)
    ahead = build_schedule(
        next_training_day(last, today),
        plan.profile.days_per_week,
        weekdays=plan.profile.weekdays,
    )
    return replace(plan, schedule=past + ahead)


def _replan(uow: UnitOfWork, person_id: int, plan: Plan, now: dt.datetime) -> None:
    # Built from no session, as a program from the profile is: a check-in answered later for
    # an earlier session cannot put back the days of the plan it followed.
    add_plan(uow=uow, person_id=person_id, plan=plan, now=now)
