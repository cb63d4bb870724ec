"""Whose day it is: a client's days (their timeline, a referral, an override, the day their
program is decided for) are the client's own, in the zone they chose (else the server's), not
the zone of the coach who reads or changes them. docs/coaching.md, "Whose day"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backcoach.services.access import MAX_ID, Action, Principal, can
from backcoach.services.accounts import person_zone
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import User


def client_zone(
    uow: UnitOfWork, principal: Principal, client_id: int, server_zone: ZoneInfo
) -> ZoneInfo:
    """The client's zone, for a page about to call a service on the client's data; the
    server's for anyone who may not read it (the service then refuses and writes the audit
    line), so nothing of a client is learnt here."""
    if not can(uow, principal, Action.READ, client_id):
        return server_zone
    return zone_of(uow, client_id, server_zone)


def zone_of(uow: UnitOfWork, client_id: int, server_zone: ZoneInfo) -> ZoneInfo:
    """The client's zone, for the services after `authorize`; the server's for an id naming no
    one, with no query for an id no integer column holds."""
    time_zone = (
        uow.session.scalar(select(User.time_zone).where(User.id == client_id))
        if 0 < client_id < MAX_ID
        else None
    )
    return person_zone(time_zone, server_zone)


def client_today(
    uow: UnitOfWork, principal: Principal, client_id: int, now: dt.datetime, server_zone: ZoneInfo
) -> dt.date:
    """The client's day at ``now`` (as `client_zone` says whose zone)."""
    return now.astimezone(client_zone(uow, principal, client_id, server_zone)).date()
