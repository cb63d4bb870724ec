"""A coach's overrides: constraints decide_next keeps, and the safety rules that still win."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.log import SessionLog
from backcoach.engine.overrides import (
    DOSE_OUT_OF_RANGE,
    EXCLUDED,
    MISSING_KIT,
    NO_OVERRIDES,
    NOT_IN_PLAN,
    NOT_LOADABLE,
    PROBLEM_PARAMS,
    SETS_OUT_OF_RANGE,
    WRONG_CATEGORY,
    Add,
    Dose,
    Hold,
    Overrides,
    Schedule,
    Swap,
    decided_by_coach,
    problems,
)
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan, PlannedExercise
from backcoach.engine.progression import decide_next
from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.engine.vocabulary import Decision, Equipment, Felt, LegSymptoms, Level
from backcoach.formats.stored_plan import DecidedBy, read_stored_plan, write_stored_plan
from backcoach.wording.messages import OVERRIDE_PROBLEMS
from backcoach.wording.reasons import placeholders, say
from tests.builders import full_session, plan_for, session, sets
from tests.unit.test_progression_properties import logs

START = date(2026, 11, 2)
COACH = 7
SET_ON = START - timedelta(days=1)


def _plan(catalogue: Catalogue, **changes: object) -> Plan:
    """A beginner's plan (heel slide, dead bug toe tap, glute bridge, clam), decided before."""
    plan = plan_for(catalogue, START, **changes)
    return replace(plan, exercises=tuple(i.with_changes(since=START) for i in plan.exercises))


def _item(plan: Plan, exercise_id: str) -> PlannedExercise:
    return next(i for i in plan.exercises if i.exercise.id == exercise_id)


def _decided(
    plan: Plan,
    log: list[SessionLog],
    today: date,
    catalogue: Catalogue,
    overrides: Overrides = NO_OVERRIDES,
) -> Plan:
    result = decide_next(plan, log, today, catalogue, overrides=overrides)
    assert isinstance(result, Plan)
    return result


def _at_top(plan: Plan, *offsets: int, **kwargs: Any) -> list[SessionLog]:
    """Settled sessions with every planned set at the top of its range."""
    return [full_session(plan, START + timedelta(days=d), morning=2, **kwargs) for d in offsets]


def _flare(plan: Plan, day: int, **kwargs: Any) -> SessionLog:
    return full_session(plan, START + timedelta(days=day), before=2, during=8, morning=3, **kwargs)


# Swap -----------------------------------------------------------------------------------------

SWAP = Swap("glute_bridge", "bridge_march", COACH, SET_ON, note="Knees hurt on the bridge")


def test_a_swap_puts_the_coachs_exercise_in_decided_by_the_coach(catalogue: Catalogue) -> None:
    result = _decided(_plan(catalogue), [], START, catalogue, overrides=Overrides(swaps=(SWAP,)))
    item = _item(result, "bridge_march")
    assert item.code == "coach.swapped"
    assert item.reason.values == {"coach": COACH, "note": "yes", "exercise": "glute_bridge"}
    assert item.decision is Decision.SWAP and item.since == START
    assert "glute_bridge" not in {i.exercise.id for i in result.exercises}
    assert decided_by_coach(result) == {"bridge_march": COACH}
    assert Overrides(swaps=(SWAP,)).note_for("bridge_march") == "Knees hurt on the bridge"
    assert "Glute bridge" in say(item.reason) and "7" not in say(item.reason)


def _swapped(catalogue: Catalogue) -> Plan:
    return _decided(_plan(catalogue), [], START, catalogue, overrides=Overrides(swaps=(SWAP,)))


def test_a_swapped_exercise_felt_elsewhere_twice_is_not_swapped(catalogue: Catalogue) -> None:
    plan = _swapped(catalogue)
    log = [
        session(
            START + timedelta(days=d), {"bridge_march": sets(12, felt=Felt.ELSEWHERE)}, morning=2
        )
        for d in (1, 3)
    ]
    free = _decided(plan, log, START + timedelta(days=4), catalogue)
    assert free.exercises[2].code == "swap.not_felt"  # the engine would swap it out
    kept = _decided(
        plan, log, START + timedelta(days=4), catalogue, overrides=Overrides(swaps=(SWAP,))
    )
    assert _item(kept, "bridge_march").code == "hold.not_felt"
    assert "glute_bridge" not in {i.exercise.id for i in kept.exercises}


