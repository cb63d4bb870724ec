"""The coach's resources over the API (issue 12, item 4): a coach's script looks after a client
as the pages do, through the same services; and one matrix of every /coach route against
every kind of caller, with ids that name no one."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.api.routes import coach as coach_routes
from backcoach.api.routes import messages as message_routes
from backcoach.engine.attention import FLARE
from backcoach.services.onboarding import active_plan
from backcoach.services.programs import stored_plan
from backcoach.store.care_tables import AttentionAck, CoachNote, CoachOverride, Message
from backcoach.store.tables import AuditEvent
from backcoach.wording.cohort_page_words import csv_header
from tests.integration.api_steps import api_client, token_for
from tests.integration.attention_steps import train
from tests.integration.coaching_steps import accept, cast, client, invite
from tests.integration.test_query_counts import statements_run
from tests.training_app import App

DATABASES = ("sqlite",)
API = "/api/v1"


def _exercises(app: App, client_id: int) -> list[str]:
    """The client's program as the engine will train it next (through the services)."""
    with app.database.unit_of_work() as uow:
        record = active_plan(uow=uow, person_id=client_id)
        assert record is not None
        return [item.exercise.id for item in stored_plan(record).plan.exercises]


def test_a_coachs_script_looks_after_a_client_as_the_pages_do(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    train(app, people.client_a, app.clock.today(), before=3, during=8)  # a flare
    coach = api_client(app, token_for(app, "coach@example.com"))
    ana = api_client(app, token_for(app, "ana@example.com"))

    caseload = coach.get(f"{API}/coach/clients").json()
    assert (caseload["total"], caseload["items"][0]["client_id"]) == (1, a)
    reason = caseload["items"][0]["reasons"][0]
    assert reason["code"] == FLARE and reason["params"]["day"] and reason["words"]
    unstorable = coach.post(
        f"{API}/coach/clients/{a}/attention/{FLARE}/acknowledge", json={"note": "a\x00b"}
    )
    assert (unstorable.status_code, unstorable.json()["field"]) == (422, "note")
    seen = coach.post(
        f"{API}/coach/clients/{a}/attention/{FLARE}/acknowledge", json={"note": "Called her"}
    )
    assert seen.status_code == 200, seen.text
    assert FLARE not in [item["code"] for item in seen.json()["reasons"]]
    assert coach.get(f"{API}/coach/clients", params={"show": "attention"}).json()["total"] == 0

    record = coach.get(f"{API}/coach/clients/{a}").json()
    kinds = {item["kind"]: item for item in record["timeline"]["items"]}
    flare = kinds["session"]["flare"][0]
    assert kinds["session"]["pain_during"] == 8 and flare["words"] != flare["code"]
    assert kinds["session"]["exercises"][0]["sets"][0]["felt"] == "target"
    assert kinds["measure"]["instrument"] in ("nprs", "psfs")
    assert all(item["reason"]["code"] for item in record["program"]["exercises"])
    with app.database.unit_of_work() as uow:
        read = select(AuditEvent.channel).where(
            AuditEvent.subject_id == a,
            AuditEvent.actor_id == people.coach.user_id,
            AuditEvent.what == "client_record",
        )
        assert uow.session.scalars(read).all() == ["api"]

    choices = coach.get(f"{API}/coach/clients/{a}/overrides").json()["swap_choices"]
    out, put_in = choices[0]["replaces"][0], choices[0]["exercise_id"]
    swap = {"kind": "swap", "exercise": out, "to_exercise": put_in, "note": "Kinder to knees"}
    made = coach.post(f"{API}/coach/clients/{a}/overrides", json=swap)
    assert made.status_code == 201, made.text
    assert put_in in _exercises(app, a) and out not in _exercises(app, a)
    impossible = coach.post(f"{API}/coach/clients/{a}/overrides", json=swap | {"exercise": "x"})
    assert (impossible.status_code, impossible.json()["field"]) == (422, "exercise")
    # Adding what the program has would change nothing, and its undo would take it out.
    again = coach.post(
        f"{API}/coach/clients/{a}/overrides", json={"kind": "add", "exercise": put_in, "sets": 3}
    )
    assert (again.status_code, again.json()["code"]) == (422, "override.already_in_plan")
    undone = coach.post(f"{API}/coach/clients/{a}/overrides/{made.json()['id']}/undo")
    assert undone.json()["active"] is False
    assert out in _exercises(app, a) and put_in not in _exercises(app, a)

    assert coach.post(f"{API}/coach/clients/{a}/notes", json={"text": "Knees"}).status_code == 201
    assert coach.get(f"{API}/coach/clients/{a}/notes").json()["items"][0]["text"] == "Knees"
    sent = coach.post(f"{API}/coach/clients/{a}/messages", json={"body": "How are the knees?"})
    assert sent.status_code == 201
    thread = ana.get(f"{API}/me/messages").json()
    assert [m["body"] for m in thread["items"]] == ["How are the knees?"] and thread["can_write"]
    assert ana.post(f"{API}/me/messages", json={"body": "Better"}).status_code == 201
    assert coach.get(f"{API}/coach/clients").json()["items"][0]["unread_messages"] == 1
    assert ana.post(f"{API}/me/messages", json={"body": "  "}).json()["field"] == "body"
    bo = api_client(app, token_for(app, "bo@example.com"))  # shares with no coach
    assert bo.get(f"{API}/me/messages").json()["items"] == []
    refused = bo.post(f"{API}/me/messages", json={"body": "Anyone?"})
    assert (refused.status_code, refused.json()["code"]) == (409, "message.no_coach")

    figures = coach.get(f"{API}/coach/cohort").json()["figures"]
    assert (figures[0]["figure"], figures[0]["clients"]) == ("active_clients", 1)
    table = coach.get(f"{API}/coach/cohort.csv")
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0] == csv_header() and len(rows) == len(figures) + 1

    invitation = coach.post(f"{API}/coach/invitations").json()
    assert invitation["link"] == f"http://testserver/join/{invitation['token']}"
    assert coach.post(f"{API}/coach/links/{people.link_id}/end").status_code == 204
    gone = coach.get(f"{API}/coach/clients/{a}")
    assert (gone.status_code, gone.json()["code"]) == (404, "client.not_found")


