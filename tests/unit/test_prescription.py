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
    cautions,
    excluded,
    nothing_to_weigh,
    prescribe,
)
from backcoach.engine.profile import Profile
from backcoach.engine.reasons import reason
from backcoach.engine.screening import RED_FLAG_IDS, RED_FLAGS, Status, screen
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Category, Equipment, Level, Pregnancy
from backcoach.formats.plan import plan_document
from tests.builders import plan_for, profile

START = date(2026, 11, 23)


def test_any_red_flag_refers_with_no_exercises(catalogue: Catalogue) -> None:
    result = prescribe(profile(red_flags={"night_pain": True}), catalogue, START)
    assert isinstance(result, Referral)
    data = result.to_dict()
    assert data["status"] == "refer"
    assert data["urgency"] == "soon"
    assert data["reason_codes"] == [{"code": "flag.night_pain.reason", "params": {}}]
    assert data["advice"][0] == {"code": "screening.refer.soon", "params": {}}
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


def test_each_choice_carries_its_reason_code(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START, level=Level.INTERMEDIATE)
    for item in plan.exercises:
        assert item.reason == reason(
            "start.strength",
            exercise=item.exercise.id,
            level=item.exercise.level,
            person_level="intermediate",
        )
    for drill in plan.mobility:
        assert drill.reason == reason("start.mobility", exercise=drill.exercise.id)
    # M1 is explained, after no caution: why strength, how to feel it, drills when tight.
    assert [note.code for note in plan.notes] == [
        "note.strength_not_stretch",
        "note.feel_it_in",
        "note.drills_when_tight",
    ]


def test_the_plan_output_follows_the_contract(catalogue: Catalogue) -> None:
    data = plan_document(plan_for(catalogue, START, days_per_week=3), catalogue)
    assert data["status"] == "ok"
    assert data["sessions_per_week"] == 3
    assert data["frequency_code"] == "note.frequency.three_days"
    assert data["note_codes"] == [note.code for note in plan_for(catalogue, START).notes]
    assert len(data["notes"]) == len(data["note_params"]) == len(data["note_codes"])
    assert data["schedule"][0] == "2026-11-23"
    for item in data["exercises"]:
        assert {"id", "name", "category", "sets", "equipment", "reason", "code"} <= set(item)
        assert item["params"]["exercise"] == item["id"]
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
def test_every_ok_plan_fits_the_person_and_the_method(
    person: Profile, catalogue: Catalogue
) -> None:
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


_SIGNS = sorted(flag.id for flag in RED_FLAGS if flag.urgency is not None)


@given(
    person=profiles,
    flags=st.dictionaries(st.sampled_from(_SIGNS), st.booleans(), min_size=1),
)
def test_any_red_flag_answered_yes_refers(
    person: Profile, flags: dict[str, bool], catalogue: Catalogue
) -> None:
    answers = {**dict.fromkeys(RED_FLAG_IDS, False), **flags}
    flagged = profile(red_flags=answers, level=person.level, equipment=person.equipment)
    result = prescribe(flagged, catalogue, START)
    assert isinstance(result, Referral) == any(flags.values())


@pytest.mark.parametrize(
    "changes",
    [
        {"red_flags": {"night_pain": False, "trauma": False}},
        {"red_flags": {k: False for k in RED_FLAG_IDS if k != "thoracic_pain"}},
        {"pregnancy": None},
    ],
)
def test_no_program_until_every_safety_question_is_answered(
    changes: dict[str, object], catalogue: Catalogue
) -> None:
    result = prescribe(profile(**changes), catalogue, START)

    assert isinstance(result, Referral)
    data = result.to_dict()
    assert data["status"] == "incomplete"
    assert data["unanswered"]
    assert data["exercises"] == []


def test_after_12_weeks_of_pregnancy_nothing_is_done_lying_on_the_back(
    catalogue: Catalogue,
) -> None:
    for level in Level:
        plan = plan_for(catalogue, START, pregnancy=Pregnancy.AFTER_12_WEEKS, level=level)
        for item in plan.exercises + plan.mobility:
            assert item.exercise.position != "supine", item.exercise.id
        assert reason("note.caution.late_pregnancy") in plan.notes
    early = plan_for(catalogue, START, pregnancy=Pregnancy.UP_TO_12_WEEKS)
    assert any(item.exercise.position == "supine" for item in early.exercises)


def test_late_pregnancy_excludes_every_exercise_lying_on_the_back(catalogue: Catalogue) -> None:
    person = profile(pregnancy=Pregnancy.AFTER_12_WEEKS)
    lying = {e.id for e in catalogue.exercises if e.position == "supine"}
    assert lying and lying <= excluded(person, catalogue)


def test_soon_after_birth_needs_a_go_ahead_before_a_program(catalogue: Catalogue) -> None:
    result = prescribe(profile(pregnancy=Pregnancy.POSTPARTUM_UNDER_12_WEEKS), catalogue, START)
    assert isinstance(result, Referral)
    assert result.screening.go_ahead


@pytest.mark.parametrize(("age", "noted"), [(74, False), (75, True), (90, True)])
def test_from_75_a_program_carries_a_note_on_falls_and_bone_health(
    age: int, noted: bool, catalogue: Catalogue
) -> None:
    plan = plan_for(catalogue, START, age=age)
    assert ("older_age" in cautions(plan.profile)) is noted
    assert (reason("note.caution.older_age") in plan.notes) is noted


@pytest.mark.parametrize(("pain", "advised"), [(8, False), (9, True), (10, True)])
def test_pain_of_9_or_10_at_onboarding_gets_the_drills_first_advice(
    pain: int, advised: bool, catalogue: Catalogue
) -> None:
    plan = plan_for(catalogue, START, pain=pain)
    assert (reason("note.caution.very_high_pain") in plan.notes) is advised


@given(
    person=profiles,
    flags=st.dictionaries(st.sampled_from(sorted(RED_FLAG_IDS)), st.booleans()),
    complete=st.booleans(),
    pregnancy=st.sampled_from([None, *Pregnancy]),
)
def test_the_shortcut_past_screening_agrees_with_the_screening(
    person: Profile,
    flags: dict[str, bool],
    complete: bool,
    pregnancy: Pregnancy | None,
    catalogue: Catalogue,
) -> None:
    answers = {**dict.fromkeys(RED_FLAG_IDS, False), **flags} if complete else flags
    someone = profile(red_flags=answers, pregnancy=pregnancy, age=person.age, level=person.level)
    assert nothing_to_weigh(someone) == (
        complete
        and not any(flags.values())
        and pregnancy not in (None, Pregnancy.POSTPARTUM_UNDER_12_WEEKS)
    )
    if nothing_to_weigh(someone):
        assert screen(someone.screening_answers()).status is Status.OK
    result = prescribe(someone, catalogue, START)
    assert isinstance(result, Plan) == (screen(someone.screening_answers()).status is Status.OK)
