"""Engine, sessions and the unit of work: one transaction per use case."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from backcoach.store.tables import User

#: Connections per app server. The web app admits fewer requests at once than this (web/lanes.py)
#: and each holds at most one, so a request never waits for a connection held by another that
#: waits for a thread. The overflow serves the command line and start-up work beside requests.
POOL_SIZE, POOL_OVERFLOW = 20, 4


def make_engine(database_url: str) -> Engine:
    """An engine for SQLite (WAL, foreign keys on) or PostgreSQL."""
    if database_url.startswith("sqlite"):
        create_private_file(make_url(database_url).database)
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 15},
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        database_url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW
    )


def create_private_file(path: str | None) -> None:
    """Create a missing SQLite file readable by its owner only (0600): it holds health data and
    the signing key; SQLite gives the -wal and -shm files the same mode as the database."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    # An existing file keeps its mode; a missing folder is named by SQLite when it opens the file.
    with suppress(OSError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers and one writer work at once; foreign keys make deletes cascade.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's lower() changes ASCII letters only; searches use this one (store/search.py), as
    # PostgreSQL's lower() does every letter: "Émile" is found by "émile" on both.
    connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


class UnitOfWork:
    """A transaction for one use case: services call ``commit``; leaving without it rolls back."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        # The session's identity map holds rows weakly: an account row no caller keeps would be
        # read again by each check that asks for it (the referral gate asks several times a
        # request). Accounts stay held for the unit of work, which is one request long.
        held: list[object] = []
        self.session.info["held"] = held

        @event.listens_for(self.session, "loaded_as_persistent")
        def _hold(_session: Session, instance: object) -> None:
            if isinstance(instance, User):
                held.append(instance)

        return self

    def __exit__(self, *exc: object) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class Database:
    """The engine and session factory of one app instance."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.engine = make_engine(database_url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        with UnitOfWork(self.sessions) as uow:
            yield uow

    def dispose(self) -> None:
        self.engine.dispose()
