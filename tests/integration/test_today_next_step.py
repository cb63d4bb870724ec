"""What Today offers first, worked out by the service: start on a training day (a missed one is
made up), continue an open session, rest after a session (with the check-in the next morning),
and the safety questions again after four weeks away (M7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from backcoach.engine.screening import all_clear
from backcoach.services import accounts, onboarding, program_pause, training
from backcoach.services.access import Principal
from backcoach.services.sets import SetInput
from backcoach.services.today import CheckIn, NextStep, TodayView, today_view
from backcoach.store.tables import User
from tests.training_app import MONDAY, PASSWORD, App

#: Decisions over the services, the same on either database: SQLite only (the suite's 6 minutes).
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
DAY = dt.timedelta(days=1)


def _mine(app: App, uow: Any, me: Principal) -> dict[str, Any]:
    return {"uow": uow, "principal": me, "person_id": me.user_id, "now": app.clock.at}


def _onboarded(app: App) -> Principal:
    """Four free days a week: every other day, from the first day on."""
    with app.database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email="ana@example.com", password=PASSWORD, now=app.clock.at)
        me = Principal(uow.session.scalars(select(User.id)).one())
        mine, today = _mine(app, uow, me), app.clock.today()
        onboarding.record_screening(**mine, answers=all_clear(age=44), today=today)
        onboarding.record_measures(**mine, answers={"nprs": {"score": 4}}, today=today)
        onboarding.start_program(
            **mine,
            profile={"pain": 4, "level": "beginner", "days_per_week": 4, "equipment": []},
            today=today,
        )
    return me


def _train(app: App, me: Principal, *, finish: bool = True) -> None:
    with app.database.unit_of_work() as uow:
        mine, today = _mine(app, uow, me), app.clock.today()
        session = training.start_session(**mine, pain_before=3, today=today)
        if not finish:
            return
        program = training.current_program(**mine)
        assert program is not None
        item = program.plan.exercises[0]
        entry = SetInput(item.exercise.id, 1, item.dose_max, "target")
        training.log_set(**mine, session_id=session.id, entry=entry)
        training.finish_session(
            **mine, session_id=session.id, pain_during=3, pain_after=2, today=today
        )


def _today(app: App, me: Principal) -> TodayView:
    with app.database.unit_of_work() as uow:
        view = today_view(**_mine(app, uow, me), today=app.clock.today())
    assert view is not None
    return view


def _on(app: App, days: int) -> None:
    app.clock.at = MONDAY + days * DAY


def test_start_then_rest_then_start_again_with_the_check_in_the_morning_after(app: App) -> None:
    me = _onboarded(app)
    first = _today(app, me)
    assert (first.next_step, first.check_in, first.next_day) == (
        NextStep.START,
        CheckIn.NONE,
        MONDAY.date(),
    )
    _train(app, me)
    done = _today(app, me)
    assert (done.next_step, done.check_in) == (NextStep.DONE, CheckIn.TOMORROW)
    assert done.next_day == MONDAY.date() + 2 * DAY  # a rest day between
    _on(app, 1)
    rest = _today(app, me)
    assert (rest.next_step, rest.check_in, rest.next_day) == (
        NextStep.REST,
        CheckIn.DUE,
        MONDAY.date() + 2 * DAY,
    )
    _on(app, 2)
    assert _today(app, me).next_step is NextStep.START
    _on(app, 3)  # Wednesday was missed: Thursday makes it up rather than waiting for Friday
    missed = _today(app, me)
    assert (missed.next_step, missed.next_day) == (NextStep.START, MONDAY.date() + 3 * DAY)


def test_an_open_session_is_continued_and_four_weeks_away_asks_the_questions_again(
    app: App,
) -> None:
    me = _onboarded(app)
    _train(app, me, finish=False)
    assert _today(app, me).next_step is NextStep.CONTINUE
    with app.database.unit_of_work() as uow:
        session = training.open_session(**_mine(app, uow, me))
        assert session is not None
    with app.database.unit_of_work() as uow:
        mine = _mine(app, uow, me)
        program = training.current_program(**mine)
        assert program is not None
        item = program.plan.exercises[0]
        training.log_set(
            **mine, session_id=session.id, entry=SetInput(item.exercise.id, 1, 8, "target")
        )
        training.finish_session(
            **mine, session_id=session.id, pain_during=3, pain_after=2, today=MONDAY.date()
        )
    _on(app, 29)
    assert _today(app, me).next_step is NextStep.SCREEN_AGAIN


def test_a_paused_day_asks_for_nothing_and_says_when_the_pause_ends(app: App) -> None:
    me = _onboarded(app)
    with app.database.unit_of_work() as uow:
        program_pause.pause_program(
            **_mine(app, uow, me),
            starts_on=app.clock.today() + 2 * DAY,
            ends_on=app.clock.today() + 6 * DAY,
            today=app.clock.today(),
        )
    coming = _today(app, me)
    assert coming.next_step is NextStep.START  # the first day still trains
    assert coming.pause is not None and coming.pause.starts_on == app.clock.today() + 2 * DAY
    _train(app, me)
    _on(app, 2)
    paused = _today(app, me)
    assert paused.next_step is NextStep.PAUSED
    assert paused.pause is not None and paused.pause.ends_on == app.clock.today() + 4 * DAY
    _on(app, 7)  # the day after the pause: the program runs again
    back = _today(app, me)
    assert back.pause is None and back.next_step in (NextStep.START, NextStep.REST)
