"""The training forms read field by field: each problem is a plain message naming its field."""

from __future__ import annotations

from typing import Any

from backcoach.engine.plan import Plan
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.services.training import MAX_SET_NUMBER, SetInput
from backcoach.web.forms import text, whole
from backcoach.web.training_view import AMOUNT_LABELS

#: Upper bounds of a set, as the training log document allows them (formats/log.py).
AMOUNT_LIMITS = {"reps": 200, "seconds": 3600, "steps": 500}
MAX_LOAD_KG = 500
MAX_RIR = 10

LABELS = {
    "exercise_id": "Exercise",
    "number": "Set number",
    "load_kg": "Load",
    "rir": "Reps in reserve",
    "felt": "Where you felt it",
    "pain_before": "Pain right now",
    "pain_during": "Worst pain during the session",
    "pain_after": "Pain now, after the session",
    "pain_next_morning": "Pain this morning",
    "leg_symptoms": "Leg symptoms",
    **{kind.value: label for kind, label in AMOUNT_LABELS.items()},
}


def name_fields(errors: dict[str, str]) -> dict[str, str]:
    """Prefix each message with its field's label ("Reps: please enter a whole number")."""
    named = {}
    for key, message in errors.items():
        label = LABELS.get(key)
        named[key] = f"{label}: {message[0].lower()}{message[1:]}" if label else message
    return named


def pain(values: dict[str, Any], name: str, errors: dict[str, str]) -> int | None:
    if name in errors:
        return None
    raw = values.get(name)
    if raw is None or raw == "":
        errors[name] = "Please choose a number from 0 to 10."
        return None
    return whole(values, name, 0, 10, errors)


#: The finish form's answers about leg symptoms, in plain words.
LEG_SYMPTOM_CHOICES: tuple[tuple[LegSymptoms, str], ...] = (
    (LegSymptoms.NONE, "I have no pain, numbness or tingling in a leg"),
    (LegSymptoms.SAME, "Leg symptoms about the same as before the session"),
    (LegSymptoms.LESS_FAR, "Leg symptoms less far down the leg (moving back toward the back)"),
    (LegSymptoms.FURTHER_DOWN, "Leg symptoms further down the leg than before"),
)


def leg_symptoms(values: dict[str, Any], errors: dict[str, str]) -> LegSymptoms | None:
    given = values.get("leg_symptoms")
    if isinstance(given, str) and given in {choice.value for choice, _ in LEG_SYMPTOM_CHOICES}:
        return LegSymptoms(given)
    errors["leg_symptoms"] = "Please choose one of the options."
    return None


def kilograms(values: dict[str, Any], errors: dict[str, str]) -> float | None:
    raw = text(values, "load_kg").replace(",", ".")
    if "load_kg" in errors or not raw:
        return None
    try:
        load = float(raw)
    except ValueError:
        load = -1.0
    if not 0 <= load <= MAX_LOAD_KG:  # also refuses nan and inf
        errors["load_kg"] = f"Please enter kilograms from 0 to {MAX_LOAD_KG}, or leave it blank."
        return None
    return round(load, 2)


def set_input(values: dict[str, Any], plan: Plan, errors: dict[str, str]) -> SetInput | None:
    """One set from its form, checked against the exercise's dose in ``plan``."""
    planned = {item.exercise.id: item for item in plan.exercises}
    exercise_id = text(values, "exercise_id")
    item = planned.get(exercise_id)
    if item is None:
        errors["exercise_id"] = "That exercise is not in this session's program."
        return None
    number = whole(values, "number", 1, MAX_SET_NUMBER, errors)
    kind = item.exercise.dose.value
    amount = whole(values, kind, 0, AMOUNT_LIMITS[kind], errors)
    load = kilograms(values, errors)
    rir = whole(values, "rir", 0, MAX_RIR, errors, required=False)
    felt_given = values.get("felt")
    felt = None
    if "felt" not in errors:
        if isinstance(felt_given, str) and felt_given in {choice.value for choice in Felt}:
            felt = Felt(felt_given)
        else:
            errors["felt"] = "Please choose one of the options."
    if errors or number is None or amount is None or felt is None:
        return None
    return SetInput(exercise_id, number, amount, felt, load, rir)
