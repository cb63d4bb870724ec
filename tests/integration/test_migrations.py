"""Migrations create exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.store.db import make_engine
from backcoach.store.migrate import alembic_config, pending, upgrade
from backcoach.store.tables import Base


def test_upgrade_creates_every_table_and_matches_the_models(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert not pending(engine, database_url)
    command.check(alembic_config(database_url))  # raises when models and migrations differ
    engine.dispose()


def test_upgrade_twice_is_harmless(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    engine = make_engine(database_url)
    assert not pending(engine, database_url)
    engine.dispose()


def test_the_db_upgrade_command_migrates(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.stderr
    assert "up to date" in result.stdout
    engine = make_engine(database_url)
    assert "users" in inspect(engine).get_table_names()
    engine.dispose()


def test_migration_files_are_named_with_a_date() -> None:
    from importlib import resources

    versions = resources.files("backcoach.store").joinpath("migrations", "versions")
    names = [p.name for p in versions.iterdir() if p.name.endswith(".py")]
    assert names
    assert all(name[:4].isdigit() and name[4] == "_" for name in names)


def test_going_down_and_up_again_keeps_every_persons_rows(database_url: str) -> None:
    # SQLite rebuilds a table to drop a column (users.role going down past 0005); with foreign
    # keys on, dropping the old `users` cascaded and deleted every row pointing at a person.
    upgrade(database_url)
    engine = make_engine(database_url)
    tables = ("users", "screenings", "set_logs", "training_sessions", "plans")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO users (id, email, password_hash, created_at, calendar_token) "
                "VALUES (1, 'a@example.com', 'x', '2026-12-01 09:00:00', 't')"
            )
            connection.exec_driver_sql(
                "INSERT INTO screenings (user_id, at, context, answers, refer) "
                "VALUES (1, '2026-12-01 09:00:00', 'onboarding', '{}', false)"
            )
            connection.exec_driver_sql(
                "INSERT INTO training_sessions (id, user_id, day, started_at, pain_before) "
                "VALUES (1, 1, '2026-12-01', '2026-12-01 09:00:00', 3)"
            )
            connection.exec_driver_sql(
                "INSERT INTO set_logs (session_id, exercise_id, number, amount, felt, at) "
                "VALUES (1, 'clam', 1, 10, 'target', '2026-12-01 09:05:00')"
            )

        def counts() -> dict[str, int]:
            with engine.connect() as connection:
                return {
                    table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
                    for table in tables
                }

        before = counts()
        assert before == {**dict.fromkeys(tables, 1), "plans": 0}
        command.downgrade(alembic_config(database_url), "0004")
        assert counts() == before
        upgrade(database_url)
        assert counts() == before
    finally:
        engine.dispose()
