"""Alembic environment: the URL comes from backcoach's settings via the Config object."""

from __future__ import annotations

from alembic import context

from backcoach.store.db import make_engine
from backcoach.store.tables import Base

config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is set by backcoach.store.migrate"
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
