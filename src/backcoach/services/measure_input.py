"""The measures a person enters (at onboarding and every two weeks), as given, and their rules.

The rules are checked here and nowhere else: a form hands over the text typed in each field;
what it may be (a whole number in the measure's range, a name for each rated activity, STarT
Back totals that fit each other, enough ODI sections) is decided once, below. Every problem is
found at once, each naming its field (the measures form's field names), so a page can mark them
all. `checked` gives the answers in the engine's shapes (`engine.measures.score_instrument`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backcoach.engine.measures import (
    ODI_MIN_ANSWERED,
    ODI_SECTIONS,
    PSFS_MAX_ACTIVITIES,
    PSFS_NAME_MAX,
    RMDQ_ITEMS,
    STARTBACK_ITEMS,
    STARTBACK_PSYCHOSOCIAL_FROM,
    STARTBACK_PSYCHOSOCIAL_MAX,
    StartBackMismatch,
    startback_mismatch,
)
from backcoach.services.errors import Invalid

#: A number as typed (blank text: not given), or a number already.
Given = str | int
#: The NPRS and the PSFS are both 0-10 numeric rating scales.
SCALE_MAX = 10
ODI_SECTION_MAX = 5


@dataclass(frozen=True, slots=True)
class ActivityInput:
    """One PSFS activity: what the person finds hard, and how well they can do it (0-10)."""

    name: str = ""
    score: Given = ""


@dataclass(frozen=True, slots=True)
class StartBackInput:
    """The STarT Back totals worked out on a completed form, or ``none``: "I have no score"."""

    score: Given = ""
    psychosocial: Given = ""
    none: bool = False


@dataclass(frozen=True, slots=True)
class MeasuresInput:
    """The measures as given. Activities fill slots 1, 2 ...; ``startback`` is None where it
    is not asked (the two-weekly check); ODI sections and RMDQ are optional."""

    nprs: Given = ""
    activities: tuple[ActivityInput, ...] = ()
    startback: StartBackInput | None = None
    odi_sections: tuple[Given, ...] = ()
    rmdq: Given = ""


# The fields a problem names (the measures form's): an activity's by its slot, from 1.
def psfs_name_field(slot: int) -> str:
    return f"psfs_name_{slot}"


def psfs_score_field(slot: int) -> str:
    return f"psfs_score_{slot}"


def odi_field(section: int) -> str:
    return f"odi_{section}"


def checked(entry: MeasuresInput) -> dict[str, dict[str, Any]]:
    """The answers in the engine's shapes, or `Invalid` carrying every problem found."""
    problems = measure_problems(entry)
    if problems:
        raise Invalid.all_of(problems)
    return _answers(entry)


def measure_problems(entry: MeasuresInput) -> list[Invalid]:
    """Every problem of the measures as given, in the order of the form; none when they hold."""
    problems: list[Invalid] = []
    nprs = _whole(entry.nprs, 0, SCALE_MAX)
    if _blank(entry.nprs):
        problems.append(Invalid("nprs.missing", field="nprs"))
    elif nprs is None:
        problems.append(Invalid("nprs.out_of_range", field="nprs", min=0, max=SCALE_MAX))
    problems += _activity_problems(entry.activities)
    if entry.startback is not None:
        problems += _startback_problems(entry.startback)
    problems += _odi_problems(entry.odi_sections)
    if not _blank(entry.rmdq) and _whole(entry.rmdq, 0, RMDQ_ITEMS) is None:
        problems.append(Invalid("rmdq.out_of_range", field="rmdq", min=0, max=RMDQ_ITEMS))
    return problems


def _activity_problems(activities: tuple[ActivityInput, ...]) -> list[Invalid]:
    problems: list[Invalid] = []
    named = 0
    for slot, activity in enumerate(activities, start=1):
        name = activity.name.strip()
        given = not _blank(activity.score)
        # Whole numbers only (Stratford et al. 1995): 6.5 is not a rating on this scale.
        rated = _whole(activity.score, 0, SCALE_MAX) is not None
        if given and not rated:
            code = "psfs.rating_out_of_range"
        elif name and not given:
            code = "psfs.rating_missing"
        else:
            code = ""
        if code:
            field = psfs_score_field(slot)
            problems.append(Invalid(code, field=field, slot=slot, min=0, max=SCALE_MAX))
        if rated and not name:  # a rating of nothing ("x" is no rating: that is said first)
            problems.append(Invalid("psfs.name_missing", field=psfs_name_field(slot), slot=slot))
        named += bool(name)
    if named > PSFS_MAX_ACTIVITIES:
        field = psfs_name_field(PSFS_MAX_ACTIVITIES + 1)
        problems.append(Invalid("psfs.too_many_activities", field=field, max=PSFS_MAX_ACTIVITIES))
    if not named and not problems:
        problems.append(Invalid("psfs.no_activity", field=psfs_name_field(1)))
    return problems


def _startback_problems(startback: StartBackInput) -> list[Invalid]:
    """The totals of a completed form, both in range and fitting each other; or none at all,
    said on purpose (ticked), never both."""
    entered = not (_blank(startback.score) and _blank(startback.psychosocial))
    if startback.none:
        if entered:
            return [Invalid("startback.none_but_entered", field="startback_none")]
        return []
    if not entered:
        return [Invalid("startback.missing", field="startback_score")]
    problems: list[Invalid] = []
    score = _whole(startback.score, 0, STARTBACK_ITEMS)
    psychosocial = _whole(startback.psychosocial, 0, STARTBACK_PSYCHOSOCIAL_MAX)
    if _blank(startback.score):
        problems.append(Invalid("startback.score_missing", field="startback_score"))
    elif score is None:
        problems.append(
            Invalid(
                "startback.score_out_of_range", field="startback_score", min=0, max=STARTBACK_ITEMS
            )
        )
    if _blank(startback.psychosocial):
        problems.append(Invalid("startback.psychosocial_missing", field="startback_psychosocial"))
    elif psychosocial is None:
        problems.append(
            Invalid(
                "startback.psychosocial_out_of_range",
                field="startback_psychosocial",
                min=0,
                max=STARTBACK_PSYCHOSOCIAL_MAX,
            )
        )
    if score is None or psychosocial is None:
        return problems
    mismatch = startback_mismatch(score, psychosocial)
    if mismatch is StartBackMismatch.ABOVE_TOTAL:
        problems.append(
            Invalid(
                "startback.subscore_above_total",
                field="startback_psychosocial",
                total=score,
                subscore=psychosocial,
            )
        )
    elif mismatch is StartBackMismatch.BELOW_LEAST:
        problems.append(
            Invalid(
                "startback.subscore_below_least",
                field="startback_psychosocial",
                total=score,
                subscore=psychosocial,
                least=score - STARTBACK_PSYCHOSOCIAL_FROM,
                first_items=STARTBACK_PSYCHOSOCIAL_FROM,
            )
        )
    return problems


def _odi_problems(sections: tuple[Given, ...]) -> list[Invalid]:
    """Each section given a whole number 0-5; once any is, enough of them to score (the ODI is
    optional as a whole)."""
    problems = [
        Invalid("odi.section_out_of_range", field=odi_field(number), min=0, max=ODI_SECTION_MAX)
        for number, given in enumerate(sections, start=1)
        if not _blank(given) and _whole(given, 0, ODI_SECTION_MAX) is None
    ]
    answered = sum(not _blank(given) for given in sections)
    if len(sections) > ODI_SECTIONS:
        problems.append(Invalid("odi.too_many_sections", max=ODI_SECTIONS))
    elif not problems and 0 < answered < ODI_MIN_ANSWERED:
        problems.append(
            Invalid(
                "odi.too_few_sections",
                least=ODI_MIN_ANSWERED,
                sections=ODI_SECTIONS,
                answered=answered,
            )
        )
    return problems


def _answers(entry: MeasuresInput) -> dict[str, dict[str, Any]]:
    """The engine's shapes of measures already checked."""
    answers: dict[str, dict[str, Any]] = {"nprs": {"score": _number(entry.nprs)}}
    answers["psfs"] = {
        "activities": [
            {"name": activity.name.strip()[:PSFS_NAME_MAX], "score": _number(activity.score)}
            for activity in entry.activities
            if activity.name.strip()
        ]
    }
    startback = entry.startback
    if startback is not None and not startback.none:
        answers["startback"] = {
            "score": _number(startback.score),
            "psychosocial": _number(startback.psychosocial),
        }
    if any(not _blank(given) for given in entry.odi_sections):
        sections = [None if _blank(given) else _number(given) for given in entry.odi_sections]
        answers["odi"] = {"sections": sections + [None] * (ODI_SECTIONS - len(sections))}
    if not _blank(entry.rmdq):
        answers["rmdq"] = {"score": _number(entry.rmdq)}
    return answers


def _blank(given: Given) -> bool:
    return isinstance(given, str) and not given.strip()


def _whole(given: Given, low: int, high: int) -> int | None:
    """The whole number given, when it is one from ``low`` to ``high``; else None."""
    if isinstance(given, bool):
        return None
    if isinstance(given, str):
        text = given.strip()
        # Digits only: "6.5", "-1" and "1e3" are not whole ratings; a long run is no rating.
        if not (text.isascii() and text.isdecimal() and len(text) <= 6):
            return None
        given = int(text)
    return given if low <= given <= high else None


def _number(given: Given) -> int:
    """A number already checked by `measure_problems`."""
    return int(given.strip()) if isinstance(given, str) else given
