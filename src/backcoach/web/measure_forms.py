"""The measures form (onboarding and the two-weekly check): fields to the engine's answers."""

from __future__ import annotations

from typing import Any

from backcoach.engine.measures import (
    STARTBACK_ITEMS,
    STARTBACK_PSYCHOSOCIAL_MAX,
    MeasureError,
    startback_from_scores,
)
from backcoach.web.forms import text, whole

PSFS_SLOTS = range(1, 4)
ODI_SECTIONS = range(1, 11)
#: The optional fields, so a page can open their section when one of them has a problem.
OPTIONAL_FIELDS = ("rmdq", *(f"odi_{n}" for n in ODI_SECTIONS))
#: Ticked when the person has no STarT Back result to enter (no clinician's or paper form).
STARTBACK_NONE = "startback_none"
STARTBACK_FIELDS = ("startback_score", "startback_psychosocial", STARTBACK_NONE)


def measure_answers(
    values: dict[str, Any], errors: dict[str, str], *, with_startback: bool
) -> dict[str, dict[str, Any]]:
    """NPRS, PSFS, (STarT Back), optional ODI and RMDQ in the engine's shapes; problems by field."""
    answers: dict[str, dict[str, Any]] = {}
    nprs = whole(values, "nprs", 0, 10, errors)
    if nprs is not None:
        answers["nprs"] = {"score": nprs}
    answers["psfs"] = {"activities": _activities(values, errors)}
    if with_startback:
        startback = _startback(values, errors)
        if startback is not None:
            answers["startback"] = startback
    sections = [whole(values, f"odi_{n}", 0, 5, errors, required=False) for n in ODI_SECTIONS]
    if any(section is not None for section in sections):
        answers["odi"] = {"sections": sections}
    rmdq = whole(values, "rmdq", 0, 24, errors, required=False)
    if rmdq is not None:
        answers["rmdq"] = {"score": rmdq}
    return answers


def _activities(values: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    activities = []
    for slot in PSFS_SLOTS:
        name = text(values, f"psfs_name_{slot}")
        field = f"psfs_score_{slot}"
        score = whole(values, field, 0, 10, errors, required=bool(name))
        if field in errors:
            # Whole numbers only (Stratford et al. 1995): 6.5 is not a rating on this scale.
            errors[field] = f"Rate activity {slot} with a whole number from 0 to 10."
        if name and score is not None:
            activities.append({"name": name[:100], "score": score})
        elif score is not None and not name:
            errors[f"psfs_name_{slot}"] = f"Please name activity {slot}, the one you rated."
    if not activities and not any(key.startswith("psfs_") for key in errors):
        errors["psfs_name_1"] = "Please name at least one activity your back makes hard."
    return activities


def _startback(values: dict[str, Any], errors: dict[str, str]) -> dict[str, int] | None:
    """The total and psychosocial subscore from a completed form, or None when there is none."""
    entered = any(text(values, name) for name in STARTBACK_FIELDS[:2])
    if values.get(STARTBACK_NONE) == "yes":
        if entered:
            errors[STARTBACK_NONE] = (
                "You ticked that you have no STarT Back score but also entered one: "
                "clear the numbers or untick the box."
            )
        return None
    score = whole(values, "startback_score", 0, STARTBACK_ITEMS, errors, required=False)
    psychosocial = whole(
        values, "startback_psychosocial", 0, STARTBACK_PSYCHOSOCIAL_MAX, errors, required=False
    )
    if "startback_score" in errors:
        errors["startback_score"] = (
            f"STarT Back total: enter a whole number from 0 to {STARTBACK_ITEMS}."
        )
    if "startback_psychosocial" in errors:
        errors["startback_psychosocial"] = (
            f"STarT Back psychosocial subscore: enter a whole number from 0 to "
            f"{STARTBACK_PSYCHOSOCIAL_MAX}."
        )
    if not entered:
        errors["startback_score"] = (
            "Enter the STarT Back total score from your form, or tick "
            "“I don't have a STarT Back score”."
        )
        return None
    if score is None and "startback_score" not in errors:
        errors["startback_score"] = "Please enter the STarT Back total score too."
    if psychosocial is None and "startback_psychosocial" not in errors:
        errors["startback_psychosocial"] = "Please enter the psychosocial subscore too."
    if score is None or psychosocial is None:
        return None
    try:
        startback_from_scores(score, psychosocial)
    except MeasureError as error:
        reason = str(error).split(": ", 1)[-1]
        errors["startback_psychosocial"] = f"Please check both numbers on your form: {reason}."
        return None
    return {"score": score, "psychosocial": psychosocial}
