"""A person's questionnaire scores a page at a time, newest first, each with its change since
the first answer (M10), and the measures entered at onboarding or at the two-weekly check.

A page costs the same however long the history: a count, the page, and one indexed look-up of
each tracked questionnaire's first answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select

from backcoach.engine.change import Change, assess_change, far_enough_apart
from backcoach.engine.outcomes import TRACKED
from backcoach.services import onboarding
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.measure_input import MeasuresInput, StartBackInput
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import Measure


@dataclass(frozen=True, slots=True)
class MeasureEntry:
    """One questionnaire's score on one day, its result document (band, risk ...), and, for a
    tracked questionnaire answered before, how far it moved from the first answer."""

    id: int
    day: dt.date
    at: dt.datetime
    instrument: str
    score: float
    #: The engine's result (``engine.measures`` ``to_dict``): codes and numbers, no item words.
    result: Mapping[str, Any]
    change: Change | None


@dataclass(frozen=True, slots=True)
class MeasurePage:
    entries: tuple[MeasureEntry, ...]
    total: int


def measure_history(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    limit: int,
    offset: int,
    now: dt.datetime,
) -> MeasurePage:
    """The scores from ``offset`` on, newest first, at most ``limit`` of them."""
    authorize(uow, principal, Action.READ, person_id, what="measures", now=now)
    total = uow.session.scalar(select(func.count(Measure.id)).where(Measure.user_id == person_id))
    rows = uow.session.scalars(
        select(Measure)
        .where(Measure.user_id == person_id)
        .order_by(Measure.day.desc(), Measure.at.desc(), Measure.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    firsts = _firsts(uow, person_id, {row.instrument for row in rows} & set(TRACKED))
    entries = tuple(
        MeasureEntry(
            id=row.id,
            day=row.day,
            at=row.at,
            instrument=row.instrument,
            score=row.score,
            result=dict(row.result),
            change=_change(row, firsts.get(row.instrument)),
        )
        for row in rows
    )
    return MeasurePage(entries, total or 0)


def record_own_measures(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    entry: MeasuresInput,
    today: dt.date,
    now: dt.datetime,
) -> tuple[MeasureEntry, ...]:
    """Keep the measures as /onboarding/measures does before the first pain rating (STarT Back
    asked: its totals, or ``none`` said on purpose) and as /progress/reassess does after it
    (STarT Back only when given); every problem is refused at once (`Invalid`), naming its
    field. Answers the scores kept."""
    first = onboarding.latest_score(
        uow=uow, principal=principal, person_id=person_id, instrument="nprs", now=now
    )
    if first is None and entry.startback is None:
        entry = replace(entry, startback=StartBackInput())  # asked, not answered: refused
    kept = onboarding.record_measures(
        uow=uow, principal=principal, person_id=person_id, answers=entry, today=today, now=now
    )
    newest = measure_history(
        uow=uow, principal=principal, person_id=person_id, limit=len(kept), offset=0, now=now
    )
    return newest.entries


def _firsts(uow: UnitOfWork, person_id: int, instruments: set[str]) -> dict[str, Measure]:
    """Each questionnaire's first answer (the baseline a change is measured from)."""
    firsts = {}
    for instrument in sorted(instruments):
        first = uow.session.scalar(
            select(Measure)
            .where(Measure.user_id == person_id, Measure.instrument == instrument)
            .order_by(Measure.day, Measure.at, Measure.id)
            .limit(1)
        )
        if first is not None:
            firsts[instrument] = first
    return firsts


def _change(row: Measure, first: Measure | None) -> Change | None:
    if first is None or first.id == row.id or not far_enough_apart(first.day, row.day):
        return None
    return assess_change(row.instrument, first.score, row.score)
