"""The stored plan (version 2): how a program is kept in the database, losslessly.

Each exercise keeps its dose, its decision, the reason as a code with parameters, who decided it
(the engine, or later a coach) and since when it is in the program; the plan keeps the profile it
was decided under, the caution codes it carries and the day notes as codes. No words are stored
but the catalogue's (a cue) and, for plans from before version 2, the words they were written
with (``note.as_written``): the words people read come from `backcoach.wording` when shown.
The CLI's plan document (`formats.plan`) stays what `backcoach plan` and `next` print.

``read_stored_plan(write_stored_plan(plan, ...), catalogue)`` gives the same plan back
(tests/unit/test_stored_plan.py); `from_document` turns an older stored document (the CLI's
shape, as an export of an older version carries it) into this form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.plan import Plan, PlannedExercise
from backcoach.engine.prescription import CAUTION_NOTE, CAUTIONS, cautions, general_notes
from backcoach.engine.profile import Profile
from backcoach.engine.reasons import AS_WRITTEN, Reason, params_to_json, reason_from_json
from backcoach.engine.schedule import frequency_for
from backcoach.engine.vocabulary import Decision, DoseType, Equipment, Level, Pregnancy
from backcoach.formats.documents import InputError, IsoDate, explain
from backcoach.wording.note_words import say_plan_note

#: The version of the stored form this module writes.
STORED_PLAN_VERSION = 2


@dataclass(frozen=True, slots=True)
class DecidedBy:
    """Who settled an exercise's decision: the engine, or a coach (by account id)."""

    kind: Literal["engine", "coach"] = "engine"
    id: int | None = None

    def __post_init__(self) -> None:
        if (self.kind == "coach") != (self.id is not None):
            raise ValueError("a coach's decision names the coach's id; the engine's none")


ENGINE = DecidedBy()


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A stored plan read back: the engine's plan and who decided each exercise (by id)."""

    plan: Plan
    decided_by: Mapping[str, DecidedBy] = field(default_factory=dict)

    def decider(self, exercise_id: str) -> DecidedBy:
        return self.decided_by.get(exercise_id, ENGINE)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoredReason(_Model):
    """A reason as ``{code, params}``; parts of a phrase (a flare) as nested reasons."""

    code: Annotated[str, Field(min_length=1, max_length=80)]
    params: dict[str, Any] = Field(default_factory=dict)


class StoredDecider(_Model):
    kind: Literal["engine", "coach"]
    id: int | None = None

    @model_validator(mode="after")
    def _coach_has_id(self) -> Self:
        if (self.kind == "coach") != (self.id is not None):
            raise ValueError("a coach's decision names the coach's id; the engine's none")
        return self


class StoredExercise(_Model):
    id: Annotated[str, Field(min_length=1, max_length=80)]
    sets: int = Field(ge=1, le=6)
    dose_min: int = Field(ge=1, le=3600)
    dose_max: int = Field(ge=1, le=3600)
    load_kg: float | None = Field(default=None, ge=0, le=500)
    since: IsoDate | None = None
    decision: Decision
    reason: StoredReason
    #: The catalogue's words (one of the exercise's cues), or "".
    cue: str = ""
    decided_by: StoredDecider


class StoredProfile(_Model):
    """The answers the plan was decided under (engine `Profile`)."""

    age: int
    pain: int
    level: Level
    days_per_week: int
    equipment: list[Equipment] = Field(default_factory=list)
    avoid: list[str] = Field(default_factory=list)
    #: 0 = Monday.
    weekdays: list[int] = Field(default_factory=list)
    pregnancy: Pregnancy | None = None
    red_flags: dict[str, bool] = Field(default_factory=dict)


class StoredPlanModel(_Model):
    """The stored plan, version 2 (docs/formats.md, "The stored plan")."""

    model_config = ConfigDict(extra="forbid", title="backcoach stored plan")

    version: Literal[2]
    start: IsoDate
    profile: StoredProfile
    exercises: list[StoredExercise]
    mobility: list[StoredExercise] = Field(default_factory=list)
    schedule: list[IsoDate] = Field(default_factory=list)
    #: The caution ids the plan carries (engine CAUTIONS); None for a plan from before
    #: version 2, whose notes are kept as written instead.
    cautions: list[str] | None = None
    notes_as_written: list[str] | None = None
    decided_on: IsoDate | None = None
    day_notes: list[StoredReason] = Field(default_factory=list)


