"""The words for each refusal a service can raise (services/errors.py), by its code.

Templates are `str.format` strings over the error's parameters, each wrapped in ``N_`` so that a
translation catalogue is extracted from here (docs/translation.md); they are said in the
active language (`backcoach.wording.i18n`). A code without words is a bug that
`tests/unit/test_service_errors.py` catches; at run time it falls back to the code itself rather
than failing the request.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from backcoach.wording.account_words import ACCOUNT_ERRORS
from backcoach.wording.api_words import API_ERRORS
from backcoach.wording.caseload_words import CASELOAD_ERRORS
from backcoach.wording.coaching_words import COACHING_ERRORS
from backcoach.wording.form_errors import FORM_ERRORS
from backcoach.wording.i18n import N_, gettext, ngettext
from backcoach.wording.message_words import MESSAGE_ERRORS
from backcoach.wording.override_words import OVERRIDE_ERRORS
from backcoach.wording.player_words import PLAYER_ERRORS
from backcoach.wording.program_words import PROGRAM_ERRORS
from backcoach.wording.sign_in_words import SIGN_IN_ERRORS

ERRORS: dict[str, str] = {
    "password.too_short": N_("Use at least {min} characters."),
    "password.too_long": N_("Use at most {max} characters."),
    "password.wrong": N_("Your password is not right."),
    "password.current_wrong": N_("Your current password is not right."),
    "login.no_match": N_("That email and password do not match an account."),
    "login.wait": N_("Too many failed attempts. Please wait {wait}."),
    "program.none": N_("There is no program yet: finish onboarding first."),
    "program.screening": N_("Please answer the safety questions first."),
    "program.referred": N_("Please see a clinician first: your program waits until then."),
    "program.rescreen": N_("It has been a while: please answer the safety questions again."),
    "session.not_found": N_("That session does not exist."),
    "session.finished": N_("This session is finished: start a new one from Today."),
    "set.exercise_not_in_program": N_("That exercise is not in this session's program."),
    "set.number_out_of_range": N_("Please enter a whole number from {min} to {max}."),
    "set.amount_out_of_range": N_("Please enter a whole number from {min} to {max}."),
    "set.load_out_of_range": N_("Please enter kilograms from 0 to {max}, or leave it blank."),
    "set.rir_out_of_range": N_("Please enter a whole number from {min} to {max}."),
    "set.felt_unknown": N_("Please choose one of the options."),
    "set.camera_reps_not_reps": N_(
        "The camera counts reps only, and this exercise is not counted in reps."
    ),
    "pain.out_of_range": N_("Please enter a whole number from {min} to {max}."),
    "check_in.unknown_question": N_("The check-in does not ask this question."),
    "access.forbidden": N_("That is not yours to see or change."),
    "time_zone.unknown": N_(
        "That is not a time zone we know. Choose one from the list, like Europe/London, "
        "or leave it empty to use the server's."
    ),
    "report.summary_too_long": N_("Use at most {max} characters: this has {count}."),
    **FORM_ERRORS,
    **COACHING_ERRORS,
    **MESSAGE_ERRORS,
    **CASELOAD_ERRORS,
    **OVERRIDE_ERRORS,
    **API_ERRORS,
    **PROGRAM_ERRORS,
    **PLAYER_ERRORS,
    **SIGN_IN_ERRORS,
    **ACCOUNT_ERRORS,
}


def error_words(code: str, params: Mapping[str, object]) -> str:
    """The sentence for a refusal; its code when there are no words for it yet."""
    template = ERRORS.get(code)
    if template is None:
        return code
    values = dict(params)
    if "wait_seconds" in values:
        values["wait"] = _wait(int(str(values["wait_seconds"])))
    return gettext(template).format_map(values)


def _wait(seconds: int) -> str:
    if seconds <= 90:
        return ngettext(
            "{count} second and try again", "{count} seconds and try again", seconds
        ).format(count=seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "{count} minute and try again", "{count} minutes and try again", minutes
    ).format(count=minutes)
