"""The authorization matrix of the API: every operation of the OpenAPI document, called by each
kind of caller, answers the class expected in its table (tests/integration/api_matrix_table.py:
2xx, 401, 403, 404, or "4xx" for a request that got past every door and was refused for what it
asked: 409 or 422).

The callers: the person (client A, who trains with a coach), another person (client B), A's
coach, another coach, an admin, A's read-only token, A's revoked token, and no token. Each
operation is called by all of them on a fresh copy of the world (tests/integration/api_world.py),
those the table refuses first, so one caller's change cannot decide another's answer; and the
refused together change no table of data (no row added or removed). A route that is in the
document and not in the table fails the first test until it is given a row: no route comes in
without someone saying who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.datastructures import State

from backcoach.api.app import PREFIX, create_api
from backcoach.api.problems import MEDIA_TYPE as PROBLEM
from backcoach.store.tables import Base
from tests.integration.api_matrix_table import MATRIX, OK, address, body_of, class_of
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
    changed_by_refused: list[str] = []
    for operation in sorted(OPERATIONS & set(MATRIX)):
        method, template = operation.split(" ", 1)
        row = MATRIX[operation]
        row_expects = row.by_caller()
        refused = [caller for caller in CALLERS if row_expects[caller] != OK]
        allowed = [caller for caller in CALLERS if row_expects[caller] == OK]
        with world.restored(world_app, tmp_path) as app:
            before = _row_counts(app)
            for caller in refused + allowed:
                client = world.client(app, _holder(caller))
                answer = client.request(
                    method,
                    PREFIX + address(world, template),
                    json=body_of(world, row.body),
                    follow_redirects=False,
                )
                found[(operation, caller)] = class_of(answer.status_code)
                if answer.status_code >= 400:
                    assert answer.headers["content-type"] == PROBLEM, (operation, caller)
                if caller == refused[-1] and _row_counts(app) != before:
                    changed_by_refused.append(operation)
    expected = {
        (operation, caller): MATRIX[operation].by_caller()[caller] for operation, caller in found
    }
    wrong = {cell: got for cell, got in found.items() if got != expected[cell]}
    assert not wrong, "cells that differ (got, expected): " + "; ".join(
        f"{operation} by {caller}: {got} (expected {expected[(operation, caller)]})"
        for (operation, caller), got in sorted(wrong.items())
    )
    assert not changed_by_refused, f"refused requests added or removed rows: {changed_by_refused}"


#: Tables that record requests rather than anyone's data: a refused read of someone else's data
#: is audited on purpose, and a training operation's answer is kept under the caller's own id,
#: refusals too, so that sending it again answers the same.
REQUEST_RECORDS = frozenset({"audit_events", "client_operations"})


def _row_counts(app: App) -> tuple[int, ...]:
    """How many rows each table of data holds, in one statement."""
    counts = [
        select(func.count()).select_from(table).scalar_subquery()
        for table in Base.metadata.sorted_tables
        if table.name not in REQUEST_RECORDS
    ]
    with app.database.unit_of_work() as uow:
        return tuple(uow.session.execute(select(*counts)).one())


def _holder(caller: str) -> str | None:
    return None if caller == "no token" else caller
