"""The documents an import reads: a person's export (services/export.py), version 1, 2 or 3, as
Pydantic models that refuse anything out of place, each problem naming its field
(services/importer.py reads and stores them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)
from pydantic_core import PydanticCustomError

from backcoach.engine.measures import INSTRUMENTS
from backcoach.engine.reasons import reason_from_json
from backcoach.engine.stops import StopAction, StopReason
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.services.accounts import known_time_zones


def _time(value: object) -> dt.datetime:
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed.astimezone(dt.UTC)
    raise PydanticCustomError(
        "export_time", "must be a time with its offset, e.g. 2026-11-23T09:00:00+00:00"
    )


def _day(value: object) -> dt.date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("export_day", "must be a date written YYYY-MM-DD")


def _one_of(known: Iterable[str]) -> AfterValidator:
    names = tuple(known)

    def check(value: str) -> str:
        if value not in names:
            raise PydanticCustomError(
                "export_choice", "must be one of {known}", {"known": ", ".join(names)}
            )
        return value

    return AfterValidator(check)


Time = Annotated[dt.datetime, BeforeValidator(_time)]
Day = Annotated[dt.date, BeforeValidator(_day)]
Pain = Annotated[int, Field(ge=0, le=10)]
#: What an INTEGER column holds on PostgreSQL; a larger number is the document's fault.
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]
FeltValue = Annotated[str, _one_of(felt.value for felt in Felt)]
LegValue = Annotated[str, _one_of(leg.value for leg in LegSymptoms)]


class _Model(BaseModel):
    # Strict: a JSON string is never read as a number, nor a number as true/false.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _time_zone(value: str) -> str:
    known = known_time_zones().get(value.lower())
    if known is None:
        raise PydanticCustomError("export_zone", "must be a time zone name, e.g. Europe/London")
    return known


TimeZoneName = Annotated[str, Field(max_length=64), AfterValidator(_time_zone)]


class AccountIn(_Model):
    email: Annotated[str, Field(max_length=254)]
    created_at: Time
    cleared_by_clinician_at: Time | None
    cleared_note: str | None
    #: Optional: exports made before it lack it. None means the server's zone.
    time_zone: TimeZoneName | None = None
    #: Optional, as the time zone: the name the person gives their coach.
    display_name: Annotated[str, Field(max_length=80)] | None = None


class AccountInV2(AccountIn):
    cleared_screening_id: int | None


class ScreeningIn(_Model):
    id: int
    at: Time
    context: Annotated[str, Field(min_length=1, max_length=20)]
    answers: dict[str, Any]
    refer: bool
    urgency: Annotated[str, Field(max_length=20)] | None


class MeasureIn(_Model):
    id: int
    at: Time
    day: Day
    instrument: Annotated[str, _one_of(INSTRUMENTS)]
    answers: dict[str, Any]
    score: float
    result: dict[str, Any]


class ProfileIn(_Model):
    id: int
    at: Time
    data: dict[str, Any]


class PlanIn(_Model):
    id: int
    at: Time
    active: bool
    data: dict[str, Any]


class PlanInV2(PlanIn):
    decided_from_session_id: int | None


class SetIn(_Model):
    id: int
    exercise_id: Annotated[str, Field(min_length=1, max_length=80)]
    number: Annotated[int, Field(ge=1, le=2**31 - 1)]
    amount: Count
    load_kg: float | None
    rir: Count | None
    #: Absent in exports made before the camera coach.
    camera_reps: Count | None = None
    felt: FeltValue
    at: Time


class SessionIn(_Model):
    id: int
    plan_id: int | None
    day: Day
    started_at: Time
    finished_at: Time | None
    pain_before: Pain
    pain_during: Pain | None
    pain_after: Pain | None
    pain_next_morning: Pain | None
    checked_in_at: Time | None
    sets: Sequence[SetIn]


class SessionInV2(SessionIn):
    leg_symptoms: LegValue | None


class TightMomentIn(_Model):
    id: int
    at: Time
    drills: list[Any]


class ExportV1(_Model):
    format: Literal["backcoach-export"]
    version: Literal[1]
    exported_at: Time
    account: AccountIn
    screenings: Sequence[ScreeningIn]
    measures: Sequence[MeasureIn]
    profiles: Sequence[ProfileIn]
    plans: Sequence[PlanIn]
    training_sessions: Sequence[SessionIn]
    tight_moments: Sequence[TightMomentIn]


class MessageIn(_Model):
    id: int
    at: Time
    #: "me" (the person) or "coach".
    from_: Annotated[Literal["me", "coach"], Field(alias="from")]
    body: str
    read_at: Time | None


class ExportV2(ExportV1):
    version: Literal[2]  # type: ignore[assignment]
    account: AccountInV2
    plans: Sequence[PlanInV2]
    training_sessions: Sequence[SessionInV2]
    #: Checked but not kept: an import makes a person with no coach, and a thread belongs to
    #: a coach of the server that exported it (exports made before it lack it).
    messages: Sequence[MessageIn] = ()


# --- version 3: the player's stops, the program's pauses and changes, the reminders ----------


class RemindersIn(_Model):
    enabled: bool
    #: Minutes after midnight, in the person's time zone.
    minute_of_day: Annotated[int, Field(ge=0, le=24 * 60 - 1)]
    by_email: bool
    updated_at: Time


class AccountInV3(AccountInV2):
    #: None: the person never chose (reminders off, at the default time).
    reminders: RemindersIn | None


class ExerciseStopIn(_Model):
    id: int
    session_id: int
    exercise_id: Annotated[str, Field(min_length=1, max_length=80)]
    reason: Annotated[str, _one_of(reason.value for reason in StopReason)]
    action: Annotated[str, _one_of(action.value for action in StopAction)]
    #: The easier rung done instead: given for ``easier``, None for ``skip``.
    to_exercise_id: Annotated[str, Field(min_length=1, max_length=80)] | None
    at: Time


class ProgramPauseIn(_Model):
    id: int
    starts_on: Day
    ends_on: Day | None
    made_at: Time
    resumed_at: Time | None


_NOT_REASONS = "must be a list of changes, each an object with a code and its params"


def _reasons(value: list[Any]) -> list[Any]:
    """Each change reads as the engine's code with parameters, as the program page says it."""
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise PydanticCustomError("export_reason", _NOT_REASONS)
        params = item.get("params")
        if set(item) - {"code", "params"} or not (params is None or isinstance(params, dict)):
            raise PydanticCustomError("export_reason", _NOT_REASONS)
        try:
            reason_from_json(item["code"], params)
        except ValueError as error:
            raise PydanticCustomError(
                "export_reason", "{problem}", {"problem": str(error)}
            ) from None
    return value


class ProfileChangeIn(_Model):
    id: int
    at: Time
    #: The plan the change made (None: only the saved profile changed).
    plan_id: int | None
    changes: Annotated[list[Any], AfterValidator(_reasons)]


class ExportV3(ExportV2):
    version: Literal[3]  # type: ignore[assignment]
    account: AccountInV3
    exercise_stops: Sequence[ExerciseStopIn]
    program_pauses: Sequence[ProgramPauseIn]
    profile_changes: Sequence[ProfileChangeIn]
