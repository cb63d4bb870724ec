"""A person's training sessions a page at a time, newest first (the API's session list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from backcoach.engine.vocabulary import LegSymptoms
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.training import session_fields
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import SetRecord, TrainingSession


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One session without its sets: its day, pains, leg symptoms, times and how many sets."""

    id: int
    day: dt.date
    started_at: dt.datetime
    finished_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    pain_before: int
    pain_during: int | None
    pain_after: int | None
    pain_next_morning: int | None
    leg_symptoms: LegSymptoms | None
    set_count: int


@dataclass(frozen=True, slots=True)
class SessionPage:
    """Some of the sessions, and how many there are in all."""

    sessions: tuple[SessionSummary, ...]
    total: int


def sessions_page(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    limit: int,
    offset: int,
    now: dt.datetime,
) -> SessionPage:
    """The person's sessions from ``offset``, at most ``limit``, newest first (by day, then by
    start): two statements whatever the length of the history."""
    authorize(uow, principal, Action.READ, person_id, what="session", now=now)
    total = uow.session.scalar(
        select(func.count(TrainingSession.id)).where(TrainingSession.user_id == person_id)
    )
    set_count = (
        select(func.count(SetRecord.id))
        .where(SetRecord.session_id == TrainingSession.id)
        .scalar_subquery()
    )
    rows = uow.session.execute(
        select(TrainingSession, set_count)
        .where(TrainingSession.user_id == person_id)
        .order_by(
            TrainingSession.day.desc(), TrainingSession.started_at.desc(), TrainingSession.id.desc()
        )
        .limit(limit)
        .offset(offset)
    )
    return SessionPage(tuple(_summary(row, count) for row, count in rows), int(total or 0))


def _summary(row: TrainingSession, set_count: int) -> SessionSummary:
    return SessionSummary(**session_fields(row), set_count=int(set_count))
