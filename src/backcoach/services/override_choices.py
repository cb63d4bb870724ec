"""What a coach may put into a client's program: the catalogue's exercises the engine accepts
as a swap (filtered by category, kit, level and position) or as an addition. Both ask the
engine's own `problems`, so the forms offer nothing the service would refuse."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Exercise
from backcoach.engine.overrides import Add, Overrides, Swap, problems
from backcoach.engine.plan import Plan, PlannedExercise
from backcoach.engine.vocabulary import Category


@dataclass(frozen=True, slots=True)
class SwapChoice:
    """An exercise the engine accepts in place of one in the program."""

    exercise: Exercise
    #: The exercises of the program it may replace (same category).
    replaces: tuple[str, ...]


def swap_choices(
    plan: Plan,
    *,
    category: Category | None = None,
    kit: str | None = None,
    level: int | None = None,
    position: str | None = None,
) -> tuple[SwapChoice, ...]:
    """The catalogue's exercises a coach may swap into ``plan`` (filtered by category, kit,
    level and position): only those the engine's `problems` accepts."""
    catalogue = default_catalogue()
    found = []
    for exercise in catalogue.exercises:
        if not _matches(exercise, category, kit, level, position):
            continue
        replaces = tuple(
            item.exercise.id
            for item in plan.exercises
            if item.exercise.category is exercise.category
            and not problems(Overrides(swaps=(_trial(item, exercise),)), plan, catalogue)
        )
        if replaces:
            found.append(SwapChoice(exercise, replaces))
    return tuple(found)


def addable(plan: Plan) -> tuple[Exercise, ...]:
    """The catalogue's exercises a coach may add to ``plan`` (the engine accepts them)."""
    catalogue = default_catalogue()
    planned = {item.exercise.id for item in plan.exercises}
    return tuple(
        exercise
        for exercise in catalogue.exercises
        if exercise.id not in planned
        and exercise.category is not Category.MOBILITY
        and not problems(Overrides(added=(Add(exercise.id, 0, dt.date.min),)), plan, catalogue)
    )


def _trial(item: PlannedExercise, exercise: Exercise) -> Swap:
    return Swap(item.exercise.id, exercise.id, 0, dt.date.min)


def _matches(
    exercise: Exercise,
    category: Category | None,
    kit: str | None,
    level: int | None,
    position: str | None,
) -> bool:
    if category is not None and exercise.category is not category:
        return False
    if kit == "none" and exercise.equipment:
        return False
    if kit not in (None, "", "none") and kit not in {item.value for item in exercise.equipment}:
        return False
    if level is not None and exercise.level != level:
        return False
    return position in (None, "") or exercise.position == position
