"""M9 when the back keeps taking the load: never a harder or longer-lever swap; then a review."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.ladder import LEVER_BY_POSITION, Ladder, lever, no_harder
from backcoach.engine.log import SessionLog
from backcoach.engine.plan import Plan, PlannedExercise
from backcoach.engine.progression import decide_next
from backcoach.engine.reasons import reason
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Decision, Equipment, Felt, Level
from tests.builders import plan_for, session, sets

START = date(2026, 11, 2)
STRENGTH = [e for e in default_catalogue().exercises if e.category in STRENGTH_CATEGORIES]
ALL_KIT = frozenset(Equipment)


def _regressions_within_reach(catalogue: Catalogue, exercise: Exercise) -> frozenset[str]:
    seen: set[str] = set()
    frontier = [exercise]
    while frontier:
        step = [catalogue.get(link) for e in frontier for link in e.regressions]
        frontier = [e for e in step if e.id not in seen]
        seen.update(e.id for e in frontier)
    return frozenset(seen)


def _plan_with(catalogue: Catalogue, exercise: Exercise, *, no_easier: bool) -> Plan:
    """A plan holding `exercise` in its category's place; with no easier rung left if asked."""
    plan = plan_for(catalogue, START, level=Level.ADVANCED, equipment=ALL_KIT)
    avoid = _regressions_within_reach(catalogue, exercise) if no_easier else frozenset()
    slot = next(i for i in plan.exercises if i.exercise.category is exercise.category)
    others = tuple(i for i in plan.exercises if i is not slot and i.exercise is not exercise)
    placed = PlannedExercise(exercise, 2, exercise.dose_min, exercise.dose_max, reason("test"))
    return replace(
        plan,
        profile=replace(plan.profile, avoid=plan.profile.avoid | avoid),
        exercises=(placed, *others),
    )


def _low_back_sessions(exercise: Exercise, count: int) -> list[SessionLog]:
    return [
        session(
            START + timedelta(days=2 * n),
            {exercise.id: sets(exercise.dose_max, 2, Felt.LOW_BACK)},
            morning=3,
        )
        for n in range(count)
    ]


def _decided(catalogue: Catalogue, plan: Plan, log: list[SessionLog]) -> PlannedExercise:
    result = decide_next(plan, log, log[-1].day + timedelta(days=1), catalogue)
    assert isinstance(result, Plan)
    return result.exercises[0]


@pytest.mark.parametrize("exercise", STRENGTH, ids=lambda e: e.id)
def test_a_swap_for_the_low_back_is_never_harder_nor_a_longer_lever(
    exercise: Exercise, catalogue: Catalogue
) -> None:
    # Every strength exercise of the catalogue, with its easier rungs out of reach, so the
    # engine must look sideways.
    plan = _plan_with(catalogue, catalogue.get(exercise.id), no_easier=True)
    decided = _decided(catalogue, plan, _low_back_sessions(exercise, 2))
    assert decided.decision in (Decision.SWAP, Decision.HOLD)  # never PROGRESS
    if decided.decision is Decision.SWAP:
        assert decided.code == "swap.low_back"
        assert no_harder(decided.exercise, exercise)
        assert decided.exercise.category is exercise.category


@given(
    exercise=st.sampled_from(STRENGTH),
    kit=st.frozensets(st.sampled_from(list(Equipment))),
    unavailable=st.frozensets(st.sampled_from([e.id for e in STRENGTH]), max_size=12),
)
def test_the_gentler_exercise_is_never_harder_nor_a_longer_lever_whatever_the_kit(
    exercise: Exercise, kit: frozenset[Equipment], unavailable: frozenset[str]
) -> None:
    catalogue = default_catalogue()
    ladder = Ladder(catalogue, kit, unavailable, {exercise.id})
    other = ladder.gentler(catalogue.get(exercise.id))
    if other is not None:
        assert other.id != exercise.id and other.id not in unavailable
        assert other.category is exercise.category
        assert other.equipment <= kit
        assert other.level <= exercise.level
        assert lever(other) <= lever(exercise)


def test_a_dead_bug_is_not_swapped_for_a_plank_or_a_bird_dog(catalogue: Catalogue) -> None:
    # Without its easier rung and the leg-lowering family, the old rule took a same-level
    # exercise of another pattern: the bird dog (hands and knees) or a plank (prone).
    taken = {"dead_bug", "heel_slide", "supported_single_leg_lower", "active_leg_raise"}
    ladder = Ladder(catalogue, ALL_KIT, frozenset({"dead_bug_toe_tap"}), taken)
    dead_bug = catalogue.get("dead_bug")
    assert lever(ladder.alternative(dead_bug) or dead_bug) > lever(dead_bug)  # the old rule
    gentler = ladder.gentler(dead_bug)
    assert gentler is None or gentler.position == "supine"


def test_every_position_of_the_catalogue_has_a_lever() -> None:
    # A new position would count as the longest lever; this names it so someone places it.
    unknown = {e.position for e in default_catalogue().exercises} - set(LEVER_BY_POSITION)
    assert unknown == set()


def test_felt_in_the_low_back_three_sessions_on_the_easiest_rung_asks_for_a_review(
    catalogue: Catalogue,
) -> None:
    glute_bridge = catalogue.get("glute_bridge")  # level 1: no easier rung, nothing gentler
    plan = _plan_with(catalogue, glute_bridge, no_easier=True)
    decided = _decided(catalogue, plan, _low_back_sessions(glute_bridge, 3))
    assert decided.decision is Decision.HOLD
    assert decided.reason == reason("review.low_back_easiest_rung", sessions=3)
    fix = glute_bridge.low_back_fix
    assert fix is not None and decided.cue == fix.fix
    result = decide_next(
        plan, _low_back_sessions(glute_bridge, 3), START + timedelta(days=5), catalogue
    )
    assert isinstance(result, Plan)
    review = reason("review.low_back_easiest_rung", exercise="glute_bridge", sessions=3)
    assert review in result.day_notes


@pytest.mark.parametrize("exercise", STRENGTH, ids=lambda e: e.id)
def test_three_low_back_sessions_with_no_easier_rung_always_ask_for_a_review(
    exercise: Exercise, catalogue: Catalogue
) -> None:
    plan = _plan_with(catalogue, catalogue.get(exercise.id), no_easier=True)
    decided = _decided(catalogue, plan, _low_back_sessions(exercise, 3))
    assert decided.code == "review.low_back_easiest_rung"
    assert decided.exercise.id == exercise.id


def test_two_low_back_sessions_on_the_easiest_rung_are_not_yet_a_review(
    catalogue: Catalogue,
) -> None:
    glute_bridge = catalogue.get("glute_bridge")
    plan = _plan_with(catalogue, glute_bridge, no_easier=True)
    decided = _decided(catalogue, plan, _low_back_sessions(glute_bridge, 2))
    assert decided.code == "hold.low_back_cue"


def test_three_low_back_sessions_with_an_easier_rung_go_down_it(catalogue: Catalogue) -> None:
    dead_bug = catalogue.get("dead_bug")
    plan = _plan_with(catalogue, dead_bug, no_easier=False)
    decided = _decided(catalogue, plan, _low_back_sessions(dead_bug, 3))
    assert (decided.decision, decided.code) == (Decision.REGRESS, "regress.low_back")
    assert decided.exercise.id == "dead_bug_toe_tap"
