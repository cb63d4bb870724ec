"""Personal access tokens for the JSON API: made and revoked by their owner, shown once.

A token is ``bc_`` and 43 random URL-safe characters (32 bytes). Only its SHA-256 is stored: with
that much randomness a fast hash is as safe as a slow one, and every API request checks one. The
scopes are ``read`` (everything the owner may read) and ``write`` (also change health data and
revoke the account's tokens). No token changes the password, deletes the account or makes
another token: those stay on the pages (and tokens with the admin's `backcoach token create`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update

from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.errors import Invalid, NotFound
from backcoach.store.api_tables import ApiToken
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import User

PREFIX = "bc_"
SCOPES = ("read", "write")
MAX_NAME = 80
#: A token may be made to last at most this long (None: until revoked).
MAX_DAYS = 366
#: Live tokens one account may hold: enough for every device and script, bounded.
MAX_TOKENS = 50
#: Its last use is written at most this often, so a busy script does not write on each read.
LAST_USE_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class TokenView:
    """A token as its owner sees it later: never the token itself."""

    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


@dataclass(frozen=True, slots=True)
class MadeToken:
    """A token just made: ``secret`` is shown this once and kept nowhere."""

    view: TokenView
    secret: str


@dataclass(frozen=True, slots=True)
class TokenHolder:
    """Who an API request with a live token acts as, and what the token allows."""

    user_id: int
    role: Role
    time_zone: str | None
    scopes: frozenset[str]
    token_id: int


def create_token(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    name: str,
    scopes: Iterable[str],
    expires_in_days: int | None,
    now: dt.datetime,
) -> MadeToken:
    """A new token for ``person_id`` (their own account only), with ``scopes`` ("read", or
    "read" and "write": write implies read) and an optional lifetime in days."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="api_token", now=now)
    chosen = _scopes(scopes)
    name = name.strip()
    problems = []
    if not name:
        problems.append(Invalid("token.name_missing", field="name"))
    elif len(name) > MAX_NAME:
        problems.append(Invalid("token.name_too_long", field="name", max=MAX_NAME))
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        problems.append(
            Invalid("token.expiry_out_of_range", field="expires_in_days", min=1, max=MAX_DAYS)
        )
    if problems:
        raise Invalid.all_of(problems)
    live = uow.session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(
            ApiToken.user_id == person_id,
            ApiToken.revoked_at.is_(None),
            or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
        )
    )
    if (live or 0) >= MAX_TOKENS:
        raise Invalid("token.too_many", field="name", max=MAX_TOKENS)
    secret = PREFIX + secrets.token_urlsafe(32)
    expires = now + dt.timedelta(days=expires_in_days) if expires_in_days else None
    row = ApiToken(
        user_id=person_id,
        name=name,
        prefix=secret[: len(PREFIX) + 6],
        token_hash=token_hash(secret),
        scopes=",".join(chosen),
        created_at=now,
        expires_at=expires,
    )
    uow.session.add(row)
    uow.commit()
    return MadeToken(_view(row), secret)


def list_tokens(
    *, uow: UnitOfWork, principal: Principal, person_id: int, limit: int = 100, offset: int = 0
) -> tuple[TokenView, ...]:
    """The account's tokens, newest first, revoked and expired ones included (marked so), at
    most ``limit`` from ``offset`` (revoked ones pile up: the list is read a page at a time)."""
    if principal.user_id != person_id:
        raise NotFound("token.not_found")
    rows = uow.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == person_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return tuple(_view(row) for row in rows)


def count_tokens(*, uow: UnitOfWork, principal: Principal, person_id: int) -> int:
    """How many tokens the account has had (`list_tokens` pages through them)."""
    if principal.user_id != person_id:
        raise NotFound("token.not_found")
    found = uow.session.scalar(
        select(func.count()).select_from(ApiToken).where(ApiToken.user_id == person_id)
    )
    return found or 0


def revoke_token(
    *, uow: UnitOfWork, principal: Principal, person_id: int, token_id: int, now: dt.datetime
) -> TokenView:
    """Revoke one of the account's tokens at once: its next request is refused. Revoking one
    already revoked changes nothing."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="api_token", now=now)
    row = uow.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
    if row is None or row.user_id != person_id:
        raise NotFound("token.not_found", field="token_id")
    if row.revoked_at is None:
        row.revoked_at = now
    uow.commit()
    return _view(row)


def holder_of(*, uow: UnitOfWork, secret: str, now: dt.datetime) -> TokenHolder | None:
    """Who a token acts for, or None when it is unknown, revoked or expired; notes its use."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    found = uow.session.execute(
        select(ApiToken, User.role, User.time_zone)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(secret))
    ).first()
    if found is None:
        return None
    row: ApiToken = found.ApiToken
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USE_EVERY:
        uow.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
        uow.commit()
    return TokenHolder(
        user_id=row.user_id,
        role=Role(found.role),
        time_zone=found.time_zone,
        scopes=frozenset(row.scopes.split(",")),
        token_id=row.id,
    )


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _scopes(asked: Iterable[str]) -> tuple[str, ...]:
    chosen = {scope.strip() for scope in asked if scope.strip()}
    unknown = chosen - set(SCOPES)
    if unknown or not chosen:
        raise Invalid("token.scope_unknown", field="scopes", allowed=",".join(SCOPES))
    if "write" in chosen:
        chosen.add("read")  # who may change the data may read it
    return tuple(scope for scope in SCOPES if scope in chosen)


def _view(row: ApiToken) -> TokenView:
    return TokenView(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=tuple(row.scopes.split(",")),
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )
