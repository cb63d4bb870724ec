"""The caseload: a coach's (or their practice's) clients, most in need of attention first.

Each client's items are kept on write (services/attention.py), so a page is one query over the
open links, their `ClientAttention` rows and the clients' names, plus the rows time alone has
made stale (`fresh_until` reached), which are worked out again first. The rules and their order
are docs/attention.md's; a coach acknowledges an item here (`acknowledge`) and it drops until
it happens again. A red flag cannot be acknowledged: only a clinician's clearance closes it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, insert, or_, select
from sqlalchemy.orm import aliased

from backcoach.engine.attention import NOTHING, RED_FLAG, AttentionItem
from backcoach.services import attention
from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.errors import Conflict, Forbidden, Invalid
from backcoach.store.care_tables import AttentionAck, ClientAttention
from backcoach.store.db import UnitOfWork
from backcoach.store.search import lowered
from backcoach.store.tables import AuditEvent, CoachLink, User

Scope = Literal["mine", "practice"]
Show = Literal["attention", "all"]
#: The most clients a page lists.
MAX_PER_PAGE = 100
#: The longest note a coach may keep with an acknowledgement.
MAX_NOTE = 1000
#: The longest name a person gives their coach (users.display_name).
MAX_NAME = 80
#: The longest search text looked for.
MAX_QUERY = 100
#: Stale rows worked out again per view (about 7 ms each on SQLite): the first view after a
#: long pause stays under a second; the nightly `backcoach attention refresh` leaves none.
STALE_PER_VIEW = 60


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One client of the caseload: who, whose client, and what needs attention (most urgent
    first; empty when nothing does)."""

    client_id: int
    #: The name the client gives their coach, else their email.
    name: str
    coach_id: int
    coach_email: str
    link_id: int
    rank: int
    items: tuple[AttentionItem, ...]

    @property
    def red_flag(self) -> bool:
        return any(item.code == RED_FLAG for item in self.items)


@dataclass(frozen=True, slots=True)
class CaseloadPage:
    rows: tuple[CaseloadRow, ...]
    #: Clients matching the filters, over every page.
    total: int
    #: Clients of the scope whatever the filters (to tell "none yet" from "none matches").
    linked: int
    page: int
    pages: int
    per_page: int
    #: Clients whose attention is still from an earlier day (more than one view works out
    #: again; `backcoach attention refresh`, run nightly, leaves none).
    stale_left: int = 0