def test_the_caseload_pages_and_searches_and_costs_the_same_statements_for_more_clients(
    app: App,
) -> None:
    people = cast(app)
    a = people.client_a.user_id
    coach = api_client(app, token_for(app, "coach@example.com"))

    def statements() -> tuple[int, int]:
        coach.get(f"{API}/coach/clients")  # works out any row time has made stale
        with statements_run(app.database.engine) as listed:
            assert coach.get(f"{API}/coach/clients").status_code == 200
        with statements_run(app.database.engine) as read:
            assert coach.get(f"{API}/coach/clients/{a}").status_code == 200
        return len(listed), len(read)

    train(app, people.client_a, app.clock.today())
    few = statements()
    for email in ("cy@example.com", "di@example.com"):
        accept(app, client(app, email), invite(app, people.coach))
    for days in (2, 4):
        train(app, people.client_a, app.clock.today() + dt.timedelta(days=days))
    app.clock.at += dt.timedelta(days=4)
    assert statements() == few
    pages = [coach.get(f"{API}/coach/clients?limit=2&offset={at}").json() for at in (0, 2, 4)]
    assert [len(page["items"]) for page in pages] == [2, 1, 0]
    assert [page["next_offset"] for page in pages] == [2, None, None]
    assert {page["total"] for page in pages} == {3}
    found = coach.get(f"{API}/coach/clients", params={"q": "CY@"}).json()["items"]
    assert [item["name"] for item in found] == ["cy@example.com"]


#: (method, path under /api/v1 with {a} for client A, JSON body): every /coach route.
ROUTES: tuple[tuple[str, str, dict[str, Any] | None], ...] = (
    ("GET", "/coach/clients", None),
    ("GET", "/coach/cohort", None),
    ("GET", "/coach/cohort.csv", None),
    ("POST", "/coach/invitations", None),
    ("GET", "/coach/clients/{a}", None),
    ("POST", "/coach/clients/{a}/attention/attention.flare/acknowledge", {"note": "seen"}),
    ("GET", "/coach/clients/{a}/overrides", None),
    ("POST", "/coach/clients/{a}/overrides", {"kind": "hold", "note": "hold all"}),
    ("POST", "/coach/clients/{a}/overrides/1/undo", None),
    ("POST", "/coach/clients/{a}/clearance", {"clinician": "Dr Lee", "cleared_on": "2026-01-01"}),
    ("GET", "/coach/clients/{a}/notes", None),
    ("POST", "/coach/clients/{a}/notes", {"text": "A private note"}),
    ("GET", "/coach/clients/{a}/messages", None),
    ("POST", "/coach/clients/{a}/messages", {"body": "Hello"}),
    ("POST", "/coach/links/{link}/end", None),
)
EMAILS = {
    "client A": "ana@example.com",
    "a stranger": "bo@example.com",
    "admin": "admin@example.com",
    "another coach": "other@example.com",
    "a colleague of A's coach": "colleague@example.com",
    "A's coach": "coach@example.com",  # last: their final action ends the link
}


def _expected(name: str, method: str, path: str) -> str:
    if name == "no token":  # nor a login: nobody, whatever the method
        return "401"
    if name in ("client A", "a stranger", "admin"):
        return "403"
    if path.endswith("/end"):  # only the link's own coach (or its client, or an admin) ends it
        return "2xx" if name == "A's coach" else "404"
    if "{a}" not in path or name != "another coach":
        return "2xx"
    return "404"


def _status(client: TestClient, method: str, path: str, body: dict[str, Any] | None) -> str:
    answer = client.request(method, API + path, json=body)
    assert answer.status_code < 500, (method, path, answer.text)
    if answer.status_code >= 400:
        assert answer.headers["content-type"] == "application/problem+json", (path, answer.text)
    if answer.status_code == 404:
        assert answer.json()["code"] in ("client.not_found", "link.not_found"), answer.text
    # A coach's action on their client may be refused for the client's state (409, 422).
    return (
        "2xx"
        if answer.status_code < 300 or answer.status_code in (409, 422)
        else str(answer.status_code)
    )


def _kept(app: App, client_id: int) -> dict[str, int]:
    with app.database.unit_of_work() as uow:
        return {
            table.__tablename__: int(
                uow.session.scalar(
                    select(func.count()).select_from(table).where(table.client_id == client_id)
                )
                or 0
            )
            for table in (CoachNote, Message, AttentionAck, CoachOverride)
        }


def test_every_coach_route_answers_each_caller_as_the_pages_do_and_no_id_is_a_500(
    app: App,
) -> None:
    people = cast(app)
    a = people.client_a.user_id
    listed = {
        (method, path.replace("{a}", "{client_id}").replace("/1/", "/{override_id}/"))
        for method, path in ((m, p.replace(FLARE, "{code}")) for m, p, _ in ROUTES)
    }
    served = {
        (method, route.path.replace("{link_id}", "{link}"))
        for module in (coach_routes, message_routes)
        for route in module.router.routes
        if isinstance(route, APIRoute) and route.path.startswith("/coach")
        for method in route.methods or ()
    }
    assert served == listed, "a /coach route without a row in the matrix (or a row without one)"

    callers = {"no token": TestClient(app.asgi)}
    callers |= {name: api_client(app, token_for(app, email)) for name, email in EMAILS.items()}
    before = _kept(app, a)
    found, expected = {}, {}
    for name, caller in callers.items():
        if name == "a colleague of A's coach":
            assert _kept(app, a) == before, "a refused caller changed client A's data"
        for method, path, body in ROUTES:
            address = path.replace("{a}", str(a)).replace("{link}", str(people.link_id))
            found[(name, method, path)] = _status(caller, method, address, body)
            expected[(name, method, path)] = _expected(name, method, path)
    wrong = {cell: got for cell, got in found.items() if got != expected[cell]}
    assert not wrong, f"cells that differ from the expected matrix: {wrong}"

    coach = callers["A's coach"]
    for client_id in ("0", "-1", str(2**31), str(2**63), "999999", str(people.coach.user_id)):
        for method, path, body in ROUTES:
            if "{a}" in path:
                got = coach.request(method, API + path.replace("{a}", client_id), json=body)
                assert (got.status_code, got.json()["code"]) == (404, "client.not_found")
    for bad in ("abc", "1.5", "0", "-1", str(2**63)):
        for method, path, body in ROUTES:
            address = path.replace("{a}", bad).replace("{link}", bad).replace("/1/", f"/{bad}/")
            if address != path:
                assert coach.request(method, API + address, json=body).status_code in (404, 422)
