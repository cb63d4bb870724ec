"""One logged set: what a door hands the training service, its rules, and what is kept.

The rules are checked here and nowhere else: a form or a JSON body only turns text into
numbers; what those numbers may be (M8's doses, the log's bounds) is decided once, below.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from backcoach.engine.plan import Plan
from backcoach.engine.vocabulary import Felt
from backcoach.services.errors import Invalid
from backcoach.store.tables import SetRecord

MAX_SET_NUMBER = 6
#: Upper bounds of a set's amount by how the exercise is dosed, as the training log document
#: allows them (formats/log.py).
AMOUNT_LIMITS = {"reps": 200, "seconds": 3600, "steps": 500}
MAX_LOAD_KG = 500
MAX_RIR = 10
_FELT = frozenset(choice.value for choice in Felt)


@dataclass(frozen=True, slots=True)
class SetInput:
    """A set as given: which exercise, which of its sets, how much, and where it was felt."""

    exercise_id: str
    number: int
    amount: int
    #: A `Felt` value; any other text is refused by `checked`.
    felt: str
    load_kg: float | None = None
    rir: int | None = None
    #: The reps the phone's camera counted, when it counted this set (the player's camera
    #: coach); ``amount`` is what the person confirmed, so the two differ when they corrected it.
    camera_reps: int | None = None


@dataclass(frozen=True, slots=True)
class SetView:
    """A saved set."""

    exercise_id: str
    number: int
    amount: int
    felt: Felt
    load_kg: float | None
    rir: int | None
    at: dt.datetime
    camera_reps: int | None = None


def checked(entry: SetInput, plan: Plan) -> SetInput:
    """The set with its load rounded to 10 g, or `Invalid` carrying every problem found, each
    naming its field (the amount's field is the exercise's dose: reps, seconds or steps)."""
    planned = {item.exercise.id: item for item in plan.exercises}
    problems: list[Invalid] = []
    item = planned.get(entry.exercise_id)
    if item is None:
        problems.append(Invalid("set.exercise_not_in_program", field="exercise_id"))
    else:
        kind = item.exercise.dose.value
        if not 0 <= entry.amount <= AMOUNT_LIMITS[kind]:
            problems.append(
                Invalid("set.amount_out_of_range", field=kind, min=0, max=AMOUNT_LIMITS[kind])
            )
    if not 1 <= entry.number <= MAX_SET_NUMBER:
        problems.append(
            Invalid("set.number_out_of_range", field="number", min=1, max=MAX_SET_NUMBER)
        )
    load = entry.load_kg
    # Also refuses nan and the infinities, which compare false either way.
    if load is not None and not (math.isfinite(load) and 0 <= load <= MAX_LOAD_KG):
        problems.append(Invalid("set.load_out_of_range", field="load_kg", max=MAX_LOAD_KG))
    if entry.rir is not None and not 0 <= entry.rir <= MAX_RIR:
        problems.append(Invalid("set.rir_out_of_range", field="rir", min=0, max=MAX_RIR))
    if entry.camera_reps is not None:
        # The camera counts reps only: a hold's seconds or a walk's steps are never its count.
        if item is not None and item.exercise.dose.value != "reps":
            problems.append(Invalid("set.camera_reps_not_reps", field="camera_reps"))
        elif not 0 <= entry.camera_reps <= AMOUNT_LIMITS["reps"]:
            problems.append(
                Invalid(
                    "set.amount_out_of_range", field="camera_reps", min=0, max=AMOUNT_LIMITS["reps"]
                )
            )
    if entry.felt not in _FELT:
        problems.append(Invalid("set.felt_unknown", field="felt"))
    if problems:
        raise Invalid.all_of(problems)
    rounded = round(load, 2) if load is not None else None
    return SetInput(
        entry.exercise_id,
        entry.number,
        entry.amount,
        entry.felt,
        rounded,
        entry.rir,
        entry.camera_reps,
    )


def set_view(record: SetRecord) -> SetView:
    return SetView(
        record.exercise_id,
        record.number,
        record.amount,
        Felt(record.felt),
        record.load_kg,
        record.rir,
        record.at,
        record.camera_reps,
    )
