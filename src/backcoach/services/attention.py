"""What needs a coach about each client, kept on write (docs/attention.md, "Kept on write").

The engine's rules (engine/attention.py) read a `ClientSnapshot`; this module fills one with
bounded reads and stores the result as one `ClientAttention` row per coached client, so that a
caseload reads one row per client and never a history. The row is worked out again:

- when the client's data changes: each write service calls `refresh_if_coached` before it
  commits (a finished session, a check-in, measures, a screening, a clearance, a new link,
  an acknowledgement); one cheap query when the person has no coach;
- when time alone would change it: `fresh_until` is the first day on which the same data gives
  other items (a planned day missed, a morning unanswered, the questionnaires due), and the
  caseload (services/caseload.py) and `backcoach attention refresh` redo the rows that reach it.

Only clients with an open coach link get rows; a row left after the link ends is never shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from backcoach.engine.attention import (
    NOTHING,
    Acknowledgement,
    AttentionItem,
    ClientSnapshot,
    DatedChange,
    DatedStartBack,
    OpenReferral,
    attention,
    rank_key,
)
from backcoach.engine.log import SessionLog
from backcoach.engine.measures import startback_from_scores
from backcoach.engine.outcomes import measure_changes
from backcoach.engine.progression import READS_BACK_DAYS
from backcoach.engine.reasons import reason_from_json
from backcoach.services import calendar, programs, safety, session_logs
from backcoach.services.accounts import person_zone
from backcoach.store.care_tables import AttentionAck, ClientAttention
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import CoachLink, Measure, PlanRecord, Screening, User

#: How far ahead a row's items are worked out for the days to come; a row whose items stay the
#: same that long is still checked again then (a cheap safety net, never a scan per view).
HORIZON_DAYS = 28
#: Planned days are read from this many days before today (the adherence window, M7).
PLANNED_BACK_DAYS = 14


#: The zone of a person who chose none, where no server's zone is given (a link just made).
UTC = ZoneInfo("UTC")


def snapshot(uow: UnitOfWork, client_id: int, today: dt.date, *, zone: dt.tzinfo) -> ClientSnapshot:
    """What the attention rules read of one client, each part a bounded read.

    Planned days are read up to `HORIZON_DAYS` ahead, so that the same snapshot can be judged on
    each of the days to come (`fresh_until`); the rules only count those before the day judged.
    """
    # The services that call this module on write (training, onboarding) and progress, which
    # imports them, are imported here: at the top they would import each other in a circle.
    from backcoach.services import onboarding, progress

    plan = onboarding.active_plan(uow=uow, person_id=client_id)
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    planned = calendar.planned_days(
        uow=uow,
        person_id=client_id,
        # As judged on the horizon's last day: days already gone by then count as planned.
        today=horizon + dt.timedelta(days=1),
        zone=zone,
        first_day=today - dt.timedelta(days=PLANNED_BACK_DAYS),
        last_day=horizon,
        with_exercises=False,
    )
    firsts, latests = progress._first_and_latest(uow, client_id, today)
    changes = measure_changes([*firsts.values(), *latests.values()])
    return ClientSnapshot(
        referral=_referral(uow, client_id, zone),
        sessions=session_logs.recent_log(uow=uow, person_id=client_id, today=today),
        program=_program(plan),
        planned_days=tuple(p.day for p in planned),
        startback=_startback(uow, client_id, today),
        reassess_due_on=progress._reassessment(uow, client_id, today).due_on,
        changes=tuple(
            DatedChange(change, latests[name].day)
            for name, change in sorted(changes.items())
            if name in latests
        ),
        acknowledgements=_acknowledgements(uow, client_id),
    )


def items_on(found: ClientSnapshot, day: dt.date) -> tuple[AttentionItem, ...]:
    """The items on ``day`` of a snapshot taken on an earlier day, when nothing new is
    written: the sessions read back as `session_logs.recent_log` would read them on that day."""
    since = day - dt.timedelta(days=READS_BACK_DAYS)
    upto = [s for s in found.sessions if s.day <= day]
    recent: Sequence[SessionLog] = [s for s in upto if s.day > since] or upto[-1:]
    return attention(_with_sessions(found, tuple(recent)), day)


def fresh_until(found: ClientSnapshot, today: dt.date) -> dt.date:
    """The first day after ``today`` on which the same data gives other items, or the horizon's
    last day when none does before it (the row is looked at again then)."""
    now_items = items_on(found, today)
    for ahead in range(1, HORIZON_DAYS):
        day = today + dt.timedelta(days=ahead)
        if items_on(found, day) != now_items:
            return day
    return today + dt.timedelta(days=HORIZON_DAYS)


def refresh(
    uow: UnitOfWork,
    *,
    client_id: int,
    today: dt.date | None,
    now: dt.datetime,
    server_zone: ZoneInfo = UTC,
) -> tuple[AttentionItem, ...]:
    """Work the client's items out again and keep them (committed by the caller); without
    ``today``, on the client's own day at ``now``."""
    time_zone = uow.session.scalar(select(User.time_zone).where(User.id == client_id))
    zone = person_zone(time_zone, server_zone)
    day = today if today is not None else now.astimezone(zone).date()
    found = snapshot(uow, client_id, day, zone=zone)
    items = items_on(found, day)
    rank, since = rank_key(items)
    row = uow.session.get(ClientAttention, client_id)
    if row is None:
        row = ClientAttention(client_id=client_id)
        uow.session.add(row)
    row.rank = rank
    row.since = dt.date.fromordinal(since) if rank != NOTHING else None
    row.items = [item_to_json(item) for item in items]
    row.computed_at, row.computed_on = now, day
    row.fresh_until = fresh_until(found, day)
    return items


