"""STarT Back: scoring the items or the totals of a completed form, the risk groups, what is
shipped of Keele's tool (its notice, never its item wording) and refusal of malformed answers."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine import measures
from backcoach.engine.measures import (
    STARTBACK_BOTHERSOME,
    STARTBACK_FUNDING,
    STARTBACK_NOTICE,
    MeasureError,
    StartBackRecommendation,
    StartBackRisk,
    score_startback,
    startback_from_scores,
)

# --- STarT Back ---


def startback(agree: int, psychosocial_agree: int = 0, bothersome: str = "slightly") -> list[Any]:
    """Items 1-4 agreeing `agree` times, items 5-8 agreeing `psychosocial_agree` times."""
    physical = [i < agree for i in range(4)]
    psychosocial = [i < psychosocial_agree for i in range(4)]
    return [*physical, *psychosocial, bothersome]


@pytest.mark.parametrize(
    ("items", "total", "psychosocial", "risk"),
    [
        (startback(0), 0, 0, StartBackRisk.LOW),
        # total 3 stays low even with a psychosocial score of 3
        (startback(0, 2, "very_much"), 3, 3, StartBackRisk.LOW),
        # total 4 with psychosocial 3 -> medium
        (startback(1, 2, "extremely"), 4, 3, StartBackRisk.MEDIUM),
        (startback(4, 0), 4, 0, StartBackRisk.MEDIUM),
        (startback(4, 3, "moderately"), 7, 3, StartBackRisk.MEDIUM),
        # psychosocial 4 -> high (total 4 is the smallest high)
        (startback(0, 4, "not_at_all"), 4, 4, StartBackRisk.HIGH),
        (startback(0, 3, "very_much"), 4, 4, StartBackRisk.HIGH),
        (startback(4, 4, "extremely"), 9, 5, StartBackRisk.HIGH),
    ],
)
def test_startback_risk_boundaries(
    items: list[Any], total: int, psychosocial: int, risk: StartBackRisk
) -> None:
    result = score_startback(items)

    assert (result.score, result.psychosocial, result.risk) == (total, psychosocial, risk)


@pytest.mark.parametrize(
    ("answer", "points"), [(a, int(i >= 3)) for i, a in enumerate(STARTBACK_BOTHERSOME)]
)
def test_startback_item_9_scores_only_very_much_and_extremely(answer: str, points: int) -> None:
    assert score_startback(startback(0, 0, answer)).score == points


def test_startback_dict_keeps_keeles_notice_and_funding_statement() -> None:
    data = score_startback(startback(2, 1)).to_dict()

    assert {k: data[k] for k in ("instrument", "score", "psychosocial", "risk")} == {
        "instrument": "startback",
        "score": 3,
        "psychosocial": 1,
        "risk": "low",
    }
    assert (
        data["notice"]
        == STARTBACK_NOTICE
        == ("STarT Back Screening Tool © Keele University 01/08/07")
    )
    assert data["funding"] == STARTBACK_FUNDING
    assert STARTBACK_FUNDING.startswith(
        "The copyright (©2007) of the STarT Back Screening Tool and associated materials is "
        "owned by Keele University, the development of which was part funded by Arthritis "
        "Research UK"
    )
    assert startback_from_scores(3, 1).to_dict() == data


def test_no_startback_item_labels_are_shipped() -> None:
    # People enter the totals from a completed form; no paraphrase of the items is asked.
    assert not hasattr(measures, "STARTBACK_TOPICS")


# --- STarT Back from the totals of a completed form ---


@pytest.mark.parametrize(
    ("score", "psychosocial", "risk"),
    [
        (0, 0, StartBackRisk.LOW),
        (3, 3, StartBackRisk.LOW),  # total 3 is low whatever the subscore
        (4, 0, StartBackRisk.MEDIUM),
        (4, 3, StartBackRisk.MEDIUM),
        (7, 3, StartBackRisk.MEDIUM),
        (4, 4, StartBackRisk.HIGH),  # the smallest high
        (8, 4, StartBackRisk.HIGH),
        (9, 5, StartBackRisk.HIGH),
    ],
)
def test_startback_from_scores_uses_keeles_cut_offs(
    score: int, psychosocial: int, risk: StartBackRisk
) -> None:
    result = startback_from_scores(score, psychosocial)

    assert (result.score, result.psychosocial, result.risk) == (score, psychosocial, risk)


@pytest.mark.parametrize(
    ("score", "psychosocial", "message"),
    [
        (10, 5, r"score: must be a whole number 0-9$"),
        (-1, 0, r"score: must be a whole number 0-9$"),
        (4.0, 2, r"score: must be a whole number 0-9$"),
        (True, 0, r"score: must be a whole number 0-9$"),
        ("4", 2, r"score: must be a whole number 0-9$"),
        (None, 2, r"score: must be a whole number 0-9$"),
        (6, 6, r"psychosocial: must be a whole number 0-5$"),
        (6, 2.5, r"psychosocial: must be a whole number 0-5$"),
        (6, -1, r"psychosocial: must be a whole number 0-5$"),
        (2, 3, r"psychosocial: the psychosocial subscore \(3\) is part of the total, so it "),
        (0, 1, r"psychosocial: .* cannot be more than the total score \(0\)$"),
        (6, 1, r"score, psychosocial: items 1-4 add at most 4 points, so a total of 6 needs a "),
        (9, 4, r"score, psychosocial: .* at least 5, not 4$"),
    ],
)
def test_startback_from_scores_refuses_impossible_totals(
    score: Any, psychosocial: Any, message: str
) -> None:
    with pytest.raises(MeasureError, match=f"^{message}"):
        startback_from_scores(score, psychosocial)


def test_startback_accepts_exactly_the_totals_a_completed_form_can_give() -> None:
    reachable = set()
    for agree in itertools.product([False, True], repeat=8):
        for last in STARTBACK_BOTHERSOME:
            result = score_startback([*agree, last])
            reachable.add((result.score, result.psychosocial))
            assert startback_from_scores(result.score, result.psychosocial) == result
    for score, psychosocial in itertools.product(range(10), range(6)):
        if (score, psychosocial) in reachable:
            startback_from_scores(score, psychosocial)
        else:
            with pytest.raises(MeasureError):
                startback_from_scores(score, psychosocial)


@pytest.mark.parametrize(
    ("score", "psychosocial", "recommended"),
    [(0, 0, False), (3, 3, False), (4, 3, False), (7, 3, False), (4, 4, True), (9, 5, True)],
)
def test_only_a_high_risk_recommends_care_led_by_a_clinician(
    score: int, psychosocial: int, recommended: bool
) -> None:
    result = startback_from_scores(score, psychosocial)
    data = result.to_dict()

    if recommended:
        assert result.recommendation is StartBackRecommendation.CLINICIAN_LED_CARE
        assert data["recommendation"] == "clinician_led_care"
    else:
        assert result.recommendation is None
        assert data["recommendation"] is None
    # Words are the wording layer's (test_wording_measures.py): the engine gives codes.
    assert not any(key.endswith("_text") for key in data)
    assert data["notice"] == STARTBACK_NOTICE
    assert data["funding"] == STARTBACK_FUNDING


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (startback(0)[:7], r"items: expected 9 answers, got 7"),
        ([*startback(0), "slightly"], r"items: expected 9 answers, got 10"),
        ([1, *startback(0)[1:]], r"items\[0\]: must be true or false"),
        ([*startback(0)[:7], "yes", "slightly"], r"items\[7\]: must be true or false"),
        ([*startback(0)[:8], "a_bit"], r"items\[8\]: must be one of not_at_all, slightly"),
        ([*startback(0)[:8], True], r"items\[8\]: must be one of"),
        ("abcdefghi", r"items: expected a list of 9 answers"),
    ],
)
def test_startback_refuses_bad_items_by_path(items: Any, message: str) -> None:
    with pytest.raises(MeasureError, match=f"^{message}"):
        score_startback(items)


# --- properties ---


@given(st.lists(st.booleans(), min_size=8, max_size=8), st.sampled_from(STARTBACK_BOTHERSOME))
def test_startback_risk_follows_the_published_rule(agree: list[bool], last: str) -> None:
    result = score_startback([*agree, last])

    assert result.score == sum(agree) + (last in ("very_much", "extremely"))
    assert result.psychosocial == result.score - sum(agree[:4])
    expected = (
        StartBackRisk.LOW
        if result.score <= 3
        else StartBackRisk.MEDIUM
        if result.psychosocial <= 3
        else StartBackRisk.HIGH
    )
    assert result.risk is expected
