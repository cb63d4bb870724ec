"""M7: every other day when the person has the days, else what they have, always dated."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.reasons import reason
from backcoach.engine.schedule import (
    EVERY_OTHER_DAY,
    build_schedule,
    frequency_for,
    next_training_day,
)

START = date(2026, 11, 23)  # a Monday


def test_it_schedules_every_other_day_when_the_person_has_four_or_more_days() -> None:
    for days in (4, 5, 6, 7):
        schedule = build_schedule(START, days)
        gaps = {(b - a).days for a, b in itertools.pairwise(schedule)}
        assert gaps == {2}
        assert frequency_for(days).sessions_per_week == EVERY_OTHER_DAY


def test_it_uses_the_days_a_person_has_when_fewer_than_every_other_day() -> None:
    assert len(build_schedule(START, 3, weeks=4)) == 12
    assert len(build_schedule(START, 2, weeks=4)) == 8
    assert len(build_schedule(START, 1, weeks=4)) == 4
    assert frequency_for(1).sessions_per_week == 1
    assert frequency_for(1).note == reason("note.frequency.one_day")
    assert frequency_for(2).note == reason("note.frequency.fewer_days", sessions=2)
    assert frequency_for(3).note == reason("note.frequency.three_days")
    assert frequency_for(4).note == reason("note.frequency.every_other_day")


def test_it_trains_on_the_preferred_weekdays_with_a_rest_day_between() -> None:
    schedule = build_schedule(START, 3, weekdays=(0, 1, 3, 5))
    assert {d.weekday() for d in schedule} == {0, 3, 5}


def test_the_next_training_day_leaves_a_rest_day_after_the_last_session() -> None:
    assert next_training_day(START, START + timedelta(days=1)) == START + timedelta(days=2)
    assert next_training_day(START, START + timedelta(days=5)) == START + timedelta(days=5)
    assert next_training_day(None, START) == START


@given(
    start=st.dates(date(2020, 1, 1), date(2035, 1, 1)),
    days=st.integers(1, 7),
    weeks=st.integers(1, 12),
)
def test_every_schedule_is_dated_in_range_with_a_rest_day_between(
    start: date, days: int, weeks: int
) -> None:
    schedule = build_schedule(start, days, weeks=weeks)
    assert schedule[0] == start
    assert all(start <= d < start + timedelta(days=7 * weeks) for d in schedule)
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(schedule))
    per_week = len(schedule) / weeks
    assert per_week <= min(days, 4)
