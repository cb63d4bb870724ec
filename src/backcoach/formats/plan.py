"""The plan document (the output of `backcoach plan` and `next`, and what the web stores):
written from the engine's Plan with its words, and read back into one.

Each exercise keeps its reason's words ("reason"), code and parameters ("code", "params"); the
day's notes their words ("day_notes"), codes and parameters ("day_codes", "day_params"); the
program's general notes theirs ("notes", "note_codes", "note_params") and how often its own
("frequency", "frequency_code", "frequency_params"). Reading prefers the codes, so the words follow
the wording layer; a document written before parameters keeps its words as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan, PlannedExercise, Referral
from backcoach.engine.reasons import AS_WRITTEN, Reason, reason_from_json
from backcoach.engine.schedule import frequency_for
from backcoach.engine.vocabulary import Category, Decision, DoseType
from backcoach.formats.documents import InputError, IsoDate, explain
from backcoach.formats.profile import ProfileIn
from backcoach.wording.cue_words import say_cue
from backcoach.wording.messages import DAY_NOTES, MESSAGES
from backcoach.wording.note_words import NOTE_WORDS, say_plan_note
from backcoach.wording.reasons import say, say_note
from backcoach.wording.screening_words import screening_document

StrictInt = Annotated[int, Field(strict=True)]
Amount = Annotated[int, Field(strict=True, ge=1, le=3600)]


class PlannedExerciseIn(BaseModel):
    """One exercise of a plan; the fields a plan prints are all accepted, few are required."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=80)]
    sets: StrictInt = Field(ge=1, le=MAX_SETS)
    reps_min: Amount | None = None
    reps_max: Amount | None = None
    seconds: Amount | None = None
    seconds_min: Amount | None = None
    seconds_max: Amount | None = None
    steps: Amount | None = None
    steps_min: Amount | None = None
    steps_max: Amount | None = None
    load_kg: Annotated[float, Field(strict=True, ge=0, le=500)] | None = None
    # Printed by `plan` and `next` for people to read; accepted and not used.
    name: str | None = None
    category: Category | None = None
    dose: DoseType | None = None
    per_side: bool | None = None
    tempo: str | None = None
    feel_it_in: list[str] | None = None
    equipment: list[str] | None = None
    reason: str | None = None
    decision: Decision | None = None
    cue: str | None = None
    code: str | None = None
    params: dict[str, Any] | None = Field(
        default=None,
        description="The parameters of the reason's code (docs/progression.md, Codes); without "
        "them the reason's words are kept as written.",
    )
    since: IsoDate | None = Field(
        default=None,
        description="The day the exercise entered the program; it moves at most one rung "
        "up the ladder in two weeks.",
    )

    def dose_range(self, kind: DoseType) -> tuple[int, int] | None:
        name = kind.value
        low = getattr(self, f"{name}_min")
        high = getattr(self, f"{name}_max")
        if kind is not DoseType.REPS and low is None and high is None and getattr(self, name):
            low = high = getattr(self, name)
        if low is None or high is None:
            return None
        return low, high


class PlanIn(BaseModel):
    """A plan document with status "ok"."""

    model_config = ConfigDict(extra="forbid", title="backcoach plan")

    status: Literal["ok"]
    start: IsoDate
    profile: ProfileIn
    exercises: list[PlannedExerciseIn] = Field(min_length=1, max_length=20)
    mobility: list[PlannedExerciseIn] = Field(default_factory=list, max_length=20)
    schedule: list[IsoDate] = Field(default_factory=list, max_length=400)
    sessions_per_week: float | None = None
    mobility_minutes: float | None = None
    frequency: str | None = None
    frequency_code: str | None = None
    frequency_params: dict[str, Any] | None = None
    notes: list[str] = Field(default_factory=list)
    note_codes: list[str] = Field(default_factory=list)
    note_params: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The parameters of each note code, in the same order as note_codes.",
    )
    unanswered_red_flags: list[str] = Field(default_factory=list)
    decided_on: IsoDate | None = None
    day_notes: list[str] = Field(default_factory=list)
    day_codes: list[str] = Field(default_factory=list)
    day_params: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The parameters of each day code, in the same order as day_codes.",
    )
    high_pain_day: bool | None = None


