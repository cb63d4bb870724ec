"""The training operations a client may send under an id of its own (a UUID): start, set,
finish, check-in and tight moment, each as the operation kept for idempotency (its kind,
target and content) and the effect that calls the same services as the pages.

The routes of training.py send one at a time; sync.py sends a queue of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import UUID

from fastapi.responses import JSONResponse

from backcoach.api.deps import Caller, CallerDay
from backcoach.api.problems import MEDIA_TYPE, service_problem
from backcoach.api.training_models import (
    CheckInOut,
    CheckInRequest,
    DecisionOut,
    FinishOut,
    FinishRequest,
    OperationRequest,
    SavedSetOut,
    ScreeningOut,
    SessionOut,
    SetOut,
    SetRequest,
    StartRequest,
    StopOut,
    StopRequest,
    TightMomentOut,
    TightRequest,
)
from backcoach.services import stops, tight, training, training_checks
from backcoach.services.client_operations import Answer, Effect, Operation, run_once
from backcoach.services.errors import ServiceError
from backcoach.services.sets import SetInput
from backcoach.store.db import UnitOfWork

#: The header that carries a client's id for a start, finish, check-in or tight moment.
IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True, slots=True)
class Planned:
    """An operation ready to run: what is kept of it, and what it does."""

    #: None when the client sent no id of its own: then it runs each time it is sent.
    operation: Operation | None
    effect: Effect


def start(caller: Caller, day: CallerDay, body: StartRequest, client_id: UUID | None) -> Planned:
    day = day.placed(body.client_at)  # a session started offline yesterday starts yesterday

    def effect(uow: UnitOfWork) -> Answer:
        view = training.start_session(
            uow=uow,
            principal=caller.principal,
            person_id=caller.user_id,
            pain_before=body.pain_before,
            today=day.today,
            now=day.now,
        )
        return _ok(SessionOut.of_view(view))

    return _planned("start", "sessions", client_id, body, effect)


def save_set(
    caller: Caller, day: CallerDay, session_id: int, client_id: UUID, body: SetRequest
) -> Planned:
    amount, kind = body.dose
    entry = SetInput(
        body.exercise_id,
        body.number,
        amount,
        body.felt.value,
        body.load_kg,
        body.rir,
        body.camera_reps,
    )
    day = day.placed(body.client_at)

    def effect(uow: UnitOfWork) -> Answer:
        saved = training_checks.log_dosed_set(
            uow=uow,
            principal=caller.principal,
            person_id=caller.user_id,
            session_id=session_id,
            entry=entry,
            kind=kind,
            now=day.now,
            today=day.today,
        )
        shown = SetOut.of(saved).model_dump()
        return _ok(SavedSetOut(**shown, session_id=session_id, client_id=client_id))

    return _planned("set", f"sessions/{session_id}/sets", client_id, body, effect)


def finish(
    caller: Caller, day: CallerDay, session_id: int, body: FinishRequest, client_id: UUID | None
) -> Planned:
    day = day.placed(body.client_at)

    def effect(uow: UnitOfWork) -> Answer:
        finished, decided = training_checks.finish_once(
            uow=uow,
            principal=caller.principal,
            person_id=caller.user_id,
            session_id=session_id,
            pain_during=body.pain_during,
            pain_after=body.pain_after,
            leg_symptoms=body.leg_symptoms,
            today=day.today,
            now=day.now,
        )
        return _ok(
            FinishOut(session=SessionOut.of_view(finished), decision=DecisionOut.of(decided))
        )

    return _planned("finish", f"sessions/{session_id}/finish", client_id, body, effect)


def check_in(
    caller: Caller, day: CallerDay, session_id: int, body: CheckInRequest, client_id: UUID | None
) -> Planned:
    # The morning rule reads when the person answered, not when the phone found a signal.
    day = day.placed(body.client_at)

    def effect(uow: UnitOfWork) -> Answer:
        outcome, decided = training_checks.check_in_after_finish(
            uow=uow,
            principal=caller.principal,
            person_id=caller.user_id,
            session_id=session_id,
            pain_next_morning=body.pain_next_morning,
            red_flags=body.answers,
            today=day.today,
            now=day.now,
        )
        screening = ScreeningOut.of(outcome)
        return _ok(
            CheckInOut(session_id=session_id, screening=screening, decision=DecisionOut.of(decided))
        )

    return _planned("checkin", f"sessions/{session_id}/check-in", client_id, body, effect)


def tight_moment(
    caller: Caller, day: CallerDay, body: TightRequest, client_id: UUID | None
) -> Planned:
    day = day.placed(body.client_at)

    def effect(uow: UnitOfWork) -> Answer:
        moment = tight.log_tight_moment(
            uow=uow, principal=caller.principal, person_id=caller.user_id, now=day.now
        )
        return _ok(TightMomentOut.of(moment))

    return _planned("tight", "tight-moments", client_id, body, effect)


def stop(
    caller: Caller, day: CallerDay, session_id: int, body: StopRequest, client_id: UUID | None
) -> Planned:
    day = day.placed(body.client_at)

    def effect(uow: UnitOfWork) -> Answer:
        kept = stops.record_stop(
            uow=uow,
            principal=caller.principal,
            person_id=caller.user_id,
            session_id=session_id,
            exercise_id=body.exercise_id,
            reason=body.reason.value,
            action=body.action.value,
            now=day.now,
            today=day.today,
        )
        return _ok(StopOut.of(kept))

    return _planned("stop", f"sessions/{session_id}/stops", client_id, body, effect)


def answer(uow: UnitOfWork, caller: Caller, day: CallerDay, planned: Planned) -> Answer:
    """Run ``planned`` once for its client id (a replay answers as the first time), or, sent
    without one, now; a refusal raises."""
    if planned.operation is None:
        return planned.effect(uow)
    return run_once(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        operation=planned.operation,
        now=day.now,
        effect=planned.effect,
        refusal=refusal,
    )


def refusal(error: ServiceError) -> Answer:
    """A service's refusal as the problem document the API answers with."""
    response = service_problem(error)
    return Answer(response.status_code, json.loads(bytes(response.body)))


def respond(given: Answer) -> JSONResponse:
    """The answer as a response; a replay says so in a header (its status and body are the
    first answer's)."""
    headers = {"Idempotent-Replayed": "true"} if given.replayed else {}
    media_type = MEDIA_TYPE if given.status >= 400 else "application/json"
    return JSONResponse(
        given.body, status_code=given.status, headers=headers, media_type=media_type
    )


def _planned(
    kind: str, target: str, client_id: UUID | None, body: OperationRequest, effect: Effect
) -> Planned:
    if client_id is None:
        return Planned(None, effect)
    operation = Operation(str(client_id), kind, target, body.content(), body.client_at)
    return Planned(operation, effect)


def _ok(
    document: SessionOut | SavedSetOut | FinishOut | CheckInOut | TightMomentOut | StopOut,
) -> Answer:
    return Answer(200, document.model_dump(mode="json"))
