"""M10: relief measured, not claimed: adherence, trends, MCID, tight moments per day."""

from __future__ import annotations

from datetime import date, timedelta

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.change import MIN_CHANGE_INTERVAL
from backcoach.engine.outcomes import (
    MeasureRecord,
    adherence,
    measure_changes,
    summarise,
    tight_moments_per_day,
    weekly_trend,
)
from backcoach.engine.schedule import build_schedule
from tests.builders import full_session, plan_for

START = date(2026, 11, 2)


def test_adherence_counts_sessions_done_against_sessions_due() -> None:
    schedule = build_schedule(START, 7)  # every other day
    done = [START, START + timedelta(days=2), START + timedelta(days=5)]
    result = adherence(schedule, done, START + timedelta(days=6))
    assert (result.scheduled, result.done) == (4, 3)
    assert result.rate == 0.75


def test_adherence_never_passes_one_hundred_percent() -> None:
    schedule = build_schedule(START, 1)
    result = adherence(
        schedule, [START + timedelta(days=d) for d in range(5)], START + timedelta(4)
    )
    assert result.rate == 1.0


def test_adherence_is_unknown_before_the_first_session_is_due() -> None:
    assert adherence(build_schedule(START, 3), [], START - timedelta(days=1)).rate is None


def test_a_falling_pain_series_has_a_negative_weekly_slope() -> None:
    points = [(START + timedelta(days=d), 6.0 - d / 7) for d in range(0, 28, 2)]
    trend = weekly_trend(points, START)
    assert len(trend.weeks) == 4
    assert trend.slope_per_week is not None and trend.slope_per_week < -0.5


def test_tight_moments_per_day_count_the_days_with_none() -> None:
    moments = [START] * 4 + [START + timedelta(days=8)]
    trend = tight_moments_per_day(moments, START, START + timedelta(days=13))
    assert [w.mean for w in trend.weeks] == [round(4 / 7, 2), round(1 / 7, 2)]
    assert trend.slope_per_week is not None and trend.slope_per_week < 0


def test_measure_changes_judge_first_against_latest_by_the_mcid() -> None:
    records = [
        MeasureRecord(START, "nprs", 6),
        MeasureRecord(START + timedelta(days=14), "nprs", 5),
        MeasureRecord(START + timedelta(days=28), "nprs", 3),
        MeasureRecord(START, "odi", 30),
        MeasureRecord(START + timedelta(days=28), "odi", 26),
        MeasureRecord(START, "startback", 5),
    ]
    changes = measure_changes(records)
    assert changes["nprs"].mcid_reached
    assert not changes["odi"].mcid_reached
    assert "startback" not in changes


def test_measure_changes_count_points_not_a_30_percent_change_alone() -> None:
    records = [
        MeasureRecord(START, "rmdq", 10),
        MeasureRecord(START + timedelta(days=28), "rmdq", 7),  # 30% better, 3 points of 5
        MeasureRecord(START, "nprs", 3),
        MeasureRecord(START + timedelta(days=28), "nprs", 2),  # 33% better, 1 point of 2
    ]
    changes = measure_changes(records)

    assert changes["rmdq"].percent_improvement == 30
    assert not changes["rmdq"].mcid_reached
    assert not changes["nprs"].mcid_reached


def test_the_summary_reports_volume_per_category(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START)
    sessions = [full_session(plan, START), full_session(plan, START + timedelta(days=2))]
    report = summarise(
        schedule=plan.schedule,
        sessions=sessions,
        measures=[],
        tight_moments=[],
        catalogue=catalogue,
        start=START,
        today=START + timedelta(days=3),
    ).to_dict()
    week = report["weekly_sets_by_category"][START.isoformat()]
    assert week["core"] == 2 * 2 * 2  # two sessions, two core exercises, two sets
    assert report["adherence"]["rate"] == 1.0


def test_no_change_is_claimed_from_answers_less_than_two_weeks_after_the_first() -> None:
    first = date(2026, 11, 23)
    soon = [MeasureRecord(first, "nprs", 7), MeasureRecord(first + timedelta(days=1), "nprs", 0)]
    assert measure_changes(soon) == {}  # a day-one 0/10 is kept, never "recovered"
    later = MeasureRecord(first + MIN_CHANGE_INTERVAL, "nprs", 3)
    changes = measure_changes([*soon, later])
    assert changes["nprs"].latest == 3 and changes["nprs"].mcid_reached
    # An answer sooner than two weeks after a later one still counts as the latest.
    latest = MeasureRecord(first + MIN_CHANGE_INTERVAL + timedelta(days=1), "nprs", 0)
    assert measure_changes([*soon, later, latest])["nprs"].recovered
