"""The caseload's attention is kept on write: each write path that changes what the rules read
works the client's row out again before it commits (a test per path, failing when its hook is
gone), only for coached clients; and `fresh_until` is right: on every day before it, the row
kept equals a computation made afresh from the database on that day."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backcoach.engine import attention as rules
from backcoach.engine.change import MIN_CHANGE_INTERVAL
from backcoach.engine.screening import all_clear
from backcoach.engine.vocabulary import LegSymptoms
from backcoach.services import attention, clearance, coaching, onboarding, overrides
from backcoach.services.coaching import OPERATOR
from backcoach.store.tables import User
from tests.integration.attention_steps import at, check_in, coached, codes, kept, train
from tests.integration.coaching_steps import client, coach, person
from tests.training_app import App

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _mine(app: App, who: Any, uow: Any, now: dt.datetime) -> dict[str, Any]:
    return {"uow": uow, "principal": who, "person_id": who.user_id, "now": now}


def test_a_link_made_is_worked_out_at_once_and_no_one_else_gets_a_row(app: App) -> None:
    _, ana = coached(app)
    bo = client(app, "bo@example.com")
    assert kept(app, ana) is not None
    assert kept(app, bo) is None  # no coach: nothing is worked out for them
    train(app, bo, app.clock.today())
    assert kept(app, bo) is None


def test_joining_by_a_practice_code_works_the_row_out(app: App) -> None:
    mine, ana = coach(app, "coach@example.com"), client(app, "ana@example.com")
    with app.database.unit_of_work() as uow:
        practice = coaching.create_practice(uow=uow, principal=OPERATOR, name="P", now=app.clock.at)
        coaching.join_practice(
            uow=uow,
            principal=OPERATOR,
            coach_email="coach@example.com",
            code_or_name=practice.join_code,
            now=app.clock.at,
        )
        coaching.join_by_code(
            **_mine(app, ana, uow, app.clock.at),
            code=practice.join_code,
            coach_email="coach@example.com",
        )
    assert mine and kept(app, ana) is not None


def test_moving_a_client_works_the_row_out(app: App) -> None:
    coach(app, "coach@example.com")
    ana = client(app, "ana@example.com")
    with app.database.unit_of_work() as uow:
        coaching.move_client(
            uow=uow,
            principal=OPERATOR,
            client_email="ana@example.com",
            coach_email="coach@example.com",
            now=app.clock.at,
        )
    assert kept(app, ana) is not None


def test_a_finished_session_is_read_at_once(app: App) -> None:
    _, ana = coached(app)
    train(app, ana, app.clock.today(), before=3, during=8, after=4)
    assert codes(app, ana)[0] == rules.FLARE


def test_leg_symptoms_spreading_are_read_at_once(app: App) -> None:
    _, ana = coached(app)
    train(app, ana, app.clock.today(), legs=LegSymptoms.FURTHER_DOWN)
    assert rules.LEGS_SPREADING in codes(app, ana)


def test_the_next_morning_answer_is_read_at_once(app: App) -> None:
    _, ana = coached(app)
    today = app.clock.today()
    session_id = train(app, ana, today)
    assert rules.FLARE not in codes(app, ana)
    check_in(app, ana, session_id, today + dt.timedelta(days=1), morning=7)
    assert codes(app, ana)[0] == rules.FLARE


def test_measures_are_read_at_once(app: App) -> None:
    _, ana = coached(app)
    app.clock.at += MIN_CHANGE_INTERVAL  # a change is read from two weeks after the first
    with app.database.unit_of_work() as uow:
        onboarding.record_measures(
            **_mine(app, ana, uow, app.clock.at),
            answers={"nprs": {"score": 1}},
            today=app.clock.today(),
        )
    assert rules.MCID_REACHED in codes(app, ana)


def test_a_red_flag_screening_and_the_coach_recording_its_clearance_are_read_at_once(
    app: App,
) -> None:
    mine, ana = coached(app)
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(
            **_mine(app, ana, uow, app.clock.at),
            answers={**all_clear(age=44), "saddle_numbness": True},
            today=app.clock.today(),
        )
    row = kept(app, ana)
    assert row is not None and row.rank == rules.RANK[rules.RED_FLAG]  # an emergency
    assert codes(app, ana)[0] == rules.RED_FLAG
    with app.database.unit_of_work() as uow:  # the coach records a clinician's clearance
        clearance.record_by_coach(
            uow=uow,
            principal=mine,
            client_id=ana.user_id,
            clinician="Dr Rao, GP",
            cleared_on=app.clock.today(),
            note="",
            today=app.clock.today(),
            now=app.clock.at,
        )
    assert rules.RED_FLAG not in codes(app, ana)


def test_an_override_and_its_undoing_are_read_at_once(app: App) -> None:
    mine, ana = coached(app)
    made_at, undone_at = app.clock.at + dt.timedelta(hours=1), app.clock.at + dt.timedelta(hours=2)
    with app.database.unit_of_work() as uow:
        held = overrides.add_override(
            uow=uow,
            principal=mine,
            client_id=ana.user_id,
            kind="hold",
            values={},
            note="",
            today=app.clock.today(),
            now=made_at,
        )
    row = kept(app, ana)
    assert row is not None and row.computed_at == made_at  # the program it reads changed
    with app.database.unit_of_work() as uow:
        overrides.undo_override(
            uow=uow,
            principal=mine,
            client_id=ana.user_id,
            override_id=held.id,
            today=app.clock.today(),
            now=undone_at,
        )
    row = kept(app, ana)
    assert row is not None and row.computed_at == undone_at


# --- fresh_until --------------------------------------------------------------------------

#: A history: per day of the first three weeks, whether a session was done, its pains and
#: whether the next morning was answered.
CLIENTS = itertools.count()
SESSION = st.tuples(
    st.integers(0, 20),  # day offset
    st.integers(0, 6),  # pain before
    st.integers(0, 9),  # during
    st.booleans(),  # answered the next morning
    st.integers(0, 9),  # the morning's pain
)


@settings(
    max_examples=6,
    deadline=None,
    # Each example builds a client in the database: no shrinking (minutes), the example is shown.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(SESSION, max_size=6, unique_by=lambda s: s[0]), late=st.integers(17, 60))
# Two unanswered mornings, a missed week, a flare: the items change as the days go by.
@example(history=[(10, 2, 3, False, 0), (12, 2, 3, False, 0), (19, 2, 8, True, 6)], late=21)
@example(history=[(14, 2, 3, False, 0), (16, 2, 3, False, 0)], late=17)
def test_the_row_kept_equals_a_fresh_computation_on_every_day_before_fresh_until(
    app: App, history: list[tuple[int, int, int, bool, int]], late: int
) -> None:
    start = app.clock.today()
    email = f"ana{next(CLIENTS)}@example.com"  # the examples share the test's database
    ana = client(app, email)
    with app.database.unit_of_work() as uow:
        coaching.move_client(
            uow=uow,
            principal=OPERATOR,
            client_email=email,
            coach_email=_the_coach(app),
            now=app.clock.at,
        )
    # Nothing is written after the day the row is kept: the sessions are all before it.
    for offset, before, during, answered, morning in sorted(h for h in history if h[0] < late):
        day = start + dt.timedelta(days=offset)
        session_id = train(app, ana, day, before=before, during=during, after=before)
        if answered:
            check_in(app, ana, session_id, day + dt.timedelta(days=1), morning=morning)
    today = start + dt.timedelta(days=late)
    with app.database.unit_of_work() as uow:
        attention.refresh(uow, client_id=ana.user_id, today=today, now=at(today))
        uow.commit()
    row = kept(app, ana)
    assert row is not None and row.fresh_until is not None
    stored = attention.stored_items(row)
    assert today < row.fresh_until <= today + dt.timedelta(days=attention.HORIZON_DAYS)
    days = [today + dt.timedelta(days=n) for n in range((row.fresh_until - today).days + 1)]
    for day in days:
        with app.database.unit_of_work() as uow:  # rolled back: nothing kept
            afresh = attention.refresh(uow, client_id=ana.user_id, today=day, now=at(day))
        if day < row.fresh_until:
            assert afresh == stored, day
        elif row.fresh_until < today + dt.timedelta(days=attention.HORIZON_DAYS):
            assert afresh != stored, "fresh_until is a day the items change"


def _the_coach(app: App) -> str:
    """The coach of the property's clients (made once per database)."""
    email = "coach@example.com"
    if app.query(select(User.id).where(User.email == email)) is None:
        coach(app, email)
    return email


def test_people_who_are_not_coaches_get_no_row_by_signing_up(app: App) -> None:
    bo = person(app, "bo@example.com")
    assert kept(app, bo) is None
