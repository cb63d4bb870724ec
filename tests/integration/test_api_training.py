"""Training through the API: the same decisions and refusals as the pages, and a set put under
the client's id stored once however often it is sent."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.store.api_tables import ClientOperation
from backcoach.store.tables import SetRecord, TightMoment
from tests.integration.api_steps import api_client, token_for
from tests.training_app import MONDAY, App, checkin, csrf_of, finish, onboard, save, start

DATABASES = ("sqlite",)
PROBLEM = "application/problem+json"
API = "/api/v1"


def _planned_sets(app: App, email: str) -> list[tuple[str, int, int, str]]:
    """Every planned set at the top of its range: exercise, number, amount, kind."""
    return [
        (item.exercise.id, number, item.dose_max, item.exercise.dose.value)
        for item in app.program(email).plan.exercises
        for number in range(1, item.sets + 1)
    ]


def _decisions(app: App, email: str) -> list[tuple[Any, ...]]:
    return [
        (item.exercise.id, item.decision, item.code, item.sets, item.dose_min, item.dose_max)
        for item in app.program(email).plan.exercises
    ]


def _person(app: App, email: str = "ana@example.com") -> TestClient:
    onboard(app, email)
    return api_client(app, token_for(app, email))


def _start(api: TestClient, pain_before: int = 3) -> int:
    answer = api.post(f"{API}/sessions", json={"pain_before": pain_before})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["id"])


def _one_set(app: App, api: TestClient, session_id: int, email: str = "ana@example.com") -> None:
    """Save the first planned set: a session with no set cannot be finished."""
    exercise_id, _, _, kind = _planned_sets(app, email)[0]
    saved = api.put(
        f"{API}/sessions/{session_id}/sets/{uuid.uuid4()}", json=_set(exercise_id, kind=kind)
    )
    assert saved.status_code == 200, saved.text


def _set(exercise_id: str, number: int = 1, amount: int = 8, kind: str = "reps") -> dict[str, Any]:
    return {"exercise_id": exercise_id, "number": number, kind: amount, "felt": "target"}


def _no_flags(**yes: bool) -> dict[str, bool]:
    return {question: yes.get(question, False) for question in CHECK_IN_IDS}


def test_a_whole_session_through_the_api_decides_as_through_the_pages(app: App) -> None:
    pages = onboard(app, "pages@example.com")
    api = _person(app, "api@example.com")
    assert _decisions(app, "pages@example.com") == _decisions(app, "api@example.com")
    page_session = start(pages)
    api_session = _start(api)
    for exercise_id, number, amount, kind in _planned_sets(app, "pages@example.com"):
        assert save(pages, page_session, exercise_id, number, amount, kind=kind).status_code == 303
        path = f"{API}/sessions/{api_session}/sets/{uuid.uuid4()}"
        answer = api.put(path, json=_set(exercise_id, number, amount, kind))
        assert answer.status_code == 200, answer.text
    finish(pages, page_session, during=2, after=2)
    finished = api.post(
        f"{API}/sessions/{api_session}/finish",
        json={"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"},
    )
    assert finished.status_code == 200, finished.text
    assert _decisions(app, "pages@example.com") == _decisions(app, "api@example.com")
    said = finished.json()["decision"]["exercises"]
    assert [(item["exercise_id"], item["decision"], item["reason"]["code"]) for item in said] == [
        decided[:3] for decided in _decisions(app, "api@example.com")
    ]
    assert all(item["reason"]["words"] for item in said)

    app.clock.at = MONDAY + dt.timedelta(days=1)
    checkin(pages, page_session, morning=2)
    checked = api.post(
        f"{API}/sessions/{api_session}/check-in",
        json={"pain_next_morning": 2, "answers": _no_flags()},
    )
    assert checked.status_code == 200, checked.text
    assert checked.json()["screening"]["refer"] is False
    assert _decisions(app, "pages@example.com") == _decisions(app, "api@example.com")

    listed = api.get(f"{API}/sessions").json()
    assert listed["total"] == 1
    (summary,) = listed["items"]
    assert summary["finished"] is True and summary["pain_next_morning"] == 2
    assert summary["set_count"] == len(_planned_sets(app, "api@example.com"))
    read = api.get(f"{API}/sessions/{api_session}").json()
    assert len(read["sets"]) == summary["set_count"]
    assert {item["kind"] for item in read["sets"]} <= {"reps", "seconds", "steps"}


def test_a_set_put_twice_is_stored_once_and_answers_the_same(app: App) -> None:
    api = _person(app)
    session_id = _start(api)
    exercise_id, _, _, kind = _planned_sets(app, "ana@example.com")[0]
    path = f"{API}/sessions/{session_id}/sets/{uuid.uuid4()}"
    first = api.put(path, json=_set(exercise_id, kind=kind))
    app.clock.at = MONDAY + dt.timedelta(minutes=1)  # a replay's answer is still the first one
    again = api.put(path, json={**_set(exercise_id, kind=kind), "client_at": "2026-11-23T09:00Z"})
    # The same set with its amount given as amount and kind is the same content.
    same = {"exercise_id": exercise_id, "number": 1, "amount": 8, "kind": kind, "felt": "target"}
    third = api.put(path, json=same)
    assert first.status_code == again.status_code == third.status_code == 200, first.text
    assert first.json() == again.json() == third.json()
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert app.query(select(func.count(SetRecord.id))) == 1
    assert app.query(select(func.count(ClientOperation.id))) == 1
    kept = app.query(select(ClientOperation))
    assert (kept.kind, kept.status, kept.received_at) == ("set", 200, MONDAY)


def test_the_same_id_with_other_content_is_a_409_problem(app: App) -> None:
    api = _person(app)
    session_id = _start(api)
    exercise_id, _, _, kind = _planned_sets(app, "ana@example.com")[0]
    path = f"{API}/sessions/{session_id}/sets/{uuid.uuid4()}"
    assert api.put(path, json=_set(exercise_id, amount=8, kind=kind)).status_code == 200
    other = api.put(path, json=_set(exercise_id, amount=9, kind=kind))
    assert other.status_code == 409
    assert other.headers["content-type"] == PROBLEM
    assert (other.json()["code"], other.json()["field"]) == ("operation.conflict", "client_id")
    read = api.get(f"{API}/sessions/{session_id}").json()
    assert [item["amount"] for item in read["sets"]] == [8]


def test_a_finished_session_refuses_a_set_with_a_problem_and_a_second_finish(app: App) -> None:
    api = _person(app)
    session_id = _start(api)
    pains = {"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"}
    empty = api.post(f"{API}/sessions/{session_id}/finish", json=pains)
    assert (empty.status_code, empty.json()["code"]) == (409, "session.no_sets")
    assert api.get(f"{API}/sessions/{session_id}").json()["finished"] is False
    _one_set(app, api, session_id)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post(f"{API}/sessions/{session_id}/finish", json=pains, headers=key)
    replay = api.post(f"{API}/sessions/{session_id}/finish", json=pains, headers=key)
    assert first.status_code == replay.status_code == 200
    assert first.json() == replay.json()
    exercise_id, _, _, kind = _planned_sets(app, "ana@example.com")[0]
    path = f"{API}/sessions/{session_id}/sets/{uuid.uuid4()}"
    for refused in (
        api.put(path, json=_set(exercise_id, kind=kind)),
        api.post(f"{API}/sessions/{session_id}/finish", json=pains),
    ):
        assert refused.status_code == 409
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "session.finished"
    # The refusal is the kept answer of that id: the same request again gets it again.
    again = api.put(path, json=_set(exercise_id, kind=kind))
    assert (again.status_code, again.json()["code"]) == (409, "session.finished")


def test_a_red_flag_at_check_in_refers_and_closes_the_program_as_on_the_pages(app: App) -> None:
    pages = onboard(app, "pages@example.com")
    api = _person(app, "api@example.com")
    page_session, api_session = start(pages), _start(api)
    finish(pages, page_session)
    pains = {"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"}
    _one_set(app, api, api_session, "api@example.com")
    assert api.post(f"{API}/sessions/{api_session}/finish", json=pains).status_code == 200
    unanswered = {key: False for key in CHECK_IN_IDS if key != "night_pain"}
    half = api.post(
        f"{API}/sessions/{api_session}/check-in",
        json={"pain_next_morning": 3, "answers": unanswered},
    )
    assert (half.status_code, half.json()["field"]) == (422, "night_pain")
    page = checkin(pages, page_session, morning=3, saddle_numbness="yes")
    assert page.url.path == "/onboarding/referral"
    checked = api.post(
        f"{API}/sessions/{api_session}/check-in",
        json={"pain_next_morning": 3, "answers": _no_flags(saddle_numbness=True)},
    )
    assert checked.status_code == 200, checked.text
    screening = checked.json()["screening"]
    assert screening["refer"] is True and screening["urgency"] == "emergency"
    assert screening["reasons"] and screening["advice"]
    assert checked.json()["decision"] is None
    assert pages.get("/today", follow_redirects=False).headers["location"] == "/start"
    refused = api.post(f"{API}/sessions", json={"pain_before": 2})
    assert (refused.status_code, refused.json()["code"]) == (409, "program.referred")
    assert api.post(f"{API}/tight-moments").json()["code"] == "program.none"


def test_a_tight_moment_sent_twice_with_its_key_is_kept_once(app: App) -> None:
    api = _person(app)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post(f"{API}/tight-moments", headers=key)
    again = api.post(f"{API}/tight-moments", json={}, headers=key)
    assert first.status_code == again.status_code == 200, first.text
    assert first.json() == again.json() and first.json()["drills"]
    assert app.query(select(func.count(TightMoment.id))) == 1
    assert api.post(f"{API}/tight-moments").status_code == 200  # no key: a new moment
    assert app.query(select(func.count(TightMoment.id))) == 2


def test_bad_input_is_a_422_problem_naming_the_field(app: App) -> None:
    api = _person(app)
    session_id = _start(api)
    reps = next(item for item in _planned_sets(app, "ana@example.com") if item[3] == "reps")
    set_path = f"{API}/sessions/{session_id}/sets/{uuid.uuid4()}"
    cases: list[tuple[str, str, Any, str]] = [
        ("put", set_path, {**_set(reps[0]), "number": 9}, "number"),
        ("put", set_path, {**_set(reps[0]), "felt": "everywhere"}, "felt"),
        ("put", set_path, _set(reps[0], kind="seconds", amount=30), "kind"),
        ("put", set_path, _set(reps[0], amount=201), "reps"),
        ("put", set_path, {**_set(reps[0]), "colour": "red"}, "colour"),
        ("put", f"{API}/sessions/{session_id}/sets/not-a-uuid", _set(reps[0]), "client_id"),
        ("post", f"{API}/sessions", {"pain_before": 11}, "pain_before"),
        ("post", f"{API}/sessions/{session_id}/finish", {"pain_during": 2}, "pain_after"),
    ]
    for method, path, body, field in cases:
        answer = api.request(method, path, json=body)
        assert answer.status_code == 422, (path, body, answer.text)
        assert answer.headers["content-type"] == PROBLEM
        assert field in {answer.json()["field"], *(e["field"] for e in answer.json()["errors"])}, (
            field,
            answer.json(),
        )
    assert app.query(select(func.count(SetRecord.id))) == 0


def test_listing_reading_and_putting_cost_the_same_statements_however_long_the_history(
    app: App,
) -> None:
    api = _person(app)
    exercise_id, _, _, kind = _planned_sets(app, "ana@example.com")[0]
    pains = {"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"}
    counts = []
    for behind in (1, 6):
        while api.get(f"{API}/sessions").json()["total"] < behind:
            done = _start(api)
            api.put(f"{API}/sessions/{done}/sets/{uuid.uuid4()}", json=_set(exercise_id, kind=kind))
            api.post(f"{API}/sessions/{done}/finish", json=pains)
        session_id = _start(api)
        calls = [
            ("get", f"{API}/sessions", None),
            ("get", f"{API}/sessions/{session_id}", None),
            (
                "put",
                f"{API}/sessions/{session_id}/sets/{uuid.uuid4()}",
                _set(exercise_id, kind=kind),
            ),
        ]
        counted = []
        for method, path, body in calls:
            sent: list[str] = []

            def keep(*args: Any, sent: list[str] = sent) -> None:
                sent.append(args[2])

            event.listen(app.database.engine, "before_cursor_execute", keep)
            try:
                assert api.request(method, path, json=body).status_code == 200
            finally:
                event.remove(app.database.engine, "before_cursor_execute", keep)
            counted.append(len(sent))
        counts.append(counted)
        api.post(f"{API}/sessions/{session_id}/finish", json=pains)
    assert counts[0] == counts[1], counts


def test_the_pages_login_with_their_token_may_put_a_set_as_the_offline_player_will(
    app: App,
) -> None:
    pages = onboard(app)
    session_id = start(pages)
    exercise_id, _, _, kind = _planned_sets(app, "ana@example.com")[0]
    path = f"{API}/sessions/{session_id}/sets/{uuid.uuid4()}"
    assert pages.put(path, json=_set(exercise_id, kind=kind)).status_code == 403  # no page token
    answer = pages.put(
        path, json=_set(exercise_id, kind=kind), headers={"x-csrftoken": csrf_of(pages)}
    )
    assert answer.status_code == 200, answer.text
    assert pages.get(f"{API}/sessions/{session_id}").json()["set_count"] == 1


def test_a_lone_surrogate_as_an_answer_is_a_422_alone_and_never_stalls_a_sync(app: App) -> None:
    api = _person(app)
    session = _start(api)
    pains = {"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"}
    _one_set(app, api, session)
    assert api.post(f"{API}/sessions/{session}/finish", json=pains).status_code == 200
    # JSON may escape a lone surrogate; UTF-8 cannot carry it back in an answer.
    answers = json.dumps(_no_flags())[:-1] + ', "\\ud800": true}'
    body = '{"pain_next_morning": 2, "answers": ' + answers + "}"
    headers = {"content-type": "application/json"}
    alone = api.post(f"{API}/sessions/{session}/check-in", content=body, headers=headers)
    assert alone.status_code == 422 and alone.headers["content-type"] == PROBLEM
    item = '{"client_id": "%s", "op": "checkin", "session": %d, "body": %s}'
    batch = "[" + item % (uuid.uuid4(), session, body) + "]"
    synced = api.post(f"{API}/sync", content=batch, headers=headers)
    assert synced.status_code == 200, synced.text
    assert synced.json()[0]["status"] == 422


def test_a_session_started_in_high_pain_carries_the_players_advice(app: App) -> None:
    api = _person(app)
    ordinary = api.post(f"{API}/sessions", json={"pain_before": 3}).json()
    assert ordinary["advice"] is None
    _one_set(app, api, ordinary["id"])
    api.post(
        f"{API}/sessions/{ordinary['id']}/finish",
        json={"pain_during": 3, "pain_after": 3, "leg_symptoms": "none"},
    )
    high = api.post(f"{API}/sessions", json={"pain_before": 8}).json()
    assert high["advice"]["code"] == "session.high_pain"
    assert "only the mobility drills" in high["advice"]["words"]
    assert api.get(f"{API}/sessions/{high['id']}").json()["advice"] == high["advice"]


def test_a_pain_sent_the_same_evening_is_refused_by_the_api_too(app: App) -> None:
    api = _person(app)
    session_id = _start(api)
    _one_set(app, api, session_id)
    pains = {"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"}
    assert api.post(f"{API}/sessions/{session_id}/finish", json=pains).status_code == 200
    body = {"pain_next_morning": 1, "answers": _no_flags()}

    early = api.post(f"{API}/sessions/{session_id}/check-in", json=body)

    assert (early.status_code, early.json()["code"]) == (422, "check_in.too_early")
    app.clock.at += dt.timedelta(days=1)
    assert api.post(f"{API}/sessions/{session_id}/check-in", json=body).status_code == 200
