"""The plain-text message thread between a client and the coaches looking after them.

One thread per client (`Message.client_id`). The client writes while they share with a coach (an
open link) and keeps their whole history, read-only, after it ends. A coach, and the colleagues
of their practice, read and write through `access.authorize` like any health data; they see the
thread from the day the client's current link opened (what was said with an earlier coach stays
between the client and that coach), and once the link ends, nothing. Opening the thread marks the
other side's messages read; the unread counts are the other side's messages with no `read_at`.

A message never carries a red-flag decision: nothing here reads a message's words. Red flags keep
their own path (the safety questions, a clinician's clearance); the pages say so every time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, Select, and_, bindparam, exists, false, func, select, true, update
from sqlalchemy.orm import aliased

from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.errors import Conflict, Invalid
from backcoach.services.notes import name_of, plain_text
from backcoach.store.care_tables import Message
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import CoachLink, User

#: The longest message, in characters (about a page of writing).
MAX_CHARS = 4000
#: Messages a page shows at once; older ones a page further back.
PAGE = 50


@dataclass(frozen=True, slots=True)
class MessageView:
    id: int
    at: dt.datetime
    body: str
    from_client: bool
    #: Whose account wrote it (None when that account is gone).
    sender_id: int | None
    #: Who wrote it (their display name, else email); None when that account is gone.
    sender: str | None
    #: When the other side read it (as it was before this opening marked it).
    read_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Thread:
    """A client's thread as one side sees it: newest first, at most `PAGE` messages."""

    client_id: int
    client_name: str
    #: The coach the client shares with now (None: no one).
    coach_name: str | None
    messages: tuple[MessageView, ...]
    #: Whether this side may write now (a client: while they share with a coach).
    can_write: bool
    #: The id to ask for older messages with (`before`); None when these are the oldest.
    older: int | None


@dataclass(frozen=True, slots=True)
class NavMessages:
    """The "Messages" link of the page's navigation: where it goes and how many are unread."""

    href: str
    unread: int


def send(
    *, uow: UnitOfWork, principal: Principal, client_id: int, body: str, now: dt.datetime
) -> MessageView:
    """Add a message to the client's thread: by the client (while they share with a coach) or by
    a coach who looks after them."""
    authorize(uow, principal, Action.WRITE, client_id, what="messages", now=now)
    text, problem = plain_text(body, MAX_CHARS)
    if problem == "blank":
        raise Invalid("message.blank", field="body")
    if problem == "bad_characters":
        raise Invalid("message.bad_characters", field="body")
    if problem == "too_long":
        raise Invalid("message.too_long", field="body", max=MAX_CHARS, length=len(text))
    from_client = principal.user_id == client_id
    link = uow.session.scalar(_open_link(client_id))
    if link is None:  # a coach reaching here has a link; a client without one has no reader
        raise Conflict("message.no_coach", field="body")
    message = Message(
        client_id=client_id,
        sender_id=principal.user_id,
        from_client=from_client,
        at=now,
        body=text,
        read_at=None,
    )
    uow.session.add(message)
    uow.commit()
    return MessageView(message.id, now, text, from_client, principal.user_id, None, None)


def thread(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    now: dt.datetime,
    before: int | None = None,
) -> Thread:
    """The thread as this side sees it, newest first; the other side's messages it shows are
    marked read (the views keep `read_at` as it was, so a page can say which are new)."""
    authorize(uow, principal, Action.READ, client_id, what="messages", now=now)
    is_client = principal.user_id == client_id
    link = uow.session.scalar(_open_link(client_id))
    sender = aliased(User)
    query = (
        select(Message, sender.display_name, sender.email)
        .outerjoin(sender, sender.id == Message.sender_id)
        .where(Message.client_id == client_id)
        .order_by(Message.at.desc(), Message.id.desc())
        .limit(PAGE + 1)
    )
    if not is_client and link is not None:  # a coach: since the client's current link opened
        query = query.where(Message.at >= link.started_at)
    if before is not None:
        query = query.where(Message.id < before)
    rows = uow.session.execute(query).all()
    shown = rows[:PAGE]
    views = tuple(
        MessageView(
            row.id,
            row.at,
            row.body,
            row.from_client,
            row.sender_id,
            name_of(display_name, email),
            row.read_at,
        )
        for row, display_name, email in shown
    )
    unread_ids = [m.id for m in views if m.from_client != is_client and m.read_at is None]
    if unread_ids:
        uow.session.execute(update(Message).where(Message.id.in_(unread_ids)).values(read_at=now))
        uow.commit()
    client = uow.session.get_one(User, client_id)
    coach = uow.session.get(User, link.coach_id) if link is not None else None
    return Thread(
        client_id,
        name_of(client.display_name, client.email) or "",
        name_of(coach.display_name, coach.email) if coach is not None else None,
        views,
        link is not None,
        shown[-1][0].id if len(rows) > PAGE else None,
    )


