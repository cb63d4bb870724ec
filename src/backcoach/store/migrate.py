"""Alembic, driven from code: `backcoach db upgrade` and the server's start both call this."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from backcoach.store.db import make_engine

#: The PostgreSQL advisory lock every backcoach server takes to migrate ("bcmigrat" in hex).
MIGRATION_LOCK_KEY = 0x62636D6967726174


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("backcoach.store").joinpath("migrations"))
    )
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate to ``revision``; servers starting at once take turns, and the later find it done."""
    config = alembic_config(database_url)
    engine = make_engine(database_url)
    try:
        with _migration_lock(engine) as connection:
            # env.py migrates on this connection: on PostgreSQL the one holding the lock.
            config.attributes["connection"] = connection
            with connection.begin():
                command.upgrade(config, revision)
    finally:
        engine.dispose()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """A connection held under a lock that one migrating process at a time can take."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            # Session-level (not transaction-level), so it outlives the commit of the migration.
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                yield connection
            finally:
                connection.rollback()
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                connection.commit()
        return
    with _sqlite_file_lock(engine.url.database), engine.connect() as connection:
        yield connection


@contextmanager
def _sqlite_file_lock(database: str | None) -> Iterator[None]:
    """An exclusive flock on ``<database>.migrate-lock`` next to the database file.

    A file lock rather than BEGIN IMMEDIATE: Alembic runs SQLite's DDL outside a transaction
    (SQLite is not transactional_ddl for it) and batch migrations commit as they go, so no
    single SQLite transaction spans the upgrade, and a waiter would give up after the busy
    timeout; the flock waits for as long as the upgrade takes, and is freed if the holder dies.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # an in-memory database belongs to one process: nobody to wait for
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the file releases the lock


def pending(engine: Engine, database_url: str) -> bool:
    """True when the database is behind the newest migration."""
    script = ScriptDirectory.from_config(alembic_config(database_url))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) != set(script.get_heads())
