"""Whose day it is: a client's days (their timeline, a referral, an override, the day their
program is decided for) are the client's own, in the zone they chose (else the server's), not
the zone of the coach who reads or changes them. docs/coaching.md, "Whose day"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backcoach.services.access import MAX_ID
from backcoach.services.accounts import person_zone
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import User


def client_zone(uow: UnitOfWork, client_id: int, server_zone: ZoneInfo) -> ZoneInfo:
    """The client's zone; the server's for an id naming no one (the services then refuse it),
    with no query for an id no integer column holds."""
    time_zone = (
        uow.session.scalar(select(User.time_zone).where(User.id == client_id))
        if 0 < client_id < MAX_ID
        else None
    )
    return person_zone(time_zone, server_zone)


def client_today(
    uow: UnitOfWork, client_id: int, now: dt.datetime, server_zone: ZoneInfo
) -> dt.date:
    """The client's day at ``now``."""
    return now.astimezone(client_zone(uow, client_id, server_zone)).date()