def plan_document(result: Plan | Referral, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """The document of a plan (or a referral), each reason and day note with its words."""
    if isinstance(result, Referral):  # the screening's words beside its codes, as `screen` gives
        return {**screening_document(result.screening), "exercises": []}
    coded = result.to_dict()
    exercises = _lookup(catalogue)
    for key, items in (("exercises", result.exercises), ("mobility", result.mobility)):
        for written, item in zip(coded[key], items, strict=True):
            written["reason"] = say(item.reason, exercises=exercises)
            if item.cue:
                written["cue"] = say_cue(item.cue)
    # The words of the frequency and the notes go just before their codes, where they were.
    words = {
        "frequency_code": ("frequency", say_plan_note(result.frequency_note)),
        "note_codes": ("notes", [say_plan_note(note) for note in result.notes]),
    }
    data: dict[str, Any] = {}
    for key, value in coded.items():
        if key in words:
            data[words[key][0]] = words[key][1]
        data[key] = value
    if result.decided_on:
        data["day_notes"] = [say_note(note, exercises=exercises) for note in result.day_notes]
    return data


def read_plan(data: Any, catalogue: Catalogue, *, root: str = "plan") -> Plan:
    if isinstance(data, dict) and data.get("status") == "refer":
        raise InputError(f"{root}.status: this plan is a referral, so there is nothing to adapt")
    if isinstance(data, dict) and data.get("status") == "incomplete":
        raise InputError(
            f"{root}.status: the safety questions were not all answered, so there is no program"
        )
    if not isinstance(data, dict):
        raise InputError(f"{root}: expected a plan object (the output of `backcoach plan`)")
    try:
        document = PlanIn.model_validate(data)
    except ValidationError as error:
        raise explain(error, root) from None
    profile = document.profile.to_profile()
    frequency = frequency_for(profile.days_per_week)
    return Plan(
        profile=profile,
        start=document.start,
        exercises=_planned(document.exercises, catalogue, f"{root}.exercises", strength=True),
        mobility=_planned(document.mobility, catalogue, f"{root}.mobility", strength=False),
        sessions_per_week=frequency.sessions_per_week,
        frequency_note=frequency.note,
        schedule=tuple(document.schedule),
        notes=_notes(document, root),
        decided_on=document.decided_on,
        day_notes=_day_notes(document, root),
    )


def _lookup(catalogue: Catalogue | None) -> Callable[[str], Exercise | None] | None:
    if catalogue is None:
        return None
    return lambda exercise_id: catalogue.get(exercise_id) if exercise_id in catalogue else None


def _reason(
    code: str | None, params: dict[str, Any] | None, text: str, known: Mapping[str, str], where: str
) -> Reason:
    """A stored reason: its code and parameters when it has both and they are known, else its
    words as written (a document from before reason codes, or from a later version)."""
    if code and code in known and params is not None:
        try:
            return reason_from_json(code, params)
        except ValueError as error:
            raise InputError(f"{where}.params.{error}") from None
    return Reason(AS_WRITTEN, (("text", text),))


def _day_notes(document: PlanIn, root: str) -> tuple[Reason, ...]:
    """The day notes by code and parameters; a document without them keeps the words."""
    texts, codes, params = document.day_notes, document.day_codes, document.day_params
    if not codes or len(codes) != len(params) or len(texts) not in (0, len(codes)):
        return tuple(Reason(AS_WRITTEN, (("text", text),)) for text in texts)
    return tuple(
        _reason(
            code, given, texts[index] if texts else "", DAY_NOTES, f"{root}.day_params[{index}]"
        )
        for index, (code, given) in enumerate(zip(codes, params, strict=True))
    )


def _notes(document: PlanIn, root: str) -> tuple[Reason, ...]:
    """The general notes by code and parameters; a document without them keeps the words."""
    texts, codes, params = document.notes, document.note_codes, document.note_params
    if not codes or len(codes) != len(params) or len(texts) not in (0, len(codes)):
        return tuple(Reason(AS_WRITTEN, (("text", text),)) for text in texts)
    return tuple(
        _reason(
            code, given, texts[index] if texts else "", NOTE_WORDS, f"{root}.note_params[{index}]"
        )
        for index, (code, given) in enumerate(zip(codes, params, strict=True))
    )


def _planned(
    items: list[PlannedExerciseIn], catalogue: Catalogue, where: str, *, strength: bool
) -> tuple[PlannedExercise, ...]:
    planned = []
    for index, item in enumerate(items):
        path = f"{where}[{index}]"
        if item.id not in catalogue:
            raise InputError(f"{path}.id: unknown exercise id {item.id!r}")
        exercise = catalogue.get(item.id)
        if not exercise.prescribable:
            raise InputError(f"{path}.id: {item.id} is never prescribed ({exercise.why_not})")
        if strength and exercise.category is Category.MOBILITY:
            raise InputError(f"{path}.id: {item.id} is a mobility drill; list it under mobility")
        if strength and not MIN_SETS <= item.sets <= MAX_SETS:
            raise InputError(f"{path}.sets: must be {MIN_SETS}-{MAX_SETS} (M8)")
        dose = item.dose_range(exercise.dose)
        if dose is None:
            kind = exercise.dose.value
            raise InputError(
                f"{path}: {item.id} is dosed in {kind}: give {kind}_min and {kind}_max"
            )
        low, high = dose
        if low > high:
            raise InputError(f"{path}: {exercise.dose.value}_min is above the maximum")
        planned.append(
            PlannedExercise(
                exercise=exercise,
                sets=item.sets,
                dose_min=low,
                dose_max=high,
                reason=_reason(
                    item.code, item.params, item.reason or exercise.summary, MESSAGES, path
                ),
                load_kg=item.load_kg,
                since=item.since,
            )
        )
    return tuple(planned)
