"""The API's answers about the program, its history, the schedule and the exercise catalogue,
and how each is made from the services' results (codes with their words, never rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Exercise
from backcoach.engine.plan import Plan, PlannedExercise
from backcoach.engine.reasons import Reason, params_to_json
from backcoach.engine.vocabulary import (
    Category,
    Decision,
    DoseType,
    Equipment,
    Laterality,
    Level,
)
from backcoach.formats.stored_plan import DecidedBy
from backcoach.services.calendar import PlannedDay
from backcoach.services.exercise_catalogue import pictures_of
from backcoach.services.overrides import OverrideView
from backcoach.services.program_history import CoachSay, DecidedProgram, StoredProgram
from backcoach.services.programs import NextStep
from backcoach.wording import dose_range_words, dose_words, equipment_words, tempo_words
from backcoach.wording.note_words import say_plan_note
from backcoach.wording.override_words import say_override
from backcoach.wording.program_words import say_decision
from backcoach.wording.reasons import say, say_note

Names = Mapping[int, str]


class ReasonOut(BaseModel):
    """Why: the engine's stable code and its parameters (docs/progression.md, "Codes"), and
    the words a person reads for it."""

    code: str = Field(max_length=80, examples=["progress.add_set"])
    #: Plain JSON values; a phrase made of parts (what flared) is a list of {code, params}.
    params: dict[str, Any]
    words: str


class DecidedByOut(BaseModel):
    """Who settled a decision: the engine, or a coach (their account id and name)."""

    kind: Literal["engine", "coach"]
    coach_id: int | None = None
    coach_name: str | None = None


class DoseOut(BaseModel):
    """The dose for the next session: sets of a range of reps, seconds or steps."""

    sets: int = Field(ge=1, le=6)
    unit: DoseType
    min: int = Field(ge=1, le=3600)
    max: int = Field(ge=1, le=3600)
    #: Each side, one after the other (a one-sided exercise).
    per_side: bool
    #: The catalogue's tempo: lower-pause-lift-pause in seconds ("3-1-1-0"), "hold" or "steady".
    tempo: str
    tempo_words: str
    load_kg: float | None = Field(default=None, ge=0, le=500)
    words: str


class ExerciseDecisionOut(BaseModel):
    """The latest decision for one exercise (progress, hold, ease off, regress, swap ...)."""

    decision: Decision
    #: The decision's name as Today says it ("Eases off" for a hold that takes sets away).
    decision_words: str
    reason: ReasonOut
    #: A cue for the next session, in words ("" when none).
    cue: str
    decided_by: DecidedByOut


class OverrideInForceOut(BaseModel):
    """A coach's change in force: what, by whom, when and why (their note)."""

    id: int
    #: swap, dose, hold, add or schedule (the days).
    kind: str = Field(max_length=20)
    #: Its parameters: exercise, to_exercise, sets, dose_min, dose_max, load_kg, locked,
    #: days_per_week, weekdays (those its kind has).
    values: dict[str, Any]
    words: str
    note: str
    coach_id: int | None
    coach_name: str | None
    at: dt.datetime


class SetByCoachOut(BaseModel):
    """What a coach set: the overrides in force and the notes the person reads beside them."""

    overrides: list[OverrideInForceOut]
    notes: list[str]


class PicturesOut(BaseModel):
    """Addresses (absolute paths on this server) of the exercise's demonstration, as SVG."""

    animated: str
    still: str


class PlannedExerciseOut(BaseModel):
    """One exercise of a stored plan, its dose and the decision that set it."""

    id: str = Field(max_length=80)
    name: str
    category: Category
    position: str
    level: int = Field(ge=1, le=5)
    dose: DoseOut
    #: The day it entered the program (None when not known).
    since: dt.date | None
    decision: ExerciseDecisionOut


class ProgramExerciseOut(PlannedExerciseOut):
    """One exercise of the current program, with what a coach set on it and its pictures."""

    summary: str
    coach: SetByCoachOut
    pictures: PicturesOut | None


class ConstraintsOut(BaseModel):
    """What the plan was decided under: the person's level, kit and days."""

    level: Level
    equipment: list[Equipment]
    days_per_week: int = Field(ge=1, le=7)
    #: Chosen weekdays, 0 = Monday (empty: any).
    weekdays: list[int]
    #: Exercise ids the person asked to leave out.
    avoid: list[str]


