"""A coach's overrides of a client's program and a clinician's clearance, as JSON
(services/overrides.py, services/client_program.py, services/clearance.py): what is kept, what
the engine would accept, and the requests, one kind of override each (``kind`` tells which)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backcoach.api.coach_models import TYPED, exercise_name
from backcoach.engine.catalogue import Exercise
from backcoach.engine.plan import MAX_SETS, MIN_SETS
from backcoach.services.clearance import MAX_CLINICIAN
from backcoach.services.clearance import MAX_NOTE as MAX_CLEARANCE_NOTE
from backcoach.services.client_program import ClientProgram
from backcoach.services.override_input import MAX_NOTE as MAX_OVERRIDE_NOTE
from backcoach.services.overrides import OverrideView
from backcoach.wording.override_words import say_override


class OverrideOut(BaseModel):
    """A coach's change to the program: what, by whom, when, and whether it is still in force."""

    id: int
    kind: str
    #: Its parameters, by the names the request uses (exercise, to_exercise, sets ...).
    values: dict[str, Any]
    words: str
    note: str
    coach_name: str | None
    at: dt.datetime
    undone_at: dt.datetime | None
    undone_by: str | None
    active: bool

    @classmethod
    def of(cls, view: OverrideView) -> OverrideOut:
        return cls(
            id=view.id,
            kind=view.kind,
            values=dict(view.values),
            words=say_override(view.kind, view.values, exercise_name),
            note=view.note,
            coach_name=view.coach_name,
            at=view.at,
            undone_at=view.undone_at,
            undone_by=view.undone_by_name,
            active=view.active,
        )


class ExerciseChoice(BaseModel):
    exercise_id: str
    name: str
    category: str
    level: int
    position: str
    equipment: list[str]
    #: For a swap: the exercises of the program it may replace.
    replaces: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, exercise: Exercise, replaces: tuple[str, ...] = ()) -> ExerciseChoice:
        return cls(
            exercise_id=exercise.id,
            name=exercise.name,
            category=exercise.category.value,
            level=exercise.level,
            position=exercise.position,
            equipment=sorted(kit.value for kit in exercise.equipment),
            replaces=list(replaces),
        )


class ProgramOverrides(BaseModel):
    """A client's overrides (newest first, active and undone) and what the engine would accept:
    the exercises to swap in (filtered as asked) and to add. ``gate`` is ``open`` unless a
    referral or the safety questions keep the program closed (then nothing may change)."""

    gate: str
    overrides: list[OverrideOut]
    swap_choices: list[ExerciseChoice]
    addable: list[ExerciseChoice]
    #: A clinician's clearance recorded (None: none).
    cleared_at: dt.datetime | None
    cleared_note: str

    @classmethod
    def of(cls, found: ClientProgram) -> ProgramOverrides:
        return cls(
            gate=found.gate.value,
            overrides=[OverrideOut.of(view) for view in found.history],
            swap_choices=[ExerciseChoice.of(c.exercise, c.replaces) for c in found.swaps],
            addable=[ExerciseChoice.of(exercise) for exercise in found.addable],
            cleared_at=found.clearance.cleared_at,
            cleared_note=found.clearance.note,
        )


#: A catalogue exercise's id (``glute_bridge``); an unknown one is the service's to name.
ExerciseId = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9_]+$")]
Sets = Annotated[int, Field(ge=MIN_SETS, le=MAX_SETS)]
Amount = Annotated[int, Field(ge=1, le=3600)]
Note = Annotated[str, Field(max_length=MAX_OVERRIDE_NOTE, pattern=TYPED)]


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Shown to the client beside the reason ("set by your coach").
    note: Note = ""


class SwapIn(_Change):
    """Put ``to_exercise`` in place of ``exercise`` (same category)."""

    kind: Literal["swap"]
    exercise: ExerciseId
    to_exercise: ExerciseId


class DoseIn(_Change):
    """Set an exercise's dose; ``locked`` keeps the engine from moving it."""

    kind: Literal["dose"]
    exercise: ExerciseId
    sets: Sets
    dose_min: Amount
    dose_max: Amount
    load_kg: float | None = Field(default=None, ge=0, le=500)
    locked: bool = False


class HoldIn(_Change):
    """Hold progression of one exercise, or of the whole program (no ``exercise``)."""

    kind: Literal["hold"]
    exercise: ExerciseId | None = None


class AddIn(_Change):
    """Add an exercise beyond the three required categories."""

    kind: Literal["add"]
    exercise: ExerciseId
    sets: Sets


class ScheduleIn(_Change):
    """Days a week, and optionally which weekdays (0 Monday ... 6 Sunday), one per day."""

    kind: Literal["schedule"]
    days_per_week: int = Field(ge=1, le=7)
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(default_factory=list, max_length=7)


OverrideIn = Annotated[SwapIn | DoseIn | HoldIn | AddIn | ScheduleIn, Field(discriminator="kind")]


class ClearanceIn(BaseModel):
    """A clinician cleared the client's red flag: who, on which day (the client's), a note."""

    model_config = ConfigDict(extra="forbid")

    clinician: str = Field(max_length=MAX_CLINICIAN, pattern=TYPED)
    cleared_on: dt.date
    note: str = Field(default="", max_length=MAX_CLEARANCE_NOTE, pattern=TYPED)


class ClearanceOut(BaseModel):
    cleared_at: dt.datetime | None
    note: str
