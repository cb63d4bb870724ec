"""Tight moments are counted today, this week and last week on the person's own calendar (M10):
weeks start on Monday at midnight where the person lives, also across a clock change. On SQLite
and PostgreSQL: the count compares kept times in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backcoach.engine.screening import all_clear
from backcoach.services import accounts, onboarding, tight
from backcoach.services.access import Principal
from backcoach.services.tight import TightCounts
from backcoach.store.tables import TightMoment, User
from tests.training_app import PASSWORD, App

AUCKLAND = ZoneInfo("Pacific/Auckland")  # UTC+13 in summer: its Monday starts on UTC's Sunday
NEW_YORK = ZoneInfo("America/New_York")  # the clocks went back on Sunday 1 November 2026


def _onboarded(app: App) -> Principal:
    now = app.clock.at
    with app.database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email="ana@example.com", password=PASSWORD, now=now)
        me = Principal(uow.session.scalars(select(User.id)).one())
        mine: dict[str, Any] = {"uow": uow, "principal": me, "person_id": me.user_id, "now": now}
        onboarding.record_screening(**mine, answers=all_clear(age=44), today=now.date())
        onboarding.record_measures(**mine, answers={"nprs": {"score": 4}}, today=now.date())
        onboarding.start_program(
            **mine,
            profile={"pain": 4, "level": "beginner", "days_per_week": 3, "equipment": []},
            today=now.date(),
        )
    return me


def _moments_at(app: App, me: Principal, zone: ZoneInfo, *local: str) -> None:
    """Tight moments at these local times ("2026-11-30 00:05") in ``zone``."""
    with app.database.unit_of_work() as uow:
        for text in local:
            at = dt.datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(dt.UTC)
            uow.session.add(TightMoment(user_id=me.user_id, at=at, drills=[]))
        uow.commit()


def _counts(app: App, me: Principal, today: str, zone: ZoneInfo) -> TightCounts:
    with app.database.unit_of_work() as uow:
        return tight.tight_moment_counts(
            uow=uow,
            principal=me,
            person_id=me.user_id,
            today=dt.date.fromisoformat(today),
            zone=zone,
            now=app.clock.at,
        )


def test_weeks_start_on_monday_midnight_in_the_persons_zone(app: App) -> None:
    me = _onboarded(app)
    with app.database.unit_of_work() as uow:  # one through the use case, as the page logs it
        tight.log_tight_moment(uow=uow, principal=me, person_id=me.user_id, now=app.clock.at)
    _moments_at(
        app,
        me,
        AUCKLAND,
        "2026-11-15 12:00",  # two weeks back: not counted
        "2026-11-22 23:59",  # the Sunday before last week: not counted
        "2026-11-29 23:59",  # last week's Sunday (Sunday 10:59 in UTC)
        "2026-11-30 00:00",  # this week's first minute (still Sunday 11:00 in UTC)
        "2026-12-02 08:00",  # Wednesday: today
        "2026-12-02 23:59",  # Wednesday's last minute: today
        "2026-12-03 00:00",  # Thursday: after today, not counted yet
    )
    # The use case's moment: Monday 23 November 09:00 UTC is 22:00 in Auckland, last week.
    assert _counts(app, me, "2026-12-02", AUCKLAND) == TightCounts(2, 3, 2)
    assert _counts(app, me, "2026-11-30", AUCKLAND) == TightCounts(1, 1, 2)
    # Counted in UTC instead, the Monday-midnight moment would be Sunday's, last week's.
    assert _counts(app, me, "2026-11-30", ZoneInfo("UTC")).this_week == 0


def test_a_week_with_a_clock_change_keeps_its_days(app: App) -> None:
    me = _onboarded(app)
    _moments_at(
        app,
        me,
        NEW_YORK,
        "2026-10-26 00:00",  # Monday, summer time (04:00 UTC)
        "2026-11-01 23:30",  # Sunday after the change, winter time (04:30 UTC on Monday)
        "2026-11-02 00:30",  # Monday, the next week
    )
    assert _counts(app, me, "2026-11-02", NEW_YORK) == TightCounts(1, 1, 2)
    assert _counts(app, me, "2026-11-09", NEW_YORK) == TightCounts(0, 0, 1)
