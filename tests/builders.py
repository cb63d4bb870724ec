"""Small builders so each test says only what matters to it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.plan import Plan
from backcoach.engine.prescription import prescribe
from backcoach.engine.profile import Profile
from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.engine.vocabulary import Equipment, Felt, Level, Pregnancy


def profile(**changes: Any) -> Profile:
    values: dict[str, Any] = {
        "age": 40,
        "pain": 4,
        "level": Level.BEGINNER,
        "days_per_week": 7,
        "equipment": frozenset(),
        "avoid": frozenset(),
        # A complete screening with no sign raised: the engine builds no program without one.
        "red_flags": dict.fromkeys(RED_FLAG_IDS, False),
        "pregnancy": Pregnancy.NONE,
    }
    values.update(changes)
    if isinstance(values["equipment"], list | tuple | set):
        values["equipment"] = frozenset(Equipment(e) for e in values["equipment"])
    return Profile(**values)


def plan_for(catalogue: Catalogue, start: date, **changes: Any) -> Plan:
    result = prescribe(profile(**changes), catalogue, start)
    assert isinstance(result, Plan)
    return result


def session(
    day: date,
    exercises: dict[str, list[SetLog]] | None = None,
    *,
    before: int = 3,
    during: int = 3,
    after: int = 3,
    morning: int | None = None,
    red_flags: dict[str, bool] | None = None,
) -> SessionLog:
    return SessionLog(
        day=day,
        pain_before=before,
        pain_during=during,
        pain_after=after,
        pain_next_morning=morning,
        red_flags=red_flags or {},
        exercises=tuple(ExerciseLog(k, tuple(v)) for k, v in (exercises or {}).items()),
    )


def sets(
    amount: int, count: int = 2, felt: Felt = Felt.TARGET, load: float | None = None
) -> list[SetLog]:
    return [SetLog(amount, felt, load) for _ in range(count)]


def full_session(plan: Plan, day: date, amount: int | None = None, **kwargs: Any) -> SessionLog:
    """Every planned exercise done at ``amount`` (default: the top of its range)."""
    return session(
        day,
        {
            item.exercise.id: sets(amount or item.dose_max, item.sets, load=item.load_kg)
            for item in plan.exercises
        },
        **kwargs,
    )


def days(start: date, *offsets: int) -> list[date]:
    return [start + timedelta(days=o) for o in offsets]
