""" "This hurts / I can't do it" through the API and the outbox's sync: the same stop the
player's form keeps (services/stops.py), done once for its client id, refused naming its field."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.services.stop_log import easier_rung
from backcoach.store.tables import ExerciseStop
from tests.integration.api_steps import api_client, token_for
from tests.training_app import App, onboard

DATABASES = ("sqlite",)
API = "/api/v1"


def _person(app: App) -> TestClient:
    onboard(app)
    return api_client(app, token_for(app, "ana@example.com"))


def _item(op: str, body: dict[str, Any], session: Any = None) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "op": op, "session": session, "body": body}


def test_a_stop_queued_offline_is_kept_once_and_refused_naming_its_field(app: App) -> None:
    api = _person(app)
    first = app.program("ana@example.com").plan.exercises[0].exercise.id
    begin = _item("start", {"pain_before": 3})
    stop = _item(
        "stop", {"exercise_id": first, "reason": "pain", "action": "skip"}, begin["client_id"]
    )
    bad = _item(
        "stop", {"exercise_id": first, "reason": "bored", "action": "skip"}, begin["client_id"]
    )
    gone = _item(
        "stop", {"exercise_id": "nope", "reason": "pain", "action": "skip"}, begin["client_id"]
    )

    answers = api.post(f"{API}/sync", json=[begin, stop, bad, gone]).json()

    assert [answer["status"] for answer in answers] == [200, 200, 422, 422]
    assert (
        answers[1]["body"]["exercise_id"] == first and answers[1]["body"]["to_exercise_id"] is None
    )
    assert answers[2]["body"]["errors"][0]["field"] == "reason"
    assert (answers[3]["body"]["code"], answers[3]["body"]["field"]) == (
        "set.exercise_not_in_program",
        "exercise_id",
    )
    again = api.post(f"{API}/sync", json=[stop]).json()
    assert again[0] == answers[1]  # a replay answers as the first time, and keeps nothing more
    assert app.query(select(func.count(ExerciseStop.id))) == 1


def test_the_easier_rung_is_kept_through_the_single_route_or_said_to_be_none(app: App) -> None:
    api = _person(app)
    session_id = api.post(f"{API}/sessions", json={"pain_before": 3}).json()["id"]
    plan = app.program("ana@example.com").plan
    for item in plan.exercises:
        answer = api.post(
            f"{API}/sessions/{session_id}/stops",
            json={"exercise_id": item.exercise.id, "reason": "cannot", "action": "easier"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        rung = easier_rung(plan, item.exercise)  # what the player's form offers
        if rung is None:
            assert (answer.status_code, answer.json()["code"]) == (409, "stop.no_easier")
        else:
            assert (answer.status_code, answer.json()["to_exercise_id"]) == (200, rung.id)
