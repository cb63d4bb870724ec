"""The app servers of the probes: `backcoach serve` processes on free ports, started, waited
for, killed and stopped, and the database they share (an SQLite file or a throwaway PostgreSQL).

Used by probe_durability.py, probe_bad_input.py and http_load.py; not a test.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BACKCOACH = ROOT / ".venv" / "bin" / "backcoach"
START_TIMEOUT_S = 60.0


def free_port() -> int:

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """One `backcoach serve` process on its own port; killed with -9 and started again."""

    def __init__(self, database_url: str, workdir: Path, name: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": database_url}
        self.workdir = workdir
        self.log = workdir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(BACKCOACH), "serve", "--port", str(self.port)],
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server {self.url} exited: see {self.log}")
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"server {self.url} not up after {START_TIMEOUT_S} s")

    def up(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.up():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def peak_rss_kb(self) -> int:
        """The process's peak resident set (VmHWM) from /proc, or 0 when it is gone."""
        if not self.up():
            return 0
        assert self.process is not None
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(found.group(1)) if found else 0

    def tracebacks(self) -> list[str]:
        """The tracebacks the server printed (its log is appended to across restarts)."""
        output = self.log.read_text(errors="replace") if self.log.exists() else ""
        return output.split("Traceback (most recent call last)")[1:]


@contextmanager
def database(postgres: bool, workdir: Path) -> Iterator[str]:
    """An SQLite file in workdir, or a throwaway PostgreSQL 15 (from the tests' support)."""
    if not postgres:
        yield f"sqlite:///{workdir / 'probe.db'}"
        return
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import throwaway_postgres

    with throwaway_postgres() as url:
        yield url


@contextmanager
def servers(database_url: str, workdir: Path, count: int) -> Iterator[list[Server]]:
    started = [Server(database_url, workdir, f"server-{n}") for n in range(count)]
    try:
        for server in started:
            server.start()
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()
