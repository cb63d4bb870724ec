"""The training forms read field by field: text to numbers, each problem a plain message naming
its field. What the numbers may be is the training service's rule (services/sets.py)."""

from __future__ import annotations

import re
from typing import Any

from backcoach.catalogue import default_catalogue
from backcoach.engine.vocabulary import LegSymptoms
from backcoach.services.errors import Invalid
from backcoach.services.sets import AMOUNT_LIMITS, MAX_LOAD_KG, MAX_RIR, MAX_SET_NUMBER, SetInput
from backcoach.services.training import MAX_PAIN
from backcoach.web.forms import text
from backcoach.web.training_view import AMOUNT_LABELS
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import N_

_WHOLE = re.compile(r"[0-9]{1,6}")

LABELS = {
    "exercise_id": "Exercise",
    "number": "Set number",
    "load_kg": "Load",
    "rir": "How many more you could have done",
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
    """A pain rating read as a number (the training service checks it is 0-10)."""
    if name in errors:
        return None
    raw = values.get(name)
    if raw is None or raw == "":
        errors[name] = f"Please choose a number from 0 to {MAX_PAIN}."
        return None
    return _number(values, name, errors, 0, MAX_PAIN)


def add_problems(errors: dict[str, str], refused: Invalid) -> None:
    """Each problem the service found, in words, next to its field."""
    for problem in refused.problems:
        errors.setdefault(problem.field or "form", error_words(problem.code, problem.params))


#: The finish form's answers about leg symptoms, in plain words.
LEG_SYMPTOM_CHOICES: tuple[tuple[LegSymptoms, str], ...] = (
    (LegSymptoms.NONE, N_("I have no pain, numbness or tingling in a leg")),
    (LegSymptoms.SAME, N_("Leg symptoms about the same as before the session")),
    (LegSymptoms.LESS_FAR, N_("Leg symptoms less far down the leg (moving back toward the back)")),
    (LegSymptoms.FURTHER_DOWN, N_("Leg symptoms further down the leg than before")),
)


def leg_symptoms(values: dict[str, Any], errors: dict[str, str]) -> LegSymptoms | None:
    given = values.get("leg_symptoms")
    if isinstance(given, str) and given in {choice.value for choice, _ in LEG_SYMPTOM_CHOICES}:
        return LegSymptoms(given)
    errors["leg_symptoms"] = "Please choose one of the options."
    return None


def set_input(values: dict[str, Any], errors: dict[str, str]) -> SetInput | None:
    """One set from its form, its text read as numbers; None when a field is not a number.

    The catalogue names the amount's field (reps, seconds or steps), so reading a set needs no
    database. For an exercise it does not hold the amount is left at 0, which breaks no rule:
    the service names the exercise (and one outside the session's program), and only that.
    """
    exercise_id = text(values, "exercise_id")
    catalogue = default_catalogue()
    kind = catalogue.get(exercise_id).dose.value if exercise_id in catalogue else None
    number = _number(values, "number", errors, 1, MAX_SET_NUMBER)
    amount = _number(values, kind, errors, 0, AMOUNT_LIMITS[kind]) if kind else 0
    load = _kilograms(values, errors)
    rir = _number(values, "rir", errors, 0, MAX_RIR, required=False)
    camera_reps = _camera_count(values) if kind == "reps" else None
    felt = values.get("felt")
    if errors or number is None or amount is None:
        return None
    return SetInput(
        exercise_id, number, amount, felt if isinstance(felt, str) else "", load, rir, camera_reps
    )


def _camera_count(values: dict[str, Any]) -> int | None:
    """The camera's count from the player's hidden field. It is extra to what the person typed,
    and they cannot see or correct a hidden field: one that is not a count (or one for an
    exercise not counted in reps) is left out rather than refusing the set; the API, where a
    program sends it, refuses it naming the field."""
    given = text(values, "camera_reps")
    if given.isdecimal() and len(given) <= 3 and int(given) <= AMOUNT_LIMITS["reps"]:
        return int(given)
    return None


def _number(
    values: dict[str, Any],
    name: str,
    errors: dict[str, str],
    low: int,
    high: int,
    *,
    required: bool = True,
) -> int | None:
    """The field as a whole number, whatever its size (the service checks it is from ``low``
    to ``high``; text that is no whole number is told the same range)."""
    if name in errors:
        return None
    raw = values.get(name)
    given = raw.strip() if isinstance(raw, str) else ""
    if not given:
        if required:
            errors[name] = "Please fill this in."
        return None
    if not _WHOLE.fullmatch(given):
        errors[name] = f"Please enter a whole number from {low} to {high}."
        return None
    return int(given)


def _kilograms(values: dict[str, Any], errors: dict[str, str]) -> float | None:
    raw = text(values, "load_kg").replace(",", ".")
    if "load_kg" in errors or not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        errors["load_kg"] = f"Please enter kilograms from 0 to {MAX_LOAD_KG}, or leave it blank."
        return None
