"""Prescription: M3, M4, M5 and an M6 drill set, fitted to kit and level, dosed by M7 and M8."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.plan import Plan, Referral
from backcoach.engine.prescription import (
    MAX_START_LEVEL,
    PrescriptionError,
    prescribe,
)
from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Category, Equipment, Level
from tests.builders import plan_for, profile

START = date(2026, 11, 23)


def test_any_red_flag_refers_with_no_exercises(catalogue: Catalogue) -> None:
    result = prescribe(profile(red_flags={"night_pain": True}), catalogue, START)
    assert isinstance(result, Referral)
    data = result.to_dict()
    assert data["status"] == "refer"
    assert data["urgency"] == "soon"
    assert data["reasons"]
    assert data["exercises"] == []


def test_a_plan_holds_abdominal_hip_extension_and_external_rotation_work(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START)
    categories = {item.exercise.category for item in plan.exercises}
    assert set(STRENGTH_CATEGORIES) <= categories


def test_a_plan_prefers_the_active_leg_raise_family_for_the_abdominals(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START)
    core = [i.exercise for i in plan.exercises if i.exercise.category is Category.CORE]
    assert core[0].pattern == "leg_lowering"
    assert core[0].preferred


def test_a_plan_holds_a_short_mobility_set_of_drills_not_stretches(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START)
    assert 2 <= len(plan.mobility) <= 4
    assert all(d.exercise.category is Category.MOBILITY for d in plan.mobility)
    assert 1.0 <= plan.to_dict()["mobility_minutes"] <= 4.0


def test_a_body_weight_beginner_gets_two_sets_of_easy_exercises(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START, level=Level.BEGINNER, equipment=[])
    assert all(item.sets == 2 for item in plan.exercises)
    assert all(item.exercise.level <= MAX_START_LEVEL[Level.BEGINNER] for item in plan.exercises)
    assert all(not item.exercise.equipment for item in plan.exercises)


def test_an_advanced_person_with_a_barbell_and_bench_gets_loaded_work(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(
        catalogue, START, level=Level.ADVANCED, equipment=["barbell", "bench", "band", "dumbbell"]
    )
    assert all(item.sets == 3 for item in plan.exercises)
    assert any(item.exercise.equipment for item in plan.exercises)
    assert len(plan.exercises) == 5


def test_severe_pain_starts_lower_and_with_two_sets(catalogue: Catalogue) -> None:
    calm = plan_for(catalogue, START, level=Level.ADVANCED, pain=3)
    severe = plan_for(catalogue, START, level=Level.ADVANCED, pain=8)
    assert all(item.sets == 2 for item in severe.exercises)
    assert sum(i.exercise.level for i in severe.exercises) < sum(
        i.exercise.level for i in calm.exercises
    )


def test_it_never_prescribes_an_exercise_the_person_avoids(catalogue: Catalogue) -> None:
    first = plan_for(catalogue, START)
    avoided = frozenset(item.exercise.id for item in first.exercises)
    second = plan_for(catalogue, START, avoid=avoided)
    assert not avoided & {item.exercise.id for item in second.exercises}


def test_it_explains_when_every_exercise_of_a_category_is_avoided(catalogue: Catalogue) -> None:
    every_clam = frozenset(e.id for e in catalogue.by_category[Category.HIP_EXTERNAL_ROTATION])
    with pytest.raises(PrescriptionError, match="hip_external_rotation"):
        prescribe(profile(avoid=every_clam), catalogue, START)


def test_each_choice_carries_a_reason_a_person_can_read(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START)
    for item in plan.exercises + plan.mobility:
        assert len(item.reason) > 40
        assert item.exercise.summary in item.reason
    assert any("stretch" in note.lower() for note in plan.notes)  # M1 is explained


def test_the_plan_output_follows_the_contract(catalogue: Catalogue) -> None:
    data = plan_for(catalogue, START, days_per_week=3).to_dict()
    assert data["status"] == "ok"
    assert data["sessions_per_week"] == 3
    assert data["schedule"][0] == "2026-11-23"
    for item in data["exercises"]:
        assert {"id", "name", "category", "sets", "equipment", "reason"} <= set(item)
        assert ("reps_min" in item and "reps_max" in item) or "seconds" in item or "steps" in item


profiles = st.builds(
    profile,
    age=st.integers(16, 95),
    pain=st.integers(0, 10),
    level=st.sampled_from(list(Level)),
    days_per_week=st.integers(1, 7),
    equipment=st.frozensets(st.sampled_from(list(Equipment))),
)


@given(person=profiles)
def test_every_ok_plan_fits_the_person_and_the_method(person, catalogue: Catalogue) -> None:
    result = prescribe(person, catalogue, START)
    assert isinstance(result, Plan)
    categories = {item.exercise.category for item in result.exercises}
    assert set(STRENGTH_CATEGORIES) <= categories  # M3, M4, M5
    for item in result.exercises:
        exercise = item.exercise
        assert exercise.equipment <= person.equipment  # fits the kit
        assert exercise.category is not Category.AVOID
        assert exercise.level <= MAX_START_LEVEL[person.level]  # fits the level
        assert 2 <= item.sets <= 3  # M8
        if exercise.dose.value in ("reps", "steps"):
            assert 6 <= item.dose_min <= item.dose_max <= 15  # M8
    assert result.mobility  # M6
    assert len(result.schedule) >= 4  # M7: at least one session a week for four weeks


@given(
    person=profiles,
    flags=st.dictionaries(st.sampled_from(sorted(RED_FLAG_IDS)), st.booleans(), min_size=1),
)
def test_any_red_flag_answered_yes_refers(person, flags, catalogue: Catalogue) -> None:
    flagged = profile(red_flags=flags, level=person.level, equipment=person.equipment)
    result = prescribe(flagged, catalogue, START)
    assert isinstance(result, Referral) == any(flags.values())


def test_a_plan_lists_the_red_flag_questions_left_unanswered(catalogue: Catalogue) -> None:
    partial = plan_for(catalogue, START, red_flags={"night_pain": False, "trauma": False})
    unanswered = partial.to_dict()["unanswered_red_flags"]
    assert "saddle_numbness" in unanswered
    assert "night_pain" not in unanswered
    complete = plan_for(catalogue, START, red_flags=dict.fromkeys(RED_FLAG_IDS, False))
    assert complete.to_dict()["unanswered_red_flags"] == []
