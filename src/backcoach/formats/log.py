"""The training log document: sessions with pain scores and sets, as `backcoach next` reads it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.formats.documents import InputError, IsoDate, explain

StrictInt = Annotated[int, Field(strict=True)]
Pain = Annotated[int, Field(strict=True, ge=0, le=10)]
MAX_SESSIONS = 5000


class SetIn(BaseModel):
    """One set: exactly one of reps, seconds or steps, and where it was felt."""

    model_config = ConfigDict(extra="forbid")

    reps: StrictInt | None = Field(default=None, ge=0, le=200)
    seconds: StrictInt | None = Field(default=None, ge=0, le=3600)
    steps: StrictInt | None = Field(default=None, ge=0, le=500)
    load_kg: Annotated[float, Field(strict=True, ge=0, le=500)] | None = None
    rir: StrictInt | None = Field(default=None, ge=0, le=10, description="Reps in reserve.")
    felt: Felt = Field(description="target, low_back, elsewhere or nothing (M9).")

    @model_validator(mode="after")
    def _one_amount(self) -> SetIn:
        given = [name for name in ("reps", "seconds", "steps") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of reps, seconds or steps")
        return self

    @property
    def kind(self) -> str:
        return (
            "reps" if self.reps is not None else "seconds" if self.seconds is not None else "steps"
        )

    @property
    def amount(self) -> int:
        return next(v for v in (self.reps, self.seconds, self.steps) if v is not None)


class ExerciseLogIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=80)]
    sets: list[SetIn] = Field(max_length=20)


class SessionIn(BaseModel):
    """One training session."""

    model_config = ConfigDict(extra="forbid")

    date: IsoDate
    pain_before: Pain
    pain_during: Pain = Field(description="Worst pain during the session.")
    pain_after: Pain
    pain_next_morning: Pain | None = Field(
        default=None,
        description="Pain the next morning; until it is known, nothing moves up.",
    )
    leg_symptoms: LegSymptoms | None = Field(
        default=None,
        description="Leg symptoms against the session before: none, same, less_far "
        "(reaching less far down the leg) or further_down (spreading further down); "
        "leave it out when not asked.",
    )
    red_flags: dict[str, Annotated[bool, Field(strict=True)]] = Field(
        default_factory=dict, description="Red-flag answers asked again at this check-in."
    )
    exercises: list[ExerciseLogIn] = Field(default_factory=list, max_length=30)


class LogIn(BaseModel):
    """A log document: either a bare list of sessions or {"sessions": [...]}."""

    model_config = ConfigDict(extra="forbid", title="backcoach training log")

    sessions: list[SessionIn] = Field(max_length=MAX_SESSIONS)
    kind: Literal["log"] | None = None
    cleared_on: IsoDate | None = Field(
        default=None,
        description="The day a clinician cleared the person after a red flag: flags raised at "
        "check-ins on or before it no longer refer (answered the same later, neither).",
    )


_SESSIONS = TypeAdapter(list[SessionIn])


def read_log(data: Any, catalogue: Catalogue, *, root: str = "log") -> tuple[SessionLog, ...]:
    """Validate a log document and check every exercise id and dose kind against the catalogue."""
    try:
        if isinstance(data, list):
            sessions, prefix = _SESSIONS.validate_python(data), root
        elif isinstance(data, dict):
            sessions, prefix = LogIn.model_validate(data).sessions, f"{root}.sessions"
        else:
            raise InputError(f"{root}: expected a list of sessions")
    except ValidationError as error:
        raise explain(error, root) from None
    return tuple(_to_session(s, catalogue, f"{prefix}[{i}]") for i, s in enumerate(sessions))


def read_clearance(data: Any, *, root: str = "log") -> date | None:
    """The log's `cleared_on` day, if any (a bare list of sessions has none)."""
    if not isinstance(data, dict):
        return None
    try:
        return LogIn.model_validate(data).cleared_on
    except ValidationError as error:
        raise explain(error, root) from None


def _to_session(session: SessionIn, catalogue: Catalogue, where: str) -> SessionLog:
    for flag in session.red_flags:
        if flag not in RED_FLAG_IDS:
            raise InputError(f"{where}.red_flags.{flag}: unknown red flag id")
    exercises = []
    for e_index, logged in enumerate(session.exercises):
        path = f"{where}.exercises[{e_index}]"
        if logged.id not in catalogue:
            raise InputError(f"{path}.id: unknown exercise id {logged.id!r}")
        dose = catalogue.get(logged.id).dose.value
        for s_index, one in enumerate(logged.sets):
            if one.kind != dose:
                raise InputError(
                    f"{path}.sets[{s_index}]: {logged.id} is logged in {dose}, not {one.kind}"
                )
        exercises.append(
            ExerciseLog(
                logged.id,
                tuple(SetLog(s.amount, s.felt, s.load_kg, s.rir) for s in logged.sets),
            )
        )
    return SessionLog(
        day=session.date,
        pain_before=session.pain_before,
        pain_during=session.pain_during,
        pain_after=session.pain_after,
        pain_next_morning=session.pain_next_morning,
        red_flags=dict(session.red_flags),
        leg_symptoms=session.leg_symptoms,
        exercises=tuple(exercises),
    )