def caseload(
    *,
    uow: UnitOfWork,
    principal: Principal,
    now: dt.datetime,
    today: dt.date,
    scope: Scope = "mine",
    query: str = "",
    show: Show = "attention",
    page: int = 1,
    per_page: int = 25,
    server_zone: ZoneInfo = attention.UTC,
) -> CaseloadPage:
    """A page of the coach's clients (``scope="practice"``: their practice's too) sorted by
    attention, then the day it began, then name; ``show="attention"`` leaves out those with
    nothing to attend to; ``query`` looks for a part of the name or email. Each client listed is
    written to their audit log (a coach read their attention)."""
    _require_coach(principal)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    in_scope = _in_scope(principal, scope)
    stale_left = _refresh_stale(uow, in_scope, today, now, server_zone)
    client, coach = aliased(User, name="client"), aliased(User, name="coach")
    name = func.coalesce(client.display_name, client.email)
    rank = func.coalesce(ClientAttention.rank, NOTHING)
    chosen = (
        in_scope.join(coach, coach.id == CoachLink.coach_id)
        .join(client, client.id == CoachLink.client_id)
        .outerjoin(ClientAttention, ClientAttention.client_id == CoachLink.client_id)
    )
    wanted = query.strip()[:MAX_QUERY].lower()
    if wanted:
        pattern = "%" + _escaped(wanted) + "%"
        chosen = chosen.where(
            or_(
                lowered(func.coalesce(client.display_name, "")).like(pattern, escape="\\"),
                lowered(client.email).like(pattern, escape="\\"),
            )
        )
    if show == "attention":
        chosen = chosen.where(rank < NOTHING)
    total = uow.session.scalar(chosen.with_only_columns(func.count(CoachLink.id))) or 0
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(page, pages))
    rows = uow.session.execute(
        chosen.with_only_columns(
            CoachLink.id,
            CoachLink.client_id,
            CoachLink.coach_id,
            coach.email,
            name,
            rank,
            ClientAttention.items,
        )
        .order_by(
            rank,
            ClientAttention.since.is_(None),
            ClientAttention.since,
            func.lower(name),
            CoachLink.client_id,
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    found = tuple(
        CaseloadRow(
            client_id=client_id,
            name=client_name,
            coach_id=coach_id,
            coach_email=coach_email,
            link_id=link_id,
            rank=client_rank,
            items=tuple(attention.item_from_json(item) for item in items or ()),
        )
        for link_id, client_id, coach_id, coach_email, client_name, client_rank, items in rows
    )
    _audit_reads(uow, principal, [row.client_id for row in found], now)
    uow.commit()  # the rows worked out again and the audit lines
    linked = total
    if total == 0 and (wanted or show == "attention"):
        linked = uow.session.scalar(select(func.count()).select_from(in_scope.subquery())) or 0
    return CaseloadPage(found, total, linked, page, pages, per_page, stale_left)


def acknowledge(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    code: str,
    note: str,
    now: dt.datetime,
    today: dt.date | None = None,
    server_zone: ZoneInfo = attention.UTC,
) -> tuple[AttentionItem, ...]:
    """A coach saw a client's item: it drops until it happens again (on a later day). A red
    flag cannot be: only a clinician's clearance closes it. Answers the items left."""
    _require_coach(principal)
    authorize(uow, principal, Action.WRITE, client_id, what="attention", now=now)
    if code == RED_FLAG:
        raise Conflict("attention.red_flag_kept", field="code")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise Invalid("attention.note_too_long", field="note", max=MAX_NOTE)
    on: dict[str, Any] = {"client_id": client_id, "today": today, "now": now}
    current = attention.refresh(uow, **on, server_zone=server_zone)
    item = next((item for item in current if item.code == code), None)
    if item is None:
        raise Conflict("attention.not_current", field="code")
    uow.session.add(
        AttentionAck(
            client_id=client_id,
            coach_id=principal.user_id,
            code=code,
            seen=item.happened,
            at=now,
            note=note or None,
        )
    )
    uow.session.flush()
    left = attention.refresh(uow, **on, server_zone=server_zone)
    uow.commit()
    return left


def display_name(*, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime) -> str:
    """The name a person gives their coach (empty: none, their email is shown)."""
    authorize(uow, principal, Action.READ, person_id, what="display_name", now=now)
    return uow.session.get_one(User, person_id).display_name or ""


def set_display_name(
    *, uow: UnitOfWork, principal: Principal, person_id: int, name: str, now: dt.datetime
) -> str:
    """Keep the name the person's coach sees in place of their email (their own to set; empty
    clears it). Answers the name kept."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="display_name", now=now)
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise Invalid("display_name.too_long", field="display_name", max=MAX_NAME)
    uow.session.get_one(User, person_id).display_name = name or None
    uow.commit()
    return name


def refresh_all(
    *, uow: UnitOfWork, now: dt.datetime, server_zone: ZoneInfo = attention.UTC, stale_only: bool
) -> int:
    """Work out every coached client's row again (``stale_only``: those time has made stale,
    or missing); for `backcoach attention refresh`, run nightly. Answers how many."""
    open_links = select(CoachLink.client_id).where(CoachLink.ended_at.is_(None))
    if stale_only:
        today = now.astimezone(server_zone).date()
        open_links = _stale(open_links, today)
    client_ids = sorted(set(uow.session.scalars(open_links)))
    for client_id in client_ids:
        attention.refresh(uow, client_id=client_id, today=None, now=now, server_zone=server_zone)
        uow.commit()  # a row at a time: a long run keeps what it did
    return len(client_ids)


# --- helpers ------------------------------------------------------------------------------


def _require_coach(principal: Principal) -> None:
    if principal.role is not Role.COACH:
        raise Forbidden("coaching.coach_only")


def _in_scope(principal: Principal, scope: Scope) -> Select[int]:
    """The open links of the caseload: the coach's own, or their practice's (their own too)."""
    mine = CoachLink.coach_id == principal.user_id
    if scope == "practice":
        linked = aliased(User, name="linked")
        my_practice = select(User.practice_id).where(User.id == principal.user_id)
        practice_coaches = select(linked.id).where(
            linked.practice_id.is_not(None), linked.practice_id == my_practice.scalar_subquery()
        )
        mine = or_(mine, CoachLink.coach_id.in_(practice_coaches))
    return select(CoachLink.client_id).where(and_(CoachLink.ended_at.is_(None), mine))


def _stale(links: Select[int], today: dt.date) -> Select[int]:
    """Only the links whose client has no row yet, or one time has made stale."""
    return links.outerjoin(ClientAttention, ClientAttention.client_id == CoachLink.client_id).where(
        or_(
            ClientAttention.client_id.is_(None),
            ClientAttention.fresh_until.is_(None),
            ClientAttention.fresh_until <= today,
        )
    )


def _refresh_stale(
    uow: UnitOfWork,
    in_scope: Select[int],
    today: dt.date,
    now: dt.datetime,
    server_zone: ZoneInfo,
) -> int:
    """Work out again at most `STALE_PER_VIEW` stale rows, those missing or stale longest
    first; returns how many are left (shown as they were, and said on the page)."""
    found = uow.session.execute(
        _stale(in_scope, today).with_only_columns(
            CoachLink.client_id, ClientAttention.client_id, ClientAttention.fresh_until
        )
    )
    stale = sorted(
        {(client_id, kept is not None, fresh_until) for client_id, kept, fresh_until in found},
        key=lambda row: (row[1], row[2] or dt.date.min, row[0]),
    )
    for client_id, _kept, _fresh_until in stale[:STALE_PER_VIEW]:
        attention.refresh(uow, client_id=client_id, today=None, now=now, server_zone=server_zone)
    return max(0, len(stale) - STALE_PER_VIEW)


def _audit_reads(
    uow: UnitOfWork, principal: Principal, client_ids: list[int], now: dt.datetime
) -> None:
    """One audit line per client listed (as `access.record` writes them), in one statement:
    the page costs the same statements for one client or a hundred."""
    if not client_ids:
        return
    uow.session.execute(
        insert(AuditEvent).values(
            [
                {
                    "at": now,
                    "actor_id": principal.user_id,
                    "subject_id": client_id,
                    "action": Action.READ.value,
                    "what": "caseload",
                    "channel": principal.channel.value,
                    "allowed": True,
                }
                for client_id in client_ids
            ]
        )
    )


def _escaped(text: str) -> str:
    """Search text with LIKE's wildcards taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
