"""Operations a client sends under an id it made (a UUID), done once however often they arrive.

A phone's outbox (issue 14) or a script sends an operation again when it lost the answer. Each
operation is kept with the answer it got, written in the SAME transaction as its effect, so a
crash never leaves an effect without its record nor a record without its effect:

- the same id with the same content (kind, target, body) answers what it answered the first
  time, status and body, and changes nothing;
- the same id with other content is refused (`operation.conflict`, 409);
- a refusal by a use case (a finished session, a set out of range) is an answer too: it is kept
  and given again; to try again after changing something, a client sends a new id;
- what is refused before the use case runs (a malformed body, the same id with other content,
  a reference to a start never received) is not kept: nothing was tried.

Two identical requests at once: the first to insert the record holds the (user_id, client_id)
unique index until it commits; the other then fails on it, rolls back and answers the kept
answer, so the effect happens once and both get the same answer.

The client's time (``client_at``) is kept beside the server's receipt time, and the effect
happens at it (`placed_at`): a session logged offline yesterday lands on yesterday, and what a
phone queued is decided in the order the person did it. A time the server cannot believe (ahead
of its own clock, or more than `CLIENT_TIME_BACK` old) is read as the time of receipt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backcoach.services.access import Action, Principal, authorize
from backcoach.services.errors import Conflict, Forbidden, Limited, NotFound, ServiceError
from backcoach.store.api_tables import ClientOperation
from backcoach.store.db import UnitOfWork

#: The kinds of operation, with what each acts on in the access rules' words.
KINDS: Mapping[str, str] = {
    "start": "session",
    "set": "set",
    "finish": "session",
    "checkin": "check_in",
    "tight": "tight_moment",
    "stop": "set",
}
#: The status of a start that began (or came back to) a session.
STARTED = 200
#: How far back a client's time is believed: an outbox kept offline for longer than this lands
#: when it arrives (two weeks: far longer than a gym without signal, shorter than the four
#: weeks after which the safety questions are asked again).
CLIENT_TIME_BACK = dt.timedelta(days=14)


def placed_at(client_at: dt.datetime | None, received: dt.datetime) -> dt.datetime:
    """When an operation happened, for its effect: the client's time if it is believable (not
    after the server received it, at most `CLIENT_TIME_BACK` before), else the receipt time.
    A phone's clock running ahead therefore never puts anything in the future."""
    if client_at is None or client_at > received or client_at < received - CLIENT_TIME_BACK:
        return received
    return client_at


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation as a client sent it: its id, what it does, to what, with which content."""

    client_id: str
    #: One of `KINDS`.
    kind: str
    #: What it acts on, e.g. "sessions/12/sets" (the server's ids, references resolved).
    target: str
    #: The content that makes it this operation (JSON values), without the client's time.
    content: Mapping[str, Any]
    #: When the person did it on their device, if the client said.
    client_at: dt.datetime | None = None

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON of (kind, target, content)."""
        canonical = json.dumps(
            [self.kind, self.target, self.content],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Answer:
    """What an operation answered: a status and a JSON body (a problem document if refused)."""

    status: int
    body: Any
    #: True when it is the answer kept from an earlier request with the same id.
    replayed: bool = False


#: Does the operation through the unit of work given and says what it answered; raises the
#: use case's refusal.
Effect = Callable[[UnitOfWork], Answer]
#: A use case's refusal as the answer to keep.
Refusal = Callable[[ServiceError], Answer]


def run_once(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    operation: Operation,
    now: dt.datetime,
    effect: Effect,
    refusal: Refusal,
) -> Answer:
    """Do ``operation`` once for ``person_id``, or answer what it answered before.

    Raises `Conflict` (``operation.conflict``) for a known id with other content, and passes
    on a `Limited` refusal (a wait is no answer to keep); neither is kept.
    """
    if principal.user_id != person_id:
        # Inside the effect a commit only flushes (its record goes with it): the audit line that
        # authorize commits for someone else's data would roll back with a refusal. Operations
        # under a client's id are a person's own training; a coach's would need audit kept apart.
        raise Forbidden("access.forbidden", what=KINDS[operation.kind])
    authorize(uow, principal, Action.WRITE, person_id, what=KINDS[operation.kind], now=now)
    kept = _kept(uow, person_id, operation.client_id)
    if kept is not None:
        return _replay(kept, operation)
    record = _record(person_id, operation, now)
    if not _claimed(uow, record):
        return _replay_after_race(uow, person_id, operation)
    try:
        answer = effect(_OneTransaction(uow))
    except ServiceError as error:
        uow.session.rollback()  # the effect's partial changes go, and the claim with them
        if isinstance(error, Limited):
            raise
        answer = refusal(error)
        record = _record(person_id, operation, now)
        if not _claimed(uow, record):  # a twin kept its answer while this one was refused
            return _replay_after_race(uow, person_id, operation)
    except Exception:
        uow.session.rollback()  # a later commit on this unit of work must not carry the claim
        raise
    record.status = answer.status
    record.response = json.dumps(answer.body, separators=(",", ":"))
    uow.commit()
    return answer


def started_session(
    *, uow: UnitOfWork, principal: Principal, person_id: int, client_id: str, now: dt.datetime
) -> int:
    """The id of the session that the start sent under ``client_id`` began (a start's kept
    answer is the session, with its ``id``). Refused when no start is kept under that id
    (`operation.start_unknown`) or the start was refused (`operation.start_refused`)."""
    authorize(uow, principal, Action.READ, person_id, what="session", now=now)
    row = _kept(uow, person_id, client_id)
    if row is None or row.kind != "start":
        raise NotFound("operation.start_unknown", field="session")
    answer = json.loads(row.response)
    if row.status != STARTED or not isinstance(answer, dict) or "id" not in answer:
        raise Conflict("operation.start_refused", field="session")
    return int(answer["id"])


class _OneTransaction(UnitOfWork):
    """The request's unit of work as a use case sees it while an operation runs: its commit
    only flushes, so the operation's record commits with the effect, or neither does."""

    def __init__(self, outer: UnitOfWork) -> None:  # shares the outer session, opens nothing
        self.session = outer.session

    def commit(self) -> None:
        self.session.flush()


def _record(person_id: int, operation: Operation, now: dt.datetime) -> ClientOperation:
    # Status 0 and no response until the effect answers; never committed like that.
    return ClientOperation(
        user_id=person_id,
        client_id=operation.client_id,
        kind=operation.kind,
        request_hash=operation.digest,
        status=0,
        response="null",
        client_at=operation.client_at,
        received_at=now,
    )


def _claimed(uow: UnitOfWork, record: ClientOperation) -> bool:
    """Insert the record now: False when the same id is already kept (a twin committed it;
    on PostgreSQL the insert first waits for the twin's transaction to end)."""
    uow.session.add(record)
    try:
        uow.session.flush()
    except IntegrityError:
        uow.session.rollback()
        return False
    return True


def _kept(uow: UnitOfWork, person_id: int, client_id: str) -> ClientOperation | None:
    return uow.session.scalar(
        select(ClientOperation).where(
            ClientOperation.user_id == person_id, ClientOperation.client_id == client_id
        )
    )


def _replay_after_race(uow: UnitOfWork, person_id: int, operation: Operation) -> Answer:
    kept = _kept(uow, person_id, operation.client_id)
    if kept is None:  # pragma: no cover - the unique index refused it, so it is there
        raise RuntimeError("an operation refused as a duplicate is not kept")
    return _replay(kept, operation)


def _replay(kept: ClientOperation, operation: Operation) -> Answer:
    if kept.request_hash != operation.digest:
        raise Conflict("operation.conflict", field="client_id", kind=kept.kind)
    return Answer(kept.status, json.loads(kept.response), replayed=True)
