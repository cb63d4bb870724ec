"""One active plan per person, kept by the database (migration 0004), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import column, func, insert, inspect, select, table
from sqlalchemy.exc import IntegrityError

from backcoach.services.onboarding import add_plan
from backcoach.services.programs import program_of
from backcoach.store.db import make_engine
from backcoach.store.migrate import upgrade
from backcoach.store.tables import Base, PlanRecord, User
from tests.training_app import MONDAY, App, onboard

EMAIL = "ana@example.com"
SWITCHES = 20


def _person(app: App) -> int:
    onboard(app, EMAIL)
    return int(app.query(select(User.id).where(User.email == EMAIL)))


def _active_plans(app: App, user_id: int) -> int:
    count = app.query(select(func.count()).where(PlanRecord.user_id == user_id, PlanRecord.active))
    return int(count)


def test_a_second_active_plan_is_refused_and_an_inactive_one_kept(app: App) -> None:
    user_id = _person(app)
    with app.database.unit_of_work() as uow:
        uow.session.add(PlanRecord(user_id=user_id, at=MONDAY, active=False, data={}))
        uow.commit()
    with app.database.unit_of_work() as uow, pytest.raises(IntegrityError):
        uow.session.add(PlanRecord(user_id=user_id, at=MONDAY, active=True, data={}))
        uow.session.flush()
    assert _active_plans(app, user_id) == 1


def test_the_index_migrated_is_the_one_the_models_declare(database_url: str) -> None:
    # alembic check compares the columns of an index, not its WHERE: this compares that.
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        found = {ix["name"]: ix for ix in inspect(engine).get_indexes("plans")}
    finally:
        engine.dispose()
    declared = next(
        ix
        for ix in Base.metadata.tables["plans"].indexes
        if ix.name == "uq_plans_one_active_per_user"
    )
    dialect = engine.dialect.name
    migrated = found["uq_plans_one_active_per_user"]
    assert migrated["column_names"] == ["user_id"]
    assert migrated["unique"]
    where = migrated["dialect_options"][f"{dialect}_where"]
    assert str(where) == str(declared.dialect_options[dialect]["where"]) == "active"


def test_two_plan_switches_at_once_both_succeed_and_leave_one_active_plan(app: App) -> None:
    user_id = _person(app)
    with app.database.unit_of_work() as uow:
        plan = program_of(uow.session.scalars(select(PlanRecord)).one()).plan
    failures: list[str] = []

    def switch(barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            with app.database.unit_of_work() as uow:
                add_plan(uow=uow, person_id=user_id, plan=plan, now=MONDAY)
                uow.commit()
        except Exception as error:  # a failure is what this counts
            failures.append(f"{type(error).__name__}: {error}"[:200])

    for _ in range(SWITCHES):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=switch, args=(barrier,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == [], f"{len(failures)} of {2 * SWITCHES} switches failed: {failures[:3]}"
    assert _active_plans(app, user_id) == 1


def test_the_migration_keeps_the_latest_of_two_active_plans(database_url: str) -> None:
    upgrade(database_url, "0003")
    engine = make_engine(database_url)
    plans = Base.metadata.tables["plans"]
    # The users table as it was at 0003, before 0005 added the role column (and its default).
    declared = Base.metadata.tables["users"].columns
    users = table("users", *(column(c.name, c.type) for c in declared if c.name != "role"))
    later = MONDAY + dt.timedelta(days=1)
    try:
        with engine.begin() as connection:
            person = connection.execute(
                insert(users).returning(users.c.id),
                {
                    "email": EMAIL,
                    "password_hash": "-",
                    "created_at": MONDAY,
                    "calendar_token": "t" * 32,
                },
            ).scalar_one()
            rows = [(MONDAY, True), (later, True), (later, True), (MONDAY, False)]
            for at, active in rows:
                connection.execute(
                    insert(plans), {"user_id": person, "at": at, "active": active, "data": {}}
                )
        upgrade(database_url)
        with engine.connect() as connection:
            kept = connection.execute(select(plans.c.id, plans.c.active).order_by(plans.c.id)).all()
    finally:
        engine.dispose()
    # The third row: the latest time, then the highest id (what active_plan read as the program).
    assert [active for _, active in kept] == [False, False, True, False]
