"""A program: the exercises with their dose and reason, the mobility set and the dated schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from backcoach.engine.catalogue import Exercise
from backcoach.engine.profile import Profile
from backcoach.engine.reasons import Reason, params_to_json
from backcoach.engine.screening import RED_FLAGS, ScreeningOutcome
from backcoach.engine.vocabulary import Decision, DoseType, Laterality

#: M8: two to three sets per exercise.
MIN_SETS, MAX_SETS = 2, 3
#: The day code of a plan decided after a session that began with pain of 8/10 or more.
HIGH_PAIN_DAY = "hold.very_high_pain_before"


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """One exercise of a program with its dose for the next session, and why."""

    exercise: Exercise
    sets: int
    dose_min: int
    dose_max: int
    #: Why: a stable code such as "hold.morning_missing" and its parameters (backcoach.wording
    #: says it in words).
    reason: Reason
    load_kg: float | None = None
    decision: Decision = Decision.START
    cue: str = ""
    #: The day this exercise entered the program (None when not known, e.g. a new program).
    since: date | None = None

    @property
    def code(self) -> str:
        """The reason's code, e.g. "hold.morning_missing" or "start.strength"."""
        return self.reason.code

    def __post_init__(self) -> None:
        if not MIN_SETS <= self.sets <= MAX_SETS and self.exercise.category.value != "mobility":
            raise ValueError(f"sets must be {MIN_SETS}-{MAX_SETS} (M8), got {self.sets}")
        if self.dose_min > self.dose_max:
            raise ValueError("dose_min is above dose_max")

    def with_changes(self, **changes: Any) -> PlannedExercise:
        # Hand-written rather than dataclasses.replace: this is on the decision hot path.
        get = changes.get
        return PlannedExercise(
            get("exercise", self.exercise),
            get("sets", self.sets),
            get("dose_min", self.dose_min),
            get("dose_max", self.dose_max),
            get("reason", self.reason),
            get("load_kg", self.load_kg),
            get("decision", self.decision),
            get("cue", self.cue),
            get("since", self.since),
        )

    def to_dict(self) -> dict[str, Any]:
        """The exercise as a plan document holds it; formats.plan adds the reason's words."""
        exercise = self.exercise
        kind = exercise.dose.value
        data: dict[str, Any] = {
            "id": exercise.id,
            "name": exercise.name,
            "category": exercise.category.value,
            "sets": self.sets,
            "dose": kind,
        }
        if exercise.dose is DoseType.REPS:
            data |= {"reps_min": self.dose_min, "reps_max": self.dose_max}
        else:
            # `seconds` / `steps` is the target for the next session: start at the bottom.
            data |= {
                kind: self.dose_min,
                f"{kind}_min": self.dose_min,
                f"{kind}_max": self.dose_max,
            }
        data |= {
            "per_side": exercise.laterality is Laterality.UNILATERAL,
            "tempo": exercise.tempo,
            "feel_it_in": list(exercise.targets),
            "equipment": sorted(item.value for item in exercise.equipment),
            "code": self.reason.code,
            "params": params_to_json(self.reason.params),
        }
        if self.load_kg is not None:
            data["load_kg"] = self.load_kg
        if self.decision is not Decision.START:
            data["decision"] = self.decision.value
        if self.cue:
            data["cue"] = self.cue
        if self.since is not None:
            data["since"] = self.since.isoformat()
        return data


@dataclass(frozen=True, slots=True)
class Plan:
    """A program that the engine found fits the person (status "ok")."""

    profile: Profile
    start: date
    exercises: tuple[PlannedExercise, ...]
    mobility: tuple[PlannedExercise, ...]
    sessions_per_week: float
    #: How often, and why (e.g. "note.frequency.every_other_day").
    frequency_note: Reason
    schedule: tuple[date, ...]
    #: A new program's general notes: its cautions ("note.caution.older_age"), then why strength,
    #: not stretching; codes that backcoach.wording says (docs/progression.md, "Codes").
    notes: tuple[Reason, ...] = ()
    #: Set on a plan that `decide_next` made: the day it decided, and day-level findings.
    decided_on: date | None = None
    #: What the whole log says today, each a code and its parameters (e.g. a flare).
    day_notes: tuple[Reason, ...] = ()

    status = "ok"

    @property
    def day_codes(self) -> tuple[str, ...]:
        """The day notes' codes, in order (e.g. "hold.very_high_pain_before")."""
        return tuple(note.code for note in self.day_notes)

    @property
    def high_pain_day(self) -> bool:
        """Pain before the last session was 8/10 or more: mobility drills only, see a clinician."""
        return HIGH_PAIN_DAY in self.day_codes

    @property
    def unanswered_red_flags(self) -> tuple[str, ...]:
        """Red-flag questions the profile left out (counted as "no", but worth asking)."""
        return tuple(flag.id for flag in RED_FLAGS if flag.id not in self.profile.red_flags)

    def to_dict(self) -> dict[str, Any]:
        """The plan document's data; formats.plan.plan_document adds the words people read."""
        profile = self.profile
        return {
            "status": self.status,
            "start": self.start.isoformat(),
            "exercises": [item.to_dict() for item in self.exercises],
            "mobility": [item.to_dict() for item in self.mobility],
            "mobility_minutes": mobility_minutes(self.mobility),
            "sessions_per_week": self.sessions_per_week,
            "frequency_code": self.frequency_note.code,
            "frequency_params": params_to_json(self.frequency_note.params),
            "schedule": [day.isoformat() for day in self.schedule],
            "note_codes": [note.code for note in self.notes],
            "note_params": [params_to_json(note.params) for note in self.notes],
            "unanswered_red_flags": list(self.unanswered_red_flags),
            **(
                {
                    "decided_on": self.decided_on.isoformat(),
                    "day_codes": list(self.day_codes),
                    "day_params": [params_to_json(note.params) for note in self.day_notes],
                    "high_pain_day": self.high_pain_day,
                }
                if self.decided_on
                else {}
            ),
            "profile": {
                "age": profile.age,
                "pain": profile.pain,
                "equipment": sorted(item.value for item in profile.equipment),
                "level": profile.level.value,
                "days_per_week": profile.days_per_week,
                "avoid": sorted(profile.avoid),
                "weekdays": list(profile.weekdays),
                **({"pregnancy": profile.pregnancy.value} if profile.pregnancy else {}),
                # Kept so that a check-in's answers are weighed with the lifetime ones.
                **({"red_flags": dict(profile.red_flags)} if profile.red_flags else {}),
            },
        }


@dataclass(frozen=True, slots=True)
class Referral:
    """No program: a red flag means a clinician should see the person first, or the safety
    questions are not all answered yet (status "incomplete")."""

    screening: ScreeningOutcome

    @property
    def status(self) -> str:
        return self.screening.status.value

    def to_dict(self) -> dict[str, Any]:
        return {**self.screening.to_dict(), "exercises": []}


def mobility_minutes(drills: tuple[PlannedExercise, ...]) -> float:
    """Rough length of the mobility routine, from each drill's dose and tempo."""
    seconds = 0
    for drill in drills:
        exercise = drill.exercise
        sides = 2 if exercise.laterality is Laterality.UNILATERAL else 1
        if exercise.dose is DoseType.SECONDS:
            per_set = drill.dose_max
        else:
            digits = (
                [int(part) for part in exercise.tempo.split("-")] if "-" in exercise.tempo else [3]
            )
            per_set = drill.dose_max * max(sum(digits), 2)
        seconds += per_set * sides * drill.sets + 10  # ten seconds to move between drills
    return round(seconds / 60, 1)
