"""Who may do what to whose data: one check, `can`, and the audit log it writes.

A request acts as a *principal* (who acts: a person, later a coach or an admin, and through
which door) on a *subject* (whose data). Every service that reads or changes health data calls
`authorize` with the two and an action; nothing else decides access, so a coach's reach (issue
11) or an API token's scope is added here, once.

What is written to the audit log, and why not everything:
- every read or change of someone's health data by anyone other than that person, allowed or
  not (a person can see who looked and when);
- everything a person takes away or changes about their account (an export, the password, the
  calendar address), since those reach beyond the app;
- a person's own everyday reads and writes are not logged: each row they enter already carries
  its time, and a log line per set saved would double every write for no reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from backcoach.services.errors import Forbidden
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import AuditEvent, User


class Role(StrEnum):
    PERSON = "person"
    COACH = "coach"
    ADMIN = "admin"


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    CLI = "cli"


class Action(StrEnum):
    READ = "read"  # health data: screenings, measures, programs, sessions, progress
    WRITE = "write"  # adds to or changes health data
    EXPORT = "export"  # everything at once, to take away
    ACCOUNT = "account"  # the password, the calendar address, deleting the account


#: Actions always written to the audit log, whoever acts.
ALWAYS_AUDITED = frozenset({Action.EXPORT, Action.ACCOUNT})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who acts: an account, its role, and the door the request came through."""

    user_id: int
    role: Role = Role.PERSON
    channel: Channel = Channel.WEB


def principal_of(user: User, channel: Channel = Channel.WEB) -> Principal:
    return Principal(user.id, Role(user.role), channel)


def can(principal: Principal, action: Action, subject_id: int) -> bool:
    """Whether ``principal`` may do ``action`` to the data of account ``subject_id``.

    Today a person reaches only their own data, and nobody else reaches anyone's: an admin
    manages accounts, not health data. Coaches reach their linked clients with issue 11.
    """
    return principal.user_id == subject_id


def authorize(
    uow: UnitOfWork,
    principal: Principal,
    action: Action,
    subject_id: int,
    *,
    what: str,
    now: dt.datetime,
) -> None:
    """Refuse with `Forbidden` unless `can` allows it; write the audit line the rules above ask.

    Its first four arguments are positional, so each service's check reads as one line: who
    (through which unit of work) does what to whose data; then what it is, and when.

    A refusal is written (and committed) before it is raised, so that a rolled-back request
    still leaves its trace.
    """
    allowed = can(principal, action, subject_id)
    if allowed and principal.user_id == subject_id and action not in ALWAYS_AUDITED:
        return
    uow.session.add(
        AuditEvent(
            at=now,
            actor_id=principal.user_id,
            subject_id=subject_id,
            action=action.value,
            what=what[:40],
            channel=principal.channel.value,
            allowed=allowed,
        )
    )
    if not allowed:
        uow.commit()
        raise Forbidden("access.forbidden", what=what)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of a person's audit log, as they see it."""

    at: dt.datetime
    actor_id: int | None
    action: Action
    what: str
    channel: Channel
    allowed: bool


def audit_log(
    *, uow: UnitOfWork, principal: Principal, subject_id: int, limit: int = 100
) -> tuple[AuditEntry, ...]:
    """Who read or changed this person's data, newest first (only they may see it)."""
    if principal.user_id != subject_id:
        raise Forbidden("access.forbidden", what="audit_log")
    rows = uow.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_id == subject_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return tuple(
        AuditEntry(
            row.at, row.actor_id, Action(row.action), row.what, Channel(row.channel), row.allowed
        )
        for row in rows
    )
