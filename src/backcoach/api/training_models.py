"""The API's training documents: what a client sends to start a session, save a set, finish,
check in the next morning and log a tight moment, and what it gets back, made from the
services' results (codes with their words, never rows)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from backcoach.catalogue import default_catalogue
from backcoach.engine.log import VERY_HIGH_PAIN_BEFORE
from backcoach.engine.plan import Plan
from backcoach.engine.reasons import Reason, params_to_json
from backcoach.engine.screening import CHECK_IN_IDS, ScreeningOutcome
from backcoach.engine.stops import StopAction, StopReason
from backcoach.engine.vocabulary import Decision, DoseType, Felt, LegSymptoms
from backcoach.services.session_list import SessionSummary
from backcoach.services.sets import AMOUNT_LIMITS, MAX_LOAD_KG, MAX_RIR, MAX_SET_NUMBER, SetView
from backcoach.services.stop_log import StopView
from backcoach.services.tight import TightMoment
from backcoach.services.training import MAX_PAIN, SessionView
from backcoach.wording.api_words import HIGH_PAIN, say_session_advice
from backcoach.wording.reasons import say, say_note
from backcoach.wording.screening_words import say_advice, say_screening

Pain = Field(ge=0, le=MAX_PAIN, description="0-10 (NPRS)")
MAX_AMOUNT = max(AMOUNT_LIMITS.values())


class OperationRequest(BaseModel):
    """The body of an operation a client may send under an id of its own."""

    model_config = ConfigDict(extra="forbid")

    #: When the person did it on their device (kept beside the server's time of receipt).
    client_at: AwareDatetime | None = None

    def content(self) -> dict[str, Any]:
        """What makes the request this operation (its idempotency digest): the body without
        the client's time."""
        return self.model_dump(mode="json", exclude={"client_at"})


class StartRequest(OperationRequest):
    """Start a session on the active program (or come back to the one left open)."""

    pain_before: int = Pain


class SetRequest(OperationRequest):
    """One set, saved under the client's id for it: how much, in the unit the program doses
    the exercise by: ``amount`` with its ``kind``, or one of ``reps``, ``seconds`` or
    ``steps``; and where it was felt."""

    exercise_id: str = Field(min_length=1, max_length=80)
    number: int = Field(ge=1, le=MAX_SET_NUMBER)
    amount: int | None = Field(default=None, ge=0, le=MAX_AMOUNT)
    kind: DoseType | None = None
    reps: int | None = Field(default=None, ge=0, le=AMOUNT_LIMITS["reps"])
    seconds: int | None = Field(default=None, ge=0, le=AMOUNT_LIMITS["seconds"])
    steps: int | None = Field(default=None, ge=0, le=AMOUNT_LIMITS["steps"])
    felt: Felt
    load_kg: float | None = Field(default=None, ge=0, le=MAX_LOAD_KG, allow_inf_nan=False)
    rir: int | None = Field(default=None, ge=0, le=MAX_RIR)
    #: The reps the phone's camera counted, when it counted the set (``reps`` is what the
    #: person confirmed); only for an exercise counted in reps.
    camera_reps: int | None = Field(default=None, ge=0, le=AMOUNT_LIMITS["reps"])

    @model_validator(mode="after")
    def _one_amount(self) -> SetRequest:
        given = [kind for kind in DoseType if getattr(self, kind.value) is not None]
        if self.amount is not None and self.kind is not None and not given:
            return self
        if self.amount is None and self.kind is None and len(given) == 1:
            return self
        raise ValueError("give the amount and its kind, or one of reps, seconds or steps")

    @property
    def dose(self) -> tuple[int, DoseType]:
        """The amount and the unit it is counted in."""
        if self.amount is not None and self.kind is not None:
            return self.amount, self.kind
        kind = next(kind for kind in DoseType if getattr(self, kind.value) is not None)
        return int(getattr(self, kind.value)), kind

    def content(self) -> dict[str, Any]:
        """The same set however its amount was given. A set the camera did not count has no
        camera_reps key, so its fingerprint is the one stored before the camera coach: a set
        saved then and retried after an upgrade is the same operation, not a conflict."""
        amount, kind = self.dose
        content: dict[str, Any] = {
            "exercise_id": self.exercise_id,
            "number": self.number,
            "amount": amount,
            "kind": kind.value,
            "felt": self.felt.value,
            "load_kg": self.load_kg,
            "rir": self.rir,
        }
        if self.camera_reps is not None:
            content["camera_reps"] = self.camera_reps
        return content


