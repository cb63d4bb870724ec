"""Slow, safe progression (ACSM 2009): reps, then a set, then load or one rung per two weeks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.log import SessionLog
from backcoach.engine.plan import Plan, PlannedExercise, Referral
from backcoach.engine.progression import decide_next, load_step
from backcoach.engine.vocabulary import Decision, Level
from backcoach.formats.plan import read_plan
from tests.builders import full_session, plan_for

START = date(2026, 11, 2)


def _bridge_plan(catalogue: Catalogue, *, sets: int, since: date | None) -> Plan:
    plan = plan_for(catalogue, START, level=Level.BEGINNER)
    return replace(
        plan,
        exercises=tuple(
            item.with_changes(sets=sets, since=since)
            if item.exercise.id == "glute_bridge"
            else item
            for item in plan.exercises
        ),
    )


def _bridge(result: Plan | Referral) -> PlannedExercise:
    assert isinstance(result, Plan)
    return next(i for i in result.exercises if i.exercise.category.value == "hip_extension")


def _two_at_the_top(plan: Plan, last: date) -> list[SessionLog]:
    return [
        full_session(plan, last - timedelta(days=2), before=2, morning=2),
        full_session(plan, last, before=2, morning=2),
    ]


def test_at_two_sets_the_top_of_the_range_adds_a_set_not_a_rung(catalogue: Catalogue) -> None:
    plan = _bridge_plan(catalogue, sets=2, since=START - timedelta(days=60))
    today = START + timedelta(days=3)
    decided = _bridge(
        decide_next(plan, _two_at_the_top(plan, today - timedelta(1)), today, catalogue)
    )
    assert (decided.decision, decided.code) == (Decision.PROGRESS, "progress.add_set")
    assert (decided.exercise.id, decided.sets) == ("glute_bridge", 3)
    assert decided.since == START - timedelta(days=60)  # the same exercise, the same day it began


def test_at_three_sets_after_two_weeks_it_moves_one_rung_and_starts_again_at_two_sets(
    catalogue: Catalogue,
) -> None:
    today = START + timedelta(days=20)
    plan = _bridge_plan(catalogue, sets=3, since=today - timedelta(days=14))
    decided = _bridge(
        decide_next(plan, _two_at_the_top(plan, today - timedelta(1)), today, catalogue)
    )
    assert (decided.decision, decided.code) == (Decision.PROGRESS, "progress.next_rung")
    assert decided.exercise.id in catalogue.get("glute_bridge").progressions
    assert decided.sets == 2
    assert decided.dose_min == decided.exercise.dose_min
    assert decided.since == today


def test_within_two_weeks_of_its_last_rung_an_exercise_waits(catalogue: Catalogue) -> None:
    today = START + timedelta(days=20)
    plan = _bridge_plan(catalogue, sets=3, since=today - timedelta(days=13))
    decided = _bridge(
        decide_next(plan, _two_at_the_top(plan, today - timedelta(1)), today, catalogue)
    )
    assert (decided.decision, decided.code) == (Decision.HOLD, "hold.rung_wait")
    assert decided.exercise.id == "glute_bridge" and decided.sets == 3
    assert decided.reason.values["from_day"] == (today + timedelta(days=1)).isoformat()
    assert decided.reason.values["to_exercise"] == catalogue.get("glute_bridge").progressions[0]


def test_a_plan_without_since_counts_from_the_first_session_of_the_exercise(
    catalogue: Catalogue,
) -> None:
    plan = _bridge_plan(catalogue, sets=3, since=None)
    log = [full_session(plan, START + timedelta(days=d), before=2, morning=2) for d in (0, 2, 4, 6)]
    early = _bridge(decide_next(plan, log, START + timedelta(days=7), catalogue))
    assert early.code == "hold.rung_wait"
    log += [full_session(plan, START + timedelta(days=d), before=2, morning=2) for d in (8, 10, 12)]
    later = _bridge(decide_next(plan, log, START + timedelta(days=14), catalogue))
    assert later.code == "progress.next_rung"


def test_a_session_without_the_exercise_restarts_the_count_when_the_plan_does_not_say(
    catalogue: Catalogue,
) -> None:
    # The later day is the safer guess: the exercise may have entered the plan after the gap.
    plan = _bridge_plan(catalogue, sets=3, since=None)
    log = [full_session(plan, START + timedelta(days=d), before=2, morning=2) for d in (0, 2, 4)]
    gap = full_session(plan, START + timedelta(days=6), before=2, morning=2)
    log.append(
        replace(gap, exercises=tuple(e for e in gap.exercises if e.exercise_id != "glute_bridge"))
    )
    log += [full_session(plan, START + timedelta(days=d), before=2, morning=2) for d in (8, 10, 12)]
    decided = _bridge(decide_next(plan, log, START + timedelta(days=14), catalogue))
    assert decided.code == "hold.rung_wait"


def test_a_load_step_is_about_seven_and_a_half_percent_in_whole_steps() -> None:
    assert load_step(40.0, 2.5) == 2.5  # 3.0 kg is nearer one step than two
    assert load_step(100.0, 2.5) == 7.5
    assert load_step(8.0, 1.0) == 1.0  # never less than the smallest step
    assert load_step(60.0, 2.0) == 4.0


@given(
    load=st.floats(1, 400, allow_nan=False),
    smallest=st.sampled_from([0.5, 1.0, 2.0, 2.5, 5.0]),
)
def test_a_load_step_is_whole_steps_and_5_to_10_percent_when_the_kit_allows(
    load: float, smallest: float
) -> None:
    step = load_step(load, smallest)
    steps = step / smallest
    assert steps >= 1 and abs(steps - round(steps)) < 1e-9
    if load >= 20 * smallest:  # the smallest step is 5% or less of the load
        assert 0.05 * load - 1e-9 <= step <= 0.10 * load + 1e-9
    else:
        assert step == smallest


def _perfect_weeks(catalogue: Catalogue, weeks: int) -> tuple[Plan, list[list[date]]]:
    """Every set at the top, felt in the target, pain 2 all day, every other day; each decision
    goes through the plan document, as `backcoach next` and the web app store it."""
    plan = plan_for(catalogue, START, level=Level.BEGINNER)
    assert {i.exercise.level for i in plan.exercises} == {1}
    assert {i.sets for i in plan.exercises} == {2}
    changes: list[list[date]] = [[] for _ in plan.exercises]
    log = []
    for offset in range(0, 7 * weeks, 2):
        day = START + timedelta(days=offset)
        log.append(full_session(plan, day, before=2, during=2, after=2, morning=2))
        decided = decide_next(plan, log, day + timedelta(days=1), catalogue)
        assert isinstance(decided, Plan)
        for slot, (before, after) in enumerate(zip(plan.exercises, decided.exercises, strict=True)):
            if after.exercise is not before.exercise:
                changes[slot].append(day + timedelta(days=1))
        plan = read_plan(decided.to_dict(), catalogue)
        assert [i.since for i in plan.exercises] == [i.since for i in decided.exercises]
    return plan, changes


def test_a_beginner_with_three_perfect_weeks_is_not_past_level_3(catalogue: Catalogue) -> None:
    plan, changes = _perfect_weeks(catalogue, 3)
    assert all(item.exercise.level <= 3 for item in plan.exercises)
    assert any(changes), "three perfect weeks move something up"


def test_with_perfect_logs_no_exercise_changes_rung_twice_within_14_days(
    catalogue: Catalogue,
) -> None:
    _, changes = _perfect_weeks(catalogue, 8)
    assert max(len(days) for days in changes) >= 2
    for days in changes:
        assert all(b - a >= timedelta(days=14) for a, b in pairwise(days))
