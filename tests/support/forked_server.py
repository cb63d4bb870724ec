"""`backcoach serve` processes forked from one that imported the app already, to kill and restart.

A cold `python -m backcoach serve` spends about 2.2 s importing the app on this machine (0.05 s
building it); a test that kills the server ten times on two databases would spend most of its
time there. A launcher process imports once, then forks each server, which runs the same command
line (`backcoach serve`) in a process of its own: its own database connections, opened after
the fork, and its own pid to SIGKILL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.support.ports import accepts_connections, free_port

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0

#: The launcher: import what serve needs, then fork one server per line read (a JSON request),
#: answering each with the server's pid. Its children are reaped by the kernel (SIGCHLD ignored),
#: so a killed server leaves no zombie and its pid stops existing.
LAUNCHER = r"""
import json, os, signal, sys, traceback
import uvicorn, uvicorn.config, uvicorn.lifespan.on, uvicorn.loops.auto
import uvicorn.protocols.http.auto, uvicorn.protocols.websockets.auto
import backcoach.cli.app, backcoach.web.app, backcoach.web.access_log
from backcoach.cli.app import serve
from sqlalchemy.orm import configure_mappers

configure_mappers()  # at a server's first query otherwise: 0.5 s of each start

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
print("ready", flush=True)
for line in sys.stdin:
    asked = json.loads(line)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        print(pid, flush=True)
        continue
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    log = os.open(asked["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.environ.update(asked["environment"])
    try:
        serve(host="127.0.0.1", port=asked["port"])  # the command, without typer's parsing
        os._exit(0)
    except SystemExit as done:
        os._exit(done.code if isinstance(done.code, int) else 1)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
"""


@dataclass(frozen=True)
class Server:
    """One running server: its pid and the port of 127.0.0.1 it answers on."""

    pid: int
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Launcher:
    """Starts `backcoach serve` processes on free ports and kills them with SIGKILL."""

    def __init__(self, process: subprocess.Popen[str], log: Path) -> None:
        self._process = process
        self.log = log
        #: Every server started, so that none outlives the launcher.
        self.started: list[int] = []

    def start(self, environment: dict[str, str], log: Path | None = None) -> Server:
        """A new server with these variables (DATABASE_URL ...), once it accepts connections;
        its output goes to ``log`` (default the launcher's)."""
        log = log or self.log
        port = free_port()
        asked = {"port": port, "environment": environment, "log": str(log)}
        stdin, stdout = self._pipes()
        stdin.write(json.dumps(asked) + "\n")
        stdin.flush()
        pid = int(stdout.readline())
        self.started.append(pid)
        deadline = time.monotonic() + START_TIMEOUT_S
        # uvicorn listens once the app's start-up is done: a connection means it is ready.
        while not accepts_connections("127.0.0.1", port, timeout=0.05):
            if not _alive(pid) or time.monotonic() > deadline:
                kill(pid)
                raise RuntimeError(f"server {pid} did not start:\n{tail(log)}")
            time.sleep(0.005)
        return Server(pid, port)

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        return stdin, stdout


def tail(log: Path, lines: int = 30) -> str:
    """The last lines of a log, to say why a server failed."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def kill(pid: int) -> float:
    """SIGKILL the server ``pid`` and wait until it is gone (its files and sockets closed);
    the CPU seconds it used (0 if it was gone already)."""
    used = cpu_seconds(pid)
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while _alive(pid):
        if time.monotonic() > deadline:
            raise RuntimeError(f"server {pid} still alive {STOP_TIMEOUT_S}s after SIGKILL")
        time.sleep(0.002)
    return used


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a live process (Linux /proc), else 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def launcher(log: Path) -> Iterator[Launcher]:
    """A launcher whose servers log to ``log``; it and every server it started are killed
    afterwards (they share its process group)."""
    with log.open("a") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            start_new_session=True,  # its own process group, the servers' too: one kill ends all
        )
    started = Launcher(process, log)
    try:
        _, stdout = started._pipes()
        if stdout.readline().strip() != "ready":
            raise RuntimeError(f"the server launcher did not start:\n{tail(log)}")
        yield started
    finally:
        try:  # while the launcher lives to reap them: an orphan may stay a zombie in a container
            for pid in started.started:
                kill(pid)
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_TIMEOUT_S)
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()
