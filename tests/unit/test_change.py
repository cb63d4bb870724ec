"""Change over time: important improvement, worsening and recovery on each measure (M10)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.change import MCID, RECOVERY, assess_change
from backcoach.engine.measures import MeasureError
from backcoach.engine.reasons import reason

LOWER_IS_BETTER = {"nprs": 10, "odi": 100, "rmdq": 24}


def test_the_example_statement_for_pain() -> None:
    change = assess_change("nprs", 7, 4)

    assert change.difference == 3
    assert change.percent_improvement == 42.9
    assert change.mcid_reached
    assert change.statement == (
        reason(
            "change.mcid_reached",
            instrument="nprs",
            direction="down",
            amount=(reason("change.amount.points_percent", points=3, percent=43),),
        ),
    )


@pytest.mark.parametrize(
    ("instrument", "baseline", "latest", "reached"),
    [
        # exactly at the points threshold, and just short of it
        ("nprs", 10, 8, True),
        ("nprs", 10, 9, False),
        ("nprs", 3, 1, True),  # 67% better: reached by its 2 points, not its percent
        ("odi", 80, 70, True),
        ("odi", 80, 70.2, False),
        ("odi", 36.3, 26.3, True),  # exactly 10 in decimals, 9.999... in floats (and < 30%)
        ("rmdq", 20, 15, True),
        ("rmdq", 20, 16, False),
        ("psfs", 3, 5, True),
        ("psfs", 3, 4.9, False),
    ],
)
def test_mcid_is_reached_by_the_points_of_each_measure(
    instrument: str, baseline: float, latest: float, reached: bool
) -> None:
    assert assess_change(instrument, baseline, latest).mcid_reached is reached


@pytest.mark.parametrize(
    ("instrument", "baseline", "latest"),
    [
        ("nprs", 5, 3.5),  # 30%, 1.5 points
        ("nprs", 3, 2),  # 33%, 1 point
        ("odi", 30, 21),  # 30%, 9 points
        ("odi", 12, 4),  # 67%, 8 points
        ("rmdq", 10, 7),  # 30%, 3 points
        ("rmdq", 6, 2),  # 67%, 4 points
    ],
)
def test_a_30_percent_change_of_fewer_points_does_not_reach_the_mcid(
    instrument: str, baseline: float, latest: float
) -> None:
    change = assess_change(instrument, baseline, latest)

    assert change.percent_improvement is not None and change.percent_improvement >= 30
    assert change.difference < MCID[instrument].points
    assert not change.mcid_reached
    assert change.codes[0] == "change.not_yet"


def test_the_percent_is_said_beside_the_points_never_alone() -> None:
    (statement,) = assess_change("nprs", 5, 3.5).statement

    assert statement.values["amount"] == (
        reason("change.amount.points_percent", points=1.5, percent=30),
    )


def test_psfs_counts_a_rise_as_improvement() -> None:
    change = assess_change("psfs", 3, 5)

    assert change.difference == 2
    assert change.mcid_reached
    assert change.statement[0].values["direction"] == "up"
    assert change.statement[0].values["amount"] == (reason("change.amount.points", points=2),)


def test_psfs_has_no_percent_rule() -> None:
    change = assess_change("psfs", 5, 6.9)  # 38% better, but only 1.9 points

    assert change.percent_improvement == 38.0
    assert not change.mcid_reached
    assert change.statement[0].values["amount"] == (reason("change.amount.points", points=1.9),)


def test_psfs_drop_is_a_worsening() -> None:
    change = assess_change("psfs", 6, 4)

    assert change.difference == -2
    assert change.worsened
    assert not change.mcid_reached
    assert change.codes == ("change.worsened",)
    assert change.statement[0].values["direction"] == "down"


@pytest.mark.parametrize(
    ("instrument", "baseline", "latest", "worsened"),
    [
        ("nprs", 3, 5, True),
        ("nprs", 3, 4.9, False),
        ("nprs", 1, 2, False),  # 100% worse, but one point: points only for worsening
        ("odi", 20, 30, True),
        ("rmdq", 4, 9, True),
        ("rmdq", 4, 8, False),
    ],
)
def test_worsened_means_worse_by_at_least_the_mcid_points(
    instrument: str, baseline: float, latest: float, worsened: bool
) -> None:
    change = assess_change(instrument, baseline, latest)

    assert change.worsened is worsened
    assert not change.mcid_reached
    assert change.difference < 0


def test_a_worsening_statement_says_it_matters() -> None:
    (statement,) = assess_change("nprs", 3, 6).statement

    assert statement == reason(
        "change.worsened",
        instrument="nprs",
        direction="up",
        amount=(reason("change.amount.points_percent", points=3, percent=100),),
    )


@pytest.mark.parametrize(
    ("instrument", "latest", "recovered"),
    [
        ("nprs", 1, True),
        ("nprs", 2, False),
        ("odi", 10, True),
        ("odi", 10.1, False),
        ("rmdq", 2, True),
        ("rmdq", 3, False),
        ("psfs", 9, True),
        ("psfs", 8.9, False),
    ],
)
def test_recovered_at_the_thresholds(instrument: str, latest: float, recovered: bool) -> None:
    baseline = 5 if instrument == "psfs" else 8
    change = assess_change(instrument, baseline, latest)

    assert change.recovered is recovered
    recovery = reason(f"change.recovered.{instrument}", score=RECOVERY[instrument].score)
    assert (recovery in change.statement) is recovered
    assert len(change.statement) == (2 if recovered else 1)


def test_no_change_is_said_plainly() -> None:
    change = assess_change("rmdq", 12, 12)

    assert change.difference == 0
    assert not (change.mcid_reached or change.worsened)
    assert change.statement == (reason("change.same", instrument="rmdq", score=12, top=24),)


def test_a_small_improvement_is_a_start() -> None:
    change = assess_change("nprs", 8, 7)

    assert not change.mcid_reached
    assert change.statement == (
        reason(
            "change.not_yet",
            instrument="nprs",
            direction="down",
            amount=(reason("change.amount.one_point_percent", points=1, percent=13),),
        ),
    )


def test_percent_is_undefined_from_a_zero_baseline() -> None:
    assert assess_change("nprs", 0, 3).percent_improvement is None
    assert assess_change("psfs", 0, 1).percent_improvement is None
    assert not assess_change("psfs", 0, 1).mcid_reached
    assert assess_change("psfs", 0, 2).mcid_reached


def test_to_dict_is_json_ready() -> None:
    data = assess_change("odi", 40, 26).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["instrument"] == "odi"
    assert data["difference"] == 14
    assert data["percent_improvement"] == 35
    assert data["mcid_reached"] is True
    assert data["statement"][0]["code"] == "change.mcid_reached"


def test_startback_has_no_change_rule() -> None:
    with pytest.raises(MeasureError, match=r"^instrument: startback .* no change rule"):
        assess_change("startback", 5, 2)


def test_an_unknown_instrument_is_refused() -> None:
    with pytest.raises(MeasureError, match=r"^instrument: unknown instrument 'vas'"):
        assess_change("vas", 5, 2)


@pytest.mark.parametrize(
    ("instrument", "baseline", "latest", "message"),
    [
        ("nprs", 11, 3, r"baseline: must be a number 0-10"),
        ("nprs", 5, -1, r"latest: must be a number 0-10"),
        ("odi", 101, 3, r"baseline: must be a number 0-100"),
        ("rmdq", 5, 25, r"latest: must be a number 0-24"),
        ("nprs", True, 3, r"baseline: must be a number"),
        ("nprs", "5", 3, r"baseline: must be a number"),
        ("psfs", 5, float("inf"), r"latest: must be a number 0-10"),
    ],
)
def test_out_of_range_scores_are_refused_by_name(
    instrument: str, baseline: Any, latest: Any, message: str
) -> None:
    with pytest.raises(MeasureError, match=f"^{message}"):
        assess_change(instrument, baseline, latest)


def test_the_thresholds_are_exported_as_data() -> None:
    assert {name: (m.points, m.show_percent) for name, m in MCID.items()} == {
        "nprs": (2, True),
        "odi": (10, True),
        "rmdq": (5, True),
        "psfs": (2, False),
    }
    assert {name: r.score for name, r in RECOVERY.items()} == {
        "nprs": 1,
        "odi": 10,
        "rmdq": 2,
        "psfs": 9,
    }
    assert RECOVERY["psfs"].to_dict()["higher_is_better"] is True
    json.dumps({name: m.to_dict() for name, m in MCID.items()})


@st.composite
def improvement_of_at_least_the_mcid(draw: st.DrawFn) -> tuple[str, float, float]:
    instrument = draw(st.sampled_from(["nprs", "odi", "rmdq", "psfs"]))
    top = LOWER_IS_BETTER.get(instrument, 10)
    points = MCID[instrument].points
    tenths = st.integers(min_value=0, max_value=top * 10)
    start = draw(tenths.filter(lambda t: t >= points * 10)) / 10
    gain = draw(st.integers(min_value=int(points * 10), max_value=int(start * 10))) / 10
    if instrument == "psfs":  # higher is better: rise from top - start
        return instrument, round(top - start, 1), round(top - start + gain, 1)
    return instrument, start, round(start - gain, 1)


@given(improvement_of_at_least_the_mcid())
def test_improving_by_at_least_the_mcid_points_always_counts(
    case: tuple[str, float, float],
) -> None:
    instrument, baseline, latest = case
    change = assess_change(instrument, baseline, latest)

    assert change.mcid_reached
    assert not change.worsened
    assert change.difference >= MCID[instrument].points


@given(
    st.sampled_from(["nprs", "odi", "rmdq", "psfs"]),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
)
def test_never_both_improved_enough_and_worsened(instrument: str, a: int, b: int) -> None:
    top = LOWER_IS_BETTER.get(instrument, 10)
    change = assess_change(instrument, a % (top * 10 + 1) / 10, b % (top * 10 + 1) / 10)

    assert not (change.mcid_reached and change.worsened)
    assert (change.difference > 0) or not change.mcid_reached


@given(
    st.sampled_from(["nprs", "odi", "rmdq", "psfs"]),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
)
def test_the_mcid_is_reached_exactly_when_the_points_reach_it(
    instrument: str, a: int, b: int
) -> None:
    top = LOWER_IS_BETTER.get(instrument, 10)
    baseline, latest = a % (top * 10 + 1), b % (top * 10 + 1)  # tenths, so exact
    gain = latest - baseline if instrument == "psfs" else baseline - latest
    change = assess_change(instrument, baseline / 10, latest / 10)

    assert change.mcid_reached is (gain >= MCID[instrument].points * 10)
