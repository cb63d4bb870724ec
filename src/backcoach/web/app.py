"""create_app(settings): the web app for a person with back pain."""

from __future__ import annotations

import secrets
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Scope

from backcoach.api.app import PREFIX as API_PREFIX
from backcoach.api.app import create_api, not_stored
from backcoach.api.deps import SESSION_COOKIE
from backcoach.api.problems import problem_response
from backcoach.api.rate_limits import rate_limited
from backcoach.services import accounts as accounts_service
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.migrate import upgrade
from backcoach.store.tables import AppSecret
from backcoach.web.access_log import note_route, request_log, route_noter
from backcoach.web.body_limits import body_limit
from backcoach.web.compression import compressed
from backcoach.web.csrf import csrf
from backcoach.web.deps import Clock
from backcoach.web.lanes import lanes
from backcoach.web.pages import Pages
from backcoach.web.routes import (
    account,
    accounts,
    api_tokens,
    client_page,
    client_report,
    coaching,
    cohort,
    exercises,
    messages,
    offline,
    onboarding,
    overrides,
    pictures,
    profile,
    progress,
    reminders,
    report,
    report_pdf,
    schedule,
    sign_in,
    tight,
    today,
)
from backcoach.web.security import security_headers
from backcoach.web.static_files import VersionedStaticFiles, static_folder


def create_app(settings: Settings) -> ASGIApp:
    """Build the app; the database is opened (and migrated) here, never at import."""
    if settings.migrate_on_start:
        upgrade(settings.database_url)
    database = Database(settings.database_url)
    secret = settings.secret_key or _stored_secret(database)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The stand-in hash for logins to unknown emails, made before the first request so that
        # no login is slower than another (in a thread: it takes about half a second).
        await anyio.to_thread.run_sync(accounts_service.prepare_for_logins)
        # Every picture drawn once, in the background, so the first pages after a start do not
        # wait seconds for them (web/routes/pictures.py); the server answers meanwhile.
        if settings.draw_pictures_at_start:
            threading.Thread(
                target=pictures.draw_every_picture, name="pictures", daemon=True
            ).start()
        yield
        database.dispose()

    app = FastAPI(
        title="backcoach",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(note_route)],  # names the route template for the request log
    )
    app.state.settings = settings
    app.state.database = database
    app.state.pages = Pages()
    app.state.clock = Clock()
    #: Signs the known-device cookie of the login page (services/login_limits.py).
    app.state.signing_secret = secret
    app.mount("/static", VersionedStaticFiles(directory=str(static_folder())), name="static")
    routers = (
        sign_in,
        accounts,
        account,
        profile,
        onboarding,
        today,
        tight,
        progress,
        schedule,
        exercises,
        pictures,
        report,
        report_pdf,
        coaching,
        client_page,
        messages,
        overrides,
        cohort,
        client_report,
        api_tokens,
        reminders,
        offline,
    )
    for module in routers:
        app.include_router(module.router)
    # The JSON API: its own app (OpenAPI document, problem answers) on the same state, behind
    # its rate limits per token and per client address (api/rate_limits.py).
    api = create_api(app.state, dependencies=[Depends(route_noter(API_PREFIX))])
    app.mount(
        API_PREFIX,
        rate_limited(
            not_stored(api),
            per_token=settings.api_token_requests_per_minute,
            per_address=settings.api_address_requests_per_minute,
        ),
    )
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # Every unsafe request needs the page's token (log in and sign up too, cookies or none).
    protected = csrf(
        app,
        signing_secret=secret,
        pages=app.state.pages,
        cookie_secure=settings.secure_cookies,
        # The calendar feed is fetched by calendar apps with no cookies; it only reads. An API
        # request with a token is authenticated by its Authorization header alone, which no
        # browser adds by itself (api/deps.py): it needs no page token.
        skip=_needs_no_page_token,
        body_limit=body_limit,
    )
    # Lanes inside the headers, so a refusal or a queued request still carries them; the request
    # log outermost, so it times, numbers and logs every answer, refusals included; gzip just
    # inside it, over every answer (web/compression.py).
    headed = security_headers(lanes(protected), https=settings.secure_cookies)
    return request_log(compressed(headed), routes=app.router.routes)


def _needs_no_page_token(scope: Scope) -> bool:
    """The calendar feed; and an API request that carries a token, or no login cookie at all
    (it then acts as nobody: the API answers 401, not a CSRF refusal)."""
    path: str = scope["path"]
    if path.startswith("/calendar/"):
        return True
    if not path.startswith(API_PREFIX + "/"):
        return False
    headers = scope.get("headers", ())
    if any(name == b"authorization" for name, _ in headers):
        return True
    login = SESSION_COOKIE.encode("ascii") + b"="
    return not any(name == b"cookie" and login in value for name, value in headers)


def _stored_secret(database: Database) -> str:
    """One signing key for every app server sharing this database, made on first start."""
    with database.unit_of_work() as uow:
        row = uow.session.scalar(select(AppSecret).where(AppSecret.name == "signing"))
        if row is not None:
            return row.value
        uow.session.add(AppSecret(name="signing", value=secrets.token_urlsafe(48)))
        try:
            uow.commit()
        except IntegrityError:  # another server starting at the same moment made it first
            uow.session.rollback()
        stored = uow.session.scalar(select(AppSecret).where(AppSecret.name == "signing"))
        assert stored is not None
        return stored.value


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    pages: Pages = request.app.state.pages
    if error.status_code in (302, 303) and error.headers:
        return Response(status_code=error.status_code, headers=error.headers)
    if request.url.path == API_PREFIX or request.url.path.startswith(API_PREFIX + "/"):
        # An address the API's mount does not take (its pattern stops at a newline): still
        # answered as the API answers, for the program that asked.
        code = "api.not_found" if error.status_code == 404 else f"api.http_{error.status_code}"
        return problem_response(error.status_code, code, "There is no such address in the API.")
    titles = {404: "Page not found", 405: "Not allowed", 403: "Not allowed"}
    return pages.render(
        request,
        "error.html",
        {"title": titles.get(error.status_code, "Something went wrong"), "detail": error.detail},
        status_code=error.status_code,
    )


async def _validation_error(request: Request, error: Exception) -> HTMLResponse:
    # Path and query problems only: forms are validated by the routes, field by field.
    pages: Pages = request.app.state.pages
    assert isinstance(error, RequestValidationError)
    problems = "; ".join(_address_problem(item) for item in error.errors()[:3])
    detail = f"Check the link and try again. {problems}." if problems else "Check the link."
    return pages.render(
        request,
        "error.html",
        {"title": "That address is not right", "detail": detail},
        status_code=400,
    )


def _address_problem(item: Mapping[str, Any]) -> str:
    """One validation problem of an address, naming its part: "kit: input should be 'band'..."."""
    names = [str(part) for part in item.get("loc", ()) if isinstance(part, str)]
    field = names[-1] if names and names[-1] not in ("query", "path") else "address"
    message = str(item.get("msg", "is not valid"))
    return f"{field}: {message[:1].lower()}{message[1:]}"
