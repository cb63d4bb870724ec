"""Every API refusal as an RFC 9457 problem document (``application/problem+json``): a status,
a title, the words (``detail``), and backcoach's ``code``, ``field`` and ``params``, so that a
program can act on the code and a person can read the words. Never an HTML page or a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from backcoach.services.errors import Invalid, Kind, Limited, ServiceError
from backcoach.wording.errors import error_words

MEDIA_TYPE = "application/problem+json"
STATUS_OF_KIND = {
    Kind.INVALID: 422,
    Kind.NOT_FOUND: 404,
    Kind.FORBIDDEN: 403,
    Kind.CONFLICT: 409,
    Kind.LIMITED: 429,
}
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Server error",
    503: "Busy",
}


class FieldProblem(BaseModel):
    """One problem of the input, naming its field."""

    code: str
    field: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    detail: str


class Problem(BaseModel):
    """An RFC 9457 problem document with backcoach's code, field and parameters."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    field: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    #: Every problem of the input when there are several (an invalid set: its amount and its
    #: felt), each naming its field.
    errors: list[FieldProblem] = Field(default_factory=list)


#: For the routes' ``responses=``: what the OpenAPI document says an error looks like.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": TITLES[status]}
    for status in (400, 401, 403, 404, 409, 422, 429)
}


class ProblemResponse(JSONResponse):
    """A problem document as ASCII JSON: a refusal may name what was sent (a field's name, a
    value), and what was sent may hold a lone surrogate that UTF-8 cannot carry."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    field: str | None = None,
    params: Mapping[str, Any] | None = None,
    errors: Sequence[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        code=code,
        field=field,
        params=dict(params or {}),
        errors=list(errors),
    )
    return ProblemResponse(
        body.model_dump(mode="json"),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def service_problem(error: ServiceError) -> JSONResponse:
    """A service's refusal: its kind gives the status, its code the words."""
    status = STATUS_OF_KIND[error.kind]
    problems = error.problems if isinstance(error, Invalid) else (error,)
    errors = [
        FieldProblem(
            code=item.code,
            field=item.field,
            params=dict(item.params),
            detail=error_words(item.code, item.params),
        )
        for item in problems
    ]
    headers = {}
    if isinstance(error, Limited) and "wait_seconds" in error.params:
        headers["Retry-After"] = str(error.params["wait_seconds"])
    return problem_response(
        status,
        error.code,
        errors[0].detail,
        field=error.field,
        params=error.params,
        errors=errors if len(errors) > 1 else (),
        headers=headers,
    )


def install(api: FastAPI) -> None:
    """The API's handlers: each refusal a problem document."""

    async def on_service_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ServiceError)
        return service_problem(error)

    async def on_http_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        detail = error.detail if isinstance(error.detail, str) else TITLES.get(error.status_code)
        code = {404: "api.not_found", 405: "api.method_not_allowed"}.get(
            error.status_code, f"api.http_{error.status_code}"
        )
        return problem_response(
            error.status_code,
            code,
            detail or "Error",
            headers=error.headers,
        )

    async def on_validation_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        problem = invalid_input(error.errors())
        return ProblemResponse(
            problem.model_dump(mode="json"), status_code=422, media_type=MEDIA_TYPE
        )

    async def on_unexpected(_: Request, error: Exception) -> JSONResponse:
        # Starlette answers with this and then raises the error on, so the request log
        # (web/access_log.py) still records it with the request's id; the caller gets a plain
        # problem, never a traceback.
        return problem_response(
            500, "api.server_error", "Something went wrong here; it has been logged."
        )

    api.add_exception_handler(ServiceError, on_service_error)
    api.add_exception_handler(StarletteHTTPException, on_http_error)
    api.add_exception_handler(RequestValidationError, on_validation_error)
    api.add_exception_handler(Exception, on_unexpected)


def invalid_input(found: Sequence[Mapping[str, Any]]) -> Problem:
    """The 422 problem of pydantic's problems with a request (the first 20), each naming its
    field; also for each item of a sync (api/routes/sync.py)."""
    errors = [field_problem(item) for item in found[:20]]
    first = errors[0] if errors else None
    return Problem(
        title=TITLES[422],
        status=422,
        detail=first.detail if first else "The request is not valid.",
        code="api.invalid_input",
        field=first.field if first else None,
        errors=errors,
    )


def field_problem(item: Mapping[str, Any]) -> FieldProblem:
    """One of pydantic's problems as a field problem: the field is the last name in its place
    (``body.sets.0.reps`` -> ``sets.0.reps``), and the words say what is wrong with it."""
    location = [str(part) for part in item.get("loc", ())]
    if location and location[0] in ("body", "query", "path", "header"):
        location = location[1:]
    if item.get("type") == "json_invalid":  # its place is a character's offset, not a field
        location = []
    field = ".".join(location) or None
    message = str(item.get("msg", "is not valid"))
    if item.get("type") == "json_invalid":
        message = "The body is not valid JSON."
    detail = f"{field}: {message}" if field else message
    return FieldProblem(code=f"api.{item.get('type', 'invalid')}", field=field, detail=detail)
