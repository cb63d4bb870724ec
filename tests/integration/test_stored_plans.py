"""Stored plans: old rows migrate to version 2 and back, and only the latest session decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from backcoach.catalogue import default_catalogue
from backcoach.engine.plan import Plan
from backcoach.engine.reasons import AS_WRITTEN, reason
from backcoach.engine.screening import CHECK_IN_IDS, all_clear
from backcoach.engine.vocabulary import Decision
from backcoach.formats.plan import plan_document
from backcoach.formats.stored_plan import read_stored_plan
from backcoach.services import accounts, onboarding, training
from backcoach.services.access import Principal
from backcoach.services.importer import DocumentError
from backcoach.services.programs import ProgramView
from backcoach.store.db import Database, UnitOfWork, make_engine
from backcoach.store.migrate import alembic_config
from backcoach.store.tables import PlanRecord, TrainingSession, User
from tests.builders import plan_for
from tests.integration.import_steps import ME, OTHER, build_rich_account, export_of, import_into
from tests.training_app import PASSWORD, App

START = dt.date(2026, 11, 2)
_users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("password_hash", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("calendar_token", sa.String),
)
_plans = sa.table(
    "plans",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("active", sa.Boolean),
    sa.column("data", sa.JSON),
)


def _old_documents() -> tuple[dict[str, Any], dict[str, Any]]:
    """A document with codes and parameters, and one from before parameters (words only)."""
    catalogue = default_catalogue()
    with_codes = plan_document(plan_for(catalogue, START), catalogue)
    words_only = plan_document(plan_for(catalogue, START, pain=6), catalogue)
    for item in words_only["exercises"]:
        del item["code"], item["params"]
    words_only["exercises"][0]["reason"] = "Written before codes."
    return with_codes, words_only


def test_old_plan_rows_migrate_to_version_2_and_back(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "0005")
    with_codes, words_only = _old_documents()
    engine = make_engine(database_url)
    now = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            _users.insert().values(
                id=1, email="a@example.com", password_hash="x", created_at=now, calendar_token="t"
            )
        )
        for number, data in enumerate((with_codes, words_only), start=1):
            connection.execute(
                _plans.insert().values(id=number, user_id=1, at=now, active=number == 2, data=data)
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = dict(connection.execute(sa.select(_plans.c.id, _plans.c.data)).all())
    assert rows[1]["version"] == rows[2]["version"] == 2
    catalogue = default_catalogue()
    coded = read_stored_plan(rows[1], catalogue).plan
    assert coded.exercises == plan_for(catalogue, START).exercises
    worded = read_stored_plan(rows[2], catalogue).plan
    assert worded.exercises[0].reason == reason(AS_WRITTEN, text="Written before codes.")
    assert rows[2]["exercises"][1]["reason"]["code"] == AS_WRITTEN
    assert all(
        item["decided_by"] == {"kind": "engine", "id": None} for item in rows[1]["exercises"]
    )
    command.downgrade(config, "0005")
    with engine.connect() as connection:
        back = dict(connection.execute(sa.select(_plans.c.id, _plans.c.data)).all())
    assert "version" not in back[1] and back[1]["exercises"] == with_codes["exercises"]
    assert back[2]["exercises"][0]["reason"] == "Written before codes."
    engine.dispose()


# The late check-in (issue: three sessions ending in "hold", then a check-in for session 1).


def _as(me: Principal, uow: UnitOfWork, app: App) -> dict[str, Any]:
    return {"uow": uow, "principal": me, "person_id": me.user_id, "now": app.clock.at}


def _onboarded(app: App) -> Principal:
    with app.database.unit_of_work() as uow:
        assert accounts.sign_up(
            uow=uow, email="ana@example.com", password=PASSWORD, now=app.clock.at
        )
        me = Principal(uow.session.scalars(select(User.id)).one())
    today = app.clock.today()
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(**_as(me, uow, app), answers=all_clear(age=44), today=today)
        onboarding.record_measures(
            **_as(me, uow, app),
            answers={"nprs": {"score": 4}, "psfs": {"activities": [{"name": "Socks", "score": 4}]}},
            today=today,
        )
        profile = {"pain": 4, "level": "beginner", "days_per_week": 4, "equipment": ["band"]}
        onboarding.start_program(**_as(me, uow, app), profile=profile, today=today)
    return me


def _session(app: App, me: Principal) -> int:
    """A session started and finished today, with no check-in yet: every exercise holds."""
    with app.database.unit_of_work() as uow:
        started = training.start_session(
            **_as(me, uow, app), pain_before=3, today=app.clock.today()
        )
    with app.database.unit_of_work() as uow:
        training.finish_session(
            **_as(me, uow, app),
            session_id=started.id,
            pain_during=2,
            pain_after=2,
            today=app.clock.today(),
        )
    return started.id


def _check_in(app: App, me: Principal, session_id: int, morning: int) -> Plan | None:
    with app.database.unit_of_work() as uow:
        _, decided = training.check_in(
            **_as(me, uow, app),
            session_id=session_id,
            pain_next_morning=morning,
            red_flags=dict.fromkeys(CHECK_IN_IDS, False),
            today=app.clock.today(),
        )
    return decided


def _program(app: App, me: Principal) -> ProgramView:
    with app.database.unit_of_work() as uow:
        found = training.current_program(**_as(me, uow, app))
    assert found is not None
    return found


def _three_sessions_that_hold(app: App, me: Principal) -> list[int]:
    sessions = []
    for _ in range(3):
        sessions.append(_session(app, me))
        app.clock.at += dt.timedelta(days=2)
    assert {step.decision for step in _program(app, me).next_steps.values()} == {Decision.HOLD}
    return sessions


def test_a_late_check_in_for_an_older_session_leaves_the_program_and_keeps_the_pain(
    app: App,
) -> None:
    me = _onboarded(app)
    first, _, third = _three_sessions_that_hold(app, me)
    before = _program(app, me)
    assert _check_in(app, me, first, morning=2) is None
    after = _program(app, me)
    assert after.plan_id == before.plan_id and after.next_steps == before.next_steps
    assert {step.decision for step in after.next_steps.values()} == {Decision.HOLD}
    with app.database.unit_of_work() as uow:
        row = uow.session.get_one(TrainingSession, first)
        assert (row.pain_next_morning, row.checked_in_at) == (2, app.clock.at)
        active = onboarding.active_plan(uow=uow, person_id=me.user_id)
        assert active is not None and active.decided_from_session_id == third


def test_finishing_an_older_session_again_decides_nothing(app: App) -> None:
    me = _onboarded(app)
    first, _, _ = _three_sessions_that_hold(app, me)
    before = _program(app, me).plan_id
    with app.database.unit_of_work() as uow:
        decided = training.finish_session(
            **_as(me, uow, app),
            session_id=first,
            pain_during=1,
            pain_after=1,
            today=app.clock.today(),
        )
    assert decided is None and _program(app, me).plan_id == before


def test_a_check_in_for_the_latest_session_decides(app: App) -> None:
    me = _onboarded(app)
    _, _, third = _three_sessions_that_hold(app, me)
    before = _program(app, me).plan_id
    decided = _check_in(app, me, third, morning=2)
    assert isinstance(decided, Plan)
    after = _program(app, me)
    assert after.plan_id != before
    assert "hold.morning_missing" not in {step.code for step in after.next_steps.values()}
    with app.database.unit_of_work() as uow:
        record = uow.session.get_one(PlanRecord, after.plan_id)
        assert record.decided_from_session_id == third and record.data["version"] == 2
    assert all(step.decided_by.kind == "engine" for step in after.next_steps.values())


def test_an_export_whose_plans_are_old_documents_imports_as_the_stored_form(
    database: Database,
) -> None:
    build_rich_account(database, ME)
    document = export_of(database, ME)
    catalogue = default_catalogue()
    stored = [read_stored_plan(row["data"], catalogue) for row in document["plans"]]
    assert len(stored) >= 2 and all(row["data"]["version"] == 2 for row in document["plans"])
    for row, kept in zip(document["plans"], stored, strict=True):
        row["data"] = plan_document(kept.plan, catalogue)  # as an older version exported it
    import_into(database, document, OTHER)
    with database.unit_of_work() as uow:
        owner = uow.session.scalars(select(User.id).where(User.email == OTHER)).one()
        rows = uow.session.scalars(
            select(PlanRecord).where(PlanRecord.user_id == owner).order_by(PlanRecord.id)
        ).all()
        imported = [row.data for row in rows]
    assert all(data["version"] == 2 for data in imported)
    assert [read_stored_plan(data, catalogue).plan for data in imported] == [
        kept.plan for kept in stored
    ]


def test_an_export_with_a_plan_that_reads_as_no_program_is_refused_naming_it(
    database: Database,
) -> None:
    build_rich_account(database, ME)
    document = export_of(database, ME)
    document["plans"][1]["data"]["exercises"][0]["id"] = "no_such_exercise"
    with pytest.raises(DocumentError, match=r"^plans\[1\]\.data\.exercises\[0\]\.id: unknown"):
        import_into(database, document, OTHER)
