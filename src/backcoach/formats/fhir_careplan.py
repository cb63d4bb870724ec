"""The program as a FHIR R4 CarePlan: one activity per exercise, each with a detail carrying the
schedule (``scheduledTiming``), the dose and the tempo (backcoach extensions, docs/fhir.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from backcoach.engine.plan import Plan, PlannedExercise
from backcoach.engine.schedule import frequency_for
from backcoach.engine.vocabulary import Laterality
from backcoach.formats.fhir_codes import (
    DOSE_EXTENSION,
    DOSE_UNITS,
    EXERCISES,
    TEMPO_EXTENSION,
    UCUM,
    coding,
)
from backcoach.wording.cue_words import say_cue
from backcoach.wording.note_words import say_plan_note
from backcoach.wording.reasons import say

#: Timing.repeat.dayOfWeek codes, Monday first (the engine counts 0 = Monday).
DAYS_OF_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class ProgramRecord:
    """The active program: which row, when it was made, the plan, and whether it is on hold
    (a red flag not yet cleared by a clinician, or a screening still to answer)."""

    id: int
    at: dt.datetime
    plan: Plan
    on_hold: bool = False


def care_plan_id(program: ProgramRecord) -> str:
    return f"plan-{program.id}"


def care_plan(program: ProgramRecord, patient: dict[str, str]) -> dict[str, Any]:
    """The CarePlan of ``program`` for the patient ``patient`` refers to."""
    plan = program.plan
    timing = scheduled_timing(plan)
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": care_plan_id(program),
        "status": "on-hold" if program.on_hold else "active",
        "intent": "plan",
        "title": "Strengthening program for low back pain",
        "subject": patient,
        "period": {"start": plan.start.isoformat()},
        "created": program.at.isoformat(),
        "activity": [
            {"detail": _detail(item, timing)} for item in (*plan.exercises, *plan.mobility)
        ],
    }
    notes = [say_plan_note(plan.frequency_note), *(say_plan_note(note) for note in plan.notes)]
    resource["note"] = [{"text": text} for text in notes if text]
    return resource


def scheduled_timing(plan: Plan) -> dict[str, Any]:
    """How often the program trains (M7), from its start, with the dated days it planned.

    Every other day is one session per two days; fewer free days are so many sessions a week,
    on the person's chosen weekdays when they gave some."""
    repeat: dict[str, Any] = {"boundsPeriod": {"start": plan.start.isoformat()}}
    weekdays = sorted({day.weekday() for day in plan.schedule}) if plan.profile.weekdays else []
    frequency = frequency_for(plan.profile.days_per_week)
    if weekdays:
        repeat |= {"frequency": len(weekdays), "period": 1, "periodUnit": "wk"}
        repeat["dayOfWeek"] = [DAYS_OF_WEEK[day] for day in weekdays]
    elif frequency.every_other_day:
        repeat |= {"frequency": 1, "period": 2, "periodUnit": "d"}
    else:
        repeat |= {"frequency": int(frequency.sessions_per_week), "period": 1, "periodUnit": "wk"}
    timing: dict[str, Any] = {"repeat": repeat}
    if plan.schedule:
        timing["event"] = [day.isoformat() for day in plan.schedule]
    return timing


def _detail(item: PlannedExercise, timing: dict[str, Any]) -> dict[str, Any]:
    exercise = item.exercise
    detail: dict[str, Any] = {
        "extension": [
            dose_extension(item),
            {"url": TEMPO_EXTENSION, "valueString": exercise.tempo},
        ],
        "code": {
            "coding": [coding(EXERCISES, exercise.id, exercise.name)],
            "text": exercise.name,
        },
        "status": "scheduled",
        "scheduledTiming": timing,
    }
    description = say(item.reason)
    if item.cue:
        description = f"{description} {say_cue(item.cue)}".strip()
    if description:
        detail["description"] = description
    return detail


def dose_extension(item: PlannedExercise) -> dict[str, Any]:
    """The dose of the next session: sets, the range per set (reps, seconds or steps), the
    load when one is set, and whether each side is done."""
    unit, words = DOSE_UNITS[item.exercise.dose.value]

    def amount(value: int) -> dict[str, Any]:
        return {"value": value, "unit": words, "system": UCUM, "code": unit}

    parts: list[dict[str, Any]] = [
        {"url": "sets", "valueInteger": item.sets},
        {"url": "min", "valueQuantity": amount(item.dose_min)},
        {"url": "max", "valueQuantity": amount(item.dose_max)},
    ]
    if item.load_kg is not None:
        load = {"value": item.load_kg, "unit": "kg", "system": UCUM, "code": "kg"}
        parts.append({"url": "load", "valueQuantity": load})
    per_side = item.exercise.laterality is Laterality.UNILATERAL
    parts.append({"url": "perSide", "valueBoolean": per_side})
    return {"url": DOSE_EXTENSION, "extension": parts}
