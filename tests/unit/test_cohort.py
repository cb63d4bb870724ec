"""Cohort outcomes for a coach (engine/cohort.py, docs/cohort.md), and their words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.engine.change import assess_change
from backcoach.engine.cohort import (
    DISABILITY,
    REPORTED,
    ROW_COLUMNS,
    TIME_POINTS_WEEKS,
    ClientOutcome,
    WeekSets,
    answer_at,
    change_at,
    cohort_outcomes,
    cohort_rows,
    program_week,
)
from backcoach.engine.outcomes import MeasureRecord
from backcoach.wording.cohort_words import (
    HEADINGS,
    MEASURE_NAMES,
    column_headings,
    heading,
    say_active,
    say_adherence,
    say_all_mcid,
    say_low_back_week,
    say_mcid,
    say_pain_trend,
)

START = date(2026, 1, 5)
TODAY = START + timedelta(weeks=13)


def _day(weeks: float) -> date:
    return START + timedelta(days=round(weeks * 7))


def _client(
    name: str = "c",
    *,
    start: date = START,
    planned: int = 0,
    done: int = 0,
    last: date | None = None,
    answers: tuple[tuple[str, date, float], ...] = (),
    pain: tuple[tuple[int, float], ...] = (),
    sets: tuple[WeekSets, ...] = (),
) -> ClientOutcome:
    return ClientOutcome(
        client=name,
        start=start,
        sessions_planned=planned,
        sessions_done=done,
        last_session=last,
        answers=tuple(MeasureRecord(day, instrument, score) for instrument, day, score in answers),
        weekly_pain=pain,
        weekly_sets=sets,
    )


def _pain_client(name: str, first: float, at_6: float | None) -> ClientOutcome:
    answers = [("nprs", START, first)]
    if at_6 is not None:
        answers.append(("nprs", _day(6), at_6))
    return _client(name, answers=tuple(answers))


def test_an_empty_cohort_has_no_shares_no_median_and_no_trend() -> None:
    outcomes = cohort_outcomes([], TODAY)
    assert (outcomes.clients, outcomes.active, outcomes.median_adherence) == (0, 0, None)
    assert all(s.answered == 0 and s.share is None for s in outcomes.mcid)
    assert len(outcomes.mcid) == len(REPORTED) * len(TIME_POINTS_WEEKS)
    assert outcomes.pain == () and outcomes.pain_slope_per_week is None
    assert outcomes.low_back == ()
    assert cohort_rows([], TODAY) == []


def test_active_means_a_session_in_the_last_14_days() -> None:
    clients = [
        _client("today", last=TODAY),
        _client("13 days ago", last=TODAY - timedelta(days=13)),
        _client("14 days ago", last=TODAY - timedelta(days=14)),
        _client("never"),
    ]
    assert cohort_outcomes(clients, TODAY).active == 2


def test_median_adherence_counts_only_clients_with_sessions_planned() -> None:
    clients = [
        _client("a", planned=10, done=5),
        _client("b", planned=10, done=9),
        _client("c", planned=4, done=8),  # extra sessions cannot pass 100%
        _client("nothing planned"),
    ]
    outcomes = cohort_outcomes(clients, TODAY)
    assert (outcomes.median_adherence, outcomes.adherence_clients) == (0.9, 3)


def test_an_even_number_of_clients_takes_the_mean_of_the_two_middle_rates() -> None:
    clients = [_client(str(i), planned=10, done=d) for i, d in enumerate((2, 5, 5, 8))]
    assert cohort_outcomes(clients, TODAY).median_adherence == 0.5
    tied = [_client(str(i), planned=10, done=d) for i, d in enumerate((4, 6, 7, 9))]
    assert cohort_outcomes(tied, TODAY).median_adherence == 0.65


def test_the_share_at_6_weeks_counts_only_clients_who_answered_then() -> None:
    clients = [
        _pain_client("reached", 6, 3),
        _pain_client("reached exactly", 5, 3),
        _pain_client("one point", 4, 3),
        _pain_client("no answer at 6 weeks", 7, None),
    ]
    share = cohort_outcomes(clients, TODAY).share("nprs", 6)
    assert (share.answered, share.reached, share.share) == (3, 2, 0.667)
    assert cohort_outcomes(clients, TODAY).share("nprs", 12).share is None


def test_a_client_who_started_less_than_6_weeks_ago_is_not_counted_at_6_weeks() -> None:
    recent = _client(
        "recent",
        start=TODAY - timedelta(days=40),
        answers=(("nprs", TODAY - timedelta(days=40), 7), ("nprs", TODAY, 2)),
    )
    share = cohort_outcomes([recent], TODAY).share("nprs", 6)
    assert (share.answered, share.share) == (0, None)
    two_days_on = cohort_outcomes([recent], TODAY + timedelta(days=2)).share("nprs", 6)
    assert (two_days_on.answered, two_days_on.reached) == (1, 1)


def test_an_answer_counts_within_two_weeks_of_the_time_point_the_nearest_first() -> None:
    client = _client(
        answers=(
            ("nprs", START, 8),
            ("nprs", _day(6) - timedelta(days=15), 2),  # outside the window
            ("nprs", _day(6) - timedelta(days=14), 7),
            ("nprs", _day(6) + timedelta(days=14), 5),  # as near, and later: chosen
        )
    )
    chosen = answer_at(client, "nprs", 6, TODAY)
    assert chosen is not None and chosen.score == 5
    far = _client(answers=(("nprs", START, 8), ("nprs", _day(6) + timedelta(days=15), 2)))
    assert answer_at(far, "nprs", 6, TODAY) is None


def test_a_first_answer_long_after_the_start_is_no_baseline() -> None:
    late = _client(answers=(("nprs", START + timedelta(days=15), 8), ("nprs", _day(6), 2)))
    assert change_at(late, "nprs", 6, TODAY) is None
    before_start = _client(answers=(("nprs", START - timedelta(days=3), 8), ("nprs", _day(6), 2)))
    assert change_at(before_start, "nprs", 6, TODAY) is not None


def test_disability_takes_the_odi_and_the_rmdq_of_a_client_without_one() -> None:
    odi_and_rmdq = _client(
        "both",
        answers=(
            ("odi", START, 40),
            ("odi", _day(6), 34),
            ("rmdq", START, 12),
            ("rmdq", _day(6), 5),
        ),
    )
    rmdq_only = _client("rmdq", answers=(("rmdq", START, 12), ("rmdq", _day(6), 6)))
    outcomes = cohort_outcomes([odi_and_rmdq, rmdq_only], TODAY)
    disability = outcomes.share(DISABILITY, 6)
    assert (disability.answered, disability.reached) == (2, 1)  # ODI 6 points: not reached
    assert (outcomes.share("odi", 6).answered, outcomes.share("rmdq", 6).reached) == (1, 2)


def test_psfs_improves_upwards() -> None:
    client = _client(answers=(("psfs", START, 3.5), ("psfs", _day(12), 6)))
    outcomes = cohort_outcomes([client], TODAY)
    assert outcomes.share("psfs", 12).reached == 1
    assert outcomes.share("psfs", 6).answered == 0


@pytest.mark.parametrize(
    ("instrument", "first", "then"),
    [
        ("nprs", 6, 4),
        ("nprs", 3, 2),
        ("nprs", 2, 4),
        ("odi", 42.2, 32.2),
        ("odi", 30, 21),
        ("rmdq", 10, 5),
        ("rmdq", 10, 6),
        ("psfs", 4, 6),
        ("psfs", 4, 5.8),
    ],
)
def test_the_cohort_judges_each_client_as_their_own_page_does(
    instrument: str, first: float, then: float
) -> None:
    client = _client(answers=((instrument, START, first), (instrument, _day(6), then)))
    person = assess_change(instrument, first, then)
    change = change_at(client, instrument, 6, TODAY)
    assert change == person
    assert cohort_outcomes([client], TODAY).share(instrument, 6).reached == int(person.mcid_reached)


def test_the_pain_trend_is_the_median_by_program_week_and_its_slope() -> None:
    clients = [
        _client("a", pain=((1, 6.0), (2, 5.0), (3, 4.0))),
        _client("b", pain=((1, 4.0), (2, 4.0))),
        _client("c", pain=((1, 5.0), (13, 1.0))),  # week 13 is beyond the trend
    ]
    outcomes = cohort_outcomes(clients, TODAY)
    assert [(p.week, p.median, p.clients) for p in outcomes.pain] == [
        (1, 5.0, 3),
        (2, 4.5, 2),
        (3, 4.0, 1),
    ]
    assert outcomes.pain_slope_per_week == -0.5


def test_sets_felt_in_the_low_back_are_a_share_of_the_sets_logged_each_week() -> None:
    clients = [
        _client("a", sets=(WeekSets(1, 3, 10), WeekSets(2, 0, 12))),
        _client("b", sets=(WeekSets(1, 1, 10), WeekSets(2, 0, 0))),
    ]
    weeks = cohort_outcomes(clients, TODAY).low_back
    assert [(w.week, w.felt_in_low_back, w.logged, w.clients, w.share) for w in weeks] == [
        (1, 4, 20, 2, 0.2),
        (2, 0, 12, 1, 0.0),
    ]


def test_a_client_input_that_cannot_be_is_refused() -> None:
    with pytest.raises(ValueError, match="low back"):
        _client(sets=(WeekSets(1, 5, 4),))
    with pytest.raises(ValueError, match="weeks start at 1"):
        _client(pain=((0, 3.0),))
    with pytest.raises(ValueError, match="negative"):
        _client(planned=-1)


def test_program_weeks_count_from_1() -> None:
    assert [program_week(START, START + timedelta(days=d)) for d in (0, 6, 7, 41, 42)] == [
        1,
        1,
        2,
        6,
        7,
    ]


def test_each_row_is_flat_with_the_stable_columns() -> None:
    client = _client(
        "a",
        planned=10,
        done=7,
        last=TODAY,
        answers=(("nprs", START, 6), ("nprs", _day(6), 3), ("nprs", _day(12), 5)),
    )
    (row,) = cohort_rows([client], TODAY)
    assert tuple(row) == ROW_COLUMNS
    assert all(
        value is None or isinstance(value, str | int | float | bool) for value in row.values()
    )
    assert row["adherence"] == 0.7 and row["active"] is True
    assert (row["nprs_baseline"], row["nprs_week6_score"], row["nprs_week6_mcid"]) == (6, 3, True)
    assert (row["nprs_week12_score"], row["nprs_week12_mcid"]) == (5, False)
    assert row["odi_week6_mcid"] is None


_scores = st.integers(min_value=0, max_value=10)
_clients = st.lists(
    st.builds(
        lambda first, then, answered, planned, done: _client(
            answers=(("nprs", START, first),) + ((("nprs", _day(6), then),) if answered else ()),
            planned=planned,
            done=done,
        ),
        _scores,
        _scores,
        st.booleans(),
        st.integers(0, 30),
        st.integers(0, 30),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(_clients)
def test_shares_stay_within_0_and_1_and_count_no_more_clients_than_there_are(
    clients: list[ClientOutcome],
) -> None:
    outcomes = cohort_outcomes(clients, TODAY)
    for share in outcomes.mcid:
        assert 0 <= share.reached <= share.answered <= len(clients)
        if share.answered == 0:
            assert share.share is None
        else:
            assert share.share is not None and 0 <= share.share <= 1
    assert outcomes.median_adherence is None or 0 <= outcomes.median_adherence <= 1


@settings(max_examples=60, deadline=None)
@given(_clients, st.integers(2, 10))
def test_adding_a_client_who_reached_the_mcid_never_lowers_the_share(
    clients: list[ClientOutcome], first: int
) -> None:
    before = cohort_outcomes(clients, TODAY).share("nprs", 6)
    reached = _pain_client("new", first, first - 2)
    after = cohort_outcomes([*clients, reached], TODAY).share("nprs", 6)
    assert (after.answered, after.reached) == (before.answered + 1, before.reached + 1)
    assert after.share is not None
    assert before.share is None or after.share >= before.share


def test_a_coach_reads_each_figure_in_words() -> None:
    clients = [_pain_client(str(i), 6, 3 if i < 7 else 5) for i in range(12)]
    outcomes = cohort_outcomes(clients, TODAY)
    assert say_mcid(outcomes.share("nprs", 6)) == (
        "7 of 12 clients (58%) reached the MCID for pain (NPRS) by week 6."
    )
    assert say_mcid(outcomes.share("psfs", 6)) == (
        "No client has answered on activities (PSFS) at week 6 yet."
    )
    one = cohort_outcomes([_pain_client("a", 6, 3)], TODAY).share("nprs", 6)
    assert say_mcid(one) == "1 of 1 client (100%) reached the MCID for pain (NPRS) by week 6."
    assert len(say_all_mcid(outcomes)) == 3 * len(TIME_POINTS_WEEKS)
    assert say_active(outcomes) == "0 of 12 clients active (a session in the last 14 days)."
    assert say_adherence(outcomes) == "No client has a session planned yet."
    assert say_adherence(cohort_outcomes([_client(planned=4, done=3)], TODAY)) == (
        "Median: 75% of planned sessions done (1 client with sessions planned)."
    )
    assert say_pain_trend(outcomes).startswith("Not enough weeks")
    falling = cohort_outcomes([_client(pain=((1, 6.0), (2, 5.0)))], TODAY)
    assert say_pain_trend(falling) == (
        "Pain before sessions is falling by 1.0 points a week (median of clients)."
    )
    (week,) = cohort_outcomes([_client(sets=(WeekSets(3, 4, 40),))], TODAY).low_back
    assert say_low_back_week(week) == "Week 3: 4 of 40 sets (10%) felt in the low back."
    assert all(heading(key) for key in HEADINGS)


def test_every_reported_measure_and_column_has_words() -> None:
    assert set(MEASURE_NAMES) == set(REPORTED)
    headings = column_headings()
    assert len(headings) == len(ROW_COLUMNS) == len(set(headings))
    assert headings[ROW_COLUMNS.index("psfs_week12_mcid")] == (
        "PSFS: change that matters by week 12"
    )
