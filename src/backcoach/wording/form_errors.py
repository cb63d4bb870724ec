"""The words for a refused answer to the safety questions or the measures, by its code.

The services check these answers (services/safety.py `answer_problems`, services/measure_input.py)
and name each problem with a code, its field and parameters; the words are here, each wrapped in
``N_`` for the translation catalogue and said in the active language (`backcoach.wording.i18n`).
`wording/errors.py` includes them in ERRORS, so every door says them alike; `say_form_error`
adds the one thing a form needs more: the question a yes/no problem is about, named first.
"""

from __future__ import annotations

from collections.abc import Mapping

from backcoach.engine.red_flags import RED_FLAGS
from backcoach.wording.i18n import N_, gettext
from backcoach.wording.screening_words import say_screening

_WHOLE_NUMBER = N_("Please enter a whole number from {min} to {max}.")

FORM_ERRORS: dict[str, str] = {
    "screening.age_out_of_range": N_("Please give your age in whole years ({min} to {max})."),
    "screening.pregnancy_unanswered": N_("Please choose one answer."),
    "screening.unanswered": N_("Please answer yes or no."),
    "nprs.missing": N_("Please fill this in."),
    "nprs.out_of_range": _WHOLE_NUMBER,
    "psfs.rating_missing": N_("Rate activity {slot} with a whole number from {min} to {max}."),
    "psfs.rating_out_of_range": N_("Rate activity {slot} with a whole number from {min} to {max}."),
    "psfs.name_missing": N_("Please name activity {slot}, the one you rated."),
    "psfs.no_activity": N_("Please name at least one activity your back makes hard."),
    "psfs.too_many_activities": N_("Please name at most {max} activities."),
    "startback.none_but_entered": N_(
        "You ticked that you have no STarT Back score but also entered one: "
        "clear the numbers or untick the box."
    ),
    "startback.missing": N_(
        "Enter the STarT Back total score from your form, or tick "
        "“I don't have a STarT Back score”."
    ),
    "startback.score_missing": N_("Please enter the STarT Back total score too."),
    "startback.psychosocial_missing": N_("Please enter the psychosocial subscore too."),
    "startback.score_out_of_range": N_(
        "STarT Back total: enter a whole number from {min} to {max}."
    ),
    "startback.psychosocial_out_of_range": N_(
        "STarT Back psychosocial subscore: enter a whole number from {min} to {max}."
    ),
    "startback.subscore_above_total": N_(
        "Please check both numbers on your form: the psychosocial subscore ({subscore}) is part "
        "of the total, so it cannot be more than the total score ({total})."
    ),
    "startback.subscore_below_least": N_(
        "Please check both numbers on your form: items 1-{first_items} add at most {first_items} "
        "points, so a total of {total} needs a psychosocial subscore of at least {least}, "
        "not {subscore}."
    ),
    "odi.section_out_of_range": _WHOLE_NUMBER,
    "odi.too_few_sections": N_(
        "sections: at least {least} of {sections} sections must be answered, got {answered}"
    ),
    "odi.too_many_sections": N_("The ODI has {max} sections."),
    "rmdq.out_of_range": _WHOLE_NUMBER,
}

#: Words for a problem with one yes/no question, naming the question first.
_ABOUT_A_QUESTION: dict[str, str] = {
    "screening.unanswered": N_("{question}: please answer yes or no."),
}
_LABELS = {flag.id: flag.label for flag in RED_FLAGS}


def say_form_error(code: str, field: str | None, params: Mapping[str, object]) -> str | None:
    """The words for a refused answer, the question named where it is about one; None for a
    code that is not one of these."""
    label = _LABELS.get(field or "")
    if code in _ABOUT_A_QUESTION and label is not None:
        return gettext(_ABOUT_A_QUESTION[code]).format(question=say_screening(label))
    template = FORM_ERRORS.get(code)
    return None if template is None else gettext(template).format_map(dict(params))
