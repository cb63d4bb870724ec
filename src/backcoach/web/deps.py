"""Typed dependencies in one place: the unit of work, the clock, the person logged in and
their day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request

from backcoach.api.deps import SESSION_COOKIE as SESSION_COOKIE
from backcoach.services.access import Principal
from backcoach.services.accounts import Account, user_for_token
from backcoach.settings import Settings
from backcoach.store.db import Database, UnitOfWork
from backcoach.web.forms import FormInput, read_form
from backcoach.web.pages import Pages


def _uow(request: Request) -> Iterator[UnitOfWork]:
    """The request's unit of work, and who is logged in, looked up in the same thread hop.

    FastAPI runs each plain-function dependency in its thread pool, and every hop costs about a
    millisecond of a page's time; the other dependencies are coroutines that only read the app's
    state, so a page costs three hops: this one's start, the handler, this one's end.
    """
    database: Database = request.app.state.database
    with database.unit_of_work() as uow:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            clock: Clock = request.app.state.clock
            request.state.user = user_for_token(uow=uow, token=token, now=clock.now())
        else:
            request.state.user = None
        # The page's navigation reads its unread messages in this unit of work (web/pages.py);
        # once it is closed, a page rendered later (an error's) reads nothing.
        request.state.uow = uow
        try:
            yield uow
        finally:
            request.state.uow = None


async def _form(request: Request) -> FormInput:
    """The posted form, read on the event loop (it only awaits the body), so that the handler
    itself can be a plain function that FastAPI runs in its thread pool: database and password
    hashing work then never blocks the loop that serves everyone else."""
    return await read_form(request)


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


class Clock:
    """The instant now (tests replace app.state.clock); what day it is depends on whose day it
    is, which `PersonClock` says."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


async def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def _server_zone(request: Request) -> ZoneInfo:
    """The server's time zone (BACKCOACH_TIMEZONE): the day of anyone who chose none."""
    settings: Settings = request.app.state.settings
    return ZoneInfo(settings.timezone)


UowDep = Annotated[UnitOfWork, Depends(_uow)]
FormDep = Annotated[FormInput, Depends(_form)]
SettingsDep = Annotated[Settings, Depends(_settings)]
PagesDep = Annotated[Pages, Depends(_pages)]
#: The instant, for the doors where nobody is known yet (sign up, log in, the calendar feed).
ClockDep = Annotated[Clock, Depends(_clock)]
ServerZoneDep = Annotated[ZoneInfo, Depends(_server_zone)]


async def _optional_user(request: Request, uow: UowDep) -> Account | None:
    user: Account | None = request.state.user  # looked up by _uow, in its thread hop
    return user


async def _required_user(user: Annotated[Account | None, Depends(_optional_user)]) -> Account:
    if user is None:
        raise HTTPException(status_code=303, headers={"Location": "/login"})
    return user


OptionalUser = Annotated[Account | None, Depends(_optional_user)]
CurrentUser = Annotated[Account, Depends(_required_user)]


async def _principal(user: CurrentUser) -> Principal:
    """Who acts in this request: the person logged in, through the web."""
    return Principal(user.id, user.role)


#: For routes that act on data: they pass ``person_id=principal.user_id`` for the person's own.
CurrentPrincipal = Annotated[Principal, Depends(_principal)]


class PersonClock:
    """Now from the app's clock; today in the zone of the person logged in (their own, else the
    server's). The one place a page learns what day it is."""

    def __init__(self, clock: Clock, zone: ZoneInfo) -> None:
        self.clock = clock
        self.zone = zone

    def now(self) -> dt.datetime:
        return self.clock.now()

    def today(self) -> dt.date:
        return self.now().astimezone(self.zone).date()


async def _person_clock(
    user: CurrentUser, clock: ClockDep, server_zone: ServerZoneDep
) -> PersonClock:
    return PersonClock(clock, user.zone(server_zone))


#: For pages of someone logged in: ``today()``, and the ``zone`` services are given.
PersonClockDep = Annotated[PersonClock, Depends(_person_clock)]
