"""The API as its own FastAPI app, mounted by the web app at /api/v1: its own OpenAPI document
(/api/v1/openapi.json), its own error answers (problem documents), the same state (database,
settings, clock) as the pages, and the same middleware around it (request log, security
headers, lanes, CSRF for cookie logins)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, params
from starlette.datastructures import State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backcoach.api import docs_page, problems
from backcoach.api.routes import coach, fhir, me, messages, program, sync, tokens, training

PREFIX = "/api/v1"
VERSION = "1.0.0"
DESCRIPTION = """The same use cases as backcoach's pages, as JSON.

Authenticate with a personal access token (made on your account page, or with
`backcoach token create EMAIL`) sent as `Authorization: Bearer bc_...`. Tokens with the `read`
scope read; `write` also changes health data. Every refusal is an RFC 9457 problem document
(`application/problem+json`) with a stable `code`, the `field` it concerns and `params`.
"""


def create_api(state: State, *, dependencies: Sequence[params.Depends] = ()) -> FastAPI:
    """The API app; ``dependencies`` run on every route (the web app's request log names the
    route with one)."""
    api = FastAPI(
        title="backcoach API",
        version=VERSION,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=list(dependencies),
    )
    api.state = state  # one database, settings and clock with the pages (tests move the clock)
    api.openapi = _with_bearer_scheme(api.openapi)  # type: ignore[method-assign]
    problems.install(api)
    for module in (me, program, training, sync, coach, messages, fhir, tokens):
        api.include_router(module.router)
    api.include_router(docs_page.router)  # the reference page, /api/v1/docs (not in the document)
    return api


def _with_bearer_scheme(made: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """FastAPI's OpenAPI document, also saying that every operation takes a bearer token
    (api/deps.py reads the header itself, so FastAPI cannot tell)."""

    def document() -> dict[str, Any]:
        found = made()  # made once, then kept by FastAPI: this edits the kept one
        found.setdefault("components", {})["securitySchemes"] = {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal access token, bc_... (docs/api.md).",
            }
        }
        found["security"] = [{"bearer": []}]
        return found

    return document


def not_stored(app: ASGIApp) -> ASGIApp:
    """Every API answer says ``Cache-Control: no-store`` unless it chose otherwise: it is health
    data (or a refusal about it), and a shared cache must keep none of it, as for the pages'
    downloads."""

    @functools.wraps(app)
    async def answered(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_not_stored(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_not_stored)

    return answered