class StoredProgramOut(BaseModel):
    """One stored plan: when it was made, who decided, under what, and each decision."""

    plan_id: int
    made_at: dt.datetime
    #: The day the engine decided it after a session (None: built from the profile).
    decided_on: dt.date | None
    active: bool
    decided_from_session_id: int | None
    #: Everyone who decided one of its exercises, the engine first.
    decided_by: list[DecidedByOut]
    constraints: ConstraintsOut
    #: What the engine noticed about the whole day when it decided (a flare, a long break).
    day_notes: list[ReasonOut]
    exercises: list[PlannedExerciseOut]


class ProgramOut(BaseModel):
    """The current program, as Today shows it."""

    plan_id: int
    made_at: dt.datetime
    start: dt.date
    decided_on: dt.date | None
    #: The safety questions are due again before the next session (a long break).
    safety_questions_due: bool
    constraints: ConstraintsOut
    day_notes: list[ReasonOut]
    #: The program's general notes: its cautions and why strengthening, not stretching.
    notes: list[ReasonOut]
    #: What a coach set on the whole program (a hold of everything, the days).
    coach: SetByCoachOut
    exercises: list[ProgramExerciseOut]


class PlannedDayOut(BaseModel):
    day: dt.date
    #: The stored plan in charge of the day (see /program/history).
    plan_id: int
    #: Its exercises in words ("Clam: 2 sets of 10-15 reps, each side").
    exercises: list[str]


class ScheduleOut(BaseModel):
    """The training days ahead and the person's private calendar (ICS) address."""

    days: list[PlannedDayOut]
    next_session: dt.date | None
    #: Anyone with this address sees the training days: keep it private.
    calendar_address: str
    webcal_address: str


class FaultOut(BaseModel):
    sign: str
    fix: str
    #: The fault that answers "I felt it in my low back".
    low_back: bool


class DoseRangeOut(BaseModel):
    """The range a set aims for (the program sets 2-3 sets within it)."""

    unit: DoseType
    min: int
    max: int
    per_side: bool
    words: str


class ExerciseOut(BaseModel):
    """An exercise of the catalogue."""

    id: str
    name: str
    category: Category
    level: int = Field(ge=1, le=5)
    #: The kit it needs (empty: body weight only).
    kit: list[Equipment]
    kit_words: str
    position: str
    summary: str
    targets: list[str]
    dose: DoseRangeOut
    tempo: str
    tempo_words: str
    pictures: PicturesOut | None


class ExerciseDetailOut(ExerciseOut):
    """An exercise of the catalogue with how to do it."""

    setup: list[str]
    cues: list[str]
    faults: list[FaultOut]
    #: Easier and harder versions, by id.
    regressions: list[str]
    progressions: list[str]
    #: For the exercises kept only to explain why they are not prescribed.
    why_not: str


# --- from the services' results ---------------------------------------------------------------


def reason_out(reason: Reason, words: str) -> ReasonOut:
    return ReasonOut(code=reason.code, params=params_to_json(reason.params), words=words)


def decided_by_out(who: DecidedBy, names: Names) -> DecidedByOut:
    if who.id is None:
        return DecidedByOut(kind=who.kind)
    return DecidedByOut(kind=who.kind, coach_id=who.id, coach_name=names.get(who.id))


def program_out(decided: DecidedProgram) -> ProgramOut:
    program, names = decided.program, decided.coach_names
    plan = program.plan
    nobody = CoachSay((), ())
    return ProgramOut(
        plan_id=program.plan_id,
        made_at=program.at,
        start=plan.start,
        decided_on=plan.decided_on,
        safety_questions_due=decided.ask_again,
        constraints=_constraints(plan),
        day_notes=[reason_out(note, say_note(note)) for note in program.day_notes],
        notes=[reason_out(note, say_plan_note(note)) for note in plan.notes],
        coach=_coach(decided.whole_program),
        exercises=[
            ProgramExerciseOut(
                **_planned(item, program.next_steps[item.exercise.id], names),
                summary=item.exercise.summary,
                coach=_coach(decided.by_exercise.get(item.exercise.id, nobody)),
                pictures=_pictures(item.exercise),
            )
            for item in plan.exercises
        ],
    )


def stored_program_out(stored: StoredProgram, names: Names) -> StoredProgramOut:
    program = stored.program
    plan = program.plan
    deciders = {step.decided_by for step in program.next_steps.values()}
    return StoredProgramOut(
        plan_id=program.plan_id,
        made_at=program.at,
        decided_on=plan.decided_on,
        active=stored.active,
        decided_from_session_id=stored.decided_from_session_id,
        decided_by=[
            decided_by_out(who, names)
            for who in sorted(deciders, key=lambda who: (who.kind != "engine", who.id or 0))
        ],
        constraints=_constraints(plan),
        day_notes=[reason_out(note, say_note(note)) for note in program.day_notes],
        exercises=[
            PlannedExerciseOut(**_planned(item, program.next_steps[item.exercise.id], names))
            for item in plan.exercises
        ],
    )


def schedule_out(days: tuple[PlannedDay, ...], address: str) -> ScheduleOut:
    return ScheduleOut(
        days=[
            PlannedDayOut(day=d.day, plan_id=d.plan_id, exercises=list(d.exercises)) for d in days
        ],
        next_session=days[0].day if days else None,
        calendar_address=address,
        webcal_address="webcal://" + address.split("://", 1)[-1],
    )


def exercise_out(exercise: Exercise) -> ExerciseOut:
    return ExerciseOut(**_catalogue_fields(exercise))


def exercise_detail_out(exercise: Exercise) -> ExerciseDetailOut:
    return ExerciseDetailOut(
        **_catalogue_fields(exercise),
        setup=list(exercise.setup),
        cues=list(exercise.cues),
        faults=[FaultOut(sign=f.sign, fix=f.fix, low_back=f.low_back) for f in exercise.faults],
        regressions=list(exercise.regressions),
        progressions=list(exercise.progressions),
        why_not=exercise.why_not,
    )


def _catalogue_fields(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.id,
        "name": exercise.name,
        "category": exercise.category,
        "level": exercise.level,
        "kit": sorted(exercise.equipment),
        "kit_words": equipment_words(exercise.equipment),
        "position": exercise.position,
        "summary": exercise.summary,
        "targets": list(exercise.targets),
        "dose": DoseRangeOut(
            unit=exercise.dose,
            min=exercise.dose_min,
            max=exercise.dose_max,
            per_side=exercise.laterality is Laterality.UNILATERAL,
            words=dose_range_words(exercise),
        ),
        "tempo": exercise.tempo,
        "tempo_words": tempo_words(exercise.tempo),
        "pictures": _pictures(exercise),
    }


def _planned(item: PlannedExercise, step: NextStep, names: Names) -> dict[str, Any]:
    exercise = item.exercise
    return {
        "id": exercise.id,
        "name": exercise.name,
        "category": exercise.category,
        "position": exercise.position,
        "level": exercise.level,
        "dose": DoseOut(
            sets=item.sets,
            unit=exercise.dose,
            min=item.dose_min,
            max=item.dose_max,
            per_side=exercise.laterality is Laterality.UNILATERAL,
            tempo=exercise.tempo,
            tempo_words=tempo_words(exercise.tempo),
            load_kg=item.load_kg,
            words=dose_words(item),
        ),
        "since": item.since,
        "decision": ExerciseDecisionOut(
            decision=step.decision,
            decision_words=say_decision(step.decision, step.code),
            reason=reason_out(step.reason, say(step.reason)),
            cue=step.cue,
            decided_by=decided_by_out(step.decided_by, names),
        ),
    }


def _constraints(plan: Plan) -> ConstraintsOut:
    profile = plan.profile
    return ConstraintsOut(
        level=profile.level,
        equipment=sorted(profile.equipment),
        days_per_week=profile.days_per_week,
        weekdays=list(profile.weekdays),
        avoid=sorted(profile.avoid),
    )


def _coach(said: CoachSay) -> SetByCoachOut:
    return SetByCoachOut(
        overrides=[_override(view) for view in said.overrides], notes=list(said.notes)
    )


def _override(view: OverrideView) -> OverrideInForceOut:
    catalogue = default_catalogue()

    def name(exercise_id: str) -> str:
        return catalogue.get(exercise_id).name if exercise_id in catalogue else exercise_id

    return OverrideInForceOut(
        id=view.id,
        kind=view.kind,
        values=dict(view.values),
        words=say_override(view.kind, view.values, name),
        note=view.note,
        coach_id=view.coach_id,
        coach_name=view.coach_name,
        at=view.at,
    )


def _pictures(exercise: Exercise) -> PicturesOut | None:
    found = pictures_of(exercise.id)
    return PicturesOut(animated=found.animated, still=found.still) if found else None
