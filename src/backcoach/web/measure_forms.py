"""The measures form (onboarding and the two-weekly check): fields to the engine's answers."""

from __future__ import annotations

from typing import Any

from backcoach.engine.measures import STARTBACK_BOTHERSOME, STARTBACK_ITEMS
from backcoach.web.forms import text, whole

PSFS_SLOTS = range(1, 4)
ODI_SECTIONS = range(1, 11)
#: The optional fields, so a page can open their section when one of them has a problem.
OPTIONAL_FIELDS = ("rmdq", *(f"odi_{n}" for n in ODI_SECTIONS))


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
        answers["startback"] = {"items": _startback(values, errors)}
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
        score = whole(values, f"psfs_score_{slot}", 0, 10, errors, required=bool(name))
        if name and score is not None:
            activities.append({"name": name[:100], "score": score})
        elif score is not None and not name:
            errors[f"psfs_name_{slot}"] = "Please name the activity you scored."
    if not activities and not any(key.startswith("psfs_") for key in errors):
        errors["psfs_name_1"] = "Please name at least one activity your back makes hard."
    return activities


def _startback(values: dict[str, Any], errors: dict[str, str]) -> list[bool | str]:
    items: list[bool | str] = []
    for number in range(1, STARTBACK_ITEMS):
        given = values.get(f"startback_{number}")
        if given not in ("agree", "disagree"):
            errors[f"startback_{number}"] = "Please choose agree or disagree."
        items.append(given == "agree")
    bother = values.get(f"startback_{STARTBACK_ITEMS}")
    if bother not in STARTBACK_BOTHERSOME:
        errors[f"startback_{STARTBACK_ITEMS}"] = "Please choose one answer."
    items.append(str(bother))
    return items
