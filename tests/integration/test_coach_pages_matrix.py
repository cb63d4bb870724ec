"""Every page and action of the coach's side on client A, over HTTP, for anonymous, client A,
client B, A's coach, a colleague of A's coach's practice, another coach and an admin: only the
coach and the colleague get through; everyone else gets the same answer as an address that
names no client (404), or the login page (anonymous), and nothing of A is in what they get.
The whole matrix is compared, so a leak (or a coach locked out) names its cell. A guard fails
when a route is added under /coach/clients/ without a row here."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.store.care_tables import AttentionAck, CoachNote, CoachOverride, Message
from tests.integration.client_record_steps import log_in
from tests.integration.coaching_steps import cast
from tests.training_app import App, token

# Pages: SQLite only (the services' own matrices and tests run on both databases).
DATABASES = ("sqlite",)

#: (method, address under /coach/clients/{a}, form) — the form of a POST that would change A.
ACTIONS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("GET", "", {}),
    ("GET", "/program", {}),
    ("GET", "/notes", {}),
    ("GET", "/messages", {}),
    ("GET", "/report", {}),
    ("GET", "/report.pdf", {}),
    ("POST", "/report.pdf", {"summary": "Doing well"}),
    ("POST", "/notes", {"text": "A private note"}),
    ("POST", "/messages", {"body": "Hello from your coach"}),
    ("POST", "/acknowledge", {"code": "attention.reassess_due", "note": "seen"}),
    ("POST", "/overrides", {"kind": "hold", "exercise_id": "", "note": "hold all"}),
    ("POST", "/overrides/1/undo", {}),
    ("POST", "/clearance", {"clinician": "Dr Lee", "cleared_on": "2026-01-01", "note": ""}),
)
SEES_A = {"A's coach", "a colleague of A's coach"}
PERSONS = {
    "client A": "ana@example.com",
    "client B": "bo@example.com",
    "A's coach": "coach@example.com",
    "a colleague of A's coach": "colleague@example.com",
    "another coach": "other@example.com",
    "admin": "admin@example.com",
}


def _outcome(client: TestClient, method: str, address: str, form: dict[str, str]) -> str:
    if method == "GET":
        answer = client.get(address, follow_redirects=False)
    else:
        page = client.get("/account", follow_redirects=False)
        csrf = token(page.text) if page.status_code == 200 else ""
        answer = client.post(address, data={**form, "csrftoken": csrf}, follow_redirects=False)
    if answer.status_code in (302, 303):
        where = answer.headers["location"]
        return "login" if where.startswith("/login") else "through"
    if answer.status_code == 404:
        return "not found"
    if answer.status_code >= 500:
        return f"server error {answer.status_code}"
    if answer.status_code in (200, 409, 422):  # the page, or a form answered with a problem
        return "through"
    return f"status {answer.status_code}"


def _anonymous(method: str) -> str:
    """Someone not logged in: a page sends them to log in; a form has no page token to send,
    so the token check refuses it before anything else."""
    return "login" if method == "GET" else "status 403"


def _changes(app: App, client_id: int) -> dict[str, int]:
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


def test_only_the_coach_and_a_colleague_reach_any_page_or_action_of_client_a(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    clients: dict[str, Any] = {"anonymous": app.client()}
    clients |= {name: log_in(app, email) for name, email in PERSONS.items()}
    before = _changes(app, a)
    found: dict[tuple[str, str], str] = {}
    for name in [n for n in clients if n not in SEES_A]:  # the refused first: nothing changes
        for method, tail, form in ACTIONS:
            found[(name, f"{method} {tail or '/'}")] = _outcome(
                clients[name], method, f"/coach/clients/{a}{tail}", form
            )
    assert _changes(app, a) == before, "a refused action changed client A's data"
    for name in SEES_A:
        for method, tail, form in ACTIONS:
            found[(name, f"{method} {tail or '/'}")] = _outcome(
                clients[name], method, f"/coach/clients/{a}{tail}", form
            )
    expected = {
        (name, f"{method} {tail or '/'}"): (
            _anonymous(method)
            if name == "anonymous"
            else "through"
            if name in SEES_A
            else "not found"
        )
        for name in clients
        for method, tail, _form in ACTIONS
    }
    wrong = {cell: got for cell, got in found.items() if got != expected[cell]}
    assert not wrong, f"cells that differ from the expected matrix: {wrong}"


def test_every_route_under_a_client_has_a_row_in_the_matrix() -> None:
    """A new page or action on a client's data must join the matrix above."""
    import backcoach.web.routes as package

    modules = [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]
    prefix = "/coach/clients/{client_id}"
    routes = {
        (method, route.path.removeprefix(prefix) or "/")
        for module in modules
        if hasattr(module, "router")
        for route in module.router.routes
        if isinstance(route, APIRoute) and route.path.startswith(prefix)
        for method in route.methods or ()
    }
    listed = {
        (method, (tail or "/").replace("/overrides/1/", "/overrides/{override_id}/"))
        for method, tail, _form in ACTIONS
    }
    assert routes == listed


def test_an_address_that_names_no_client_is_not_found_on_every_page_and_action(app: App) -> None:
    """Ids of no account (past any integer column too) answer as someone else's client does,
    and write nothing to anyone's audit log; words instead of a number are a bad address."""
    from backcoach.store.tables import AuditEvent

    cast(app)
    coach = log_in(app, PERSONS["A's coach"])
    with app.database.unit_of_work() as uow:
        logged = uow.session.scalar(select(func.count()).select_from(AuditEvent))
    for client_id in ("999999", str(2**31), str(2**63)):
        for method, tail, form in ACTIONS:
            got = _outcome(coach, method, f"/coach/clients/{client_id}{tail}", form)
            assert got == "not found", (client_id, method, tail, got)
    with app.database.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditEvent)) == logged
    for method, tail, form in ACTIONS:
        got = _outcome(coach, method, f"/coach/clients/abc{tail}", form)
        assert got in ("not found", "status 400"), (method, tail, got)
