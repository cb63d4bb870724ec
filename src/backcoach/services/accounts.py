"""Accounts: sign up, log in and out, change password, time zone, delete everything."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from backcoach.services import login_limits
from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.errors import Invalid
from backcoach.store.api_tables import ApiToken
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import AuthSession, LoginAttempt, User

MIN_PASSWORD, MAX_PASSWORD = 10, 200
_hasher = PasswordHasher()
#: The hasher and the hash that `_dummy_hash` made with it (made on first use, not at import).
_dummy: tuple[PasswordHasher, str] | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    """The password as the app keeps it (for accounts made outside sign-up, e.g. an import)."""
    check_password_rules(password)
    return _hasher.hash(password)


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid("password.too_short", field=field, min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise Invalid("password.too_long", field=field, max=MAX_PASSWORD)


def sign_up(
    *,
    uow: UnitOfWork,
    email: str,
    password: str,
    now: dt.datetime,
    role: Role = Role.PERSON,
    time_zone: str | None = None,
) -> bool:
    """Make an account unless the email has one; True when made. ``role`` is a person's, or a
    coach's where the server lets coaches sign up (BACKCOACH_COACH_SIGNUP). ``time_zone`` is
    the zone the person's device reported (the sign-up page sends it): kept when this machine
    knows it, else the server's zone applies, with no message (the person typed nothing), and
    the account page can change it. Set from the start, the person's days never shift later.

    Callers answer the same either way (and the password is hashed either way, so it takes the
    same time): whether an email is registered is not for strangers to learn.
    """
    if role is Role.ADMIN:
        raise ValueError("an admin is never made by signing up")
    email = normalise_email(email)
    check_password_rules(password)
    password_hash = _hasher.hash(password)
    taken = uow.session.scalar(select(User.id).where(User.email == email))
    if taken is not None:
        return False
    uow.session.add(
        User(
            email=email,
            password_hash=password_hash,
            created_at=now,
            calendar_token=secrets.token_urlsafe(32),
            role=role.value,
            time_zone=_known_zone(time_zone),
        )
    )
    try:
        uow.commit()
    except IntegrityError:  # the same email signed up at the same moment: one account
        uow.session.rollback()
        return False
    return True


def log_in(
    *,
    uow: UnitOfWork,
    email: str,
    password: str,
    now: dt.datetime,
    attempts_allowed: int,
    window: dt.timedelta,
    session_length: dt.timedelta,
    address: str | None = None,
    address_attempts_allowed: int | None = None,
    device: str | None = None,
) -> str:
    """Check the password and start a login; returns the token for the cookie.

    After ``attempts_allowed`` failures (or ``address_attempts_allowed`` from one client
    address) in the window, each try waits longer: services/login_limits.py. ``device`` is the
    key of a known device's cookie already checked for this email: its own failures alone slow
    it, so a stranger's guesses never slow the owner's browser.
    """
    email = normalise_email(email)
    # Counted by its group: an IPv6 address by its /64 (login_limits.address_group).
    address = login_limits.address_group(address)[:64] if address else None
    limits = login_limits.Limits(attempts_allowed, address_attempts_allowed, window)
    login_limits.check(uow, email=email, address=address, device=device, limits=limits, now=now)
    user = uow.session.scalar(select(User).where(User.email == email))
    if not _verify(user.password_hash if user else _dummy_hash(), password) or user is None:
        login_limits.record_failure(
            uow, email=email, address=address, device=device, window=window, now=now
        )
        uow.commit()
        raise Invalid("login.no_match", field="password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    login_limits.forget_failures(uow, email=email, device=device)
    token = secrets.token_urlsafe(32)
    uow.session.add(
        AuthSession(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + session_length,
        )
    )
    uow.commit()
    return token


@dataclass(frozen=True, slots=True)
class Account:
    """Whose login a request carries: what the doors need to know of the person."""

    id: int
    email: str
    role: Role
    #: The IANA name the person chose; None means the server's (BACKCOACH_TIMEZONE).
    time_zone: str | None = None

    def zone(self, server_zone: ZoneInfo) -> ZoneInfo:
        """The zone that decides the person's "today"."""
        return person_zone(self.time_zone, server_zone)


