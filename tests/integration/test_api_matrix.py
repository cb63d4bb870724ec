"""The authorization matrix of the API: every operation of the OpenAPI document, called by each
kind of caller, answers the class expected in the table below (2xx, 401, 403, 404, or "4xx" for
a request that got past every door and was refused for what it asked: 409 or 422).

The callers: the person (client A, who trains with a coach), another person (client B), A's
coach, another coach, an admin, A's read-only token, A's revoked token, and no token. Each
operation is called by all of them on a fresh copy of the world (tests/integration/api_world.py),
the refused first, so one caller's change cannot decide another's answer. A route that is in the
document and not in the table fails the first test until it is given a row: no route comes in
without someone saying who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.datastructures import State

from backcoach.api.app import PREFIX, create_api
from backcoach.api.problems import MEDIA_TYPE as PROBLEM
from backcoach.engine.screening import CHECK_IN_IDS, RED_FLAGS
from tests.integration.api_world import World, build_world
from tests.training_app import App

METHODS = ("get", "put", "post", "patch", "delete")
DOCUMENT: dict[str, Any] = create_api(State()).openapi()
OPERATIONS = {
    f"{method.upper()} {path}"
    for path, item in DOCUMENT["paths"].items()
    for method in item
    if method in METHODS
}
#: The callers in the order they call: those refused first (no token ... another person), so
#: that what an allowed caller changes cannot change a refused one's answer.
CALLERS = (
    "no token",
    "revoked token",
    "read-only token",
    "another person",
    "another coach",
    "admin",
    "their coach",
    "person",
)
#: The table's columns (the order a row is written in).
COLUMNS = (
    "person",
    "another person",
    "their coach",
    "another coach",
    "admin",
    "read-only token",
    "revoked token",
    "no token",
)
OK, UNKNOWN, FORBIDDEN, NOT_FOUND, REFUSED = "2xx", "401", "403", "404", "4xx"


@dataclass(frozen=True)
class Row:
    """Who gets what from one operation, and what it sends (for a write: a body the person or
    their coach may send, so that the answer shows the door and not the body)."""

    #: The expected class for each of COLUMNS but the last two: a revoked token and no token
    #: (nor a login) are always 401, whatever the method.
    expected: tuple[str, str, str, str, str, str]
    body: Any = None

    def by_caller(self) -> dict[str, str]:
        return dict(zip(COLUMNS, (*self.expected, UNKNOWN, UNKNOWN), strict=True))


def mine(read_only: str = OK, *, others: str = OK, body: Any = None) -> Row:
    """The caller's own data (``/me``, the catalogue, their tokens): whoever holds a token gets
    their own; the read-only token only reads."""
    return Row((OK, others, others, others, others, read_only), body)


def own_write(body: Any, *, others: str = REFUSED) -> Row:
    """A change to the caller's own training: the person's goes through; the others have no
    such thing to change (no program, or not this session: ``others``)."""
    return Row((OK, others, others, others, others, FORBIDDEN), body)


def trainee_write(body: Any) -> Row:
    """A change to one's own training: A and B train; a coach or an admin has no program
    (a 409 past every door)."""
    return Row((OK, OK, REFUSED, REFUSED, REFUSED, FORBIDDEN), body)


def coach_of_a(body: Any = None, *, coach: str = OK) -> Row:
    """A coach's resource about client A: their coach alone; another coach is told there is no
    such client; a person's or an admin's token is not a coach's."""
    return Row((FORBIDDEN, FORBIDDEN, coach, NOT_FOUND, FORBIDDEN, FORBIDDEN), body)


def coach_own(body: Any = None) -> Row:
    """A coach's own resource (caseload, cohort, invitations): any coach, for their own."""
    return Row((FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN), body)


