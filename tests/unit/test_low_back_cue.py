"""M9's cue when an exercise's data names no fix for a set felt in the low back: the engine gives
a code, the wording layer its words, and every place that shows a cue says those words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.ladder import Ladder
from backcoach.engine.low_back import felt_in_low_back
from backcoach.engine.plan import Plan, PlannedExercise
from backcoach.engine.reasons import STEADY_BACK_CUE
from backcoach.formats.plan import plan_document
from backcoach.wording.cue_words import CUE_WORDS, say_cue
from tests.builders import plan_for

START = date(2026, 11, 2)
STEADY_BACK = "Slow down and keep your ribs down and your back still."


def _without_a_fix(catalogue: Catalogue) -> tuple[Plan, PlannedExercise]:
    plan = plan_for(catalogue, START)
    item = plan.exercises[0]
    bare = replace(item.exercise, faults=tuple(f for f in item.exercise.faults if not f.low_back))
    assert bare.low_back_fix is None
    return plan, item.with_changes(exercise=bare)


def test_an_exercise_without_a_low_back_fix_gets_the_steady_back_cue_code(
    catalogue: Catalogue,
) -> None:
    _, item = _without_a_fix(catalogue)
    ladder = Ladder(catalogue, frozenset(), frozenset(), set())
    decided = felt_in_low_back(item, False, ladder, (), START)

    assert decided.code == "hold.low_back_cue"
    assert decided.cue == STEADY_BACK_CUE == "cue.steady_back"


def test_the_cue_code_is_said_in_the_words_people_read() -> None:
    assert say_cue(STEADY_BACK_CUE) == STEADY_BACK
    assert set(CUE_WORDS) == {STEADY_BACK_CUE}


def test_a_catalogue_cue_is_said_as_written(catalogue: Catalogue) -> None:
    fix = next(e.low_back_fix for e in catalogue.exercises if e.low_back_fix is not None)
    assert fix is not None
    assert say_cue(fix.fix) == fix.fix


def test_the_plan_document_gives_the_cue_in_words(catalogue: Catalogue) -> None:
    plan, _ = _without_a_fix(catalogue)
    first = plan.exercises[0].with_changes(cue=STEADY_BACK_CUE)
    coded = replace(plan, exercises=(first, *plan.exercises[1:]))
    assert plan_document(coded)["exercises"][0]["cue"] == STEADY_BACK
