"""Rule 7a: an exercise stopped in the player ("this hurts", "I can't do it") never moves up on
the strength of the sets logged before the stop (engine/stops.py, docs/progression.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.decisions import (
    HOLD_SINCE_STOPPED,
    HOLD_STOPPED,
    REGRESS_STOPPED_CANNOT,
    REGRESS_STOPPED_PAIN,
    SWAP_STOPPED,
)
from backcoach.engine.ladder import no_harder
from backcoach.engine.overrides import NO_OVERRIDES, Add, Overrides
from backcoach.engine.plan import MIN_SETS, Plan
from backcoach.engine.progression import decide_next
from backcoach.engine.stops import Stop, StopReason, after_stops
from backcoach.engine.vocabulary import Decision, Level
from tests.builders import full_session, plan_for

START = date(2026, 11, 2)
TODAY = START + timedelta(days=5)
STOPPED_CODES = {REGRESS_STOPPED_PAIN, REGRESS_STOPPED_CANNOT, SWAP_STOPPED, HOLD_STOPPED}


def _earned(catalogue: Catalogue, level: Level = Level.BEGINNER) -> tuple[Plan, Plan]:
    """A plan, and what two sessions at the top of every range make of it (a beginner's all
    move up; an intermediate's wait for their next rung)."""
    plan = plan_for(catalogue, START, level=level)
    log = [
        full_session(plan, START, morning=3),
        full_session(plan, START + timedelta(days=2), morning=3),
    ]
    decided = decide_next(plan, log, TODAY, catalogue)
    assert isinstance(decided, Plan)
    return plan, decided


@pytest.mark.parametrize("why", list(StopReason))
def test_a_stopped_exercise_goes_easier_instead_of_moving_up(
    catalogue: Catalogue, why: StopReason
) -> None:
    plan, decided = _earned(catalogue)
    moved_up = [
        index for index, item in enumerate(decided.exercises) if item.decision is Decision.PROGRESS
    ]
    assert moved_up, "the log must earn a progression, or this test proves nothing"
    stops = {
        plan.exercises[index].exercise.id: Stop(plan.exercises[index].exercise.id, why, TODAY)
        for index in moved_up
    }
    after = after_stops(plan, decided, stops, catalogue, TODAY)
    for index in moved_up:
        was, now = plan.exercises[index], after.exercises[index]
        assert now.decision is not Decision.PROGRESS
        assert now.code in STOPPED_CODES
        assert now.sets == MIN_SETS
        assert no_harder(now.exercise, was.exercise)
        if now.code in {REGRESS_STOPPED_PAIN, REGRESS_STOPPED_CANNOT}:
            expected = REGRESS_STOPPED_PAIN if why is StopReason.PAIN else REGRESS_STOPPED_CANNOT
            assert now.code == expected
            assert now.exercise.id in was.exercise.regressions or now.exercise.level < (
                was.exercise.level
            )
    # What was not stopped keeps the engine's decision.
    untouched = [i for i in range(len(plan.exercises)) if i not in moved_up]
    assert [after.exercises[i] for i in untouched] == [decided.exercises[i] for i in untouched]


def test_the_easier_rung_is_the_ladders_and_the_code_says_why(catalogue: Catalogue) -> None:
    plan, decided = _earned(catalogue, Level.INTERMEDIATE)
    first = plan.exercises[0].exercise
    assert first.regressions, "an intermediate's first exercise has an easier rung"
    for why, code in (
        (StopReason.PAIN, REGRESS_STOPPED_PAIN),
        (StopReason.CANNOT, REGRESS_STOPPED_CANNOT),
    ):
        after = after_stops(plan, decided, {first.id: Stop(first.id, why, TODAY)}, catalogue, TODAY)
        now = after.exercises[0]
        assert (now.decision, now.code) == (Decision.REGRESS, code)
        assert now.exercise.id in first.regressions
        assert now.reason.values == {"to_exercise": now.exercise.id}
        assert (now.dose_min, now.sets) == (now.exercise.dose_min, MIN_SETS)
        assert after.exercises[1:] == decided.exercises[1:]


def test_after_the_stop_it_waits_for_two_good_sessions_before_moving_up(
    catalogue: Catalogue,
) -> None:
    plan, decided = _earned(catalogue)
    index = next(i for i, e in enumerate(decided.exercises) if e.decision is Decision.PROGRESS)
    key = plan.exercises[index].exercise.id
    once = after_stops(plan, decided, {key: Stop(key, StopReason.PAIN, START, 1)}, catalogue, TODAY)
    assert once.exercises[index].code == HOLD_SINCE_STOPPED
    assert once.exercises[index].exercise.id == key
    twice = after_stops(
        plan, decided, {key: Stop(key, StopReason.PAIN, START, 2)}, catalogue, TODAY
    )
    assert twice.exercises[index] == decided.exercises[index]


def test_without_stops_the_plan_is_the_engines(catalogue: Catalogue) -> None:
    plan, decided = _earned(catalogue)
    assert after_stops(plan, decided, {}, catalogue, TODAY) is decided


def _ready_for_the_next_rung(
    catalogue: Catalogue, plan: Plan, overrides: Overrides = NO_OVERRIDES
) -> Plan:
    """What two sessions at the top make of ``plan`` when every exercise is at 3 sets and has
    been on its rung long enough: each moves up a rung (rule 10)."""
    later = TODAY + timedelta(days=14)
    log = [
        full_session(plan, later - timedelta(days=4), morning=3),
        full_session(plan, later - timedelta(days=2), morning=3),
    ]
    decided = decide_next(plan, log, later, catalogue, overrides=overrides)
    assert isinstance(decided, Plan)
    return decided


def _at_three_sets(plan: Plan) -> Plan:
    exercises = tuple(item.with_changes(sets=3, since=START) for item in plan.exercises)
    return replace(plan, exercises=exercises)


def test_a_coachs_addition_does_not_let_a_stopped_exercise_take_its_next_rung(
    catalogue: Catalogue,
) -> None:
    plan = _at_three_sets(plan_for(catalogue, START))
    assert plan.exercises[0].exercise.id == "heel_slide"
    added = Overrides(added=(Add("bird_dog", 1, START),))
    decided = _ready_for_the_next_rung(catalogue, plan, added)
    assert len(decided.exercises) == len(plan.exercises) + 1, "the coach added one"
    moved = decided.exercises[0]
    assert (moved.exercise.id, moved.decision) == ("supported_single_leg_lower", Decision.PROGRESS)
    stops = {"heel_slide": Stop("heel_slide", StopReason.PAIN, TODAY)}

    after = after_stops(plan, decided, stops, catalogue, TODAY)

    ids = [item.exercise.id for item in after.exercises]
    assert "supported_single_leg_lower" not in ids
    instead = after.exercises[0]
    assert instead.code in STOPPED_CODES
    assert no_harder(instead.exercise, catalogue.get("heel_slide"))
    assert after.exercises[1:] == decided.exercises[1:]  # the rest, and the coach's, as decided


def test_a_reordered_plan_pairs_each_exercise_with_where_it_came_from(
    catalogue: Catalogue,
) -> None:
    plan = _at_three_sets(plan_for(catalogue, START))
    decided = _ready_for_the_next_rung(catalogue, plan)
    stops = {"heel_slide": Stop("heel_slide", StopReason.PAIN, TODAY)}
    in_order = after_stops(plan, decided, stops, catalogue, TODAY)
    assert in_order.exercises[0].code in STOPPED_CODES
    reordered = replace(decided, exercises=decided.exercises[::-1])

    after = after_stops(plan, reordered, stops, catalogue, TODAY)

    assert after.exercises == in_order.exercises[::-1]


def test_when_a_rung_could_have_come_from_either_of_two_nothing_moves_up(
    catalogue: Catalogue,
) -> None:
    """heel_slide and supported_single_leg_lower share a ladder: both rungs up are within reach
    of both, so which one the stopped exercise became is a guess, and neither may go up."""
    plan = _at_three_sets(plan_for(catalogue, START))
    lower = catalogue.get("supported_single_leg_lower")
    second = plan.exercises[1].with_changes(
        exercise=lower, dose_min=lower.dose_min, dose_max=lower.dose_max
    )
    plan = replace(plan, exercises=(plan.exercises[0], second, *plan.exercises[2:]))
    decided = _ready_for_the_next_rung(catalogue, plan)
    core = decided.exercises[:2]
    assert [item.decision for item in core] == [Decision.PROGRESS, Decision.PROGRESS]
    stops = {"heel_slide": Stop("heel_slide", StopReason.PAIN, TODAY)}

    after = after_stops(plan, decided, stops, catalogue, TODAY)

    heel_slide = catalogue.get("heel_slide")
    for item in after.exercises[:2]:
        assert item.decision is not Decision.PROGRESS
        assert item.exercise.level <= lower.level
    assert any(no_harder(item.exercise, heel_slide) for item in after.exercises[:2])
    assert after.exercises[2:] == decided.exercises[2:]
