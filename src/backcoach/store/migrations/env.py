"""Alembic environment: the URL comes from backcoach's settings via the Config object.

``backcoach.store.migrate.upgrade`` passes the connection that holds its migration lock in
``config.attributes["connection"]``; other commands (``alembic check``) open their own.
"""

from __future__ import annotations

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
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