def person_zone(time_zone: str | None, server_zone: ZoneInfo) -> ZoneInfo:
    """A person's own time zone, else the server's: also when this machine's zone data no longer
    knows the name they chose."""
    if not time_zone:
        return server_zone
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return server_zone


@cache
def known_time_zones() -> dict[str, str]:
    """Every IANA zone name this machine knows, by its lower-case spelling (read once)."""
    return {name.lower(): name for name in sorted(available_timezones())}


def user_for_token(*, uow: UnitOfWork, token: str, now: dt.datetime) -> Account | None:
    # The login and its person in one statement (every page asks this first); the person's row
    # then stays in the unit of work for the services that read it again.
    found = uow.session.execute(
        select(AuthSession.expires_at, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == _token_hash(token))
    ).first()
    if found is None or found.expires_at <= now:
        return None
    user = found.User
    return Account(user.id, user.email, Role(user.role), user.time_zone)


def log_out(*, uow: UnitOfWork, token: str) -> None:
    uow.session.execute(delete(AuthSession).where(AuthSession.token_hash == _token_hash(token)))
    uow.commit()


def change_password(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    current: str,
    new: str,
    keep_token: str,
    now: dt.datetime,
) -> None:
    """Change the password, end every other login of this person, revoke their API tokens and
    give them a new calendar address: whoever knew the old password may have made or shared any
    of them (a token is made with a login alone)."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="password", now=now)
    user_id = person_id
    user = uow.session.get_one(User, user_id)
    if not _verify(user.password_hash, current):
        raise Invalid("password.current_wrong", field="current_password")
    check_password_rules(new, "new_password")
    user.password_hash = _hasher.hash(new)
    user.calendar_token = secrets.token_urlsafe(32)
    uow.session.execute(
        delete(AuthSession).where(
            AuthSession.user_id == user_id, AuthSession.token_hash != _token_hash(keep_token)
        )
    )
    uow.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    uow.commit()


def set_time_zone(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    time_zone: str | None,
    now: dt.datetime,
) -> str | None:
    """Keep the IANA zone that decides the person's "today" (any spelling of its case); empty or
    None means the server's. Returns the name kept."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="time_zone", now=now)
    name = (time_zone or "").strip() or None
    if name is not None:
        name = known_time_zones().get(name.lower())
        if name is None or not _loads(name):
            raise Invalid("time_zone.unknown", field="time_zone")
    uow.session.get_one(User, person_id).time_zone = name
    uow.commit()
    return name


def _known_zone(time_zone: str | None) -> str | None:
    """The zone's own spelling when this machine knows and loads it, else None."""
    name = known_time_zones().get((time_zone or "").strip().lower())
    return name if name is not None and _loads(name) else None


def _loads(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def delete_account(
    *, uow: UnitOfWork, principal: Principal, person_id: int, password: str, now: dt.datetime
) -> None:
    """Delete the person and, by cascade, every row that belongs to them (the audit log too)."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="account", now=now)
    user = uow.session.get_one(User, person_id)
    if not _verify(user.password_hash, password):
        raise Invalid("password.wrong", field="password")
    # Failed-login records are kept by email, not by user: remove them with the person.
    uow.session.execute(delete(LoginAttempt).where(LoginAttempt.email == user.email))
    uow.session.delete(user)
    uow.commit()


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def prepare_for_logins() -> None:
    """Make the stand-in hash now (a server calls this at start), not at the first login."""
    _dummy_hash()


def _dummy_hash() -> str:
    """A hash of no one's password: verifying against it keeps a login for an unknown email as
    slow as one for a known email. Made at the first such login, so importing costs no hash."""
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:  # tests swap in a cheaper hasher
        _dummy = (_hasher, _hasher.hash("not a real password, only for timing"))
    return _dummy[1]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