def refresh_if_coached(
    uow: UnitOfWork, *, person_id: int, today: dt.date | None, now: dt.datetime
) -> None:
    """For the write services, before they commit: refresh the person's row when a coach is
    linked to them (one indexed query when not). Without ``today`` (a link just made, a
    clearance) the person's day is read in their own time zone (UTC when they chose none)."""
    coached = uow.session.scalar(
        select(CoachLink.id)
        .where(CoachLink.client_id == person_id, CoachLink.ended_at.is_(None))
        .limit(1)
    )
    if coached is not None:
        refresh(uow, client_id=person_id, today=today, now=now)


def stored_items(row: ClientAttention) -> tuple[AttentionItem, ...]:
    """The items a row keeps, as the engine's."""
    return tuple(item_from_json(item) for item in row.items)


def item_to_json(item: AttentionItem) -> dict[str, Any]:
    return {
        **item.reason.to_dict(),
        "rank": item.rank,
        "since": item.since.isoformat(),
        "happened": item.happened.isoformat(),
    }


def item_from_json(stored: dict[str, Any]) -> AttentionItem:
    return AttentionItem(
        reason_from_json(stored["code"], stored.get("params")),
        int(stored["rank"]),
        dt.date.fromisoformat(stored["since"]),
        dt.date.fromisoformat(stored["happened"]),
    )


# --- the bounded reads ----------------------------------------------------------------------


def _with_sessions(found: ClientSnapshot, sessions: tuple[SessionLog, ...]) -> ClientSnapshot:
    return ClientSnapshot(
        referral=found.referral,
        sessions=sessions,
        program=found.program,
        planned_days=found.planned_days,
        startback=found.startback,
        reassess_due_on=found.reassess_due_on,
        changes=found.changes,
        acknowledgements=found.acknowledgements,
    )


def _referral(uow: UnitOfWork, client_id: int, zone: dt.tzinfo) -> OpenReferral | None:
    """The referral that keeps referring, and the day of the screening that raised it."""
    outcome = safety.open_referral(uow=uow, person_id=client_id)
    if outcome is None:
        return None
    at = uow.session.scalar(
        select(Screening.at)
        .where(Screening.user_id == client_id)
        .order_by(Screening.refer.desc(), Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )
    return OpenReferral.of(outcome, at.astimezone(zone).date()) if at is not None else None


def _program(plan: PlanRecord | None) -> frozenset[str]:
    if plan is None:
        return frozenset()
    return frozenset(p.exercise.id for p in programs.stored_plan(plan).plan.exercises)


def _startback(uow: UnitOfWork, client_id: int, today: dt.date) -> DatedStartBack | None:
    latest = uow.session.execute(
        select(Measure.result, Measure.day)
        .where(
            Measure.user_id == client_id, Measure.instrument == "startback", Measure.day <= today
        )
        .order_by(Measure.day.desc(), Measure.at.desc(), Measure.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    result, day = latest
    return DatedStartBack(startback_from_scores(result["score"], result["psychosocial"]), day)


def _acknowledgements(uow: UnitOfWork, client_id: int) -> tuple[Acknowledgement, ...]:
    """The latest day seen per code: all the rules compare (one row per code, however many)."""
    rows = uow.session.execute(
        select(AttentionAck.code, func.max(AttentionAck.at), func.max(AttentionAck.seen))
        .where(AttentionAck.client_id == client_id)
        .group_by(AttentionAck.code)
    )
    return tuple(Acknowledgement(code, at, seen) for code, at, seen in rows)