class FinishRequest(OperationRequest):
    """Finish the session: the worst pain during it, the pain after, and the leg symptoms."""

    pain_during: int = Pain
    pain_after: int = Pain
    leg_symptoms: LegSymptoms


class CheckInRequest(OperationRequest):
    """The next-morning check-in: this morning's pain, and each of the signs that can newly
    appear answered yes (true) or no (false), by id: every one of them is required."""

    pain_next_morning: int = Pain
    answers: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,60}$")], bool] = Field(
        max_length=len(CHECK_IN_IDS) + 5,
        examples=[dict.fromkeys(CHECK_IN_IDS, False)],
    )


class TightRequest(OperationRequest):
    """An "I feel tight" moment (the body may be empty)."""


class StopRequest(OperationRequest):
    """ "This hurts / I can't do it" for one exercise of the session: why, and what is done
    instead (its easier rung, or a skip). Saying it again for the same exercise corrects it."""

    exercise_id: str = Field(min_length=1, max_length=80)
    reason: StopReason
    action: StopAction


class SetOut(BaseModel):
    """A saved set."""

    exercise_id: str
    number: int
    amount: int
    #: The unit of ``amount``: reps, seconds or steps (None for an exercise no longer known).
    kind: DoseType | None
    load_kg: float | None
    rir: int | None
    #: The reps the camera counted, when it counted this set.
    camera_reps: int | None = None
    felt: Felt
    #: When the server saved it.
    at: dt.datetime

    @classmethod
    def of(cls, saved: SetView) -> SetOut:
        catalogue = default_catalogue()
        known = saved.exercise_id in catalogue
        return cls(
            exercise_id=saved.exercise_id,
            number=saved.number,
            amount=saved.amount,
            kind=catalogue.get(saved.exercise_id).dose if known else None,
            load_kg=saved.load_kg,
            rir=saved.rir,
            camera_reps=saved.camera_reps,
            felt=saved.felt,
            at=saved.at,
        )


class SavedSetOut(SetOut):
    """A set saved under the client's id for it, in a session."""

    session_id: int
    client_id: UUID


class SessionSummaryOut(BaseModel):
    """A session without its sets."""

    id: int
    day: dt.date
    started_at: dt.datetime
    finished: bool
    finished_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    pain_before: int
    pain_during: int | None
    pain_after: int | None
    pain_next_morning: int | None
    leg_symptoms: LegSymptoms | None
    set_count: int

    @classmethod
    def of(cls, summary: SessionSummary) -> SessionSummaryOut:
        return cls(**_summary_fields(summary), set_count=summary.set_count)


class AdviceOut(BaseModel):
    """What the session player tells the person about today's session, as a code with its
    parameters and words (``session.high_pain``: pain before of 8 or more, so only the mobility
    drills today, and a clinician if it stays this high)."""

    code: str
    params: dict[str, Any]
    words: str


class SessionOut(SessionSummaryOut):
    """A session with its sets, and the player's advice for it (None on an ordinary day)."""

    sets: list[SetOut]
    advice: AdviceOut | None = None

    @classmethod
    def of_view(cls, view: SessionView) -> SessionOut:
        return cls(
            **_summary_fields(view),
            set_count=len(view.sets),
            sets=[SetOut.of(saved) for saved in view.sets],
            advice=_advice(view),
        )


_SUMMARY_FIELDS = (
    "id",
    "day",
    "started_at",
    "finished_at",
    "checked_in_at",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "leg_symptoms",
)


def _summary_fields(session: SessionSummary | SessionView) -> dict[str, Any]:
    """The fields a session's summary shares with the services' two views of it."""
    fields = {name: getattr(session, name) for name in _SUMMARY_FIELDS}
    return {**fields, "finished": session.finished_at is not None}


def _advice(view: SessionView) -> AdviceOut | None:
    """The high-pain advice the session page shows above the exercises, for the same days."""
    if view.pain_before is None or view.pain_before < VERY_HIGH_PAIN_BEFORE:
        return None
    params: dict[str, Any] = {"pain_before": view.pain_before, "at_least": VERY_HIGH_PAIN_BEFORE}
    return AdviceOut(code=HIGH_PAIN, params=params, words=say_session_advice(HIGH_PAIN, params))


class SaidOut(BaseModel):
    """A stable code with its parameters, and the words a person reads for it."""

    code: str
    params: dict[str, Any]
    words: str

    @classmethod
    def of(cls, reason: Reason, words: str) -> SaidOut:
        return cls(code=reason.code, params=params_to_json(reason.params), words=words)


