"""A throwaway PostgreSQL 15 server in a temp dir, on a free port of 127.0.0.1.

Run as root (CI, the dev container) the server runs as the ``postgres`` user through ``runuser``,
since PostgreSQL refuses to run as root; as any other user it runs as that user. The data dir lives
in a fresh temp dir that is removed afterwards, and the server is stopped whatever happens.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tests.support.ports import free_port

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin",)
DATABASE = "backcoach_test"
START_TIMEOUT_S = 30


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be found or started; the message says why."""


def find_pg_bin() -> Path:
    """The folder holding PostgreSQL 15's initdb and pg_ctl (``BACKCOACH_PG_BIN`` overrides)."""
    candidates = [os.environ.get("BACKCOACH_PG_BIN", ""), *PG_BIN_CANDIDATES]
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).resolve().parent))
    for candidate in filter(None, candidates):
        folder = Path(candidate)
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(
        "PostgreSQL 15 not found (no initdb/pg_ctl in /usr/lib/postgresql/15/bin): "
        "install Debian's postgresql-15, or run `bash scripts/test.sh`, which does"
    )


class _Runner:
    """Runs PostgreSQL's binaries as ``postgres`` when we are root, else as ourselves."""

    def __init__(self, pg_bin: Path, workdir: Path) -> None:
        self.pg_bin = pg_bin
        self.workdir = workdir
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no postgres user") from None
            runuser = shutil.which("runuser")
            if runuser is None:
                raise PostgresUnavailable("running as root and runuser is missing")
            self.prefix = [runuser, "-u", "postgres", "--"]

    def own(self, path: Path) -> None:
        if self.prefix:
            shutil.chown(path, user="postgres", group="postgres")

    def run(self, tool: str, *args: str, timeout: float = 60) -> None:
        # cwd: postgres may not be allowed into ours (e.g. /root); C locale: no locale warnings.
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        env.pop("PGDATA", None)
        command = [*self.prefix, str(self.pg_bin / tool), *args]
        try:
            done = subprocess.run(
                command,
                cwd=self.workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PostgresUnavailable(f"{shlex.join(command)}: {error}") from error
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{shlex.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
            )


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def admin_conninfo(url: str) -> str:
    """psycopg conninfo for the ``postgres`` maintenance database of the server behind url."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    parts = {
        "host": parsed.host or "127.0.0.1",
        "port": str(parsed.port or 5432),
        "user": parsed.username or "postgres",
        "dbname": "postgres",
    }
    if parsed.password:
        parts["password"] = parsed.password
    return " ".join(f"{key}={value}" for key, value in parts.items())


def create_database(url: str, name: str, *, template: str | None = None) -> str:
    """Create database name on the server behind url (a copy of database ``template`` if given,
    which nobody may be connected to); return url pointing at it."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create = sql.SQL("{} TEMPLATE {}").format(create, sql.Identifier(template))
    with psycopg.connect(admin_conninfo(url), autocommit=True) as conn:
        conn.execute(create)
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, name: str) -> None:
    """Drop database name on the server behind url, closing any connection still open to it."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_conninfo(url), autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))


@contextmanager
def fresh_database(url: str, *, template: str | None = None) -> Iterator[str]:
    """A new database ``t_<hex>`` on the server behind url, empty or a copy of ``template``,
    dropped afterwards."""
    name = f"t_{uuid.uuid4().hex}"
    fresh = create_database(url, name, template=template)
    try:
        yield fresh
    finally:
        drop_database(url, name)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a private PostgreSQL 15 and yield ``postgresql+psycopg://postgres@127.0.0.1:PORT/
    backcoach_test`` (trust auth); stop it and delete its files afterwards.

    Raises PostgresUnavailable (before yielding) when the binaries are missing or it won't start.
    """
    pg_bin = find_pg_bin()
    # As root the postgres user must reach the dir, so keep it out of a private TMPDIR.
    base = "/tmp" if os.geteuid() == 0 and Path("/tmp").is_dir() else None
    root = Path(tempfile.mkdtemp(prefix="backcoach-pg-", dir=base))
    data, sockets, log = root / "data", root / "sock", root / "postgres.log"
    started = False
    runner: _Runner | None = None
    try:
        runner = _Runner(pg_bin, root)
        sockets.mkdir()
        runner.own(root)
        runner.own(sockets)
        runner.run(
            "initdb",
            *("-D", str(data), "-A", "trust", "-U", "postgres"),
            *("--no-sync", "--encoding", "UTF8", "--locale", "C", "--no-instructions"),
        )
        port = 0
        for attempt in range(3):  # a port can be taken between choosing and binding: retry
            port = free_port()
            options = (
                f"-p {port} -c listen_addresses=127.0.0.1 -k {shlex.quote(str(sockets))} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                started = True  # pg_ctl may leave a server up even when it reports failure
                runner.run(
                    "pg_ctl",
                    *("-D", str(data), "-l", str(log), "-o", options),
                    *("-w", "-t", str(START_TIMEOUT_S), "start"),
                    timeout=START_TIMEOUT_S + 10,
                )
                break
            except PostgresUnavailable as error:
                _stop(runner, data)
                started = False
                if attempt == 2:
                    log_tail = _tail(log)
                    raise PostgresUnavailable(f"{error}\n--- server log ---\n{log_tail}") from None
        server = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        try:
            url = create_database(server, DATABASE)
        except Exception as error:  # psycopg.Error, imported lazily
            raise PostgresUnavailable(f"server up but CREATE DATABASE failed: {error}") from error
        yield url
    finally:
        if started and runner is not None:
            _stop(runner, data)
        shutil.rmtree(root, ignore_errors=True)


def _stop(runner: _Runner, data: Path) -> None:
    with suppress(PostgresUnavailable):
        runner.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop", timeout=30)
