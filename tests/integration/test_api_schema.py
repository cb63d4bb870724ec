"""Every operation of the API's OpenAPI document, called with requests drawn from its own
schemas (tests/integration/openapi_strategies.py) by the person who has a history and by their
coach: never a server error, every status the answer has is documented for the operation, every
JSON answer matches the schema documented for its status, and every refusal is a problem document
(``application/problem+json`` with its status, code and detail). Path, query and header
parameters and bodies are mostly valid (path ids often the person's real ones, and the
authorization table's body that goes through is sent first), now and then anything at all.

The operations are read from the document when the tests are collected, so a route added later
is tested with no change here. Examples are few per operation (EXAMPLES) and derandomised, so
the file runs in seconds and a failure comes back the same on the next run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from starlette.datastructures import State

from backcoach.api.app import PREFIX, create_api
from backcoach.api.problems import MEDIA_TYPE as PROBLEM
from tests.integration.api_matrix_table import MATRIX, address, body_of
from tests.integration.api_world import World, build_world
from tests.integration.openapi_strategies import SchemaValues
from tests.training_app import App

METHODS = ("get", "put", "post", "patch", "delete")
#: Requests per operation: about 40 operations at 10-30 ms each keep the file near 20 s, the same
#: requests on every run. A deeper, random search, by hand:
#: BACKCOACH_API_EXAMPLES=300 pytest tests/integration/test_api_schema.py
DEEPER = os.environ.get("BACKCOACH_API_EXAMPLES")
EXAMPLES = int(DEEPER or 12)
#: Who calls: the person with a history, and their coach.
CALLERS = ("person", "their coach")
DOCUMENT: dict[str, Any] = create_api(State()).openapi()  # routes only: no database is opened
VALUES = SchemaValues(DOCUMENT)
OPERATIONS = [
    (method, path)
    for path, item in DOCUMENT["paths"].items()
    for method in item
    if method in METHODS
]


Test = TypeVar("Test", bound=Callable[..., None])


@dataclass(frozen=True)
class Call:
    caller: str
    method: str
    url: str
    query: dict[str, Any]
    body: Any  # None: no body
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        sent = f" with {json.dumps(self.body)[:300]}" if self.body is not None else ""
        extra = f" {self.headers}" if self.headers else ""
        return f"{self.caller}: {self.method.upper()} {self.url} {self.query or ''}{extra}{sent}"


@pytest.fixture(scope="module")
def world(migrated_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(migrated_sqlite_template, tmp_path_factory.mktemp("api-world"))


@pytest.fixture(scope="module")
def world_app(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One app for the module; each operation gets a fresh copy of the world under it."""
    with world.opened(tmp_path_factory.mktemp("api-world-app")) as app:
        yield app


def test_the_document_has_operations_to_test() -> None:
    assert OPERATIONS, "the OpenAPI document lists no operation"


@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS]
)
def test_every_answer_is_documented_and_matches_its_schema(
    world: World, world_app: App, tmp_path: Path, method: str, path: str
) -> None:
    operation = DOCUMENT["paths"][path][method]
    with world.restored(world_app, tmp_path) as app:
        clients = {caller: world.client(app, caller) for caller in CALLERS}

        @_samples(world, method, path)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=DEEPER is None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        @given(call=calls(world, method, path, operation))
        def answers_as_documented(call: Call) -> None:
            kwargs: dict[str, Any] = {
                "params": call.query,
                "headers": call.headers,
                "follow_redirects": False,
            }
            if call.body is not None:
                kwargs["json"] = call.body
            answer = clients[call.caller].request(call.method, call.url, **kwargs)
            check_answer(operation, call, answer.status_code, answer.headers, answer.content)

        answers_as_documented()


def _samples(world: World, method: str, path: str) -> Callable[[Test], Test]:
    """The authorization table's request for the operation (a body that goes through, A's
    ids), sent by the person and by their coach before the drawn ones: so that a successful
    answer of each operation is checked against its schema even when drawn bodies all fail."""
    row = MATRIX.get(f"{method.upper()} {path}")

    def with_samples(test: Test) -> Test:
        if row is None:  # test_api_matrix.py fails for the missing row
            return test
        url = PREFIX + address(world, path)
        for caller in CALLERS:
            test = example(call=Call(caller, method, url, {}, body_of(world, row.body)))(test)
        return test

    return with_samples


