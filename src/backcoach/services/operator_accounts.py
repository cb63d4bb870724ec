"""The server operator's account commands: a person's account made without a browser
(`backcoach user add`), and an access token made for an account (`backcoach token create`).

Only the operator (`coaching.OPERATOR`, the command line) calls these; the pages never do.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backcoach.services import tokens
from backcoach.services.access import Channel, Principal, Role
from backcoach.services.accounts import normalise_email
from backcoach.services.errors import Conflict, Forbidden, Invalid, NotFound
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import User

MAX_EMAIL = 254


def check_new_email(*, uow: UnitOfWork, principal: Principal, email: str) -> str:
    """The email, tidied, when a new account may have it (asked before a password is typed)."""
    _require_operator(principal)
    email = normalise_email(email)
    local, at, domain = email.partition("@")
    if not (at and local and domain) or "@" in domain or len(email) > MAX_EMAIL:
        raise Invalid("account.email_invalid", field="email")
    if any(character.isspace() for character in email):
        raise Invalid("account.email_invalid", field="email")
    if uow.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("account.email_taken", field="email")
    return email


def add_person(
    *, uow: UnitOfWork, principal: Principal, email: str, password_hash: str, now: dt.datetime
) -> str:
    """A new person's account with ``password_hash`` (see `accounts.hash_password`); its email."""
    email = check_new_email(uow=uow, principal=principal, email=email)
    uow.session.add(
        User(
            email=email,
            password_hash=password_hash,
            created_at=now,
            calendar_token=secrets.token_urlsafe(32),
            role=Role.PERSON.value,
        )
    )
    try:
        uow.commit()
    except IntegrityError:  # the same email signed up on the pages at this moment
        uow.session.rollback()
        raise Conflict("account.email_taken", field="email") from None
    return email


def create_token_for(
    *,
    uow: UnitOfWork,
    principal: Principal,
    email: str,
    name: str,
    scopes: Iterable[str],
    expires_in_days: int | None,
    now: dt.datetime,
) -> tokens.MadeToken:
    """A token for the account with ``email``, made as that account at the command line: the
    account's audit log says it made one there (channel ``cli``), as when it makes one itself."""
    _require_operator(principal)
    user = uow.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound("account.not_found", field="email")
    holder = Principal(user.id, Role(user.role), Channel.CLI)
    return tokens.create_token(
        uow=uow,
        principal=holder,
        person_id=user.id,
        name=name,
        scopes=scopes,
        expires_in_days=expires_in_days,
        now=now,
    )


def _require_operator(principal: Principal) -> None:
    if principal.role is not Role.ADMIN or principal.channel is not Channel.CLI:
        raise Forbidden("access.forbidden", what="account")
