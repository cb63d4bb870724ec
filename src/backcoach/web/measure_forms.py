"""The measures form (onboarding and the two-weekly check) and the safety questions, read field
by field into what the services take; their rules and refusals are the services' (services/
measure_input.py, services/safety.py), said next to each field with `add_problems`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backcoach.services.errors import Invalid
from backcoach.services.measure_input import (
    ActivityInput,
    MeasuresInput,
    StartBackInput,
    odi_field,
    psfs_name_field,
    psfs_score_field,
)
from backcoach.web.forms import text
from backcoach.wording.errors import error_words
from backcoach.wording.form_errors import say_form_error

PSFS_SLOTS = range(1, 4)
ODI_SECTIONS = range(1, 11)
#: The optional fields, so a page can open their section when one of them has a problem.
OPTIONAL_FIELDS = ("rmdq", *(odi_field(n) for n in ODI_SECTIONS))
#: Ticked when the person has no STarT Back result to enter (no clinician's or paper form).
STARTBACK_NONE = "startback_none"
STARTBACK_FIELDS = ("startback_score", "startback_psychosocial", STARTBACK_NONE)


def measures_input(values: dict[str, Any], *, with_startback: bool) -> MeasuresInput:
    """The form's fields as typed: NPRS, PSFS, (STarT Back), the optional ODI and RMDQ."""
    startback = None
    if with_startback:
        startback = StartBackInput(
            _typed(values, "startback_score"),
            _typed(values, "startback_psychosocial"),
            none=values.get(STARTBACK_NONE) == "yes",
        )
    return MeasuresInput(
        nprs=_typed(values, "nprs"),
        activities=tuple(
            ActivityInput(
                text(values, psfs_name_field(slot)), _typed(values, psfs_score_field(slot))
            )
            for slot in PSFS_SLOTS
        ),
        startback=startback,
        odi_sections=tuple(_typed(values, odi_field(n)) for n in ODI_SECTIONS),
        rmdq=_typed(values, "rmdq"),
    )


def yes_or_no(values: dict[str, Any], questions: Iterable[str]) -> dict[str, bool]:
    """The yes/no questions answered "yes" or "no"; any other is left out (and so unanswered)."""
    answers = {question: values.get(question) for question in questions}
    return {question: given == "yes" for question, given in answers.items() if given in _YES_NO}


_YES_NO = ("yes", "no")


def add_problems(errors: dict[str, str], refused: Invalid | Iterable[Invalid]) -> None:
    """Each problem a service found, in words, next to its field; a field that already has one
    (the form could not be read there) keeps it."""
    problems = refused.problems if isinstance(refused, Invalid) else refused
    for problem in problems:
        field = problem.field or "form"
        words = say_form_error(problem.code, problem.field, problem.params)
        errors.setdefault(field, words or error_words(problem.code, problem.params))


def _typed(values: dict[str, Any], name: str) -> str:
    """A number's field as typed ("" when not sent); a value that is no text (a list) reads as
    text that is no number, so the service refuses it rather than taking it as blank."""
    given = values.get(name, "")
    return given if isinstance(given, str) else "?"
