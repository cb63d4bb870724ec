"""A coach's overrides as kept (services/overrides.py makes and undoes them): what, by whom
and when, and whether they are in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from backcoach.store.care_tables import CoachOverride
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import CoachLink, User

#: The most overrides one history page shows (newest first): a long care stays one read.
HISTORY_LIMIT = 200


@dataclass(frozen=True, slots=True)
class OverrideView:
    """One override as kept: what, by whom and when, and whether (and by whom) it was undone."""

    id: int
    kind: str
    #: The override's parameters: exercise, to_exercise, sets, dose_min, dose_max, load_kg,
    #: locked, days_per_week, weekdays (those its kind has).
    values: Mapping[str, Any]
    note: str
    coach_id: int | None
    #: The coach's name as they give it, else their email; None when the account is gone.
    coach_name: str | None
    at: dt.datetime
    undone_at: dt.datetime | None
    undone_by_name: str | None
    #: In force: not undone, and made during the client's current link (an override ends
    #: with the link it was made in).
    active: bool


def history(*, uow: UnitOfWork, client_id: int) -> tuple[OverrideView, ...]:
    """For the services, after `authorize`: the newest `HISTORY_LIMIT` overrides."""
    rows = uow.session.scalars(
        select(CoachOverride)
        .where(CoachOverride.client_id == client_id)
        .order_by(CoachOverride.at.desc(), CoachOverride.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return views_of(uow, rows)


def views_of(uow: UnitOfWork, rows: Sequence[CoachOverride]) -> tuple[OverrideView, ...]:
    """The rows as views, with the coaches' names read in one statement."""
    if not rows:
        return ()
    link_start = uow.session.scalar(
        select(CoachLink.started_at).where(
            CoachLink.client_id == rows[0].client_id, CoachLink.ended_at.is_(None)
        )
    )
    ids = {row.coach_id for row in rows} | {row.undone_by_id for row in rows}
    named = aliased(User)
    names = {
        user_id: display or email
        for user_id, display, email in uow.session.execute(
            select(named.id, named.display_name, named.email).where(
                named.id.in_({i for i in ids if i is not None})
            )
        )
    }
    return tuple(
        OverrideView(
            id=row.id,
            kind=row.kind,
            values={
                key: value for key, value in row.data.items() if key not in ("before", "set_on")
            },
            note=row.note or "",
            coach_id=row.coach_id,
            coach_name=names.get(row.coach_id) if row.coach_id else None,
            at=row.at,
            undone_at=row.undone_at,
            undone_by_name=names.get(row.undone_by_id) if row.undone_by_id else None,
            active=row.undone_at is None and link_start is not None and row.at >= link_start,
        )
        for row in rows
    )
