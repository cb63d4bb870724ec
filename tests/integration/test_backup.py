"""`backcoach db backup` and `db restore`: a live database is copied whole, restored with care,
and its files are readable by their owner only."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.services import accounts
from backcoach.store.db import Database, make_engine
from backcoach.store.migrate import pending, upgrade
from backcoach.store.tables import Base
from tests.support.postgres import fresh_database

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PEOPLE = 40


def _db(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> Result:
    monkeypatch.setenv("DATABASE_URL", url)
    return CliRunner().invoke(app, ["db", *args])


def _rows(url: str) -> dict[str, list[str]]:
    """Every row of every table, as sorted text, to compare two databases."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
                for name, table in Base.metadata.tables.items()
            }
    finally:
        engine.dispose()


def _sign_up(database: Database, first: int, count: int) -> None:
    for n in range(first, first + count):
        with database.unit_of_work() as uow:
            accounts.sign_up(uow=uow, email=f"p{n}@example.org", password="x" * 12, now=NOW)
        with database.unit_of_work() as uow:
            accounts.log_in(
                uow=uow,
                email=f"p{n}@example.org",
                password="x" * 12,
                now=NOW,
                attempts_allowed=5,
                window=dt.timedelta(minutes=15),
                session_length=dt.timedelta(days=30),
            )


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, Database]]:
    """An SQLite database as the app runs it (WAL on), with recent commits still in the WAL."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(url)
    database = Database(url)
    _sign_up(database, 0, PEOPLE)
    with database.engine.connect():  # an open connection, as a running server has
        assert (tmp_path / "live.db-wal").stat().st_size > 0, "the commits must be in the WAL"
        yield url, database
    database.dispose()


def _users(path: Path) -> int:
    with closing(sqlite3.connect(path)) as copy:
        try:
            return int(copy.execute("SELECT count(*) FROM users").fetchone()[0])
        except sqlite3.OperationalError:
            return 0  # not even the table made it


def test_backup_of_a_live_wal_database_keeps_every_row(
    live: tuple[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = live
    result = _db(monkeypatch, url, "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "backed up" in result.stdout
    assert _users(tmp_path / "copy.db") == PEOPLE
    assert _rows(f"sqlite:///{tmp_path / 'copy.db'}") == _rows(url)


def test_a_plain_copy_of_a_live_wal_database_loses_recent_commits(
    live: tuple[str, Database], tmp_path: Path
) -> None:
    # Why `db backup` exists: the probe's `cp` kept 0 of 2 accounts.
    shutil.copyfile(tmp_path / "live.db", tmp_path / "cp.db")
    assert _users(tmp_path / "cp.db") < PEOPLE


def test_restore_brings_back_every_row_and_migrates(
    live: tuple[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = live
    assert _db(monkeypatch, url, "backup", str(tmp_path / "copy.db")).exit_code == 0
    elsewhere = f"sqlite:///{tmp_path / 'new' / 'restored.db'}"
    (tmp_path / "new").mkdir()
    result = _db(monkeypatch, elsewhere, "restore", str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "restored" in result.stdout
    assert _rows(elsewhere) == _rows(url)
    engine = make_engine(elsewhere)
    assert not pending(engine, elsewhere)
    engine.dispose()


def test_restore_refuses_to_overwrite_data_unless_forced(
    live: tuple[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = live
    assert _db(monkeypatch, url, "backup", str(tmp_path / "copy.db")).exit_code == 0
    other = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(other)
    someone = Database(other)
    _sign_up(someone, 1000, 1)
    someone.dispose()
    refused = _db(monkeypatch, other, "restore", str(tmp_path / "copy.db"))
    assert refused.exit_code == 2
    assert refused.stderr.count("\n") == 1 and "--force" in refused.stderr
    assert _users(tmp_path / "other.db") == 1
    forced = _db(monkeypatch, other, "restore", "--force", str(tmp_path / "copy.db"))
    assert forced.exit_code == 0, forced.stderr
    assert _rows(other) == _rows(url)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"name,pain\nAnna,3\n", "is not an SQLite database"),
        (None, "is not a backcoach database"),
    ],
    ids=["text-file", "other-sqlite-database"],
)
def test_restore_refuses_a_file_that_is_not_a_backcoach_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | None, problem: str
) -> None:
    source = tmp_path / "not-a-backup.db"
    if content is None:
        with closing(sqlite3.connect(source)) as other:
            other.execute("CREATE TABLE notes (body TEXT)")
    else:
        source.write_bytes(content)
    target = tmp_path / "target.db"
    result = _db(monkeypatch, f"sqlite:///{target}", "restore", str(source))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and problem in result.stderr
    assert not target.exists() or _users(target) == 0


def test_backup_and_restore_name_a_missing_or_taken_file(
    live: tuple[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = live
    taken = _db(monkeypatch, url, "backup", str(tmp_path / "live.db"))
    assert taken.exit_code == 2 and "already exists" in taken.stderr
    missing = _db(monkeypatch, url, "restore", str(tmp_path / "nowhere.db"))
    assert missing.exit_code == 2 and "no backup file" in missing.stderr
    assert missing.stderr.count("\n") == 1


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_sqlite_database_files_are_readable_by_their_owner_only(
    live: tuple[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = live
    for name in ("live.db", "live.db-wal", "live.db-shm"):
        assert _mode(tmp_path / name) == 0o600, name
    assert _db(monkeypatch, url, "backup", str(tmp_path / "copy.db")).exit_code == 0
    assert _mode(tmp_path / "copy.db") == 0o600


# --- PostgreSQL: pg_dump and pg_restore -----------------------------------------------------


def test_postgresql_backup_and_restore_round_trip(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore not on PATH")
    dump = tmp_path / "backcoach.dump"
    with fresh_database(postgres_url) as source, fresh_database(postgres_url) as target:
        upgrade(source)
        database = Database(source)
        _sign_up(database, 0, 5)
        database.dispose()
        backed_up = _db(monkeypatch, source, "backup", str(dump))
        assert backed_up.exit_code == 0, backed_up.stderr
        assert _mode(dump) == 0o600
        restored = _db(monkeypatch, target, "restore", str(dump))
        assert restored.exit_code == 0, restored.stderr
        assert _rows(target) == _rows(source)
        assert _db(monkeypatch, source, "restore", str(dump)).exit_code == 2  # has data


def test_postgresql_backup_without_pg_dump_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump here
    url = "postgresql+psycopg://backcoach:secret@db.example.org/backcoach"
    result = _db(monkeypatch, url, "backup", str(tmp_path / "b.dump"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "pg_dump is not on PATH" in result.stderr and "--format=custom" in result.stderr
    assert "secret" not in result.stderr
    assert not (tmp_path / "b.dump").exists()


def test_restore_of_an_older_backup_migrates_it_to_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(old, "0001")
    assert _db(monkeypatch, old, "backup", str(tmp_path / "old-backup.db")).exit_code == 0
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    result = _db(monkeypatch, restored, "restore", str(tmp_path / "old-backup.db"))
    assert result.exit_code == 0, result.stderr
    engine = make_engine(restored)
    assert not pending(engine, restored)
    engine.dispose()
