"""Where what a phone queued offline lands: at the time the person did it, by the phone's clock
as far as the server believes it (services/client_operations.py, `placed_at`), with the
server's receipt time kept beside it; and decided in the order it happened."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.services.client_operations import CLIENT_TIME_BACK, placed_at
from backcoach.store.api_tables import ClientOperation
from backcoach.store.tables import SetRecord, TrainingSession, User
from tests.integration.api_steps import api_client, token_for
from tests.training_app import MONDAY, App, onboard

DATABASES = ("sqlite",)
SYNC = "/api/v1/sync"
PAINS = {"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"}
MORNING = {"pain_next_morning": 2, "answers": dict.fromkeys(CHECK_IN_IDS, False)}


def test_a_client_time_is_believed_from_two_weeks_back_until_receipt() -> None:
    received = MONDAY
    yesterday = received - dt.timedelta(days=1)
    assert placed_at(yesterday, received) == yesterday
    assert placed_at(None, received) == received
    assert placed_at(received + dt.timedelta(minutes=1), received) == received  # never ahead
    too_old = received - CLIENT_TIME_BACK - dt.timedelta(seconds=1)
    assert placed_at(too_old, received) == received


def _person(app: App, email: str) -> TestClient:
    onboard(app, email)
    return api_client(app, token_for(app, email))


def _item(op: str, body: dict[str, Any], at: dt.datetime, session: Any = None) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "client_at": at.isoformat(),
        "op": op,
        "session": session,
        "body": body,
    }


def _session_items(
    app: App, email: str, at: dt.datetime, pains: dict[str, Any] = PAINS
) -> list[dict[str, Any]]:
    """A session at the top of every range as a phone queues it, a minute a set, from ``at``;
    its check-in the next morning at 07:30."""
    begin = _item("start", {"pain_before": 3}, at)
    items = [begin]
    for item in app.program(email).plan.exercises:
        for number in range(1, item.sets + 1):
            body = {"exercise_id": item.exercise.id, "number": number, "felt": "target"}
            body[item.exercise.dose.value] = item.dose_max
            items.append(
                _item("set", body, at + dt.timedelta(minutes=len(items)), begin["client_id"])
            )
    items.append(_item("finish", pains, at + dt.timedelta(minutes=len(items)), begin["client_id"]))
    morning = dt.datetime.combine(at.date() + dt.timedelta(days=1), dt.time(7, 30), dt.UTC)
    items.append(_item("checkin", MORNING, morning, begin["client_id"]))
    return items


def _sessions(app: App, email: str) -> list[TrainingSession]:
    user_id = app.query(select(User.id).where(User.email == email))
    with app.database.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.user_id == user_id)
            .order_by(TrainingSession.started_at)
        ).all()
        uow.session.expunge_all()
        return list(rows)


def _decisions(app: App, email: str) -> list[tuple[Any, ...]]:
    return [
        (item.exercise.id, item.decision, item.code, item.sets, item.dose_min, item.dose_max)
        for item in app.program(email).plan.exercises
    ]


def test_a_session_logged_offline_yesterday_lands_on_yesterday(app: App) -> None:
    api = _person(app, "ana@example.com")
    evening = MONDAY.replace(hour=18)
    items = _session_items(app, "ana@example.com", evening)
    app.clock.at = MONDAY + dt.timedelta(days=1, hours=2)  # Tuesday 11:00: back online

    answers = api.post(SYNC, json=items).json()

    assert [answer["status"] for answer in answers] == [200] * len(items), answers
    (session,) = _sessions(app, "ana@example.com")
    assert (session.day, session.started_at) == (MONDAY.date(), evening)
    assert session.finished_at == dt.datetime.fromisoformat(items[-2]["client_at"])
    assert session.checked_in_at == MONDAY.replace(hour=7, minute=30) + dt.timedelta(days=1)
    with app.database.unit_of_work() as uow:
        kept = uow.session.scalars(select(SetRecord.at).order_by(SetRecord.at)).all()
        records = uow.session.execute(
            select(ClientOperation.client_at, ClientOperation.received_at)
        ).all()
    assert kept == [dt.datetime.fromisoformat(item["client_at"]) for item in items[1:-2]]
    # The phone's time and the server's receipt are both kept for every operation.
    assert sorted(str(at) for at, _ in records) == sorted(
        str(dt.datetime.fromisoformat(item["client_at"])) for item in items
    )
    assert {received for _, received in records} == {app.clock.at}


def test_an_evening_check_in_queued_offline_stays_an_evening_answer(app: App) -> None:
    api = _person(app, "ana@example.com")
    items = _session_items(app, "ana@example.com", MONDAY.replace(hour=18))
    items[-1]["client_at"] = MONDAY.replace(hour=19).isoformat()  # answered that evening
    app.clock.at = MONDAY + dt.timedelta(days=1)  # sent the next morning

    answers = api.post(SYNC, json=items).json()

    assert (answers[-1]["status"], answers[-1]["body"]["code"]) == (422, "check_in.too_early")
    assert _sessions(app, "ana@example.com")[0].pain_next_morning is None


def test_sessions_sent_a_day_late_decide_as_they_would_have_online(app: App) -> None:
    online = _person(app, "online@example.com")
    offline = _person(app, "offline@example.com")
    days = [MONDAY.replace(hour=18) + dt.timedelta(days=2 * n) for n in range(2)]
    for day in days:
        # The second session hurts (8/10): the decision eases off, from the pains sent late.
        pains = PAINS | {"pain_during": 8, "pain_after": 8} if day == days[1] else PAINS
        # The online twin sends each operation as it happens ...
        for item in _session_items(app, "online@example.com", day, pains):
            app.clock.at = dt.datetime.fromisoformat(item["client_at"])
            assert online.post(SYNC, json=[item]).json()[0]["status"] == 200
        # ... the other finds a signal the evening after, and sends the session with its morning.
        app.clock.at = day + dt.timedelta(days=1, hours=2)
        late = _session_items(app, "offline@example.com", day, pains)
        answers = offline.post(SYNC, json=late).json()
        assert all(answer["status"] == 200 for answer in answers), answers
        assert _decisions(app, "offline@example.com") == _decisions(app, "online@example.com")
        codes = {decision[2] for decision in _decisions(app, "online@example.com")}
        assert any(code.startswith("ease_off") for code in codes) == (day == days[1])
    placed = [session.day for session in _sessions(app, "offline@example.com")]
    assert placed == [day.date() for day in days]


def test_a_phone_clock_behind_never_puts_a_finish_before_its_session(app: App) -> None:
    api = _person(app, "ana@example.com")
    app.clock.at = MONDAY.replace(hour=22)  # started online at 22:00
    start = api.post(SYNC, json=[_item("start", {"pain_before": 3}, app.clock.at)]).json()[0]
    session = start["body"]["id"]
    app.clock.at = MONDAY.replace(hour=23)
    behind = MONDAY.replace(hour=13)  # a phone ten hours behind
    item = app.program("ana@example.com").plan.exercises[0]
    body = {"exercise_id": item.exercise.id, "number": 1, "felt": "target"}
    body[item.exercise.dose.value] = item.dose_max
    sent = api.post(
        SYNC, json=[_item("set", body, behind, session), _item("finish", PAINS, behind, session)]
    ).json()
    assert [answer["status"] for answer in sent] == [200, 200]
    (row,) = _sessions(app, "ana@example.com")
    assert row.finished_at == row.started_at == MONDAY.replace(hour=22)

    app.clock.at = MONDAY.replace(hour=0, minute=4) + dt.timedelta(days=1)  # an hour later
    early = api.post(f"/api/v1/sessions/{session}/check-in", json=MORNING)

    assert (early.status_code, early.json()["code"]) == (422, "check_in.too_early")