def nav_messages(*, uow: UnitOfWork, principal: Principal) -> NavMessages | None:
    """The navigation's "Messages" link, in one indexed statement: for a client who shares with
    a coach (or has messages to read back), their thread and its unread coach messages; for a
    coach, their clients' unread messages across the caseload; nobody else has one."""
    if principal.role is Role.PERSON:
        found = uow.session.execute(_CLIENT_NAV, {"me": principal.user_id}).one()
        count, has_coach, has_history = found
        return NavMessages("/messages", int(count)) if has_coach or has_history else None
    if principal.role is Role.COACH:
        unread = uow.session.execute(_COACH_NAV, {"me": principal.user_id}).scalar()
        return NavMessages("/coach", unread or 0)
    return None


def _client_nav() -> Select[int, bool, bool]:
    me = bindparam("me", type_=Integer)
    unread = (
        select(func.count())
        .select_from(Message)
        .where(Message.client_id == me, Message.from_client == false(), Message.read_at.is_(None))
        .scalar_subquery()
    )
    linked = exists().where(CoachLink.client_id == me, CoachLink.ended_at.is_(None))
    written = exists().where(Message.client_id == me)
    return select(unread, linked, written)


def _coach_nav() -> Select[int]:
    return (
        select(func.count())
        .select_from(CoachLink)
        .join(
            Message,
            and_(
                Message.client_id == CoachLink.client_id,
                Message.from_client == true(),
                Message.read_at.is_(None),
                Message.at >= CoachLink.started_at,
            ),
        )
        .where(CoachLink.coach_id == bindparam("me", type_=Integer), CoachLink.ended_at.is_(None))
    )


#: Built once: every logged-in page asks one of these (the statement cache does the rest).
_CLIENT_NAV = _client_nav()
_COACH_NAV = _coach_nav()


def unread_by_client(
    *, uow: UnitOfWork, principal: Principal, client_ids: tuple[int, ...]
) -> dict[int, int]:
    """Each listed client's unread messages to their coach (a caseload's column; one grouped
    statement). Only clients whose open link is to this coach or their practice count; the
    others, and clients with none unread, are left out."""
    if principal.role is not Role.COACH or not client_ids:
        return {}
    linked_coach = aliased(User)
    my_practice = select(User.practice_id).where(User.id == principal.user_id).scalar_subquery()
    rows = uow.session.execute(
        select(Message.client_id, func.count())
        .join(
            CoachLink,
            and_(
                CoachLink.client_id == Message.client_id,
                CoachLink.ended_at.is_(None),
                Message.at >= CoachLink.started_at,
            ),
        )
        .join(linked_coach, linked_coach.id == CoachLink.coach_id)
        .where(
            Message.client_id.in_(client_ids),
            Message.from_client == true(),
            Message.read_at.is_(None),
            (CoachLink.coach_id == principal.user_id)
            | and_(linked_coach.practice_id.is_not(None), linked_coach.practice_id == my_practice),
        )
        .group_by(Message.client_id)
    ).all()
    return {client_id: int(count) for client_id, count in rows}


def _open_link(client_id: int) -> Select[CoachLink]:
    return select(CoachLink).where(CoachLink.client_id == client_id, CoachLink.ended_at.is_(None))
