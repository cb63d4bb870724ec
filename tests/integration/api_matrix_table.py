"""The API's authorization table: for every operation of the OpenAPI document, the class of
answer each kind of caller gets, and a request body the person or their coach may send
(tests/integration/test_api_matrix.py checks the table; test_api_schema.py sends the bodies too,
so that each operation's successful answer is checked against its schema)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backcoach.engine.screening import CHECK_IN_IDS, RED_FLAGS
from tests.integration.api_world import World

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
#: A stop of the first exercise of A's plan (body_of names it).
STOP = {"reason": "pain", "action": "skip"}
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
    "GET /me/export": mine(),
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
    "POST /sessions/{session_id}/stops": own_write(STOP, others=NOT_FOUND),
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


def address(world: World, template: str) -> str:
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


def body_of(world: World, body: Any) -> Any:
    """The row's body; a set (in the unit of its dose) and a stop name the first exercise of
    A's plan."""
    if body is SET:
        exercise_id, unit, amount = world.exercise
        return {**SET, "exercise_id": exercise_id, unit: amount}
    if body is STOP:
        return {**STOP, "exercise_id": world.exercise[0]}
    return body


def class_of(status: int) -> str:
    if 200 <= status < 300:
        return OK
    if status in (409, 422):
        return REFUSED
    return str(status)
