"""Cohort data built straight into the tables (much faster than training through the pages):
coaches in a practice, and clients with a plan, sessions, sets and pain answers."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from backcoach.services.access import Principal, Role
from backcoach.store.db import Database
from backcoach.store.tables import (
    CoachLink,
    Measure,
    PlanRecord,
    Practice,
    SetRecord,
    TrainingSession,
    User,
)

#: A real plan document (other pages, the caseload among them, read the plan whole); its start
#: and schedule are replaced by each client's.
PLAN_DOCUMENT = json.loads(
    (Path(__file__).parents[2] / "examples" / "plan.json").read_text(encoding="utf-8")
)
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
#: Every client here started 13 weeks ago: both time points are behind them.
START = TODAY - dt.timedelta(weeks=13)


@dataclass(frozen=True)
class Built:
    coach: Principal
    colleague: Principal
    other: Principal


def user(db: Database, email: str, role: str = "person", practice_id: int | None = None) -> int:
    with db.unit_of_work() as uow:
        user = User(
            email=email,
            password_hash="x",
            created_at=NOW,
            calendar_token=email,
            role=role,
            practice_id=practice_id,
        )
        uow.session.add(user)
        uow.commit()
        return user.id


def client(
    db: Database,
    coach_id: int,
    email: str,
    *,
    start: dt.date = START,
    nprs: tuple[float, float | None, float | None] = (6, None, None),
    pain_by_week: dict[int, int] | None = None,
    low_back_sets: int = 0,
    sessions: int = 0,
) -> int:
    """A client linked to ``coach_id``: a plan of two days a week from ``start``, ``sessions``
    of them done (two a week), pain before each, and NPRS at the start, week 6 and week 12."""
    client_id = user(db, email)
    planned = [start + dt.timedelta(days=7 * w + d) for w in range(13) for d in (0, 3)]
    with db.unit_of_work() as uow:
        s = uow.session
        s.add(CoachLink(coach_id=coach_id, client_id=client_id, started_at=NOW, shared=[]))
        at = dt.datetime.combine(start, dt.time(8), dt.UTC)
        s.add(
            PlanRecord(
                user_id=client_id,
                at=at,
                active=True,
                data={
                    **PLAN_DOCUMENT,
                    "start": start.isoformat(),
                    "schedule": [d.isoformat() for d in planned],
                },
            )
        )
        for week, score in zip((0, 6, 12), nprs, strict=True):
            if score is not None:
                day = start + dt.timedelta(weeks=week)
                s.add(
                    Measure(
                        user_id=client_id,
                        at=at + dt.timedelta(weeks=week),
                        day=day,
                        instrument="nprs",
                        answers={},
                        score=score,
                        result={},
                    )
                )
        for index, day in enumerate(planned[:sessions]):
            week = (day - start).days // 7 + 1
            session = TrainingSession(
                user_id=client_id,
                day=day,
                started_at=at,
                finished_at=at,
                pain_before=(pain_by_week or {}).get(week, 3),
            )
            s.add(session)
            s.flush()
            for number in (1, 2):
                felt = "low_back" if index < low_back_sets and number == 1 else "target"
                s.add(
                    SetRecord(
                        session_id=session.id,
                        exercise_id="dead_bug",
                        number=number,
                        amount=8,
                        felt=felt,
                        at=at,
                    )
                )
        uow.commit()
    return client_id


def coaches(db: Database) -> Built:
    with db.unit_of_work() as uow:
        practice = Practice(name="Back Clinic", join_code="ABC123", created_at=NOW)
        uow.session.add(practice)
        uow.commit()
        practice_id = practice.id
    coach = user(db, "coach@example.com", "coach", practice_id)
    colleague = user(db, "colleague@example.com", "coach", practice_id)
    other = user(db, "other@example.com", "coach")
    return Built(*(Principal(i, Role.COACH) for i in (coach, colleague, other)))
