"""The words of the caseload's attention (engine/attention.py), for a coach: short and concrete.

Templates are keyed by code, their placeholders the code's parameters
(engine.attention.ATTENTION_PARAMS); a flare's parts (flare.during ...) have coach's words of
their own here. The codes whose words depend on a count are said with ``ngettext`` (PLURALS).
A ``day`` is said as a short date ("Tue 1 Dec"; dates stay English, see docs/translation.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from backcoach.catalogue import default_catalogue
from backcoach.engine.attention import (
    FLARE,
    GO_AHEAD,
    LEGS_SPREADING,
    LOW_BACK,
    MCID_REACHED,
    NO_MORNING_ANSWERS,
    PAIN_RISING,
    REASSESS_DUE,
    RECOVERED,
    RED_FLAG,
    SESSIONS_MISSED,
    STARTBACK_HIGH,
    AttentionItem,
)
from backcoach.engine.catalogue import Exercise
from backcoach.engine.log import FLARE_AFTER, FLARE_DURING, FLARE_MORNING
from backcoach.engine.measures import Instrument
from backcoach.engine.reasons import Param, Reason
from backcoach.engine.vocabulary import Urgency
from backcoach.wording.i18n import N_, ngettext
from backcoach.wording.reasons import ExerciseWords, say_in

ATTENTION_WORDS: dict[str, str] = {
    RED_FLAG: N_("Red flag on {day}, not cleared by a clinician: {urgency}."),
    LEGS_SPREADING: N_(
        "Leg symptoms spread further down the leg after the session on {day}: a clinician "
        "should look at the back soon."
    ),
    FLARE: N_("Pain flare after the session on {day}: {flare}."),
    PAIN_RISING: N_(
        "Pain before sessions is rising: {now:.1f}/10 on average this week, {before:.1f} the "
        "week before."
    ),
    STARTBACK_HIGH: N_(
        "STarT Back high risk on {day} ({score}/9, psychosocial {psychosocial}/5): "
        "clinician-led, psychologically informed care is suggested."
    ),
    REASSESS_DUE: N_("Questionnaires due again since {day}: pain, activities and STarT Back."),
    MCID_REACHED: N_(
        "{instrument} improved from {baseline:g} to {latest:g} ({points:g} points): a change "
        "large enough to matter."
    ),
    RECOVERED: N_("{instrument} is {latest:g}: within what we count as recovered."),
    # The parts of a flare, joined by "; ".
    FLARE_DURING: N_("{during}/10 during, above {acceptable} and the {before} before"),
    FLARE_AFTER: N_("{after}/10 after, above {acceptable} and the {before} before"),
    FLARE_MORNING: N_("{morning}/10 the next morning, {rise} above the {before} before"),
}


def _low_back(count: int) -> str:
    return ngettext(
        "{exercise} felt in the low back in {sessions} session running.",
        "{exercise} felt in the low back in {sessions} sessions running.",
        count,
    )


def _sessions_missed(count: int) -> str:
    return ngettext(
        "Sessions missed: {done} of {planned} planned session done in the last {days} days.",
        "Sessions missed: {done} of {planned} planned sessions done in the last {days} days.",
        count,
    )


def _no_morning_answers(count: int) -> str:
    return ngettext(
        "No next-morning answer after the last {sessions} session.",
        "No next-morning answers after the last {sessions} sessions.",
        count,
    )


#: Codes said in the singular or plural: the parameter that counts, and the words for a count.
PLURALS: dict[str, tuple[str, Callable[[int], str]]] = {
    LOW_BACK: ("sessions", _low_back),
    SESSIONS_MISSED: ("planned", _sessions_missed),
    NO_MORNING_ANSWERS: ("sessions", _no_morning_answers),
}

#: Words for the named values of the codes above.
VALUES: dict[str, dict[str, str]] = {
    "urgency": {
        Urgency.EMERGENCY: N_("an emergency, A&E now"),
        Urgency.URGENT: N_("urgent, a doctor today"),
        Urgency.SOON: N_("a GP or physiotherapist within two weeks"),
        GO_AHEAD: N_("their clinician's go-ahead is needed before training"),
    },
    "instrument": {
        Instrument.NPRS: N_("Pain (NPRS)"),
        Instrument.ODI: N_("Disability (ODI)"),
        Instrument.RMDQ: N_("Disability (RMDQ)"),
        Instrument.PSFS: N_("Activities (PSFS)"),
    },
}


def say_attention(item: AttentionItem | Reason) -> str:
    """One attention item in a sentence for the coach."""
    why = item.reason if isinstance(item, AttentionItem) else item
    dated = Reason(why.code, tuple((name, _dated(name, value)) for name, value in why.params))
    plural = PLURALS.get(why.code)
    if plural is None:
        return say_in(ATTENTION_WORDS, dated, values=VALUES)
    counted, words = plural
    values = dated.values
    count = values.get(counted)
    if not isinstance(count, int):
        return why.code  # parameters that do not fit the words: say the code, never fail
    filled = {
        name: ExerciseWords(value, _exercise(value))
        if name.endswith("exercise") and isinstance(value, str)
        else value
        for name, value in values.items()
    }
    try:
        return words(count).format(**filled)
    except (KeyError, IndexError, ValueError):
        return why.code


def _dated(name: str, value: Param) -> Param:
    """A ``day`` (ISO) as a short date: "Tue 1 Dec"."""
    if name != "day" or not isinstance(value, str):
        return value
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day:%a} {day.day} {day:%b}"


def _exercise(exercise_id: str) -> Exercise | None:
    catalogue = default_catalogue()
    return catalogue.get(exercise_id) if exercise_id in catalogue else None
