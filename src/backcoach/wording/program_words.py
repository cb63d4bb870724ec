"""The words of a program read through the API: a decision's name, and the catalogue's refusal."""

from __future__ import annotations

from backcoach.engine.vocabulary import Decision
from backcoach.wording import DECISION_WORDS, EASES_OFF
from backcoach.wording.i18n import N_, gettext

PROGRAM_ERRORS: dict[str, str] = {
    "exercise.not_found": N_("There is no exercise by that name."),
}


def say_decision(decision: Decision, code: str) -> str:
    """What was decided in words ("Moves up"); a hold that eases off says so, as Today does."""
    if code.startswith("ease_off.") and decision is Decision.HOLD:
        return gettext(EASES_OFF)  # the same exercise with less: not "the same for now"
    return DECISION_WORDS[decision]
