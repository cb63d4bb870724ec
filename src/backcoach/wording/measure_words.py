"""The words of measure results (engine/measures.py): bands, risk groups, recommendations.

Keyed by the engine's enums; a result document (a result's ``to_dict``) gets its words beside
each code with `with_words`. The questionnaires' item wording is never here: it belongs to
its holders and is not shipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backcoach.engine.measures import OdiBand, PainBand, StartBackRecommendation, StartBackRisk
from backcoach.wording.i18n import N_, gettext

#: Kinder words for each ODI band than the published names ("crippling", "bed-bound").
ODI_BAND_WORDS: dict[OdiBand, str] = {
    OdiBand.MINIMAL: N_("Your back has little effect on everyday life."),
    OdiBand.MODERATE: N_("Your back makes some everyday activities harder."),
    OdiBand.SEVERE: N_("Your back gets in the way of much of everyday life."),
    OdiBand.CRIPPLING: N_("Your back affects nearly every part of everyday life."),
    OdiBand.BED_BOUND: N_("Your back keeps you resting for most of the day."),
}
#: The 0-10 pain bands (0 none, 1-3 mild, 4-6 moderate, 7-10 severe: engine/measures.py).
PAIN_BAND_WORDS: dict[PainBand, str] = {
    PainBand.NONE: N_("No pain."),
    PainBand.MILD: N_("Mild pain."),
    PainBand.MODERATE: N_("Moderate pain."),
    PainBand.SEVERE: N_("Severe pain."),
}
STARTBACK_RISK_WORDS: dict[StartBackRisk, str] = {
    StartBackRisk.LOW: N_("A low risk that your back pain keeps getting in the way of daily life."),
    StartBackRisk.MEDIUM: N_(
        "A medium risk that your back pain keeps getting in the way of daily life."
    ),
    StartBackRisk.HIGH: N_(
        "A high risk that your back pain keeps getting in the way of daily life."
    ),
}
STARTBACK_RECOMMENDATION_WORDS: dict[StartBackRecommendation, str] = {
    StartBackRecommendation.CLINICIAN_LED_CARE: N_(
        "People with a score like yours tend to do better with care led by a clinician: a "
        "physiotherapist who helps with the pain and with the worry or low mood that often "
        "come with it. Please show this score to your doctor or a physiotherapist and ask "
        "about that kind of care. You can keep doing your exercises here alongside; tell them "
        "you do."
    ),
}


def say_odi_band(band: OdiBand | str) -> str:
    return gettext(ODI_BAND_WORDS[OdiBand(band)])


def say_pain_band(band: PainBand | str) -> str:
    return gettext(PAIN_BAND_WORDS[PainBand(band)])


def say_startback_risk(risk: StartBackRisk | str) -> str:
    return gettext(STARTBACK_RISK_WORDS[StartBackRisk(risk)])


def say_recommendation(recommendation: StartBackRecommendation | str) -> str:
    return gettext(STARTBACK_RECOMMENDATION_WORDS[StartBackRecommendation(recommendation)])


def with_words(result: Mapping[str, Any]) -> dict[str, Any]:
    """A result document with the words of its band, risk and recommendation after each code
    (``band_text``, ``risk_text``, ``recommendation_text``), as the command line shows it."""
    said: dict[str, Any] = {}
    for key, value in result.items():
        said[key] = value
        if key == "band" and result.get("instrument") == "odi":
            said["band_text"] = say_odi_band(value)
        elif key == "band" and result.get("instrument") == "nprs":
            said["band_text"] = say_pain_band(value)
        elif key == "risk":
            said["risk_text"] = say_startback_risk(value)
        elif key == "recommendation":
            said["recommendation_text"] = None if value is None else say_recommendation(value)
    return said
