"""Login limits that slow a guesser down without locking the real owner out.

Three counts of failed logins, each with a backoff (never a hard lock):

- per client address, whatever the email: guessing across accounts from one place is bounded;
- per account, for browsers the account has never logged in from;
- per known device: a browser that has logged in to this account before carries a signed device
  cookie (OWASP's "device cookie"), and its failures are counted on their own. A stranger's
  guesses from elsewhere then never slow the owner's own browser, and the owner on a new browser
  is only slowed (at most `LONGEST_WAIT` after the last failure), never locked out.

The web layer reads and writes the cookie; the services take only the device's key, a hash of
the cookie's random part, once its signature has been checked for the email typed and the
account's current password (`password_stamp`): a password change or reset forgets every device.

Client addresses are counted by `address_group`: an IPv6 address by its /64, the block one home
or one machine is usually given whole, so walking through it gains a guesser nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import math
import secrets
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select

from backcoach.services.errors import Limited
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import KnownDeviceFailure, LoginAttempt, User

#: The first wait after the free attempts, doubling with each further failure, up to the most.
FIRST_WAIT, LONGEST_WAIT = dt.timedelta(seconds=10), dt.timedelta(minutes=5)
#: The device cookie: sent only to /login, kept a year, holding one entry per account (at most
#: `DEVICES_KEPT`, for a browser that a family shares).
DEVICE_COOKIE, DEVICE_COOKIE_PATH, DEVICE_DAYS, DEVICES_KEPT = "backcoach_device", "/login", 365, 5


@dataclass(frozen=True, slots=True)
class Limits:
    """How many failures each count allows in the window before the waits begin."""

    per_account: int
    per_address: int | None
    window: dt.timedelta


def login_wait(failures: int, allowed: int) -> dt.timedelta:
    """How long after the last failure the next try must wait: none within the allowance."""
    if failures < allowed:
        return dt.timedelta(0)
    doublings: int = min(failures - allowed, 16)
    return min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)


def check(
    uow: UnitOfWork,
    *,
    email: str,
    address: str | None,
    device: str | None,
    limits: Limits,
    now: dt.datetime,
) -> None:
    """Refuse with the wait (``login.wait``) when this try comes too soon after failures."""
    if device is not None:
        # The owner's known browser: only its own failures slow it, not the address's, which a
        # stranger behind the same NAT or in the same /64 may be filling.
        wait = _wait(uow, KnownDeviceFailure, KnownDeviceFailure.device == device, limits, now)
    else:
        unknown_browsers = LoginAttempt.email == email
        wait = _wait(uow, LoginAttempt, unknown_browsers, limits, now)
        if address is not None and limits.per_address is not None:
            wait = max(wait, _address_wait(uow, address, limits.per_address, limits.window, now))
    if wait > dt.timedelta(0):
        raise Limited("login.wait", field="email", wait_seconds=math.ceil(wait.total_seconds()))


def record_failure(
    uow: UnitOfWork,
    *,
    email: str,
    address: str | None,
    device: str | None,
    window: dt.timedelta,
    now: dt.datetime,
) -> None:
    """Count a failed login where `check` will find it (the caller commits)."""
    # Records older than the window count for nothing: prune them (unknown emails too).
    uow.session.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - window))
    uow.session.execute(delete(KnownDeviceFailure).where(KnownDeviceFailure.at <= now - window))
    if device is not None:
        uow.session.add(KnownDeviceFailure(device=device, address=address, at=now))
    else:
        uow.session.add(LoginAttempt(email=email, address=address, at=now))


def forget_failures(uow: UnitOfWork, *, email: str, device: str | None) -> None:
    """After a login with the right password, the count it was judged by starts again."""
    if device is not None:
        uow.session.execute(delete(KnownDeviceFailure).where(KnownDeviceFailure.device == device))
    else:
        uow.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))


def _wait(
    uow: UnitOfWork,
    table: type[LoginAttempt] | type[KnownDeviceFailure],
    which: ColumnElement[bool],
    limits: Limits,
    now: dt.datetime,
) -> dt.timedelta:
    failures, last = _failures(uow, table, which, limits.window, now)
    return _remaining(failures, last, limits.per_account, now)


def _address_wait(
    uow: UnitOfWork, address: str, allowed: int, window: dt.timedelta, now: dt.datetime
) -> dt.timedelta:
    """Every failure from the address counts, known devices' too: a device cookie's own guesses
    still weigh on the strangers there."""
    strangers = _failures(uow, LoginAttempt, LoginAttempt.address == address, window, now)
    devices = _failures(uow, KnownDeviceFailure, KnownDeviceFailure.address == address, window, now)
    lasts = [last for _, last in (strangers, devices) if last is not None]
    return _remaining(strangers[0] + devices[0], max(lasts, default=None), allowed, now)


def _failures(
    uow: UnitOfWork,
    table: type[LoginAttempt] | type[KnownDeviceFailure],
    which: ColumnElement[bool],
    window: dt.timedelta,
    now: dt.datetime,
) -> tuple[int, dt.datetime | None]:
    failures, last = uow.session.execute(
        select(func.count(table.id), func.max(table.at)).where(which, table.at > now - window)
    ).one()
    return failures, last


def _remaining(
    failures: int, last: dt.datetime | None, allowed: int, now: dt.datetime
) -> dt.timedelta:
    if last is None:
        return dt.timedelta(0)
    remaining: dt.timedelta = last + login_wait(failures, allowed) - now
    return max(remaining, dt.timedelta(0))


def address_group(address: str) -> str:
    """The address as it is counted: an IPv6 address as its /64 network (an IPv4 one written in
    IPv6 as itself), anything else as it is."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