def test_a_swapped_exercise_at_the_top_holds_instead_of_the_next_rung(catalogue: Catalogue) -> None:
    plan = _swapped(catalogue)
    plan = replace(plan, exercises=tuple(i.with_changes(sets=MAX_SETS) for i in plan.exercises))
    today = START + timedelta(days=20)
    log = _at_top(plan, 16, 18)
    assert _decided(plan, log, today, catalogue).exercises[2].code == "progress.next_rung"
    kept = _item(
        _decided(plan, log, today, catalogue, overrides=Overrides(swaps=(SWAP,))), "bridge_march"
    )
    assert kept.code == "coach.swapped" and kept.decision is Decision.HOLD


def test_a_flare_eases_a_swapped_exercise_off_within_it(catalogue: Catalogue) -> None:
    plan = _swapped(catalogue)
    log = [_flare(plan, 1)]
    free = _decided(plan, log, START + timedelta(days=2), catalogue).exercises[2]
    assert free.code == "ease_off.pain_flare.easier"  # without the coach: a rung easier
    result = _decided(
        plan, log, START + timedelta(days=2), catalogue, overrides=Overrides(swaps=(SWAP,))
    )
    eased = _item(result, "bridge_march")
    assert eased.code == "ease_off.pain_flare" and eased.sets == MIN_SETS
    assert "bridge_march" not in decided_by_coach(result)


# Dose -----------------------------------------------------------------------------------------

LOCK = Dose("glute_bridge", 2, 8, 12, COACH, SET_ON)


