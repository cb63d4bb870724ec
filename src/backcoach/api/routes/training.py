"""API routes: training sessions, their sets, the finish, the next-morning check-in and tight
moments, through the same services and safety gates as the pages.

Sending twice is harmless: a set is put under the client's own id for it
(``PUT /sessions/{id}/sets/{client_id}``), and a start, finish, check-in or tight moment may
carry one in the ``Idempotency-Key`` header (a UUID). The same id with the same content answers
what it answered the first time (status and body, with ``Idempotent-Replayed: true``) and
changes nothing; with other content it is a 409 problem (``operation.conflict``). A refusal by
the use case is kept and answered again too: send a new id to try again.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from backcoach.api import training_operations as operations
from backcoach.api.deps import CallerDayDep, CallerDep, NowDep, UowDep
from backcoach.api.pagination import Page, WindowDep
from backcoach.api.problems import PROBLEM_RESPONSES
from backcoach.api.training_models import (
    CheckInOut,
    CheckInRequest,
    FinishOut,
    FinishRequest,
    SavedSetOut,
    SessionOut,
    SessionSummaryOut,
    SetRequest,
    StartRequest,
    StopOut,
    StopRequest,
    TightMomentOut,
    TightRequest,
)
from backcoach.services import session_list, training

router = APIRouter(responses=PROBLEM_RESPONSES, tags=["training"])

IdempotencyKey = Annotated[
    UUID | None,
    Header(
        alias=operations.IDEMPOTENCY_HEADER,
        description="A UUID the client made for this operation: sending it again is harmless.",
    ),
]


@router.get("/sessions", summary="Your training sessions, newest first")
def list_sessions(
    uow: UowDep, caller: CallerDep, window: WindowDep, now: NowDep
) -> Page[SessionSummaryOut]:
    """Each session's day, pains (before, during, after, the next morning), leg symptoms,
    whether it is finished, and how many sets it has."""
    found = session_list.sessions_page(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        limit=window.limit,
        offset=window.offset,
        now=now,
    )
    return window.page([SessionSummaryOut.of(item) for item in found.sessions], found.total)


@router.get("/sessions/{session_id}", summary="One of your sessions, with its sets")
def read_session(uow: UowDep, caller: CallerDep, session_id: int, now: NowDep) -> SessionOut:
    """The session and each set saved: exercise, set number, amount and its unit, load, reps
    in reserve, where it was felt and when."""
    view = training.get_session(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        session_id=session_id,
        now=now,
    )
    return SessionOut.of_view(view)


@router.post("/sessions", summary="Start a session", response_model=SessionOut)
def start_session(
    uow: UowDep,
    caller: CallerDep,
    day: CallerDayDep,
    body: StartRequest,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Start a session on the active program with the pain before it, or come back to the one
    left open. Refused while the safety questions are due or a referral holds
    (``program.rescreen``, ``program.referred``), as on the pages."""
    planned = operations.start(caller, day, body, idempotency_key)
    return operations.respond(operations.answer(uow, caller, day, planned))


@router.put(
    "/sessions/{session_id}/sets/{client_id}",
    summary="Save a set under your id for it",
    response_model=SavedSetOut,
)
def put_set(
    uow: UowDep,
    caller: CallerDep,
    day: CallerDayDep,
    session_id: int,
    client_id: UUID,
    body: SetRequest,
) -> JSONResponse:
    """Save one set; ``client_id`` is a UUID the client made for it. The same request again
    stores nothing more and answers the same; the same id with other content is a 409
    (``operation.conflict``). Saving another id for the same set number corrects that set, as
    the pages do. A finished session refuses sets (``session.finished``)."""
    planned = operations.save_set(caller, day, session_id, client_id, body)
    return operations.respond(operations.answer(uow, caller, day, planned))


@router.post("/sessions/{session_id}/finish", summary="Finish a session", response_model=FinishOut)
def finish_session(
    uow: UowDep,
    caller: CallerDep,
    day: CallerDayDep,
    session_id: int,
    body: FinishRequest,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Close the session with the pains during and after it and the leg symptoms, and get the
    engine's decision for the next one (settled by the next morning's check-in). The first
    finish stands: finishing again is a 409 (``session.finished``)."""
    planned = operations.finish(caller, day, session_id, body, idempotency_key)
    return operations.respond(operations.answer(uow, caller, day, planned))


@router.post(
    "/sessions/{session_id}/check-in",
    summary="The next-morning check-in",
    response_model=CheckInOut,
)
def check_in(
    uow: UowDep,
    caller: CallerDep,
    day: CallerDayDep,
    session_id: int,
    body: CheckInRequest,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """This morning's pain and the warning signs asked again, with the same rules as the
    page: a sign that refers closes the program until a clinician clears it."""
    planned = operations.check_in(caller, day, session_id, body, idempotency_key)
    return operations.respond(operations.answer(uow, caller, day, planned))


@router.post(
    "/sessions/{session_id}/stops",
    summary="This hurts / I can't do it: stop an exercise",
    response_model=StopOut,
)
def stop_exercise(
    uow: UowDep,
    caller: CallerDep,
    day: CallerDayDep,
    session_id: int,
    body: StopRequest,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Stop one exercise of an open session, with why (``pain``, ``cannot``) and what instead:
    its easier rung (``easier``; ``stop.no_easier`` when there is none with the person's kit)
    or a ``skip``. Saying it again for the same exercise corrects it. As the player's form:
    next time the exercise does not move up (rule 7a, docs/progression.md)."""
    planned = operations.stop(caller, day, session_id, body, idempotency_key)
    return operations.respond(operations.answer(uow, caller, day, planned))


@router.post("/tight-moments", summary="I feel tight", response_model=TightMomentOut)
def tight_moment(
    uow: UowDep,
    caller: CallerDep,
    day: CallerDayDep,
    body: TightRequest | None = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Log the moment and get the mobility drills of the program to do now (M6)."""
    planned = operations.tight_moment(caller, day, body or TightRequest(), idempotency_key)
    return operations.respond(operations.answer(uow, caller, day, planned))
