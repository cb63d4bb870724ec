"""A clinician's clearance of a red flag, recorded by the client's coach.

While a coach looks after a person, the coach records who cleared them (the clinician's name
and role), on which day, and what they said; the person's own "I have been cleared" is refused
(services/safety.record_clearance; docs/clinical-rules.md, "Clearance while a coach is linked").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backcoach.services import attention, safety
from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.client_day import zone_of
from backcoach.services.errors import Conflict, Forbidden, Invalid
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import Screening, User

UTC = ZoneInfo("UTC")
MAX_CLINICIAN = 120
MAX_NOTE = 500


@dataclass(frozen=True, slots=True)
class Clearance:
    """The clearance kept on the person: when it was recorded, by which coach, and the note."""

    cleared_at: dt.datetime | None
    note: str
    #: The coach who recorded it; None when the person said so themselves (or none yet).
    by_coach_id: int | None


def record_by_coach(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    clinician: str,
    cleared_on: str | dt.date,
    note: str,
    today: dt.date,
    now: dt.datetime,
    server_zone: ZoneInfo = UTC,
) -> Clearance:
    """Keep a clinician's clearance of the client's open referral, as the coach records it.

    The day must be a date, not after ``today`` (the client's) and not before the day of the
    referral it clears, both in the client's zone (else ``server_zone``); `Invalid` names each
    field wrong. Nothing to clear is a `Conflict` (`clearance.nothing_to_clear`).
    """
    authorize(uow, principal, Action.WRITE, client_id, what="clearance", now=now)
    if principal.role is not Role.COACH or principal.user_id == client_id:
        raise Forbidden("access.forbidden", what="clearance")
    if safety.open_referral(uow=uow, person_id=client_id) is None:
        raise Conflict("clearance.nothing_to_clear", field="clearance")
    who, said = clinician.strip(), note.strip()
    problems: list[Invalid] = []
    if not who:
        problems.append(Invalid("clearance.clinician_missing", field="clinician"))
    elif len(who) > MAX_CLINICIAN:
        problems.append(Invalid("clearance.too_long", field="clinician", max=MAX_CLINICIAN))
    if len(said) > MAX_NOTE:
        problems.append(Invalid("clearance.too_long", field="note", max=MAX_NOTE))
    day = _day(cleared_on)
    referred = _referred_on(uow, client_id, zone_of(uow, client_id, server_zone))
    if day is None:
        problems.append(Invalid("clearance.day_invalid", field="cleared_on"))
    elif day > today:
        problems.append(Invalid("clearance.day_in_future", field="cleared_on"))
    elif referred is not None and day < referred:
        problems.append(
            Invalid(
                "clearance.day_before_referral", field="cleared_on", referred=referred.isoformat()
            )
        )
    if problems:
        raise Invalid.all_of(problems)
    assert day is not None
    safety.record_clearance(uow=uow, person_id=client_id, now=now, by_coach=principal.user_id)
    person = uow.session.get_one(User, client_id)
    # One note column: who cleared and on which day lead it, so nothing the coach gave is lost.
    person.cleared_note = f"{who} ({day.isoformat()})" + (f": {said}" if said else "")
    attention.refresh_if_coached(uow, person_id=client_id, today=today, now=now)
    uow.commit()
    return Clearance(person.cleared_at, person.cleared_note, person.cleared_by_id)


def latest_clearance(
    *, uow: UnitOfWork, principal: Principal, client_id: int, now: dt.datetime
) -> Clearance:
    """The clearance kept on the client (for their coach's page)."""
    authorize(uow, principal, Action.READ, client_id, what="clearance", now=now)
    person = uow.session.get_one(User, client_id)
    return Clearance(person.cleared_at, person.cleared_note or "", person.cleared_by_id)


def by_coach(*, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime) -> bool:
    """Whether the person's coach records their clearance (a coach is linked), for their page."""
    authorize(uow, principal, Action.READ, person_id, what="clearance", now=now)
    return safety.coach_linked(uow=uow, person_id=person_id)


def _day(given: str | dt.date) -> dt.date | None:
    if isinstance(given, dt.date):
        return given
    try:
        return dt.date.fromisoformat(given.strip()) if len(given.strip()) == 10 else None
    except ValueError:
        return None


def _referred_on(uow: UnitOfWork, client_id: int, zone: dt.tzinfo) -> dt.date | None:
    """The client's day of the latest screening that referred (UTC in the database)."""
    at = uow.session.scalar(
        select(Screening.at)
        .where(Screening.user_id == client_id, Screening.refer)
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )
    return at.astimezone(zone).date() if at is not None else None