class NextExerciseOut(BaseModel):
    """What the engine decided for one exercise of the next session, and why."""

    exercise_id: str
    decision: Decision
    reason: SaidOut
    sets: int
    kind: DoseType
    dose_min: int
    dose_max: int
    load_kg: float | None


class DecisionOut(BaseModel):
    """The program decided for the next session (the whole program: GET /program)."""

    exercises: list[NextExerciseOut]
    #: What the engine noticed about the whole day (a flare, a long break).
    day_notes: list[SaidOut]

    @classmethod
    def of(cls, plan: Plan | None) -> DecisionOut | None:
        if plan is None:
            return None
        return cls(
            exercises=[
                NextExerciseOut(
                    exercise_id=item.exercise.id,
                    decision=item.decision,
                    reason=SaidOut.of(item.reason, say(item.reason)),
                    sets=item.sets,
                    kind=item.exercise.dose,
                    dose_min=item.dose_min,
                    dose_max=item.dose_max,
                    load_kg=item.load_kg,
                )
                for item in plan.exercises
            ],
            day_notes=[SaidOut.of(note, say_note(note)) for note in plan.day_notes],
        )


class FinishOut(BaseModel):
    """The finished session and the decision for the next one: None when nothing was decided
    (the referral gate is shut, or a newer session decides); the log is kept either way."""

    session: SessionOut
    decision: DecisionOut | None


class ScreeningOut(BaseModel):
    """What the check-in's answers say: go on, or see a clinician first (how urgently, why)."""

    refer: bool
    status: Literal["ok", "refer", "incomplete"]
    urgency: str | None
    reasons: list[SaidOut]
    #: What to do, in words.
    advice: str

    @classmethod
    def of(cls, outcome: ScreeningOutcome) -> ScreeningOut:
        return cls(
            refer=outcome.refer,
            status=outcome.status.value,
            urgency=outcome.urgency.value if outcome.urgency else None,
            reasons=[SaidOut.of(said, say_screening(said)) for said in outcome.reasons],
            advice=say_advice(outcome),
        )


class CheckInOut(BaseModel):
    """The check-in's outcome; with a referral the program closes until a clinician clears
    it (as on the pages), and there is no decision."""

    session_id: int
    screening: ScreeningOut
    decision: DecisionOut | None


class TightMomentOut(BaseModel):
    """A tight moment as kept, with the mobility drills offered (exercise ids)."""

    id: int
    at: dt.datetime
    drills: list[str]

    @classmethod
    def of(cls, moment: TightMoment) -> TightMomentOut:
        return cls(id=moment.id, at=moment.at, drills=list(moment.drills))


class StopOut(BaseModel):
    """A stop as kept: the exercise, why, what instead (the easier rung's id, or None for a
    skip). Rule 7a: the exercise does not move up next time (docs/progression.md)."""

    session_id: int
    exercise_id: str
    reason: StopReason
    action: StopAction
    to_exercise_id: str | None
    at: dt.datetime

    @classmethod
    def of(cls, stop: StopView) -> StopOut:
        return cls(
            session_id=stop.session_id,
            exercise_id=stop.exercise_id,
            reason=stop.reason,
            action=stop.action,
            to_exercise_id=stop.to_exercise_id,
            at=stop.at,
        )


#: The most operations one sync may carry (the phone's outbox sends more in several).
MAX_SYNC_ITEMS = 200
SyncOp = Literal["start", "set", "finish", "checkin", "tight", "stop"]


class SyncItem(BaseModel):
    """One queued operation: its client id, when the person did it, what it is, the session
    it goes into (set, finish, checkin, stop), and its body, as the single route takes it
    (start: StartRequest, set: SetRequest, finish: FinishRequest, checkin: CheckInRequest,
    tight: TightRequest, stop: StopRequest)."""

    model_config = ConfigDict(extra="forbid")

    client_id: UUID
    client_at: AwareDatetime | None = None
    op: SyncOp
    #: The server's session id, or the client id of a start sent before (in this batch or an
    #: earlier one). Not read for start and tight.
    session: int | UUID | None = None
    body: dict[str, Any] = Field(default_factory=dict, max_length=40)


class SyncResult(BaseModel):
    """The answer to one queued operation, in the order sent: the status and body the single
    route gives (a problem document for a refused one)."""

    client_id: UUID
    op: SyncOp
    status: int
    body: dict[str, Any]
