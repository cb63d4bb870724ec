"""Pages that read a window of the history, not all of it, show what the whole history would.

Progress charts the last twelve weeks and says the whole history in figures; the schedule and
the calendar feed read only the plans that can hold a day they show. Each windowed reading is
checked against the same thing worked out from every stored plan, read in full.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.engine.vocabulary import LegSymptoms
from backcoach.services import calendar, onboarding, progress, training
from backcoach.services.access import Principal
from backcoach.services.measure_input import ActivityInput, MeasuresInput
from backcoach.services.programs import stored_plan
from backcoach.services.sets import SetInput
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import PlanRecord, User
from tests.integration.by_services import onboarded
from tests.training_app import PASSWORD, App, token

EMAIL = "ana@example.com"
UTC = ZoneInfo("UTC")
#: 15 weeks of one session a week: longer than the progress page's 12-week window.
WEEKS = 15
#: The reassessment a fortnight before the end (its form asks no STarT Back).
AT_WEEK_14 = MeasuresInput(nprs="1", activities=(ActivityInput("Putting on socks", "8"),))


def _log_in(app: App) -> TestClient:
    client = app.client()
    page = client.get("/login")
    data = {"email": EMAIL, "password": PASSWORD, "csrftoken": token(page.text)}
    assert client.post("/login", data=data).url.path == "/today"
    return client


def _train_weekly(app: App, weeks: int) -> None:
    """Onboarded, then a session a week (one set, a check-in the morning after) and one
    reassessment, through the services the pages call: the same rows as through the pages
    (compared), which took 13 s on SQLite and 24 s on PostgreSQL here, 2 and 7 s this way."""
    me = Principal(onboarded(app, EMAIL))

    def mine(uow: UnitOfWork) -> dict[str, Any]:
        return {"uow": uow, "principal": me, "person_id": me.user_id, "now": app.clock.at}

    for week in range(weeks):
        app.clock.at += dt.timedelta(days=6)  # a week later, as a person back after a week away
        with app.database.unit_of_work() as uow:
            today = app.clock.today()
            session = training.start_session(**mine(uow), pain_before=4, today=today)
            program = training.current_program(**mine(uow))
            assert program is not None
            item = program.plan.exercises[0]  # one set is history enough here
            entry = SetInput(item.exercise.id, 1, item.dose_max, "target")
            training.log_set(**mine(uow), session_id=session.id, entry=entry, today=today)
            training.finish_session(
                **mine(uow),
                session_id=session.id,
                pain_during=2,
                pain_after=2,
                leg_symptoms=LegSymptoms.NONE,
                today=today,
            )
        app.clock.at += dt.timedelta(days=1)
        with app.database.unit_of_work() as uow:
            training.check_in(
                **mine(uow),
                session_id=session.id,
                pain_next_morning=3,
                red_flags=dict.fromkeys(CHECK_IN_IDS, False),
                today=app.clock.today(),
            )
            if week == weeks - 2:
                onboarding.record_measures(**mine(uow), answers=AT_WEEK_14, today=app.clock.today())


def _person(app: App) -> int:
    person: int = app.query(select(User.id).where(User.email == EMAIL))
    return person


def _every_plan_in_full(app: App, today: dt.date, gate_open: bool = True) -> dict[dt.date, int]:
    """Planned days the way they were read before windows: every plan, decoded in full."""
    with app.database.unit_of_work() as uow:
        plans = list(
            uow.session.scalars(
                select(PlanRecord)
                .where(PlanRecord.user_id == _person(app))
                .order_by(PlanRecord.at, PlanRecord.id)
            )
        )
        days: dict[dt.date, int] = {}
        for index, plan in enumerate(plans):
            if index + 1 < len(plans):
                until = plans[index + 1].at.astimezone(UTC).date()
            elif plan.active and gate_open:
                until = dt.date.max
            else:
                until = today - dt.timedelta(days=1)
            for day in stored_plan(plan).plan.schedule:
                if day <= until:
                    days[day] = plan.id
    return days


@pytest.fixture
def trained(app: App) -> App:
    _train_weekly(app, WEEKS)
    return app


def test_progress_and_the_calendar_read_windows_that_show_the_whole_history(
    trained: App,
) -> None:
    """One long history (built once per database), read by every windowed reading."""
    _check_progress(trained)
    _check_windowed_days(trained)


def _check_progress(trained: App) -> None:
    app, person = trained, _person(trained)
    today = app.clock.today()
    with app.database.unit_of_work() as uow:
        found = progress.progress(
            uow=uow,
            principal=Principal(person),
            person_id=person,
            today=today,
            zone=UTC,
            now=app.clock.at,
        )
    assert found.windowed
    assert found.window_start > found.start
    assert (today - found.window_start).days < 12 * 7
    assert all(session.day >= found.window_start for session in found.sessions)
    assert len(found.sessions) < WEEKS == found.totals.sessions
    assert found.weeks[0].week_start == found.window_start
    # The change runs from the first answer (4, before the window) to the latest (1).
    pain = found.changes["nprs"]
    assert (pain.baseline, pain.latest) == (4, 1)
    assert found.totals.first_measures["nprs"].score == 4
    text = _log_in(app).get("/progress").text
    assert "In the last 12 weeks you have done" in text
    assert f"<strong>{WEEKS}</strong> sessions in all since you started" in text


def _check_windowed_days(trained: App) -> None:
    """Windows of the planned days, a past month of the schedule and the calendar feed."""
    app, person = trained, _person(trained)
    today = app.clock.today()
    expected = _every_plan_in_full(app, today)
    # Windows that open on every day of a week (mid-plan, on a plan's first day, on a session
    # day) and close before today, today or never.
    firsts = [today - dt.timedelta(days=days) for days in (*range(18, 25), 0, 64, 100, 220)]
    windows = [
        (first, last)
        for first in firsts
        for last in (first + dt.timedelta(days=9), today, dt.date.max)
    ]
    for first, last in windows:
        with app.database.unit_of_work() as uow:
            found = calendar.planned_days(
                uow=uow, person_id=person, today=today, zone=UTC, first_day=first, last_day=last
            )
        assert {p.day: p.plan_id for p in found} == {
            day: plan for day, plan in expected.items() if first <= day <= last
        }
        assert all(p.exercises for p in found)
    _check_a_past_month(app, person, today, expected)
    _check_the_feed(app, person, today, expected)


def _check_a_past_month(
    app: App, person: int, today: dt.date, expected: dict[dt.date, int]
) -> None:
    month = (today - dt.timedelta(weeks=WEEKS - 1)).replace(day=1)
    with app.database.unit_of_work() as uow:
        view = calendar.month_view(
            uow=uow,
            principal=Principal(person),
            person_id=person,
            month=month,
            today=today,
            zone=UTC,
            now=app.clock.at,
        )
    shown = {d.day for week in view.weeks for d in week if d.planned}
    grid = [d.day for week in view.weeks for d in week]
    assert shown == {day for day in expected if grid[0] <= day <= grid[-1]}
    assert view.upcoming is not None
    assert view.upcoming.day == min(day for day in expected if day >= today)


def _check_the_feed(app: App, person: int, today: dt.date, expected: dict[dt.date, int]) -> None:
    """Eight weeks back and every day ahead."""
    with app.database.unit_of_work() as uow:
        token_value = uow.session.get_one(User, person).calendar_token
        body = calendar.feed(uow=uow, token=token_value, now=app.clock.at, server_zone=UTC)
    assert body is not None
    starts = {
        dt.date.fromisoformat(f"{line[-8:-4]}-{line[-4:-2]}-{line[-2:]}")
        for line in body.decode().splitlines()
        if line.startswith("DTSTART;VALUE=DATE:")
    }
    since = today - calendar.FEED_PAST
    assert starts == {day for day in expected if day >= since}
    assert min(starts) >= since
    assert max(starts) > today
