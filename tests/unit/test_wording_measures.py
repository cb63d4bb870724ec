"""The words of measure results: every band, risk group and recommendation the engine can give
has words, the ODI's are kinder than the published band names, and the STarT Back words are
pinned here (the engine's tests assert the codes). No questionnaire item wording is here."""

from __future__ import annotations

from backcoach.engine.measures import (
    OdiBand,
    StartBackRecommendation,
    StartBackRisk,
    score_nprs,
    score_odi,
    startback_from_scores,
)
from backcoach.wording.measure_words import (
    ODI_BAND_WORDS,
    STARTBACK_RECOMMENDATION_WORDS,
    STARTBACK_RISK_WORDS,
    say_odi_band,
    with_words,
)


def test_every_band_risk_and_recommendation_has_words() -> None:
    assert set(ODI_BAND_WORDS) == set(OdiBand)
    assert set(STARTBACK_RISK_WORDS) == set(StartBackRisk)
    assert set(STARTBACK_RECOMMENDATION_WORDS) == set(StartBackRecommendation)
    for table in (ODI_BAND_WORDS, STARTBACK_RISK_WORDS, STARTBACK_RECOMMENDATION_WORDS):
        for words in table.values():
            assert "{" not in words and words.endswith("."), words


def test_odi_bands_are_said_kindly() -> None:
    for band in OdiBand:
        assert band.value.replace("_", " ") not in say_odi_band(band).lower()
    assert say_odi_band("crippling") == "Your back affects nearly every part of everyday life."


def test_a_high_startback_score_is_said_with_its_recommendation() -> None:
    data = with_words(startback_from_scores(6, 4).to_dict())

    assert data["risk_text"] == (
        "A high risk that your back pain keeps getting in the way of daily life."
    )
    assert data["recommendation_text"] == (
        "People with a score like yours tend to do better with care led by a clinician: a "
        "physiotherapist who helps with the pain and with the worry or low mood that often "
        "come with it. Please show this score to your doctor or a physiotherapist and ask "
        "about that kind of care. You can keep doing your exercises here alongside; tell them "
        "you do."
    )
    assert list(data).index("risk_text") == list(data).index("risk") + 1


def test_a_low_startback_score_recommends_nothing_more() -> None:
    data = with_words(startback_from_scores(2, 1).to_dict())

    assert data["risk_text"].startswith("A low risk")
    assert data["recommendation"] is None and data["recommendation_text"] is None


def test_an_odi_result_gets_its_band_words() -> None:
    data = with_words(score_odi([1] * 10).to_dict())

    assert data["band"] == "minimal"
    assert data["band_text"] == "Your back has little effect on everyday life."


def test_every_pain_band_has_its_words() -> None:
    said = {score: with_words(score_nprs(score).to_dict())["band_text"] for score in (0, 2, 5, 9)}

    assert said == {
        0: "No pain.",
        2: "Mild pain.",
        5: "Moderate pain.",
        9: "Severe pain.",
    }
