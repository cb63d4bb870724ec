"""Who calls the API, through which unit of work, and when.

A request with an ``Authorization`` header is authenticated by that header alone: a personal
access token (``Bearer bc_...``); its cookies are ignored, and it needs no CSRF token (a browser
never adds that header on its own). A request without one may use the pages' login cookie, for
the app's own scripts (the offline player): then the CSRF layer (web/csrf.py) has already checked
the page's token on every unsafe request. Reading needs the ``read`` scope; any other method
needs ``write``. A cookie login holds both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request

from backcoach.services.access import Channel, Principal, Role
from backcoach.services.accounts import person_zone, user_for_token
from backcoach.services.client_operations import placed_at
from backcoach.services.errors import Forbidden
from backcoach.services.tokens import holder_of
from backcoach.store.db import Database, UnitOfWork

#: The pages' login cookie (web/deps.py reads the same name from here).
SESSION_COOKIE = "backcoach_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The scope key web/csrf.py sets once it has checked an unsafe request's page token.
PAGE_TOKEN_CHECKED = "backcoach.page_token_checked"
_BEARER = "bearer "


class Now(Protocol):
    def now(self) -> dt.datetime: ...


@dataclass(frozen=True, slots=True)
class Caller:
    """Who the request acts as: the principal for the services, and what they may do."""

    principal: Principal
    scopes: frozenset[str]
    time_zone: str | None
    #: The token used, or None for a cookie login.
    token_id: int | None

    @property
    def user_id(self) -> int:
        return self.principal.user_id

    def zone(self, server_zone: ZoneInfo) -> ZoneInfo:
        return person_zone(self.time_zone, server_zone)


def _uow(request: Request) -> Iterator[UnitOfWork]:
    """The request's unit of work, and who calls, in one thread hop (as the pages do)."""
    database: Database = request.app.state.database
    clock: Now = request.app.state.clock
    with database.unit_of_work() as uow:
        request.state.caller = _caller(request, uow, clock.now())
        yield uow


def _caller(request: Request, uow: UnitOfWork, now: dt.datetime) -> Caller | None:
    header = request.headers.get("authorization")
    if header is not None:
        if not header.lower().startswith(_BEARER):
            return None
        holder = holder_of(uow=uow, secret=header[len(_BEARER) :].strip(), now=now)
        if holder is None:
            return None
        principal = Principal(holder.user_id, holder.role, Channel.API)
        return Caller(principal, holder.scopes, holder.time_zone, holder.token_id)
    cookie = request.cookies.get(SESSION_COOKIE)
    account = user_for_token(uow=uow, token=cookie, now=now) if cookie else None
    if account is None:
        return None
    if request.method not in SAFE_METHODS and not request.scope.get(PAGE_TOKEN_CHECKED):
        # Fail closed: a change by a login cookie needs the page token the CSRF layer checked,
        # whatever made that layer let the request through unchecked.
        raise Forbidden("api.csrf")
    principal = Principal(account.id, account.role, Channel.API)
    return Caller(principal, frozenset({"read", "write"}), account.time_zone, None)


UowDep = Annotated[UnitOfWork, Depends(_uow)]


async def _required_caller(request: Request, uow: UowDep) -> Caller:
    caller: Caller | None = request.state.caller
    if caller is None:
        given = "authorization" in request.headers
        raise HTTPException(
            status_code=401,
            detail=(
                "This token is not valid: it is unknown, revoked or expired."
                if given
                else "Sign in: send a personal access token as 'Authorization: Bearer ...'."
            ),
            headers={"WWW-Authenticate": 'Bearer realm="backcoach"'},
        )
    needed = "read" if request.method in SAFE_METHODS else "write"
    if needed not in caller.scopes:
        raise HTTPException(
            status_code=403,
            detail=f"This token's scopes do not include '{needed}'.",
        )
    return caller


CallerDep = Annotated[Caller, Depends(_required_caller)]


async def _coach(caller: CallerDep) -> Caller:
    if caller.principal.role is not Role.COACH:
        raise HTTPException(status_code=403, detail="Only a coach's account has a caseload.")
    return caller


#: For the coach's resources: a coach's token or login.
CoachDep = Annotated[Caller, Depends(_coach)]


async def _now(request: Request) -> dt.datetime:
    clock: Now = request.app.state.clock
    return clock.now()


NowDep = Annotated[dt.datetime, Depends(_now)]


async def _server_zone(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.timezone)


ServerZoneDep = Annotated[ZoneInfo, Depends(_server_zone)]


@dataclass(frozen=True, slots=True)
class CallerDay:
    """The instant, and the caller's today in their own time zone (else the server's)."""

    now: dt.datetime
    zone: ZoneInfo

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.zone).date()

    def placed(self, client_at: dt.datetime | None) -> CallerDay:
        """The instant and day an operation happened by the client's clock, as far as it is
        believed (`client_operations.placed_at`); ``now`` stays the time of receipt."""
        return CallerDay(placed_at(client_at, self.now), self.zone)


async def _caller_day(caller: CallerDep, now: NowDep, server_zone: ServerZoneDep) -> CallerDay:
    return CallerDay(now, caller.zone(server_zone))


CallerDayDep = Annotated[CallerDay, Depends(_caller_day)]
