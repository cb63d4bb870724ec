"""Progression: double progression, M9's low-back signal, the pain-monitoring model, breaks.

The finer rules have their own files: test_pain_monitoring.py (the day's pain),
test_progression_pace.py (reps, sets, then one rung per two weeks) and test_low_back_swaps.py.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from backcoach.engine import (
    day_state,
    decisions,
    log,
    low_back,
    progression,
    progression_pace,
    reasons,
)
from backcoach.engine.catalogue import Catalogue
from backcoach.engine.plan import Plan, PlannedExercise, Referral
from backcoach.engine.progression import decide_next, load_step
from backcoach.engine.reasons import reason
from backcoach.engine.vocabulary import Decision, Felt, Level
from tests.builders import full_session, plan_for, session, sets

START = date(2026, 11, 2)
CODE = re.compile(
    r"(hold|progress|regress|swap|review|ease_off|note|screen|start|flare|coach)(\.[a-z_]+)+"
)


def _bridge_plan(catalogue: Catalogue, **changes: object) -> tuple[Plan, PlannedExercise]:
    plan = plan_for(catalogue, START, level=Level.BEGINNER, **changes)
    bridge = next(i for i in plan.exercises if i.exercise.id == "glute_bridge")
    return plan, bridge


def _decided(result: Plan | Referral, category_of: PlannedExercise) -> PlannedExercise:
    assert isinstance(result, Plan)
    return next(i for i in result.exercises if i.exercise.category is category_of.exercise.category)


def test_a_beginner_starts_on_the_glute_bridge(catalogue: Catalogue) -> None:
    _, bridge = _bridge_plan(catalogue)
    assert bridge.exercise.level == 1


def test_two_sessions_at_the_top_felt_in_the_glutes_add_a_set_first(
    catalogue: Catalogue,
) -> None:
    plan, bridge = _bridge_plan(catalogue)
    assert bridge.sets == 2
    log = [
        full_session(plan, START, morning=3),
        full_session(plan, START + timedelta(2), morning=3),
    ]
    decided = _decided(decide_next(plan, log, START + timedelta(days=3), catalogue), bridge)
    assert decided.decision is Decision.PROGRESS
    assert decided.code == "progress.add_set"
    assert decided.exercise.id == "glute_bridge"
    assert decided.sets == 3
    assert decided.reason.values == {"top": 15, "unit": "reps", "sets": 3, "bottom": 8}


def test_one_session_at_the_top_is_not_enough(catalogue: Catalogue) -> None:
    plan, bridge = _bridge_plan(catalogue)
    log = [
        full_session(plan, START, amount=bridge.dose_min, morning=3),
        full_session(plan, START + timedelta(2), morning=3),
    ]
    decided = _decided(decide_next(plan, log, START + timedelta(days=3), catalogue), bridge)
    assert decided.decision is Decision.HOLD
    assert decided.code == "hold.building"
    assert decided.exercise.id == "glute_bridge"


def test_a_loaded_exercise_progresses_by_adding_load(catalogue: Catalogue) -> None:
    plan = plan_for(
        catalogue, START, level=Level.ADVANCED, equipment=["barbell", "bench", "dumbbell", "band"]
    )
    loaded = next(i for i in plan.exercises if i.exercise.loadable)
    plan = Plan(
        **{
            **{f: getattr(plan, f) for f in plan.__dataclass_fields__},
            "exercises": tuple(
                i.with_changes(load_kg=40.0, sets=3) if i is loaded else i for i in plan.exercises
            ),
        }
    )
    log = [
        full_session(plan, START, morning=3),
        full_session(plan, START + timedelta(2), morning=3),
    ]
    decided = _decided(decide_next(plan, log, START + timedelta(days=3), catalogue), loaded)
    assert decided.decision is Decision.PROGRESS
    assert decided.code == "progress.add_load"
    assert decided.exercise.id == loaded.exercise.id
    assert decided.load_kg == 40.0 + load_step(40.0, loaded.exercise.load_step_kg)
    assert decided.dose_min == loaded.exercise.dose_min


def test_felt_in_the_low_back_once_gives_a_cue_and_never_progresses(
    catalogue: Catalogue,
) -> None:
    plan, bridge = _bridge_plan(catalogue)
    first = full_session(plan, START, morning=3)
    second = session(
        START + timedelta(days=2), {"glute_bridge": sets(15, 2, Felt.LOW_BACK)}, morning=3
    )
    decided = _decided(decide_next(plan, [first, second], START + timedelta(3), catalogue), bridge)
    assert decided.decision is Decision.HOLD
    assert decided.code == "hold.low_back_cue"
    fix = bridge.exercise.low_back_fix
    assert fix is not None
    assert decided.cue == fix.fix


def test_felt_in_the_low_back_twice_goes_to_an_easier_variant_or_another_exercise(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START, level=Level.ADVANCED, equipment=["band", "bench"])
    item = next(i for i in plan.exercises if i.exercise.regressions)
    log = [
        session(
            START + timedelta(days=d),
            {item.exercise.id: sets(item.dose_max, 3, Felt.LOW_BACK)},
            morning=3,
        )
        for d in (0, 2)
    ]
    decided = _decided(decide_next(plan, log, START + timedelta(days=3), catalogue), item)
    assert decided.decision in (Decision.REGRESS, Decision.SWAP)
    assert decided.exercise.id != item.exercise.id
    assert decided.exercise.level <= item.exercise.level


def test_pain_during_above_five_eases_every_exercise_off(catalogue: Catalogue) -> None:
    plan, _ = _bridge_plan(catalogue)
    log = [full_session(plan, START), full_session(plan, START + timedelta(2), during=6)]
    result = decide_next(plan, log, START + timedelta(days=3), catalogue)
    assert isinstance(result, Plan)
    assert all(i.decision in (Decision.REGRESS, Decision.HOLD) for i in result.exercises)
    # Held at fewer sets, or one rung easier where there is one: both say what flared.
    assert {i.code for i in result.exercises} <= {
        "ease_off.pain_flare",
        "ease_off.pain_flare.easier",
    }
    assert all(i.reason.values["flare"] for i in result.exercises)
    assert all(i.sets == 2 for i in result.exercises)
    assert "ease_off.pain_flare" in result.day_codes
    flare = result.day_notes[result.day_codes.index("ease_off.pain_flare")].values["flare"]
    assert flare == (reason("flare.during", during=6, acceptable=5, before=3),)


def test_next_morning_pain_two_above_the_baseline_stops_progress(catalogue: Catalogue) -> None:
    plan, bridge = _bridge_plan(catalogue)
    log = [full_session(plan, START), full_session(plan, START + timedelta(2), before=2, morning=4)]
    decided = _decided(decide_next(plan, log, START + timedelta(days=3), catalogue), bridge)
    assert decided.decision is not Decision.PROGRESS
    assert decided.code.startswith("ease_off.pain_flare")
    assert decided.reason.values["flare"] == (reason("flare.morning", morning=4, rise=2, before=2),)


def test_pain_rising_week_on_week_holds_with_less_volume(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START, level=Level.INTERMEDIATE)
    log = [full_session(plan, START + timedelta(d), before=2, morning=2) for d in (0, 2, 4)]
    log += [full_session(plan, START + timedelta(d), before=4, morning=4) for d in (8, 10, 12)]
    result = decide_next(plan, log, START + timedelta(days=13), catalogue)
    assert isinstance(result, Plan)
    assert all(i.decision is Decision.HOLD and i.sets == 2 for i in result.exercises)
    assert {i.reason for i in result.exercises} == {reason("hold.pain_rising", before=2.0, now=4.0)}


def test_a_long_break_eases_back_in(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START, level=Level.INTERMEDIATE)
    log = [full_session(plan, START), full_session(plan, START + timedelta(days=2))]
    two_weeks = decide_next(plan, log, START + timedelta(days=18), catalogue)
    assert isinstance(two_weeks, Plan)
    assert all(i.decision is Decision.HOLD and i.sets == 2 for i in two_weeks.exercises)
    assert two_weeks.day_codes == ("hold.long_break",)  # a missing morning that old is moot
    a_month = decide_next(plan, log, START + timedelta(days=40), catalogue)
    assert isinstance(a_month, Plan)
    assert any(i.decision is Decision.REGRESS for i in a_month.exercises)
    assert not any(i.decision is Decision.PROGRESS for i in a_month.exercises)


def test_a_red_flag_at_a_check_in_refers(catalogue: Catalogue) -> None:
    plan, _ = _bridge_plan(catalogue)
    log = [full_session(plan, START, red_flags={"saddle_numbness": True})]
    result = decide_next(plan, log, START + timedelta(days=1), catalogue)
    assert isinstance(result, Referral)
    assert result.to_dict()["urgency"] == "emergency"


def test_sessions_after_today_are_not_read(catalogue: Catalogue) -> None:
    plan, bridge = _bridge_plan(catalogue)
    log = [
        full_session(plan, START + timedelta(days=10)),
        full_session(plan, START + timedelta(12)),
    ]
    decided = _decided(decide_next(plan, log, START, catalogue), bridge)
    assert decided.decision is Decision.HOLD
    assert decided.reason == reason("hold.no_sets")


def test_the_next_schedule_starts_after_a_rest_day(catalogue: Catalogue) -> None:
    plan, _ = _bridge_plan(catalogue)
    last = START + timedelta(days=4)
    result = decide_next(plan, [full_session(plan, last)], last + timedelta(days=1), catalogue)
    assert isinstance(result, Plan)
    assert result.schedule[0] == last + timedelta(days=2)
    assert result.decided_on == last + timedelta(days=1)


def test_every_decision_code_is_listed_in_the_docs() -> None:
    # Every module of progression, so that a code added to any of them is checked.
    modules = (progression, decisions, day_state, low_back, progression_pace, log, reasons)
    codes = {
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, str) and CODE.fullmatch(value)
    }
    assert len(codes) >= 20
    assert set(decisions.REASON_PARAMS) | set(decisions.DAY_NOTE_PARAMS) <= codes
    docs = (Path(__file__).parents[2] / "docs" / "progression.md").read_text()
    assert [code for code in sorted(codes) if f"`{code}`" not in docs] == []