def test_a_locked_dose_stays_when_the_sets_earn_more(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    log = _at_top(plan, 1, 3)
    assert _item(
        _decided(plan, log, START + timedelta(days=4), catalogue), "glute_bridge"
    ).code == ("progress.add_set")
    result = _decided(
        plan, log, START + timedelta(days=4), catalogue, overrides=Overrides(doses=(LOCK,))
    )
    item = _item(result, "glute_bridge")
    assert (item.code, item.sets, item.dose_min, item.dose_max) == ("coach.locked", 2, 8, 12)
    assert decided_by_coach(result) == {"glute_bridge": COACH}


def test_a_flare_eases_a_locked_dose_off(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    result = _decided(
        plan,
        [_flare(plan, 1)],
        START + timedelta(days=2),
        catalogue,
        overrides=Overrides(doses=(LOCK,)),
    )
    item = _item(result, "glute_bridge")
    assert item.code == "ease_off.pain_flare" and item.dose_max < LOCK.dose_max
    assert "glute_bridge" not in decided_by_coach(result)


def test_leg_symptoms_spreading_ease_a_locked_dose_off(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    log = [replace(_at_top(plan, 1)[0], leg_symptoms=LegSymptoms.FURTHER_DOWN)]
    result = _decided(
        plan, log, START + timedelta(days=2), catalogue, overrides=Overrides(doses=(LOCK,))
    )
    item = _item(result, "glute_bridge")
    assert item.code == "ease_off.leg_symptoms_spreading" and item.dose_max < LOCK.dose_max


def test_a_set_felt_in_the_low_back_still_cues_a_locked_exercise(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    log = [
        session(
            START + timedelta(days=1), {"glute_bridge": sets(12, felt=Felt.LOW_BACK)}, morning=2
        )
    ]
    result = _decided(
        plan, log, START + timedelta(days=2), catalogue, overrides=Overrides(doses=(LOCK,))
    )
    item = _item(result, "glute_bridge")
    assert item.code == "hold.low_back_cue" and item.cue


def test_a_red_flag_refers_whatever_the_coach_set(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    flags = dict.fromkeys(RED_FLAG_IDS, False) | {sorted(RED_FLAG_IDS)[0]: True}
    log = [session(START + timedelta(days=1), red_flags=flags)]
    every = Overrides(swaps=(SWAP,), doses=(LOCK,), holds=(Hold(COACH, SET_ON),))
    result = decide_next(plan, log, START + timedelta(days=2), catalogue, overrides=every)
    assert not isinstance(result, Plan)


def test_a_set_dose_is_where_the_engine_goes_on_from(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    dose = replace(LOCK, locked=False, sets=3, dose_min=9)
    result = _decided(plan, [], START, catalogue, overrides=Overrides(doses=(dose,)))
    item = _item(result, "glute_bridge")
    assert (item.code, item.sets, item.dose_min) == ("coach.dose_set", 3, 9)
    # Decided after the dose was set: it earned a rung, and the engine moves it on.
    later = replace(
        result,
        exercises=tuple(i.with_changes(since=START - timedelta(20)) for i in result.exercises),
    )
    moved = _decided(
        later,
        _at_top(later, 1, 3),
        START + timedelta(days=4),
        catalogue,
        overrides=Overrides(doses=(dose,)),
    )
    assert moved.exercises[2].decision is Decision.PROGRESS


# Hold -----------------------------------------------------------------------------------------


def test_a_held_exercise_does_not_progress_and_the_others_do(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    held = Overrides(holds=(Hold(COACH, SET_ON, "clam"),))
    result = _decided(
        plan, _at_top(plan, 1, 3), START + timedelta(days=4), catalogue, overrides=held
    )
    assert _item(result, "clam").code == "coach.held"
    assert _item(result, "clam").reason.values["note"] == "no"
    assert _item(result, "glute_bridge").code == "progress.add_set"


def test_a_program_hold_holds_every_exercise(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    held = Overrides(holds=(Hold(COACH, SET_ON),))
    result = _decided(
        plan, _at_top(plan, 1, 3), START + timedelta(days=4), catalogue, overrides=held
    )
    assert {i.code for i in result.exercises} == {"coach.held"}
    assert set(decided_by_coach(result).values()) == {COACH}


def test_a_program_hold_still_lets_a_flare_take_a_rung_easier(catalogue: Catalogue) -> None:
    plan = _plan(catalogue, level=Level.INTERMEDIATE)
    held = Overrides(holds=(Hold(COACH, SET_ON),))
    result = _decided(plan, [_flare(plan, 1)], START + timedelta(days=2), catalogue, overrides=held)
    codes = {i.code for i in result.exercises}
    assert "ease_off.pain_flare.easier" in codes and "coach.held" not in codes


# Add and schedule -----------------------------------------------------------------------------

ADD = Add("bird_dog", COACH, SET_ON, note="For balance")


def test_an_added_exercise_is_added_and_kept(catalogue: Catalogue) -> None:
    added = Overrides(added=(ADD,))
    plan = _decided(_plan(catalogue), [], START, catalogue, overrides=added)
    assert _item(plan, "bird_dog").code == "coach.added"
    assert len(plan.exercises) == 5
    log = [
        session(START + timedelta(days=d), {"bird_dog": sets(12, felt=Felt.NOTHING)}, morning=2)
        for d in (1, 3)
    ]
    assert "bird_dog" not in {
        i.exercise.id for i in _decided(plan, log, START + timedelta(4), catalogue).exercises
    }
    kept = _decided(plan, log, START + timedelta(days=4), catalogue, overrides=added)
    assert _item(kept, "bird_dog").code == "hold.not_felt"


def test_days_and_weekdays_rebuild_the_schedule(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    twice = Overrides(schedule=Schedule(2, COACH, SET_ON, weekdays=(0, 3)))
    result = _decided(plan, [], START, catalogue, overrides=twice)
    assert {day.weekday() for day in result.schedule} == {0, 3}
    assert result.sessions_per_week == 2
    assert _decided(plan, [], START, catalogue).sessions_per_week > 2


# Validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "code"),
    [
        (Swap("glute_bridge", "clam", COACH, SET_ON), WRONG_CATEGORY),
        (Swap("glute_bridge", "hip_thrust", COACH, SET_ON), MISSING_KIT),
        (Add("band_bridge", COACH, SET_ON), MISSING_KIT),
        (Dose("glute_bridge", 4, 8, 12, COACH, SET_ON), SETS_OUT_OF_RANGE),
        (Dose("glute_bridge", 1, 8, 12, COACH, SET_ON), SETS_OUT_OF_RANGE),
        (Dose("glute_bridge", 2, 5, 12, COACH, SET_ON), DOSE_OUT_OF_RANGE),
        (Dose("glute_bridge", 2, 8, 12, COACH, SET_ON, load_kg=10), NOT_LOADABLE),
        (Hold(COACH, SET_ON, "bird_dog"), NOT_IN_PLAN),
    ],
)
def test_an_impossible_override_is_named_and_left_out(
    override: Swap | Dose | Add | Hold, code: str, catalogue: Catalogue
) -> None:
    plan = _plan(catalogue)
    overrides = _alone(override)
    assert [problem.code for problem in problems(overrides, plan, catalogue)] == [code]
    log = _at_top(plan, 1, 3)
    assert _decided(plan, log, START + timedelta(4), catalogue, overrides=overrides) == _decided(
        plan, log, START + timedelta(4), catalogue
    )


def _alone(override: Swap | Dose | Add | Hold) -> Overrides:
    if isinstance(override, Swap):
        return Overrides(swaps=(override,))
    if isinstance(override, Dose):
        return Overrides(doses=(override,))
    if isinstance(override, Add):
        return Overrides(added=(override,))
    return Overrides(holds=(override,))


def test_an_avoided_exercise_cannot_be_swapped_in(catalogue: Catalogue) -> None:
    plan = _plan(catalogue, avoid=frozenset({"bridge_march"}))
    assert [p.code for p in problems(Overrides(swaps=(SWAP,)), plan, catalogue)] == [EXCLUDED]


def test_a_possible_set_of_overrides_has_no_problems(catalogue: Catalogue) -> None:
    plan = _plan(catalogue, equipment=frozenset({Equipment.BAND}))
    every = Overrides(
        (SWAP,), (LOCK,), (Hold(COACH, SET_ON, "clam"),), (ADD,), Schedule(3, COACH, SET_ON)
    )
    assert problems(every, plan, catalogue) == ()


def test_every_problem_code_has_words_naming_exactly_its_parameters() -> None:
    assert set(OVERRIDE_PROBLEMS) == set(PROBLEM_PARAMS)
    for code, names in PROBLEM_PARAMS.items():
        assert placeholders(OVERRIDE_PROBLEMS[code]) == names, code


def test_the_stored_plan_keeps_who_decided(catalogue: Catalogue) -> None:
    result = _decided(_plan(catalogue), [], START, catalogue, overrides=Overrides(swaps=(SWAP,)))
    who = {key: DecidedBy("coach", coach) for key, coach in decided_by_coach(result).items()}
    stored = read_stored_plan(write_stored_plan(result, who), catalogue)
    assert stored.plan == result
    assert stored.decider("bridge_march") == DecidedBy("coach", COACH)
    assert stored.decider("clam").kind == "engine"


# Whatever the log ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(data=st.data(), level=st.sampled_from(list(Level)))
def test_whatever_the_log_the_coachs_constraints_hold(
    data: st.DataObject, level: Level, catalogue: Catalogue
) -> None:
    plan = _plan(catalogue, level=level)
    first, second, third = (i.exercise for i in plan.exercises[:3])
    planned = {i.exercise.id for i in plan.exercises}
    to = next(
        e.id
        for e in catalogue.by_category[third.category]
        if e.id not in planned and e.fits(plan.profile.equipment)
    )
    extra = next(e.id for e in catalogue.by_category[first.category] if e.id not in planned | {to})
    lock = Dose(
        first.id,
        data.draw(st.integers(MIN_SETS, MAX_SETS)),
        first.dose_min,
        first.dose_max,
        COACH,
        SET_ON,
    )
    overrides = Overrides(
        swaps=(Swap(third.id, to, COACH, SET_ON),),
        doses=(lock,),
        holds=(Hold(COACH, SET_ON, second.id),),
        added=(Add(extra, COACH, SET_ON),),
    )
    assert problems(overrides, plan, catalogue) == ()
    started = _decided(plan, [], START, catalogue, overrides=overrides)
    sessions = data.draw(logs([i.exercise.id for i in started.exercises]))
    today = sessions[-1].day + timedelta(days=data.draw(st.integers(0, 3)))
    result = _decided(started, sessions, today, catalogue, overrides=overrides)
    ids = {i.exercise.id for i in result.exercises}
    assert {first.id, second.id, to, extra} <= ids and third.id not in ids
    locked = _item(result, first.id)
    assert locked.sets <= lock.sets and locked.dose_max <= lock.dose_max
    assert locked.decision is not Decision.PROGRESS
    assert _item(result, second.id).decision is not Decision.PROGRESS


@settings(max_examples=60, deadline=None)
@given(data=st.data(), level=st.sampled_from(list(Level)))
def test_with_no_override_in_force_the_decision_is_the_engines_alone(
    data: st.DataObject, level: Level, catalogue: Catalogue
) -> None:
    plan = _plan(catalogue, level=level)
    sessions = data.draw(logs([i.exercise.id for i in plan.exercises]))
    today = sessions[-1].day + timedelta(days=data.draw(st.integers(0, 3)))
    alone = decide_next(plan, sessions, today, catalogue)
    assert decide_next(plan, sessions, today, catalogue, overrides=Overrides()) == alone
    # The constrained path with a schedule the person already has decides exactly the same.
    same = Schedule(plan.profile.days_per_week, COACH, SET_ON, weekdays=plan.profile.weekdays)
    assert (
        decide_next(plan, sessions, today, catalogue, overrides=Overrides(schedule=same)) == alone
    )
