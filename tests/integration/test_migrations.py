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
