"""Alembic environment: the URL comes from backcoach's settings via the Config object.

``backcoach.store.migrate.upgrade`` passes the connection that holds its migration lock in
``config.attributes["connection"]``; other commands (``alembic check``) open their own.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from backcoach.store.db import make_engine
from backcoach.store.tables import Base

config = context.config


def run_migrations() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _migrate_on(given)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is set by backcoach.store.migrate"
    engine = make_engine(url)
    with engine.connect() as connection:
        _migrate_on(connection)
    engine.dispose()


def _migrate_on(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite changes a column by rebuilding the table (copy, drop, rename). With foreign keys
        # on, dropping a parent such as `users` deletes every row that points at it (ON DELETE
        # CASCADE): a person's whole history. Off while migrating (set on the driver's connection,
        # outside any transaction, where SQLite heeds it), and checked before switching back on.
        _driver(connection).execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:3]}")
    finally:
        if sqlite:
            _driver(connection).execute("PRAGMA foreign_keys=ON")


def _driver(connection: Connection) -> Any:
    """The sqlite3 connection itself: a PRAGMA sent there starts no SQLAlchemy transaction."""
    return connection.connection.driver_connection


run_migrations()
