"""Who may do what to whose data: one check, `can`, and the audit log it writes.

A request acts as a *principal* (who acts: a person, a coach or an admin, and through
which door) on a *subject* (whose data). Every service that reads or changes health data calls
`authorize` with the two and an action; nothing else decides access, so a coach's reach (a
linked client, issue 11) or an API token's scope is decided here, once.

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

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from backcoach.services.errors import Forbidden
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import AuditEvent, CoachLink, User


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
#: Ids are 32-bit integer columns: none reaches this.
MAX_ID = 2**31


@dataclass(frozen=True, slots=True)
class Principal:
    """Who acts: an account, its role, and the door the request came through."""

    user_id: int
    role: Role = Role.PERSON
    channel: Channel = Channel.WEB


def principal_of(user: User, channel: Channel = Channel.WEB) -> Principal:
    return Principal(user.id, Role(user.role), channel)


def can(uow: UnitOfWork, principal: Principal, action: Action, subject_id: int) -> bool:
    """Whether ``principal`` may do ``action`` to the data of account ``subject_id``.

    A person reaches their own data. A coach reads and changes (never exports, never the
    account) the data of a client whose open link is to them or to a coach of their practice;
    once the link ends, nothing. An admin manages accounts and links (services/coaching.py) but
    reads no one's health data.
    """
    if principal.user_id == subject_id:
        return True
    if principal.role is not Role.COACH or action not in COACH_ACTIONS:
        return False
    if not 0 < subject_id < MAX_ID:  # no account's id (and no database looks one up)
        return False
    return _linked(uow, coach_id=principal.user_id, client_id=subject_id)


#: What a linked coach may do to a client's data.
COACH_ACTIONS = frozenset({Action.READ, Action.WRITE})


def _linked(uow: UnitOfWork, *, coach_id: int, client_id: int) -> bool:
    """Whether the client has an open link to this coach or to a colleague of their practice."""
    linked_coach = aliased(User)
    my_practice = select(User.practice_id).where(User.id == coach_id).scalar_subquery()
    found = uow.session.scalar(
        select(CoachLink.id)
        .join(linked_coach, linked_coach.id == CoachLink.coach_id)
        .where(
            CoachLink.client_id == client_id,
            CoachLink.ended_at.is_(None),
            or_(
                CoachLink.coach_id == coach_id,
                and_(
                    linked_coach.practice_id.is_not(None), linked_coach.practice_id == my_practice
                ),
            ),
        )
        .limit(1)
    )
    return found is not None


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

    Someone else's access, allowed or refused, is committed here, before the use case goes on:
    a read commits nothing of its own, and a rolled-back request still leaves its trace.
    """
    if not 0 < subject_id < MAX_ID:
        # No account has such an id (and a database refuses to look one up past its integer).
        raise Forbidden("access.forbidden", what=what)
    allowed = can(uow, principal, action, subject_id)
    if allowed and principal.user_id == subject_id and action not in ALWAYS_AUDITED:
        return
    if not allowed and uow.session.get(User, subject_id) is None:
        # Nobody's data: nothing to write in anyone's log (an audit line names an account), and
        # the refusal is the same as for someone else's, so it tells no one who has an account.
        raise Forbidden("access.forbidden", what=what)
    record(uow, principal, action, subject_id, what=what, now=now, allowed=allowed)
    if not allowed or principal.user_id != subject_id:
        # Someone else's access stays written even when the use case only reads (and so never
        # commits) or fails later; a person's own export or account change is committed with it.
        uow.commit()
    if not allowed:
        raise Forbidden("access.forbidden", what=what)


def record(
    uow: UnitOfWork,
    principal: Principal,
    action: Action,
    subject_id: int,
    *,
    what: str,
    now: dt.datetime,
    allowed: bool = True,
) -> None:
    """Write one audit line (committed with the change it records).

    For what `authorize` does not decide: a coach or an admin ending or moving a client's link
    (services/coaching.py) acts on the link, not on health data. The server's operator at the
    command line (no account, id 0) is written as no one's id.
    """
    uow.session.add(
        AuditEvent(
            at=now,
            actor_id=principal.user_id or None,
            subject_id=subject_id,
            action=action.value,
            what=what[:40],
            channel=principal.channel.value,
            allowed=allowed,
        )
    )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of a person's audit log, as they see it."""

    at: dt.datetime
    actor_id: int | None
    #: Who it was, by their email (None when that account is gone).
    actor_email: str | None
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
    rows = uow.session.execute(
        select(AuditEvent, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_id == subject_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return tuple(
        AuditEntry(
            row.at,
            row.actor_id,
            email,
            Action(row.action),
            row.what,
            Channel(row.channel),
            row.allowed,
        )
        for row, email in rows
    )
