"""The offline outbox's sync: a queue of operations answered in order, each done once however
often the queue is sent, also when the same request arrives twice at once (on SQLite and on
PostgreSQL: the unique index decides)."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.api.training_models import MAX_SYNC_ITEMS
from backcoach.services import training
from backcoach.services.access import principal_of
from backcoach.services.client_operations import Answer, Operation, run_once
from backcoach.services.sets import SetInput
from backcoach.store.api_tables import ClientOperation
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import PlanRecord, SetRecord, TrainingSession, User
from tests.integration.api_steps import api_client, token_for
from tests.training_app import MONDAY, App, onboard, sign_up

DATABASES = ("sqlite",)
BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
SYNC = "/api/v1/sync"
PAINS = {"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"}
#: Rounds of two identical requests at once (each round its own ids).
ROUNDS = 8


def _person(app: App) -> TestClient:
    onboard(app)
    return api_client(app, token_for(app, "ana@example.com"))


def _item(op: str, body: dict[str, Any], session: Any = None) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "client_at": "2026-11-23T08:59:00+00:00",
        "op": op,
        "session": session,
        "body": body,
    }


def _sets(app: App) -> list[dict[str, Any]]:
    """A body for every planned set, at the top of its range."""
    return [
        {"exercise_id": item.exercise.id, "number": number, item.exercise.dose.value: item.dose_max}
        | {"felt": "target"}
        for item in app.program("ana@example.com").plan.exercises
        for number in range(1, item.sets + 1)
    ]


def _session_batch(app: App) -> list[dict[str, Any]]:
    """A whole session as a phone queues it: the start, each set, the finish."""
    begin = _item("start", {"pain_before": 3})
    sets = [_item("set", body, begin["client_id"]) for body in _sets(app)]
    return [begin, *sets, _item("finish", PAINS, begin["client_id"])]


def _count(app: App, column: Any) -> int:
    return int(app.query(select(func.count(column))))


def test_a_batch_replayed_whole_answers_the_same_and_doubles_nothing(app: App) -> None:
    api = _person(app)
    batch = _session_batch(app)
    first = api.post(SYNC, json=batch)
    assert first.status_code == 200, first.text
    assert [result["status"] for result in first.json()] == [200] * len(batch), first.text
    assert [result["client_id"] for result in first.json()] == [i["client_id"] for i in batch]
    session_id = first.json()[0]["body"]["id"]
    assert first.json()[-1]["body"]["session"]["set_count"] == len(batch) - 2
    again = api.post(SYNC, json=batch)
    assert again.json() == first.json()
    assert _count(app, TrainingSession.id) == 1
    assert _count(app, SetRecord.id) == len(batch) - 2
    assert _count(app, ClientOperation.id) == len(batch)
    assert (
        app.query(select(ClientOperation.client_at).limit(1))
        .isoformat()
        .startswith("2026-11-23T08:59")
    )
    # A set of that batch sent alone answers as it did in the batch.
    single = batch[1]
    alone = api.put(
        f"/api/v1/sessions/{session_id}/sets/{single['client_id']}", json=single["body"]
    )
    assert (alone.status_code, alone.json()) == (200, first.json()[1]["body"])


def test_a_bad_item_in_the_middle_answers_its_problem_and_the_rest_go_on(app: App) -> None:
    api = _person(app)
    begin = _item("start", {"pain_before": 3})
    good, second, *_ = _sets(app)
    batch = [
        begin,
        _item("set", good, begin["client_id"]),
        _item("set", {**good, "number": 9}, begin["client_id"]),
        _item("set", good, str(uuid.uuid4())),
        _item("set", good),
        _item("set", second, begin["client_id"]),
        _item("finish", PAINS, begin["client_id"]),
    ]
    answers = api.post(SYNC, json=batch).json()
    assert [answer["status"] for answer in answers] == [200, 200, 422, 404, 422, 200, 200]
    assert answers[2]["body"]["field"] == "number"
    assert answers[3]["body"]["code"] == "operation.start_unknown"
    assert answers[4]["body"]["field"] == "session"
    assert _count(app, SetRecord.id) == 2
    # Only the answers of what was tried are kept: a refused item may be sent again, fixed.
    assert _count(app, ClientOperation.id) == 4
    late = api.post(SYNC, json=[_item("set", good, begin["client_id"])]).json()
    assert (late[0]["status"], late[0]["body"]["code"]) == (409, "session.finished")


def test_items_that_go_into_a_refused_start_are_refused_and_a_queue_is_bounded(
    app: App,
) -> None:
    sign_up(app, "new@example.com")  # no screening yet: a start is refused
    api = api_client(app, token_for(app, "new@example.com"))
    begin = _item("start", {"pain_before": 3})
    batch = [begin, _item("finish", PAINS, begin["client_id"])]
    answers = api.post(SYNC, json=batch).json()
    assert [(a["status"], a["body"]["code"]) for a in answers] == [
        (409, "program.screening"),
        (409, "operation.start_refused"),
    ]
    too_many = api.post(SYNC, json=[_item("tight", {}) for _ in range(MAX_SYNC_ITEMS + 1)])
    assert too_many.status_code == 422
    assert _count(app, ClientOperation.id) == 1  # the refused start's answer alone


def _twice_at_once(clients: list[TestClient], method: str, path: str, body: Any) -> list[Any]:
    """What each of two threads got, sending the same request at the same moment."""
    barrier = threading.Barrier(2)
    got: list[Any] = [None, None]

    def twin(index: int) -> None:
        barrier.wait()
        got[index] = clients[index].request(method, path, json=body)

    threads = [threading.Thread(target=twin, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return got


def _twins(app: App) -> list[TestClient]:
    secret = token_for(app, "ana@example.com")
    return [api_client(app, secret) for _ in range(2)]


@BOTH
def test_two_identical_puts_at_once_store_one_set_and_answer_the_same(app: App) -> None:
    onboard(app)
    twins = _twins(app)
    session_id = twins[0].post("/api/v1/sessions", json={"pain_before": 3}).json()["id"]
    bodies = _sets(app)[:ROUNDS]
    for body in bodies:
        path = f"/api/v1/sessions/{session_id}/sets/{uuid.uuid4()}"
        got = _twice_at_once(twins, "PUT", path, body)
        assert [answer.status_code for answer in got] == [200, 200], [a.text for a in got]
        assert got[0].json() == got[1].json()
        assert sorted(answer.headers.get("idempotent-replayed", "") for answer in got) == [
            "",
            "true",
        ]
    assert _count(app, SetRecord.id) == len(bodies)
    assert _count(app, ClientOperation.id) == len(bodies)


@BOTH
def test_two_identical_syncs_at_once_do_each_item_once_and_answer_the_same(app: App) -> None:
    onboard(app)
    twins = _twins(app)
    rounds = 2
    for _ in range(rounds):
        batch = _session_batch(app)
        got = _twice_at_once(twins, "POST", SYNC, batch)
        assert [answer.status_code for answer in got] == [200, 200]
        assert got[0].json() == got[1].json()
        assert {result["status"] for result in got[0].json()} == {200}, got[0].text
    assert _count(app, TrainingSession.id) == rounds
    # Each finish decided once: one plan decided from each session.
    assert _count(app, PlanRecord.decided_from_session_id) == rounds


def test_an_operation_that_fails_after_its_effect_leaves_neither_effect_nor_record(
    app: App,
) -> None:
    api = _person(app)
    session_id = api.post("/api/v1/sessions", json={"pain_before": 3}).json()["id"]
    person = app.query(select(User).where(User.email == "ana@example.com"))
    body = _sets(app)[0]
    entry = SetInput(body["exercise_id"], 1, 8, "target")

    def saved_then_crashed(uow: UnitOfWork) -> Answer:
        training.log_set(
            uow=uow,
            principal=principal_of(person),
            person_id=person.id,
            session_id=session_id,
            entry=entry,
            now=MONDAY,
        )
        raise RuntimeError("the server died before answering")

    operation = Operation(str(uuid.uuid4()), "set", f"sessions/{session_id}/sets", body)
    with app.database.unit_of_work() as uow, pytest.raises(RuntimeError):
        run_once(
            uow=uow,
            principal=principal_of(person),
            person_id=person.id,
            operation=operation,
            now=MONDAY,
            effect=saved_then_crashed,
            refusal=lambda error: Answer(409, {}),
        )
        uow.commit()  # what a careless caller might do next commits nothing of it either
    assert _count(app, SetRecord.id) == 0
    assert _count(app, ClientOperation.id) == 0


@pytest.mark.server_error_expected
def test_after_an_item_the_server_failed_on_the_rest_are_not_tried_and_go_in_when_sent_again(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = _person(app)
    batch = _session_batch(app)[:3]  # the start and two sets that name it
    real_start = training.start_session
    with monkeypatch.context() as broken:
        broken.setattr(training, "start_session", _crash)
        first = api.post(SYNC, json=batch).json()
    assert [(r["status"], r["body"]["code"]) for r in first] == [
        (500, "api.server_error"),
        (503, "operation.not_tried"),
        (503, "operation.not_tried"),
    ]
    assert _count(app, ClientOperation.id) == 0  # nothing of them kept: all can be sent again
    assert training.start_session is real_start

    again = api.post(SYNC, json=batch).json()

    assert [r["status"] for r in again] == [200, 200, 200]  # in order, not refused for good
    assert _count(app, SetRecord.id) == 2


def _crash(**_: Any) -> None:
    raise RuntimeError("the database went away")