def write_stored_plan(
    plan: Plan, decided_by: Mapping[str, DecidedBy] | None = None
) -> dict[str, Any]:
    """The stored form of ``plan`` (JSON values); every exercise is the engine's decision
    unless ``decided_by`` names someone else for its id."""
    who = decided_by or {}
    profile = plan.profile
    codes = cautions(profile)
    data: dict[str, Any] = {
        "version": STORED_PLAN_VERSION,
        "start": plan.start.isoformat(),
        "profile": {
            "age": profile.age,
            "pain": profile.pain,
            "level": profile.level.value,
            "days_per_week": profile.days_per_week,
            "equipment": sorted(item.value for item in profile.equipment),
            "avoid": sorted(profile.avoid),
            "weekdays": list(profile.weekdays),
            "pregnancy": profile.pregnancy.value if profile.pregnancy else None,
            "red_flags": dict(profile.red_flags),
        },
        "exercises": [_write_exercise(item, who) for item in plan.exercises],
        "mobility": [_write_exercise(item, who) for item in plan.mobility],
        "schedule": [day.isoformat() for day in plan.schedule],
        "cautions": list(codes),
        "decided_on": plan.decided_on.isoformat() if plan.decided_on else None,
        "day_notes": [note.to_dict() for note in plan.day_notes],
    }
    if plan.notes != general_notes(codes):
        # Notes the codes do not give (a plan read from an older document): keep them.
        data["notes_as_written"] = [_written(note) for note in plan.notes]
    return data


def read_stored_plan(data: Any, catalogue: Catalogue, *, root: str = "plan") -> StoredPlan:
    """The plan a stored form holds; an older document (no ``version``) is read through
    `from_document` first. InputError names the first problem."""
    if isinstance(data, Mapping) and "version" not in data:
        data = from_document(data)
    try:
        stored = StoredPlanModel.model_validate(data)
    except ValidationError as error:
        raise explain(error, root) from None
    profile = _profile(stored.profile, f"{root}.profile")
    frequency = frequency_for(profile.days_per_week)
    decided_by: dict[str, DecidedBy] = {}
    planned = {
        key: tuple(
            _read_exercise(item, catalogue, f"{root}.{key}[{index}]", decided_by)
            for index, item in enumerate(items)
        )
        for key, items in (("exercises", stored.exercises), ("mobility", stored.mobility))
    }
    if stored.notes_as_written is not None:
        notes = tuple(Reason(AS_WRITTEN, (("text", text),)) for text in stored.notes_as_written)
    else:
        unknown = [code for code in stored.cautions or () if code not in CAUTIONS]
        if unknown:
            raise InputError(f"{root}.cautions: unknown caution code {unknown[0]!r}")
        notes = general_notes(tuple(stored.cautions or ()))
    plan = Plan(
        profile=profile,
        start=stored.start,
        exercises=planned["exercises"],
        mobility=planned["mobility"],
        sessions_per_week=frequency.sessions_per_week,
        frequency_note=frequency.note,
        schedule=tuple(stored.schedule),
        notes=notes,
        decided_on=stored.decided_on,
        day_notes=tuple(
            _reason(note, f"{root}.day_notes[{index}]")
            for index, note in enumerate(stored.day_notes)
        ),
    )
    return StoredPlan(plan, decided_by)


def from_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """An older stored plan (the CLI's plan document) in the stored form, version 2.

    A reason with its code and parameters keeps them; one without keeps its words as written
    (``note.as_written`` {text}); the notes keep their caution codes when the document gives
    the note codes a program gives, else they are kept as written. Every decision is the
    engine's. Migration 0006 does the same to the rows of the database (with its own copy; rows
    from before note codes keep their notes as written).
    """
    day_codes, day_params = document.get("day_codes") or [], document.get("day_params") or []
    day_texts = document.get("day_notes") or []
    if day_codes and len(day_codes) == len(day_params):
        day_notes = [{"code": c, "params": p} for c, p in zip(day_codes, day_params, strict=True)]
    else:
        day_notes = [_as_written(text) for text in day_texts]
    caution_ids = _document_cautions(document)
    return {
        "version": STORED_PLAN_VERSION,
        "start": document.get("start"),
        "profile": _document_profile(document.get("profile")),
        "exercises": [_document_exercise(item) for item in document.get("exercises") or []],
        "mobility": [_document_exercise(item) for item in document.get("mobility") or []],
        "schedule": list(document.get("schedule") or []),
        "cautions": caution_ids,
        "notes_as_written": None if caution_ids is not None else list(document.get("notes") or []),
        "decided_on": document.get("decided_on"),
        "day_notes": day_notes,
    }


def as_stored(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored plan of any version in this one: an older document is converted."""
    return dict(data) if "version" in data else from_document(data)


def _document_cautions(document: Mapping[str, Any]) -> list[str] | None:
    """The caution ids of a document whose note codes are those a program gives (its cautions,
    then why strength), or None: its notes are then kept as written."""
    codes, params = document.get("note_codes"), document.get("note_params")
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
        return None
    if not isinstance(params, list) or params != [{}] * len(codes):
        return None
    ids = tuple(code.removeprefix(CAUTION_NOTE) for code in codes if code.startswith(CAUTION_NOTE))
    if not set(ids) <= set(CAUTIONS):
        return None
    if tuple(Reason(code) for code in codes) != general_notes(ids):
        return None
    return list(ids)


def _written(note: Reason) -> str:
    """A note kept as written: an older plan's words, or (for notes a document's codes gave
    that its profile does not) the words of its code."""
    if note.code == AS_WRITTEN:
        return str(note.values.get("text", ""))
    return say_plan_note(note)


def _write_exercise(item: PlannedExercise, who: Mapping[str, DecidedBy]) -> dict[str, Any]:
    decider = who.get(item.exercise.id, ENGINE)
    return {
        "id": item.exercise.id,
        "sets": item.sets,
        "dose_min": item.dose_min,
        "dose_max": item.dose_max,
        "load_kg": item.load_kg,
        "since": item.since.isoformat() if item.since else None,
        "decision": item.decision.value,
        "reason": {"code": item.reason.code, "params": params_to_json(item.reason.params)},
        "cue": item.cue,
        "decided_by": {"kind": decider.kind, "id": decider.id},
    }


def _read_exercise(
    item: StoredExercise, catalogue: Catalogue, where: str, decided_by: dict[str, DecidedBy]
) -> PlannedExercise:
    if item.id not in catalogue:
        raise InputError(f"{where}.id: unknown exercise id {item.id!r}")
    decided_by[item.id] = DecidedBy(item.decided_by.kind, item.decided_by.id)
    try:
        return PlannedExercise(
            exercise=catalogue.get(item.id),
            sets=item.sets,
            dose_min=item.dose_min,
            dose_max=item.dose_max,
            reason=_reason(item.reason, f"{where}.reason"),
            load_kg=item.load_kg,
            decision=item.decision,
            cue=item.cue,
            since=item.since,
        )
    except ValueError as error:
        raise InputError(f"{where}: {error}") from None


def _reason(stored: StoredReason, where: str) -> Reason:
    try:
        return reason_from_json(stored.code, stored.params)
    except ValueError as error:
        raise InputError(f"{where}.params.{error}") from None


def _profile(stored: StoredProfile, where: str) -> Profile:
    try:
        return Profile(
            age=stored.age,
            pain=stored.pain,
            level=stored.level,
            days_per_week=stored.days_per_week,
            equipment=frozenset(stored.equipment),
            avoid=frozenset(stored.avoid),
            red_flags=dict(stored.red_flags),
            weekdays=tuple(stored.weekdays),
            pregnancy=stored.pregnancy,
        )
    except ValueError as error:
        raise InputError(f"{where}.{error}") from None


def _as_written(text: Any) -> dict[str, Any]:
    return {"code": AS_WRITTEN, "params": {"text": str(text)}}


def _document_profile(profile: Any) -> Any:
    if not isinstance(profile, Mapping):
        return profile  # validation names it
    return {
        key: profile[key]
        for key in StoredProfile.model_fields
        if key in profile and profile[key] is not None
    }


def _document_exercise(item: Any) -> Any:
    if not isinstance(item, Mapping):
        return item  # validation names it
    kind = item.get("dose") if item.get("dose") in {k.value for k in DoseType} else None
    low = high = None
    for name in [kind] if kind else [k.value for k in DoseType]:
        low, high = item.get(f"{name}_min"), item.get(f"{name}_max")
        if low is None and high is None and name != DoseType.REPS.value:
            low = high = item.get(name)
        if low is not None:
            break
    code, params = item.get("code"), item.get("params")
    if isinstance(code, str) and code and isinstance(params, Mapping):
        reason = {"code": code, "params": dict(params)}
    else:
        reason = _as_written(item.get("reason", ""))
    return {
        "id": item.get("id"),
        "sets": item.get("sets"),
        "dose_min": low,
        "dose_max": high,
        "load_kg": item.get("load_kg"),
        "since": item.get("since"),
        "decision": item.get("decision", Decision.START.value),
        "reason": reason,
        "cue": item.get("cue") or "",
        "decided_by": {"kind": "engine", "id": None},
    }
