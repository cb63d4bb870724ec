"""A person's own account and onboarding read back as one door needs them (the JSON API's
``/me``): who they are, the profile they gave, their latest safety answers, and the step from
the profile to a program that the onboarding page takes in its route.

Each function takes the principal and the subject and asks `authorize` first, as every service
does; the rules they lean on (the referral gate, a coach recording a clearance) stay in
services/onboarding.py and services/safety.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backcoach.engine.screening import ScreeningOutcome
from backcoach.engine.vocabulary import Equipment, Level
from backcoach.services import onboarding, password_reset, safety
from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.accounts import normalise_email
from backcoach.services.errors import Conflict, Invalid
from backcoach.services.onboarding import Journey
from backcoach.services.programs import ProgramView
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import ProfileRecord, User


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """Who the account is: its email, role, chosen zone and the name a coach sees."""

    id: int
    email: str
    role: Role
    #: The IANA name chosen; None: the server's zone.
    time_zone: str | None
    #: The name the person's coach sees (empty: the email is shown).
    display_name: str


@dataclass(frozen=True, slots=True)
class SavedProfile:
    """The profile a program was last built from."""

    at: dt.datetime
    level: str | None
    equipment: tuple[str, ...]
    days_per_week: int | None
    #: Preferred training days (``mon`` ...), when the profile kept any.
    weekdays: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LatestScreening:
    """The latest safety answers, where they were given, and their outcome by today's rules."""

    at: dt.datetime
    #: ``onboarding``, ``rescreen`` or ``check_in``.
    context: str
    answers: Mapping[str, Any]
    outcome: ScreeningOutcome


def account_summary(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> AccountSummary:
    authorize(uow, principal, Action.READ, person_id, what="account", now=now)
    user = uow.session.get_one(User, person_id)
    return AccountSummary(
        id=user.id,
        email=user.email,
        role=Role(user.role),
        time_zone=user.time_zone,
        display_name=user.display_name or "",
    )


def own_journey(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> Journey | None:
    """Where a person is on the way to a program; None for a coach's or admin's account,
    which has no program of its own (the pages send a coach to the caseload)."""
    if principal.user_id == person_id and principal.role is not Role.PERSON:
        return None
    return onboarding.journey(uow=uow, principal=principal, person_id=person_id, now=now)


def saved_profile(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> SavedProfile | None:
    """The latest profile the person gave; None before the first program."""
    authorize(uow, principal, Action.READ, person_id, what="profile", now=now)
    row = uow.session.scalar(
        select(ProfileRecord)
        .where(ProfileRecord.user_id == person_id)
        .order_by(ProfileRecord.at.desc(), ProfileRecord.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    data = row.data
    days = data.get("days_per_week")
    return SavedProfile(
        at=row.at,
        level=str(data["level"]) if data.get("level") else None,
        equipment=tuple(str(item) for item in data.get("equipment") or ()),
        days_per_week=days if isinstance(days, int) else None,
        weekdays=tuple(str(day) for day in data.get("weekdays") or ()),
    )


def latest_screening(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> LatestScreening | None:
    """The latest screening with its answers; None before the first."""
    authorize(uow, principal, Action.READ, person_id, what="screening", now=now)
    latest = safety.latest_screening(uow=uow, person_id=person_id)
    if latest is None:
        return None
    row = latest.row
    return LatestScreening(row.at, row.context, dict(row.answers), latest.outcome)


def confirm_own_clearance(
    *, uow: UnitOfWork, principal: Principal, person_id: int, note: str, now: dt.datetime
) -> bool:
    """The person's word that a clinician cleared them, as /onboarding/cleared takes it:
    kept only while a referral is open (a second confirmation changes nothing); while a coach
    is linked it is refused (`clearance.by_coach`: the coach records it). Answers whether it
    was kept."""
    if onboarding.referral(uow=uow, principal=principal, person_id=person_id, now=now) is None:
        return False
    onboarding.confirm_cleared(
        uow=uow, principal=principal, person_id=person_id, note=note, now=now
    )
    return True


def start_own_program(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    level: Level,
    days_per_week: int,
    equipment: Collection[Equipment],
    today: dt.date,
    now: dt.datetime,
) -> ProgramView:
    """The program from the profile, as /onboarding/profile builds it: the latest pain rating
    (0 before any) with the level, days and kit; through the referral gate
    (`safety.ProgramClosed` while it is shut)."""
    pain = onboarding.latest_score(
        uow=uow, principal=principal, person_id=person_id, instrument="nprs", now=now
    )
    document = {
        "pain": int(pain if pain is not None else 0),
        "level": level.value,
        "days_per_week": days_per_week,
        "equipment": [item.value for item in equipment],
    }
    return onboarding.start_program(
        uow=uow, principal=principal, person_id=person_id, profile=document, today=today, now=now
    )


#: Email addresses are at most this long (RFC 5321's path limit; users.email's column).
MAX_EMAIL = 254


def change_email(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    password: str,
    new_email: str,
    now: dt.datetime,
) -> str:
    """Change the email the person logs in with, given their current password (whoever holds an
    open login must not take the account over). The email is kept lower-case; one another
    account has is refused (``email.taken``) without saying whose. Returns the email kept."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="email", now=now)
    user = uow.session.get_one(User, person_id)
    if not _password_matches(user.password_hash, password):
        raise Invalid("password.current_wrong", field="current_password")
    email = normalise_email(new_email)
    if not is_single_address(email):
        raise Invalid("email.invalid", field="email")
    if email == user.email:
        raise Invalid("email.same", field="email")
    if uow.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("email.taken", field="email")
    user.email = email
    # A link already mailed went to the old address, which may no longer be the person's.
    password_reset.void_links(uow, user_id=user.id, now=now)
    try:
        uow.commit()
    except IntegrityError:  # taken at the same moment by a sign-up
        uow.session.rollback()
        raise Conflict("email.taken", field="email") from None
    return email


#: Characters no single plain address holds: list separators and name brackets (an email sent
#: to it would go to several, or to someone else), and quoting.
_NOT_IN_AN_ADDRESS = frozenset(',;<>"()[]\\')


def is_single_address(email: str) -> bool:
    """Whether ``email`` is one plain address, ``local@domain``: no list, no display name, no
    space or control character (a CR or LF would add a header to an email sent to it)."""
    local, at, domain = email.partition("@")
    return (
        bool(local and at and domain)
        and "@" not in domain
        and len(email) <= MAX_EMAIL
        and not any(c in _NOT_IN_AN_ADDRESS or c.isspace() or not c.isprintable() for c in email)
    )


def _password_matches(password_hash: str, password: str) -> bool:
    # Any Argon2 hash carries its own parameters: a default hasher checks every one we keep.
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
