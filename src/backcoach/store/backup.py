"""Backup and restore of the configured database: SQLite's online backup API, pg_dump for
PostgreSQL. `backcoach db backup FILE` and `backcoach db restore FILE` call these."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import URL, inspect, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from backcoach.store.db import make_engine
from backcoach.store.migrate import alembic_config, upgrade

#: Tables that are not a person's data: a fresh server writes its signing key on first start.
_NOT_DATA = frozenset({"alembic_version", "app_secrets"})


class BackupError(Exception):
    """A backup or restore that cannot be done, said in one line."""


def backup(database_url: str, target: Path) -> str:
    """Copy the whole database, with the commits still in SQLite's WAL, to a new file (0600)."""
    if target.exists():
        raise BackupError(f"{target} already exists: choose a new file name")
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return _pg_dump(url, target)
    source = _sqlite_file(url)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    _create_private(target)
    try:
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
            live.backup(copy)  # one consistent snapshot, the WAL included, while the app runs
            copy.execute("PRAGMA journal_mode=DELETE")  # the backup is one self-contained file
            revision = _revision(copy)
    except sqlite3.Error as error:
        target.unlink(missing_ok=True)
        raise BackupError(f"backup of {source} failed: {error}") from None
    return f"backed up {source} to {target} ({target.stat().st_size} bytes, revision {revision})"


def restore(database_url: str, source: Path, *, force: bool = False) -> str:
    """Replace the configured database with a backup, then migrate it to this version's head."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        _refuse_data(database_url, force)
        _pg_restore(url, source)
    else:
        revision = _backcoach_revision(source)
        _refuse_newer(database_url, revision)
        _refuse_data(database_url, force)
        target = _sqlite_file(url)
        make_engine(database_url).dispose()  # creates a missing file 0600
        try:
            with (
                closing(sqlite3.connect(source)) as backup_file,
                closing(sqlite3.connect(target, timeout=15)) as live,
            ):
                backup_file.backup(live)
        except sqlite3.Error as error:
            raise BackupError(f"restore into {target} failed: {error}") from None
    upgrade(database_url)
    return f"restored {source} into {url.render_as_string(hide_password=True)}; migrated to head"


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("DATABASE_URL names no SQLite file to back up or restore")
    return Path(url.database)


def _create_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as error:
        raise BackupError(f"cannot write {path}: {error.strerror}") from None


def _revision(connection: sqlite3.Connection) -> str:
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else "none"


def _backcoach_revision(source: Path) -> str:
    """The migration a backup file is at; refuses a file that is not a backcoach database."""
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            if "alembic_version" in {row[0] for row in rows}:
                return _revision(db)
    except sqlite3.DatabaseError:
        raise BackupError(f"{source} is not an SQLite database") from None
    raise BackupError(f"{source} is not a backcoach database (no alembic_version table)")


def _refuse_newer(database_url: str, revision: str) -> None:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    known = {s.revision for s in script.walk_revisions()}
    if revision not in known:
        raise BackupError(
            f"the backup is at revision {revision}, unknown to this backcoach: upgrade it first"
        )


def _refuse_data(database_url: str, force: bool) -> None:
    """Refuse to overwrite a database that holds anyone's data, unless forced."""
    if force:
        return
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql" and not _sqlite_file(url).exists():
        return
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names()) - _NOT_DATA
            full = sorted(
                name
                for name in tables
                if connection.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first()
            )
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise BackupError(f"cannot read the database to restore into: {reason}") from None
    finally:
        engine.dispose()
    if full:
        raise BackupError(
            f"the database already has data (in {', '.join(full)}): "
            "back it up, then restore with --force to replace it"
        )


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq address for pg_dump/pg_restore, its password passed in the environment."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(tool: str, args: list[str], url: URL, instead: str) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} is not on PATH: install the PostgreSQL client, or run {instead}")
    address, env = _libpq(url)
    done = subprocess.run(
        [program, *args, f"--dbname={address}"], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        raise BackupError(f"{tool} failed: {lines[-1]}")


def _pg_dump(url: URL, target: Path) -> str:
    _create_private(target)  # pg_dump writes into it and keeps the mode
    try:
        _run(
            "pg_dump",
            ["--format=custom", f"--file={target}"],
            url,
            f"pg_dump --format=custom --file={target} DBNAME",
        )
    except BackupError:
        target.unlink(missing_ok=True)
        raise
    return f"backed up {url.database} to {target} ({target.stat().st_size} bytes, pg_dump custom)"


def _pg_restore(url: URL, source: Path) -> None:
    listing = shutil.which("pg_restore")
    if listing is not None:
        contents = subprocess.run(
            [listing, "--list", str(source)], capture_output=True, text=True
        ).stdout
        if "alembic_version" not in contents:
            raise BackupError(f"{source} is not a pg_dump of a backcoach database")
    _run(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)],
        url,
        f"pg_restore --clean --if-exists --no-owner --dbname=DBNAME {source}",
    )