def calls(
    world: World, method: str, path: str, operation: Mapping[str, Any]
) -> st.SearchStrategy[Call]:
    """Requests for one operation: path parameters often one of A's real ids, the rest drawn
    from the parameters' and the body's schemas."""
    values = SchemaValues(DOCUMENT, world.known)
    parameters = operation.get("parameters", [])
    drawn: dict[str, dict[str, st.SearchStrategy[Any]]] = {
        place: {} for place in ("path", "query", "header")
    }
    for parameter in parameters:
        if parameter["in"] in drawn:
            drawn[parameter["in"]][parameter["name"]] = _parameter_value(values, parameter)
    required = {parameter["name"] for parameter in parameters if parameter.get("required")}
    body_schema = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
    )
    body = values.junk_or(body_schema) if body_schema is not None else st.none()

    @st.composite
    def call(draw: st.DrawFn) -> Call:
        url = PREFIX + path
        for name, strategy in drawn["path"].items():
            url = url.replace("{" + name + "}", quote(str(draw(strategy)), safe=""))
        query, headers = (
            {
                name: draw(strategy)
                for name, strategy in drawn[place].items()
                if name in required or draw(st.booleans())
            }
            for place in ("query", "header")
        )
        caller = draw(st.sampled_from(CALLERS))
        sent = {name: str(value) for name, value in headers.items()}
        return Call(caller, method, url, query, draw(body), sent)

    return call()


def _parameter_value(values: SchemaValues, parameter: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """A parameter's value: mostly one its schema allows (a known id half the time), now and
    then a few characters of anything (the API must refuse them with a problem)."""
    valid = values.field(parameter["name"], parameter.get("schema", {}))
    strategy = st.one_of(valid, valid, valid, st.text(max_size=6))
    if parameter["in"] == "header":  # a header carries printable ASCII only
        return strategy.filter(lambda value: str(value).isascii() and str(value).isprintable())
    if parameter["in"] != "path":
        return strategy
    # A value the router would read as another address ("", ".", "a/b") tests the router.
    return strategy.filter(
        lambda value: "/" not in str(value) and str(value).strip(". ") == str(value) != ""
    )


def test_an_api_address_with_a_newline_is_answered_with_a_problem_document(
    world: World, world_app: App, tmp_path: Path
) -> None:
    with world.restored(world_app, tmp_path) as app:
        answer = world.client(app, "person").get(f"{PREFIX}/exercises/%0Aheel_slide")
    # The /api/v1 mount's pattern (Starlette's '.*') does not match a newline: the web app
    # answers, as the API would.
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM


def check_answer(
    operation: Mapping[str, Any], call: Call, status: int, headers: Any, content: bytes
) -> None:
    where = f"{call} answered {status}: {content[:400]!r}"
    assert status < 500, f"server error: {where}"
    documented = operation["responses"]
    answer = documented.get(str(status)) or documented.get(f"{status // 100}XX")
    assert answer is not None, f"status not documented: {where}"
    media = headers.get("content-type", "").split(";")[0].strip()
    if status >= 400:
        assert media == PROBLEM, f"a refusal that is not a problem document: {where}"
        problem = json.loads(content)
        assert problem.get("status") == status, where
        assert isinstance(problem.get("code"), str) and problem["code"], where
        assert isinstance(problem.get("detail"), str) and problem["detail"], where
        VALUES.validator({"$ref": "#/components/schemas/Problem"}).validate(problem)
        return
    listed: Mapping[str, Any] = answer.get("content", {})
    if not listed:
        assert not content, f"a body where none is documented: {where}"
        return
    assert media in listed, f"media type {media} not documented ({list(listed)}): {where}"
    schema = listed[media].get("schema")
    if schema and (media == "application/json" or media.endswith("+json")):
        found = json.loads(content)
        errors = [error.message for error in VALUES.validator(schema).iter_errors(found)]
        assert not errors, f"the answer does not match its schema: {errors[:3]}; {where}"