SET = {"number": 1, "felt": "target"}
SCREENING = {flag.id: False for flag in RED_FLAGS} | {"age": 44, "pregnancy": "none"}
MATRIX: dict[str, Row] = {
    # The person's own account and history.
    "GET /me": mine(),
    "PUT /me/time-zone": mine(FORBIDDEN, body={"time_zone": "Europe/London"}),
    "PUT /me/name": mine(FORBIDDEN, body={"display_name": "Ana"}),
    "GET /me/screening": mine(),
    "POST /me/screening": mine(FORBIDDEN, body=SCREENING),
    # Confirming a clearance no one asked for changes nothing, and says so.
    "POST /me/clearance": mine(FORBIDDEN, body={"confirm": True}),
    "GET /me/measures": mine(),
    # Measures and a program are a trainee's: B has his own; a coach or an admin has none.
    "POST /me/measures": trainee_write(
        {"nprs": 3, "activities": [{"name": "Putting on socks", "score": 5}]}
    ),
    "POST /me/program": trainee_write({"level": "beginner", "days_per_week": 4, "equipment": []}),
    "GET /me/outcomes": mine(),
    "GET /me/messages": mine(),
    "POST /me/messages": own_write({"body": "Thank you"}),
    "GET /program": Row((OK, OK, REFUSED, REFUSED, REFUSED, OK)),
    "GET /program/history": mine(),
    "GET /schedule": mine(),
    "GET /exercises": mine(),
    "GET /exercises/{exercise_id}": mine(),
    # Training: A's sessions are A's alone.
    "GET /sessions": mine(),
    "POST /sessions": trainee_write({"pain_before": 2}),
    "GET /sessions/{session_id}": Row((OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)),
    "PUT /sessions/{session_id}/sets/{client_id}": own_write(SET, others=NOT_FOUND),
    "POST /sessions/{session_id}/finish": own_write(
        {"pain_during": 2, "pain_after": 2, "leg_symptoms": "none"}, others=NOT_FOUND
    ),
    "POST /sessions/{session_id}/check-in": own_write(
        {"pain_next_morning": 2, "answers": dict.fromkeys(CHECK_IN_IDS, False)}, others=NOT_FOUND
    ),
    "POST /tight-moments": trainee_write(None),
    "POST /sync": mine(FORBIDDEN, body=[]),
    # A coach's resources about client A, and their own.
    "GET /coach/clients": coach_own(),
    "GET /coach/clients/{client_id}": coach_of_a(),
    "GET /coach/clients/{client_id}/overrides": coach_of_a(),
    "POST /coach/clients/{client_id}/overrides": coach_of_a({"kind": "hold"}),
    "POST /coach/clients/{client_id}/overrides/{override_id}/undo": coach_of_a(),
    # A has no open referral and no attention reason now: their coach gets past every door and
    # is told there is nothing to clear or acknowledge (409).
    "POST /coach/clients/{client_id}/clearance": coach_of_a(
        {"clinician": "Dr Lee", "cleared_on": "2026-11-01", "note": ""}, coach=REFUSED
    ),
    "POST /coach/clients/{client_id}/attention/{code}/acknowledge": coach_of_a(coach=REFUSED),
    "GET /coach/clients/{client_id}/notes": coach_of_a(),
    "POST /coach/clients/{client_id}/notes": coach_of_a({"text": "Doing well"}),
    "GET /coach/clients/{client_id}/messages": coach_of_a(),
    "POST /coach/clients/{client_id}/messages": coach_of_a({"body": "Well done"}),
    "POST /coach/invitations": coach_own(),
    "POST /coach/links/{link_id}/end": coach_of_a(),
    "GET /coach/cohort": coach_own(),
    "GET /coach/cohort.csv": coach_own(),
    # A's record as FHIR: A alone (A's coach too is refused: 403, as for an id of no one).
    "GET /fhir/Patient/{patient_id}/$everything": Row(
        (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
    ),
    # Tokens: one's own.
    "GET /tokens": mine(),
    "DELETE /tokens/{token_id}": Row((OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN)),
}


@pytest.fixture(scope="module")
def world(migrated_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(migrated_sqlite_template, tmp_path_factory.mktemp("api-world"))


@pytest.fixture(scope="module")
def world_app(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One app for the module; each operation gets a fresh copy of the world under it."""
    with world.opened(tmp_path_factory.mktemp("api-world-app")) as app:
        yield app


def test_every_operation_of_the_document_has_a_row() -> None:
    assert sorted(OPERATIONS - set(MATRIX)) == [], "operations with no row in MATRIX"
    assert sorted(set(MATRIX) - OPERATIONS) == [], "rows for operations no longer there"


def test_each_caller_gets_the_expected_answer_from_every_operation(
    world: World, world_app: App, tmp_path: Path
) -> None:
    found: dict[tuple[str, str], str] = {}
    for operation in sorted(OPERATIONS & set(MATRIX)):
        method, template = operation.split(" ", 1)
        row = MATRIX[operation]
        with world.restored(world_app, tmp_path) as app:
            for caller in CALLERS:
                client = world.client(app, _holder(caller))
                answer = client.request(
                    method,
                    PREFIX + _address(world, template),
                    json=_body(world, row.body),
                    follow_redirects=False,
                )
                found[(operation, caller)] = _class_of(answer.status_code)
                if answer.status_code >= 400:
                    assert answer.headers["content-type"] == PROBLEM, (operation, caller)
    expected = {
        (operation, caller): MATRIX[operation].by_caller()[caller] for operation, caller in found
    }
    wrong = {cell: got for cell, got in found.items() if got != expected[cell]}
    assert not wrong, "cells that differ (got, expected): " + "; ".join(
        f"{operation} by {caller}: {got} (expected {expected[(operation, caller)]})"
        for (operation, caller), got in sorted(wrong.items())
    )


def _holder(caller: str) -> str | None:
    return None if caller == "no token" else caller


def _address(world: World, template: str) -> str:
    """The template with A's ids: a set's ``client_id`` is the client's UUID for it."""
    values = {
        "{session_id}": str(
            world.finished_session_id if template.endswith("/check-in") else world.open_session_id
        ),
        "{link_id}": str(world.link_id),
        "{override_id}": str(world.override_id),
        "{patient_id}": str(world.person_id),
        "{person_id}": str(world.person_id),
        "{exercise_id}": world.exercise[0],
        "{token_id}": str(world.revoked_token_id),
        "{code}": "attention.reassess_due",
    }
    if "/sets/{client_id}" in template:
        values["{client_id}"] = "8d1c7a8e-55b4-4a8f-9d7e-7f6f0c3f4b21"
    values.setdefault("{client_id}", str(world.person_id))
    for name, value in values.items():
        template = template.replace(name, value)
    assert "{" not in template, f"no value for a parameter of {template}"
    return template


def _body(world: World, body: Any) -> Any:
    """The row's body; a set names the first exercise of A's plan, in the unit of its dose."""
    if body is SET:
        exercise_id, unit, amount = world.exercise
        return {**SET, "exercise_id": exercise_id, unit: amount}
    return body


def _class_of(status: int) -> str:
    if 200 <= status < 300:
        return OK
    if status in (409, 422):
        return REFUSED
    return str(status)
