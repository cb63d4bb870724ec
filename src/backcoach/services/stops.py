"""Stopping an exercise in the player: "this hurts" or "I can't do it", then the easier rung
instead or a skip, kept with why (table exercise_stops).

The record is read back by the page (what was stopped in this session), by the sets' checks
(the easier rung's sets are saved under its own dose) and by the next decision: rule 7a of
docs/progression.md (engine/stops.py) keeps a stopped exercise from ever moving up on the
strength of older sets.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backcoach.engine.catalogue import Exercise
from backcoach.engine.stops import StopAction, StopReason
from backcoach.services import safety, training
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.errors import Conflict, Invalid
from backcoach.services.stop_log import StopView, easier_rung, session_stops, stop_view
from backcoach.services.training import SessionFinished
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import ExerciseStop

__all__ = ["StopView", "easier_instead", "record_stop", "stops_of_session", "undo_stop"]


def record_stop(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    session_id: int,
    exercise_id: str,
    reason: str,
    action: str,
    now: dt.datetime,
    today: dt.date,
) -> StopView:
    """Keep that this exercise was stopped, why, and what was done instead; saying it again
    for the same exercise of the session corrects it.

    ``easier`` needs an easier rung the person can do (`stop.no_easier` otherwise: a skip is
    still offered); the session must be open and the program's gate open.
    """
    authorize(uow, principal, Action.WRITE, person_id, what="set", now=now)
    session = training.own_session_row(uow, person_id, session_id)
    if session.finished_at is not None:
        raise SessionFinished()
    safety.require_open(uow=uow, person_id=person_id, today=today)
    plan = training.plan_of_session(uow, session)
    planned = {item.exercise.id: item.exercise for item in plan.exercises}
    problems = []
    if exercise_id not in planned:
        problems.append(Invalid("set.exercise_not_in_program", field="exercise_id"))
    if reason not in {choice.value for choice in StopReason}:
        problems.append(Invalid("stop.reason_unknown", field="reason"))
    if action not in {choice.value for choice in StopAction}:
        problems.append(Invalid("stop.action_unknown", field="action"))
    if problems:
        raise Invalid.all_of(problems)
    to_exercise = None
    if action == StopAction.EASIER:
        rung = easier_rung(plan, planned[exercise_id])
        if rung is None:
            raise Conflict("stop.no_easier", field="action")
        to_exercise = rung.id
    row = uow.session.scalar(
        select(ExerciseStop).where(
            ExerciseStop.session_id == session.id, ExerciseStop.exercise_id == exercise_id
        )
    )
    if row is None:
        row = ExerciseStop(user_id=person_id, session_id=session.id, exercise_id=exercise_id)
        uow.session.add(row)
    # Never before the session began, whatever a phone's clock said.
    at = max(now, session.started_at)
    row.reason, row.action, row.to_exercise_id, row.at = reason, action, to_exercise, at
    uow.commit()
    return stop_view(row)


def undo_stop(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    session_id: int,
    exercise_id: str,
    now: dt.datetime,
) -> None:
    """Take back a stop of an open session (a tap by mistake). Sets already saved of the easier
    rung stay in the log, as every saved set does."""
    authorize(uow, principal, Action.WRITE, person_id, what="set", now=now)
    session = training.own_session_row(uow, person_id, session_id)
    if session.finished_at is not None:
        raise SessionFinished()
    row = uow.session.scalar(
        select(ExerciseStop).where(
            ExerciseStop.session_id == session.id, ExerciseStop.exercise_id == exercise_id
        )
    )
    if row is not None:
        uow.session.delete(row)
        uow.commit()


def stops_of_session(
    *, uow: UnitOfWork, principal: Principal, person_id: int, session_id: int, now: dt.datetime
) -> dict[str, StopView]:
    """The stops kept for one of this person's sessions, by the exercise stopped."""
    authorize(uow, principal, Action.READ, person_id, what="session", now=now)
    session = training.own_session_row(uow, person_id, session_id)
    return session_stops(uow, session.id)


def easier_instead(
    *, uow: UnitOfWork, principal: Principal, person_id: int, session_id: int, now: dt.datetime
) -> dict[str, Exercise | None]:
    """For each exercise of the session, the easier rung the player may offer (None: only a
    skip)."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    session = training.own_session_row(uow, person_id, session_id)
    plan = training.plan_of_session(uow, session)
    return {item.exercise.id: easier_rung(plan, item.exercise) for item in plan.exercises}
