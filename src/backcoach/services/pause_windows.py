"""The days each pause of a person's program covered or covers (services/program_pause.py),
for what counts planned days (services/calendar.py): a paused day is never planned, even one
an earlier plan had (the day a pause was made from that very day)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backcoach.store.db import UnitOfWork
from backcoach.store.tables import ProgramPause, TrainingSession

#: A window's first and last paused day (None: not over).
Window = tuple[dt.date, dt.date | None]


def pause_windows(uow: UnitOfWork, *, person_id: int, zone: dt.tzinfo) -> tuple[Window, ...]:
    """Each pause's days: from its first day to its last, cut short the day before the person
    resumed or trained again (one indexed read when there is no pause)."""
    rows = uow.session.scalars(
        select(ProgramPause)
        .where(ProgramPause.user_id == person_id)
        .order_by(ProgramPause.starts_on, ProgramPause.id)
    ).all()
    windows: list[Window] = []
    for row in rows:
        last = row.ends_on
        if row.resumed_at is not None:
            last = _earlier(last, row.resumed_at.astimezone(zone).date() - dt.timedelta(days=1))
        trained = uow.session.scalar(
            select(TrainingSession.day)
            .where(
                TrainingSession.user_id == person_id,
                TrainingSession.started_at > row.made_at,
                TrainingSession.day >= row.starts_on,
            )
            .order_by(TrainingSession.day)
            .limit(1)
        )
        if trained is not None:
            last = _earlier(last, trained - dt.timedelta(days=1))
        if last is None or last >= row.starts_on:
            windows.append((row.starts_on, last))
    return tuple(windows)


def paused(day: dt.date, windows: tuple[Window, ...]) -> bool:
    return any(first <= day and (last is None or day <= last) for first, last in windows)


def _earlier(last: dt.date | None, other: dt.date) -> dt.date:
    return other if last is None else min(last, other)
