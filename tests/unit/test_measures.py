"""Scoring of NPRS, PSFS, ODI and RMDQ, the dispatcher, and refusal of malformed answers.

STarT Back is in test_startback.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.measures import (
    INSTRUMENTS,
    MeasureError,
    OdiBand,
    PainBand,
    odi_band,
    round_half_up,
    score_instrument,
    score_nprs,
    score_odi,
    score_psfs,
    score_rmdq,
)
from tests.unit.test_startback import startback

# --- NPRS ---


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, PainBand.NONE),
        (1, PainBand.MILD),
        (3, PainBand.MILD),
        (4, PainBand.MODERATE),
        (6, PainBand.MODERATE),
        (7, PainBand.SEVERE),
        (10, PainBand.SEVERE),
    ],
)
def test_nprs_bands_at_their_boundaries(score: int, band: PainBand) -> None:
    result = score_nprs(score)

    assert result.score == score
    assert result.band is band
    assert result.to_dict() == {"instrument": "nprs", "score": score, "band": band.value}


@pytest.mark.parametrize("score", [-1, 11, 5.0, 5.5, True, False, "5", None])
def test_nprs_refuses_anything_but_a_whole_number_0_to_10(score: Any) -> None:
    with pytest.raises(MeasureError, match=r"^score: must be a whole number 0-10$"):
        score_nprs(score)


# --- PSFS ---


def test_psfs_score_is_the_mean_of_the_activities() -> None:
    result = score_psfs([{"name": "Lift my child", "score": 3}, {"name": "Run", "score": 6}])

    assert result.score == 4.5
    assert [a.name for a in result.activities] == ["Lift my child", "Run"]
    assert result.to_dict() == {
        "instrument": "psfs",
        "score": 4.5,
        "activities": [{"name": "Lift my child", "score": 3}, {"name": "Run", "score": 6}],
    }


def test_psfs_mean_rounds_half_up_to_one_decimal() -> None:
    activities = [{"name": name, "score": s} for name, s in zip("abcd", (6, 6, 6, 7), strict=True)]

    assert score_psfs(activities).score == 6.3  # 6.25; round() would give 6.2
    assert (
        score_psfs([{"name": n, "score": s} for n, s in zip("abc", (1, 2, 2), strict=True)]).score
        == 1.7
    )


def test_psfs_takes_scores_at_both_ends_and_five_activities() -> None:
    five = [{"name": f"activity {i}", "score": s} for i, s in enumerate((0, 10, 0, 10, 10))]

    assert score_psfs(five).score == 6.0
    assert score_psfs([{"name": "x", "score": 0}]).score == 0
    assert score_psfs([{"name": "x", "score": 10}]).score == 10


def test_psfs_trims_the_activity_name() -> None:
    assert score_psfs([{"name": "  Garden  ", "score": 5}]).activities[0].name == "Garden"


@pytest.mark.parametrize("count", [0, 6])
def test_psfs_needs_one_to_five_activities(count: int) -> None:
    activities = [{"name": f"a{i}", "score": 5} for i in range(count)]
    with pytest.raises(MeasureError, match=rf"^activities: expected 1-5 activities, got {count}$"):
        score_psfs(activities)


@pytest.mark.parametrize(
    ("activity", "message"),
    [
        ({"name": "Walk", "score": 11}, r"activities\[1\]\.score: must be a whole number 0-10"),
        ({"name": "Walk", "score": -1}, r"activities\[1\]\.score: must be a whole number 0-10"),
        ({"name": "Walk", "score": True}, r"activities\[1\]\.score: must be a whole number"),
        ({"name": "Walk", "score": "7"}, r"activities\[1\]\.score: must be a whole number"),
        ({"name": "Walk", "score": float("nan")}, r"activities\[1\]\.score: must be a whole"),
        ({"name": "   ", "score": 5}, r"activities\[1\]\.name: must be text of 1-100 characters"),
        ({"name": "x" * 101, "score": 5}, r"activities\[1\]\.name: must be text of 1-100"),
        ({"name": 7, "score": 5}, r"activities\[1\]\.name: must be text"),
        ({"score": 5}, r"activities\[1\]\.name: missing"),
        ({"name": "Walk"}, r"activities\[1\]\.score: missing"),
        ({"name": "Walk", "score": 5, "when": "am"}, r"activities\[1\]\.when: unknown field"),
        ("Walk", r"activities\[1\]: expected an object"),
    ],
)
def test_psfs_refuses_a_bad_activity_by_its_path(activity: Any, message: str) -> None:
    with pytest.raises(MeasureError, match=f"^{message}"):
        score_psfs([{"name": "Sit", "score": 5}, activity])


@pytest.mark.parametrize("score", [6.5, 0.1, 9.99, 5.0, 10.0])
def test_psfs_ratings_are_whole_numbers_only(score: float) -> None:
    # Stratford et al. 1995: an 11-point scale; 6.5 (or even 5.0 from a float) is refused.
    with pytest.raises(
        MeasureError, match=r"^activities\[0\]\.score: must be a whole number 0-10$"
    ):
        score_psfs([{"name": "Walk", "score": score}])


def test_psfs_accepts_a_name_of_exactly_100_characters() -> None:
    assert score_psfs([{"name": "x" * 100, "score": 5}]).score == 5


def test_psfs_refuses_a_non_list() -> None:
    with pytest.raises(MeasureError, match=r"^activities: expected a list"):
        score_psfs("Walk")  # type: ignore[arg-type]


# --- ODI ---


@pytest.mark.parametrize(
    ("sections", "score", "band"),
    [
        ([0] * 10, 0.0, OdiBand.MINIMAL),
        ([1] * 10, 20.0, OdiBand.MINIMAL),
        ([1] * 9 + [2], 22.0, OdiBand.MODERATE),
        ([2] * 10, 40.0, OdiBand.MODERATE),
        ([2] * 9 + [3], 42.0, OdiBand.SEVERE),
        ([3] * 10, 60.0, OdiBand.SEVERE),
        ([4] * 10, 80.0, OdiBand.CRIPPLING),
        ([4] * 9 + [5], 82.0, OdiBand.BED_BOUND),
        ([5] * 10, 100.0, OdiBand.BED_BOUND),
    ],
)
def test_odi_scores_and_bands_at_boundaries(
    sections: list[int], score: float, band: OdiBand
) -> None:
    result = score_odi(sections)

    assert (result.score, result.band, result.answered) == (score, band, 10)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (20, OdiBand.MINIMAL),
        (20.1, OdiBand.MODERATE),
        (80, OdiBand.CRIPPLING),
        (80.1, OdiBand.BED_BOUND),
    ],
)
def test_odi_band_upper_bounds_are_inclusive(score: float, band: OdiBand) -> None:
    assert odi_band(score) is band


def test_odi_with_one_skipped_section_scores_over_nine() -> None:
    result = score_odi([3, 2, 1, 0, 4, 2, 2, None, 1, 1])  # 16 of 45

    assert result.answered == 9
    assert result.score == 35.6
    assert result.band is OdiBand.MODERATE


def test_odi_with_two_skipped_sections_scores_over_eight() -> None:
    result = score_odi([None, 2, 2, 2, 2, 2, 2, None, 2, 2])  # 16 of 40

    assert result.answered == 8
    assert result.score == 40.0


def test_odi_with_three_skipped_sections_is_rejected() -> None:
    with pytest.raises(MeasureError, match=r"^sections: at least 8 of 10 .* got 7$"):
        score_odi([None, None, None, 1, 1, 1, 1, 1, 1, 1])


def test_odi_dict_gives_the_band_by_its_code() -> None:
    data = score_odi([4] * 10).to_dict()

    assert data["band"] == "crippling"
    assert "band_text" not in data  # its kinder words are the wording layer's
    assert data["instrument"] == "odi"
    assert data["score"] == 80.0
    assert data["answered"] == 10


@pytest.mark.parametrize(("value", "index"), [(6, 3), (-1, 0), (True, 9), (2.0, 5), ("3", 2)])
def test_odi_refuses_a_bad_section_by_index(value: object, index: int) -> None:
    sections: list[Any] = [1] * 10
    sections[index] = value
    with pytest.raises(
        MeasureError, match=rf"^sections\[{index}\]: must be a whole number 0-5 or null$"
    ):
        score_odi(sections)


@pytest.mark.parametrize("length", [9, 11])
def test_odi_needs_exactly_ten_sections(length: int) -> None:
    with pytest.raises(MeasureError, match=rf"^sections: expected 10 answers, got {length}$"):
        score_odi([1] * length)


# --- RMDQ ---


def test_rmdq_counts_the_yes_answers() -> None:
    assert score_rmdq(items=[True] * 7 + [False] * 17).score == 7
    assert score_rmdq(items=[False] * 24).score == 0
    assert score_rmdq(items=[True] * 24).to_dict() == {"instrument": "rmdq", "score": 24}


@pytest.mark.parametrize("score", [0, 12, 24])
def test_rmdq_takes_a_score_counted_elsewhere(score: int) -> None:
    assert score_rmdq(score=score).score == score


@pytest.mark.parametrize("score", [-1, 25, 3.0, True, "4"])
def test_rmdq_refuses_a_bad_score(score: Any) -> None:
    with pytest.raises(MeasureError, match=r"^score: must be a whole number 0-24$"):
        score_rmdq(score=score)


def test_rmdq_refuses_both_forms_and_neither() -> None:
    with pytest.raises(MeasureError, match=r"^items, score: give exactly one"):
        score_rmdq(items=[False] * 24, score=0)
    with pytest.raises(MeasureError, match=r"^items, score: give exactly one"):
        score_rmdq()


def test_rmdq_refuses_bad_items_by_path() -> None:
    with pytest.raises(MeasureError, match=r"^items: expected 24 answers, got 7$"):
        score_rmdq(items=[True] * 7)
    with pytest.raises(MeasureError, match=r"^items\[2\]: must be true or false$"):
        score_rmdq(items=[True, False, 1, *[False] * 21])  # type: ignore[list-item]


# --- the dispatcher ---


@pytest.mark.parametrize(
    ("name", "answers", "score"),
    [
        ("nprs", {"score": 6}, 6),
        ("psfs", {"activities": [{"name": "Walk", "score": 4}]}, 4),
        ("startback", {"items": startback(4, 4, "very_much")}, 9),
        ("startback", {"score": 5, "psychosocial": 3}, 5),
        ("odi", {"sections": [2] * 10}, 40.0),
        ("rmdq", {"items": [True] * 5 + [False] * 19}, 5),
        ("rmdq", {"score": 11}, 11),
    ],
)
def test_score_instrument_dispatches_on_the_name(name: str, answers: Any, score: float) -> None:
    data = score_instrument(name, answers).to_dict()

    assert data["instrument"] == name
    assert data["score"] == score
    assert json.loads(json.dumps(data)) == data


def test_instruments_lists_every_name() -> None:
    assert INSTRUMENTS == ("nprs", "psfs", "startback", "odi", "rmdq")


def test_score_instrument_refuses_an_unknown_instrument() -> None:
    with pytest.raises(MeasureError, match=r"^instrument: unknown instrument 'vas'; known: nprs"):
        score_instrument("vas", {"score": 3})


@pytest.mark.parametrize(
    ("name", "answers", "message"),
    [
        ("nprs", {}, r"score: missing"),
        ("odi", {"items": [1] * 10}, r"items: unknown answer for odi; expected sections"),
        ("nprs", {"score": 3, "note": "x"}, r"note: unknown answer for nprs"),
        ("rmdq", {"sections": []}, r"sections: unknown answer for rmdq; expected items or score"),
        ("rmdq", {}, r"items, score: give exactly one"),
        ("nprs", {"score": 11}, r"score: must be a whole number 0-10"),
        ("startback", {}, r"items, score: give either items \(9 answers from the form\) or "),
        ("startback", {"items": startback(0), "score": 0}, r"items, score: give either"),
        ("startback", {"items": startback(0), "psychosocial": 0}, r"items, score: give"),
        ("startback", {"score": 5}, r"psychosocial: missing"),
        ("startback", {"psychosocial": 2}, r"score: missing"),
        ("startback", {"score": 5, "psychosocial": 0}, r"score, psychosocial: items 1-4"),
        ("startback", {"total": 5}, r"total: unknown answer for startback; expected items or "),
    ],
)
def test_score_instrument_names_the_bad_key(name: str, answers: Any, message: str) -> None:
    with pytest.raises(MeasureError, match=f"^{message}"):
        score_instrument(name, answers)


# --- properties ---


@given(st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, None]), min_size=10, max_size=10))
def test_odi_is_always_0_to_100_or_refused_for_too_few_answers(sections: list[int | None]) -> None:
    answered = sum(s is not None for s in sections)
    if answered < 8:
        with pytest.raises(MeasureError):
            score_odi(sections)
        return
    result = score_odi(sections)
    assert 0 <= result.score <= 100
    given_sum = sum(s for s in sections if s is not None)
    assert abs(result.score - given_sum / (5 * answered) * 100) <= 0.05


def test_round_half_up_rounds_halves_away_from_zero() -> None:
    assert round_half_up(0.25) == 0.3
    assert round_half_up(35.55) == 35.6
    assert round_half_up(42.5, 0) == 43.0