# --- the device cookie: "<random>.<signature>" entries, each signed for one account's email ----
# and its password of the moment (`password_stamp`).


def password_stamp(uow: UnitOfWork, *, email: str) -> str:
    """What the device cookie signs of the account's password: a digest of its hash, so a new
    password (changed or reset) makes every entry signed before unknown. Empty: no account."""
    password_hash = uow.session.scalar(
        select(User.password_hash).where(User.email == email.strip().lower())
    )
    if password_hash is None:
        return ""
    return hashlib.sha256(f"device-stamp:{password_hash}".encode()).hexdigest()


def device_entry(*, email: str, stamp: str, secret: str) -> str:
    """A new entry for the device cookie, given after a login with the right password."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_signature(nonce, email, stamp, secret)}"


def known_device(cookie: str | None, *, email: str, stamp: str, secret: str) -> str | None:
    """The device's key when the cookie holds an entry signed for ``email`` and its password of
    now (``stamp``), else None."""
    for nonce, signature in _entries(cookie):
        if hmac.compare_digest(signature, _signature(nonce, email, stamp, secret)):
            return hashlib.sha256(nonce.encode()).hexdigest()
    return None


def with_entry(cookie: str | None, entry: str, *, email: str, stamp: str, secret: str) -> str:
    """The cookie's value with ``entry`` first, less any older entry for the same email signed
    with ``stamp`` and those past the `DEVICES_KEPT` most recent. (An entry signed under an older
    password is no longer recognised, and drops out as newer ones push it past the end.)"""
    kept = [
        f"{nonce}.{signature}"
        for nonce, signature in _entries(cookie)
        if not hmac.compare_digest(signature, _signature(nonce, email, stamp, secret))
    ]
    return "~".join([entry, *kept][:DEVICES_KEPT])


def _entries(cookie: str | None) -> list[tuple[str, str]]:
    found = []
    for part in (cookie or "").split("~")[:DEVICES_KEPT]:
        nonce, dot, signature = part.partition(".")
        if dot and 8 <= len(nonce) <= 64 and len(signature) == 43:
            found.append((nonce, signature))
    return found


def _signature(nonce: str, email: str, stamp: str, secret: str) -> str:
    # The email tidied as accounts.normalise_email does (that module imports this one).
    message = f"device:{nonce}:{email.strip().lower()}:{stamp}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
