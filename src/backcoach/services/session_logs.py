"""The sessions a person finished, read back as the engine reads them (`engine.log`): by a
window of days for Progress and the coach's record, or the recent ones the engine decides from.
Plain rows, never ORM objects, and two statements however long the log. For the services, after
`authorize`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, select

from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.progression import READS_BACK_DAYS
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import SetRecord, TrainingSession


def sessions_log(
    *,
    uow: UnitOfWork,
    person_id: int,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> tuple[SessionLog, ...]:
    """Finished sessions as the engine reads them (from ``since`` and up to ``until``, when
    given), in two statements however long the log: the sessions, then all their sets at
    once. For the services, after `authorize`."""
    query = _finished_sessions(person_id)
    if since is not None:
        query = query.where(TrainingSession.day >= since)
    if until is not None:
        query = query.where(TrainingSession.day <= until)
    return _logs(uow, query)


def recent_log(*, uow: UnitOfWork, person_id: int, today: dt.date) -> tuple[SessionLog, ...]:
    """The finished sessions the engine reads to decide on ``today`` (`read_back`): those of the
    last `READS_BACK_DAYS` days, or the latest alone after a longer break. The web log carries
    no red flags (the referral gate keeps them), so nothing older is needed. For the services,
    after `authorize`."""
    since = today - dt.timedelta(days=READS_BACK_DAYS)
    recent = _finished_sessions(person_id).where(
        TrainingSession.day > since, TrainingSession.day <= today
    )
    found = _logs(uow, recent)
    if not found:
        latest = _finished_sessions(person_id, newest_first=True).where(
            TrainingSession.day <= today
        )
        found = _logs(uow, latest.limit(1))
    return found


_SESSION_COLUMNS = (
    TrainingSession.id,
    TrainingSession.day,
    TrainingSession.pain_before,
    TrainingSession.pain_during,
    TrainingSession.pain_after,
    TrainingSession.pain_next_morning,
    TrainingSession.leg_symptoms,
)


def _finished_sessions(person_id: int, *, newest_first: bool = False) -> Select[*tuple[Any, ...]]:
    """A person's finished sessions (the columns the engine reads), by day."""
    order = (TrainingSession.day, TrainingSession.started_at)
    return (
        select(*_SESSION_COLUMNS)
        .where(TrainingSession.user_id == person_id, TrainingSession.finished_at.is_not(None))
        .order_by(*(column.desc() for column in order) if newest_first else order)
    )


def _logs(uow: UnitOfWork, sessions: Select[*tuple[Any, ...]]) -> tuple[SessionLog, ...]:
    """The sessions of a query with their sets, as plain rows: the log is read, never changed,
    so no ORM object is built for it (most of the cost of a long window)."""
    rows = sorted(uow.session.execute(sessions), key=lambda row: row.day)
    if not rows:
        return ()
    by_session: dict[int, dict[str, list[SetLog]]] = {row.id: {} for row in rows}
    sets = uow.session.execute(
        select(
            SetRecord.session_id,
            SetRecord.exercise_id,
            SetRecord.amount,
            SetRecord.felt,
            SetRecord.load_kg,
            SetRecord.rir,
        )
        .where(SetRecord.session_id.in_(by_session))
        .order_by(SetRecord.session_id, SetRecord.exercise_id, SetRecord.number)
    )
    for session_id, exercise_id, amount, felt, load_kg, rir in sets:
        by_session[session_id].setdefault(exercise_id, []).append(
            SetLog(amount, Felt(felt), load_kg, rir)
        )
    return tuple(
        SessionLog(
            day=row.day,
            pain_before=row.pain_before,
            pain_during=row.pain_during if row.pain_during is not None else row.pain_before,
            pain_after=row.pain_after if row.pain_after is not None else row.pain_before,
            pain_next_morning=row.pain_next_morning,
            leg_symptoms=LegSymptoms(row.leg_symptoms) if row.leg_symptoms else None,
            exercises=tuple(
                ExerciseLog(key, tuple(logged)) for key, logged in by_session[row.id].items()
            ),
        )
        for row in rows
    )
