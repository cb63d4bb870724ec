"""API route: the offline outbox's sync, a queue of training operations answered in order.

Each item is done once for its client id, as the single routes do (training.py): a replayed
item answers what it answered the first time and changes nothing, and a known id with other
content answers a 409 problem (``operation.conflict``). Each item is its own transaction, so
one refused item undoes nothing before it, and the rest go on.

References to a session: an item's ``session`` is the server's id, or the client id of a
``start``, sent earlier in the same batch or in an earlier one. It is resolved through what
that start answered: a start never received answers 404 (``operation.start_unknown``), a
start that was refused answers 409 (``operation.start_refused``); neither is kept, so once
the start arrives the same item, sent again, goes in.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, ValidationError

from backcoach.api import training_operations as operations
from backcoach.api.deps import Caller, CallerDay, CallerDayDep, CallerDep, UowDep
from backcoach.api.problems import PROBLEM_RESPONSES, TITLES, Problem, invalid_input
from backcoach.api.training_models import (
    MAX_SYNC_ITEMS,
    CheckInRequest,
    FinishRequest,
    SetRequest,
    StartRequest,
    StopRequest,
    SyncItem,
    SyncResult,
    TightRequest,
)
from backcoach.services.client_operations import Answer, started_session
from backcoach.services.errors import ServiceError
from backcoach.store.db import UnitOfWork

router = APIRouter(responses=PROBLEM_RESPONSES, tags=["training"])
#: Where the app's unhandled errors are logged (web/access_log.py; the tests fail on any).
_ERRORS = logging.getLogger("backcoach.error")

BODIES: dict[str, type[BaseModel]] = {
    "start": StartRequest,
    "set": SetRequest,
    "finish": FinishRequest,
    "checkin": CheckInRequest,
    "tight": TightRequest,
    "stop": StopRequest,
}


@router.post("/sync", summary="Send queued training operations")
def sync(
    uow: UowDep,
    caller: CallerDep,
    day: CallerDayDep,
    items: Annotated[list[SyncItem], Body(max_length=MAX_SYNC_ITEMS)],
) -> list[SyncResult]:
    """Do each operation once, in order, and answer each with its status and body (a problem
    document for a refused one). At most 200 a request; a replay is harmless.

    After an item the server failed on (5xx), the rest are not tried: each answers 503
    (``operation.not_tried``) and nothing of it is kept, so the outbox sends them again after
    that item, in the order the person made them (a set after a start that failed would
    otherwise be refused for good, and a correction could land before the save it corrects)."""
    answers: list[SyncResult] = []
    for item in items:
        if answers and answers[-1].status >= 500:
            answers.append(_not_tried(item))
        else:
            answers.append(_one(uow, caller, day, item))
    return answers


def _not_tried(item: SyncItem) -> SyncResult:
    problem = Problem(
        title=TITLES[503],
        status=503,
        detail="Not tried after an item that failed: send it again.",
        code="operation.not_tried",
    )
    return SyncResult(
        client_id=item.client_id, op=item.op, status=503, body=problem.model_dump(mode="json")
    )


def _one(uow: UnitOfWork, caller: Caller, day: CallerDay, item: SyncItem) -> SyncResult:
    try:
        given = _answer(uow, caller, day, item)
    except Exception as error:  # one item's fault must never stall the whole outbox
        uow.session.rollback()
        # Its type only, as the request log does: a message can hold health data.
        _ERRORS.error("%s in POST /api/v1/sync, an item of op %s", type(error).__name__, item.op)
        problem = Problem(
            title=TITLES[500],
            status=500,
            detail="Something went wrong here with this item; it has been logged.",
            code="api.server_error",
        )
        given = Answer(500, problem.model_dump(mode="json"))
    return SyncResult(client_id=item.client_id, op=item.op, status=given.status, body=given.body)


def _answer(uow: UnitOfWork, caller: Caller, day: CallerDay, item: SyncItem) -> Answer:
    try:
        planned = _planned(uow, caller, day, item)
    except ValidationError as error:  # its body, or no session named: nothing was tried
        return Answer(422, invalid_input(error.errors()).model_dump(mode="json"))
    except ServiceError as error:  # a session named by a start never received or refused
        return operations.refusal(error)
    try:
        return operations.answer(uow, caller, day, planned)
    except ServiceError as error:  # refused beside the use case (a known id, other content)
        uow.session.rollback()
        return operations.refusal(error)


def _planned(uow: UnitOfWork, caller: Caller, day: CallerDay, item: SyncItem) -> operations.Planned:
    body = BODIES[item.op].model_validate(item.body)
    if item.client_at is not None:
        body = body.model_copy(update={"client_at": item.client_at})
    if isinstance(body, StartRequest):
        return operations.start(caller, day, body, item.client_id)
    if isinstance(body, TightRequest):
        return operations.tight_moment(caller, day, body, item.client_id)
    session_id = _session_id(uow, caller, day, item)
    if isinstance(body, SetRequest):
        return operations.save_set(caller, day, session_id, item.client_id, body)
    if isinstance(body, FinishRequest):
        return operations.finish(caller, day, session_id, body, item.client_id)
    if isinstance(body, StopRequest):
        return operations.stop(caller, day, session_id, body, item.client_id)
    assert isinstance(body, CheckInRequest)
    return operations.check_in(caller, day, session_id, body, item.client_id)


def _session_id(uow: UnitOfWork, caller: Caller, day: CallerDay, item: SyncItem) -> int:
    if isinstance(item.session, int):
        return item.session
    if item.session is None:
        raise ValidationError.from_exception_data(
            "SyncItem", [{"type": "missing", "loc": ("session",), "input": None}]
        )
    return started_session(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        client_id=str(item.session),
        now=day.now,
    )
