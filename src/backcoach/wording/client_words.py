"""The words of a client's page as their coach reads it (services/client_record.py): where a
set was felt, leg symptoms, a questionnaire's change against its MCID, a screening's urgency and
a coach's override, said about the client rather than to them."""

from __future__ import annotations

from backcoach.engine.change import MCID, Change
from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.wording.i18n import N_, gettext
from backcoach.wording.screening_words import say_screening

FELT_WORDS: dict[str, str] = {
    Felt.TARGET: N_("in the target muscles"),
    Felt.LOW_BACK: N_("in the low back"),
    Felt.ELSEWHERE: N_("somewhere else"),
    Felt.NOTHING: N_("not really felt"),
}

LEG_WORDS: dict[str, str] = {
    LegSymptoms.NONE: N_("no leg symptoms"),
    LegSymptoms.SAME: N_("leg symptoms as before"),
    LegSymptoms.LESS_FAR: N_("leg symptoms less far down the leg"),
    LegSymptoms.FURTHER_DOWN: N_("leg symptoms spreading further down the leg"),
}

INSTRUMENT_WORDS: dict[str, str] = {
    "nprs": N_("Pain (NPRS, 0-10)"),
    "odi": N_("Daily life (ODI, %)"),
    "rmdq": N_("Daily life (RMDQ, 0-24)"),
    "psfs": N_("Chosen activities (PSFS, 0-10)"),
    "startback": N_("STarT Back (0-9)"),
}

URGENCY_WORDS: dict[str, str] = {
    "emergency": N_("Emergency: to be seen today, at an emergency department"),
    "urgent": N_("Urgent: to be seen by a doctor within a day or two"),
    "soon": N_("To be seen by a doctor soon, before training goes on"),
}

SCREENING_CONTEXT_WORDS: dict[str, str] = {
    "check_in": N_("Morning check-in"),
    "onboarding": N_("Safety questions"),
    "rescreen": N_("Safety questions asked again"),
}

OVERRIDE_WORDS: dict[str, str] = {
    "swap": N_("Swapped an exercise"),
    "dose": N_("Set a dose"),
    "hold": N_("Held progression"),
    "add": N_("Added an exercise"),
    "schedule": N_("Changed the training days"),
}


def felt_words(felt: str) -> str:
    return gettext(FELT_WORDS[felt]) if felt in FELT_WORDS else felt


def leg_words(legs: str | None) -> str:
    if legs is None:
        return gettext("leg symptoms not asked")
    return gettext(LEG_WORDS[legs]) if legs in LEG_WORDS else legs


def instrument_words(instrument: str) -> str:
    return gettext(INSTRUMENT_WORDS[instrument]) if instrument in INSTRUMENT_WORDS else instrument


def urgency_words(urgency: str | None) -> str:
    if urgency in URGENCY_WORDS:
        return gettext(URGENCY_WORDS[urgency])
    return gettext("A clinician's go-ahead is needed before training goes on")


def screening_words(context: str) -> str:
    if context in SCREENING_CONTEXT_WORDS:
        return gettext(SCREENING_CONTEXT_WORDS[context])
    return gettext("Safety questions")


def sign_label(sign: str) -> str:
    """A safety question's few-word label ("Constant or night pain")."""
    return say_screening(Reason(f"flag.{sign}.label"))


def override_words(kind: str) -> str:
    return gettext(OVERRIDE_WORDS[kind]) if kind in OVERRIDE_WORDS else kind


def change_words(change: Change) -> str:
    """The change from the first answer in a clinician's terms: the points (better or worse),
    the percentage where it is said, and the MCID reached or not."""
    points = abs(change.difference)
    mcid = MCID[change.instrument].points
    if change.difference == 0:
        moved = gettext("no change from the first answer ({baseline:g})")
    elif change.difference > 0:
        moved = gettext("{points:g} points better than the first answer ({baseline:g})")
    else:
        moved = gettext("{points:g} points worse than the first answer ({baseline:g})")
    said = moved.format(points=points, baseline=change.baseline)
    if change.percent_improvement is not None and change.difference:
        said += " " + gettext("({percent:g}%)").format(percent=round(change.percent_improvement))
    if change.mcid_reached:
        verdict = gettext("MCID reached ({mcid:g} points)")
    elif change.worsened:
        verdict = gettext("worse by the MCID or more ({mcid:g} points)")
    else:
        verdict = gettext("MCID not reached ({mcid:g} points)")
    said += "; " + verdict.format(mcid=mcid)
    if change.recovered:
        said += "; " + gettext("within the recovered range")
    return said
