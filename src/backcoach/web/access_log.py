"""Structured logs with no health data: one line per request, one per unhandled error.

A request line holds the time, method, route template (never the raw path, so a calendar token
never shows), status, duration, a request id (also sent as `X-Request-Id`) and the account id of a
logged-in person. Nothing of a query string, body, form value, cookie or email is logged. An error
line holds the exception's type and its frames' file:line, never its message or local values: a
message can quote a pain score or a form value.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import secrets
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from sqlalchemy import inspect
from starlette.requests import Request
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = logging.getLogger("backcoach.request")
ERRORS = logging.getLogger("backcoach.error")
REQUEST_ID_HEADER = "X-Request-Id"
#: The route of a request that matched none (a 404): its raw path may hold anything.
NO_ROUTE = "(no route)"
#: Log records carry their structured fields under this attribute.
FIELDS = "backcoach_fields"
#: The key of request.state where `note_route` leaves the template of the route that answered.
ROUTE_STATE = "route_template"

LogFormat = Literal["auto", "json", "text"]
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding backcoach/


def request_log(app: ASGIApp, *, routes: Sequence[BaseRoute]) -> ASGIApp:
    """Wrap the outermost app: log each HTTP request, and each error no handler answered."""

    # wraps keeps the app's attributes (its state) reachable, as the other layers do.
    @functools.wraps(app)
    async def logged(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = secrets.token_hex(8)
        # The routes' request.state is this dict: after the call it names the route that answered
        # and who was logged in (the layers inside copy the scope, never this dict).
        state = scope.setdefault("state", {})
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        except Exception as error:  # logged without its message, answered 500
            route = state.get(ROUTE_STATE) or route_template(scope, routes)
            _log_error(error, request_id=request_id, method=scope["method"], route=route)
            if not response_started:  # else the app's own 500 page went out
                await _plain_500(send, request_id)
        route = state.get(ROUTE_STATE) or route_template(scope, routes)
        fields = {
            "event": "request",
            "request_id": request_id,
            "method": scope["method"],
            "route": route,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "account_id": _account_id(state.get("user")),
        }
        REQUESTS.info(
            "%s %s %s %.1fms id=%s account=%s",
            fields["method"],
            route,
            status,
            fields["duration_ms"],
            request_id,
            fields["account_id"],
            extra={FIELDS: fields},
        )

    return logged


async def note_route(request: Request) -> None:
    """An app-wide dependency: leave the template of the route that answers for the request log."""
    template = getattr(request.scope.get("route"), "path_format", None)
    if template:
        setattr(request.state, ROUTE_STATE, template)


def route_noter(prefix: str) -> Callable[[Request], Awaitable[None]]:
    """`note_route` for an app mounted at ``prefix`` (the API): its templates start there."""

    async def note_mounted_route(request: Request) -> None:
        template = getattr(request.scope.get("route"), "path_format", None)
        if template:
            setattr(request.state, ROUTE_STATE, prefix + template)

    return note_mounted_route


def route_template(scope: Scope, routes: Sequence[BaseRoute]) -> str:
    """The template of the app's own routes (a mount: `/static/{path}`) a request goes to.

    FastAPI's included routers match only inside the app: their routes are named by `note_route`.
    """
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return _template(route)
        if match is Match.PARTIAL and partial is None:
            partial = route  # the path fits, the method does not (a 405)
    return _template(partial) if partial is not None else NO_ROUTE


def _template(route: BaseRoute) -> str:
    return str(getattr(route, "path_format", None) or NO_ROUTE)


def _account_id(user: object) -> int | None:
    """The id of the account logged in (request.state.user), never its email."""
    if user is None:
        return None
    row = inspect(user, raiseerr=False)
    if row is not None:  # a table row: its identity key, with no query on a closed session
        identity = row.identity
        return int(identity[0]) if identity else None
    account_id = getattr(user, "id", None)  # a service's plain account
    return account_id if isinstance(account_id, int) else None


def frames(trace: TracebackType | None) -> list[str]:
    """Each frame of a traceback as file:line, relative to the package or to site-packages."""
    return [
        f"{_short_path(frame.filename)}:{frame.lineno}" for frame in traceback.extract_tb(trace)
    ]


def _short_path(filename: str) -> str:
    path = Path(filename)
    if path.is_relative_to(_PACKAGE_ROOT):
        return str(path.relative_to(_PACKAGE_ROOT))
    parts = path.parts
    if "site-packages" in parts:
        return str(Path(*parts[parts.index("site-packages") + 1 :]))
    return filename


def _error_type(error: BaseException) -> str:
    kind = type(error)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _log_error(error: Exception, *, request_id: str, method: str, route: str) -> None:
    fields = {
        "event": "error",
        "request_id": request_id,
        "method": method,
        "route": route,
        "error": _error_type(error),
        "frames": frames(error.__traceback__),
    }
    # No exc_info: a formatter would print the message, which can hold health data.
    ERRORS.error(
        "%s in %s %s id=%s at %s",
        fields["error"],
        method,
        route,
        request_id,
        " < ".join(reversed(fields["frames"])),
        extra={FIELDS: fields},
    )


async def _plain_500(send: Send, request_id: str) -> None:
    body = b"Internal Server Error"
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _utc_time(record: logging.LogRecord) -> str:
    moment = dt.datetime.fromtimestamp(record.created, dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _exception_fields(record: logging.LogRecord) -> dict[str, Any]:
    """Another logger's exception (uvicorn's, a library's) as type and frames, never its text."""
    if not record.exc_info or record.exc_info[1] is None:
        return {}
    _, error, trace = record.exc_info
    return {"error": _error_type(error), "frames": frames(trace)}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, then the record's fields or message."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _utc_time(record),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, FIELDS, None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
            line.update(_exception_fields(record))
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """A line for a person at a terminal; an exception shows as type and frames, never its text."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_utc_time(record)} {record.levelname} {record.name}: {record.getMessage()}"
        error = _exception_fields(record)
        if error:
            line += f" [{error['error']} at {' < '.join(reversed(error['frames']))}]"
        return line


def resolve_format(log_format: LogFormat) -> Literal["json", "text"]:
    """`auto` is text on a terminal and JSON otherwise (a service manager, a container, a file)."""
    if log_format == "auto":
        return "text" if sys.stderr.isatty() else "json"
    return log_format


def log_config(log_format: LogFormat = "auto") -> dict[str, Any]:
    """uvicorn's logging configuration: its own lines and backcoach's in one format on stderr.

    uvicorn's access log is off: it shows raw paths and query strings; the request log replaces it.
    """
    formatter = JsonFormatter if resolve_format(log_format) == "json" else TextFormatter
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "backcoach",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"backcoach": {"()": formatter}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "backcoach": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }
