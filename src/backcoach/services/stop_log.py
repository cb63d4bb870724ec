"""The stored stops (an exercise stopped in the player, skipped or swapped for the easier rung)
as the training service reads them: for the next decision (rule 7a) and for the sets of a
session. Reads only, for the services, after `authorize`; services/stops.py records them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Exercise
from backcoach.engine.decisions import switch
from backcoach.engine.ladder import Ladder
from backcoach.engine.plan import Plan
from backcoach.engine.prescription import excluded
from backcoach.engine.progression import READS_BACK_DAYS
from backcoach.engine.reasons import Reason
from backcoach.engine.stops import Stop, StopAction, StopReason
from backcoach.engine.vocabulary import Decision
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import ExerciseStop, SetRecord, TrainingSession

#: The code a swapped-in exercise carries inside the session it was swapped in (never stored
#: in a plan: it only lets that session's sets of the easier rung be checked and saved).
SWAPPED_IN = "regress.stopped_pain"


@dataclass(frozen=True, slots=True)
class StopView:
    """One stop as kept: which exercise, why, what was done instead, and when."""

    session_id: int
    exercise_id: str
    reason: StopReason
    action: StopAction
    to_exercise_id: str | None
    at: dt.datetime


def stop_view(row: ExerciseStop) -> StopView:
    return StopView(
        row.session_id,
        row.exercise_id,
        StopReason(row.reason),
        StopAction(row.action),
        row.to_exercise_id,
        row.at,
    )


def session_stops(uow: UnitOfWork, session_id: int) -> dict[str, StopView]:
    """The stops of one session, by the exercise stopped."""
    rows = uow.session.scalars(select(ExerciseStop).where(ExerciseStop.session_id == session_id))
    return {row.exercise_id: stop_view(row) for row in rows}


def easier_rung(plan: Plan, exercise: Exercise) -> Exercise | None:
    """The easier rung this person can do instead (their kit, nothing avoided, not already in
    the session): the engine's ladder, as progression walks it."""
    catalogue = default_catalogue()
    profile = plan.profile
    taken = {item.exercise.id for item in plan.exercises}
    ladder = Ladder(catalogue, profile.equipment, excluded(profile, catalogue), taken)
    return ladder.easier(catalogue.get(exercise.id) if exercise.id in catalogue else exercise)


def with_swaps(plan: Plan, stops: dict[str, StopView], today: dt.date) -> Plan:
    """The session's plan with each exercise swapped in the player replaced by its easier rung,
    so that the sets of the rung done instead are checked against its own dose."""
    swapped = {key: stop for key, stop in stops.items() if stop.to_exercise_id}
    if not swapped:
        return plan
    catalogue = default_catalogue()
    exercises = []
    for item in plan.exercises:
        stop = swapped.get(item.exercise.id)
        if stop is None or stop.to_exercise_id not in catalogue:
            exercises.append(item)
            continue
        rung = catalogue.get(stop.to_exercise_id or "")
        why = Reason(SWAPPED_IN, (("to_exercise", rung.id),))
        exercises.append(switch(item, rung, Decision.REGRESS, why, today))
    return replace(plan, exercises=tuple(exercises))


def recent_stops(uow: UnitOfWork, person_id: int, today: dt.date) -> dict[str, Stop]:
    """Each exercise's latest stop of the last `READS_BACK_DAYS` days (finished session or
    not), with how many finished sessions with its sets came after it: rule 7a's input.

    One statement for the stops, and one per stopped exercise (a handful) for what followed.
    """
    since = dt.datetime.combine(today - dt.timedelta(days=READS_BACK_DAYS), dt.time(), dt.UTC)
    rows = uow.session.execute(
        select(ExerciseStop.exercise_id, ExerciseStop.reason, ExerciseStop.at, TrainingSession.day)
        .join(TrainingSession, TrainingSession.id == ExerciseStop.session_id)
        .where(ExerciseStop.user_id == person_id, ExerciseStop.at >= since)
        .order_by(ExerciseStop.at)
    )
    latest = {exercise_id: (reason, at, day) for exercise_id, reason, at, day in rows}
    found: dict[str, Stop] = {}
    for exercise_id, (reason, at, day) in latest.items():
        after = uow.session.scalar(
            select(func.count(func.distinct(SetRecord.session_id)))
            .join(TrainingSession, TrainingSession.id == SetRecord.session_id)
            .where(
                TrainingSession.user_id == person_id,
                TrainingSession.finished_at.is_not(None),
                TrainingSession.started_at > at,
                SetRecord.exercise_id == exercise_id,
            )
        )
        found[exercise_id] = Stop(exercise_id, StopReason(reason), day, after or 0)
    return found


def has_stops(uow: UnitOfWork, session_id: int) -> bool:
    return (
        uow.session.scalar(
            select(ExerciseStop.id).where(ExerciseStop.session_id == session_id).limit(1)
        )
        is not None
    )
