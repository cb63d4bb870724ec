"""`backcoach serve` processes to kill with SIGKILL and start again, forked from a launcher that
imported the app once.

A cold `python -m backcoach serve` spends about 2.2 s of CPU importing the app before it builds
it; a test that kills the server ten times on each of two databases would spend most of its time
there. The launcher does once what does not touch a database: imports what the command needs,
configures the ORM's mappers (0.5 s at a server's first query otherwise) and makes the stand-in
password hash that each server makes at its start (full cost, 0.25 s); it freezes those objects
out of the garbage collector, so that a server does not copy its pages by visiting them. Then it
forks each server, which runs the `serve` command's own function in a process of its own: its own
engine and connections, opened after the fork, its own pid to kill, its output in a log file. A
start then costs about 0.2 s of CPU.
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

from tests.support.ports import accepts_connections, free_port

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
#: A free port may be taken by someone else before the server binds it: starts tried.
START_TRIES = 3

#: The launcher: import, then fork one server per line read (a JSON request) and answer its pid.
#: It ignores SIGCHLD, so the kernel reaps its servers: a killed one leaves no zombie and its pid
#: stops existing.
LAUNCHER = r"""# backcoach test server launcher (tests/support/forked_server.py)
import json, os, signal, sys, traceback
import uvicorn, uvicorn.config, uvicorn.lifespan.on, uvicorn.loops.auto
import uvicorn.protocols.http.auto, uvicorn.protocols.websockets.auto
import backcoach.web.access_log, backcoach.web.app
from backcoach.cli.app import serve
from backcoach.services import accounts
from sqlalchemy.orm import configure_mappers
import gc

configure_mappers()
accounts.prepare_for_logins()
gc.freeze()
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
print("ready", flush=True)
for line in sys.stdin:
    asked = json.loads(line)
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
        serve(host="127.0.0.1", port=asked["port"])  # `backcoach serve`, without typer's parsing
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
"""


@dataclass(frozen=True)
class Server:
    """One running server: its pid and the port of 127.0.0.1 it answers on."""

    pid: int
    port: int


class Launcher:
    """Starts `backcoach serve` processes on free ports, and kills them."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._process = process
        #: The servers started and not killed yet, so that none outlives the launcher.
        self.running: set[int] = set()

    def start(self, environment: dict[str, str], log: Path) -> Server:
        """A new server with these variables (DATABASE_URL ...) added to the launcher's, once it
        accepts connections; its output goes to ``log``."""
        for attempt in range(START_TRIES):
            port = free_port()
            pid = self._fork(port, environment, log)
            deadline = time.monotonic() + START_TIMEOUT_S
            # uvicorn listens once the app's start-up is done: a connection means it is ready.
            while not accepts_connections("127.0.0.1", port, timeout=0.05):
                if not _alive(pid) or time.monotonic() > deadline:
                    self.kill(pid)
                    break
                time.sleep(0.005)
            else:
                return Server(pid, port)
            if attempt == START_TRIES - 1:
                raise RuntimeError(f"no server started in {START_TRIES} tries:\n{tail(log)}")
        raise AssertionError("unreachable")  # pragma: no cover

    def kill(self, pid: int) -> float:
        """SIGKILL the server ``pid`` and wait until it is gone (its files and sockets closed);
        the CPU seconds it had used."""
        self.running.discard(pid)
        used = 0.0
        # Only a child of the launcher: a pid that ended may have been given to another process.
        if _parent(pid) == self._process.pid:
            used = cpu_seconds(pid)
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while _parent(pid) == self._process.pid:
            if time.monotonic() > deadline:
                raise RuntimeError(f"server {pid} still alive {STOP_TIMEOUT_S}s after SIGKILL")
            time.sleep(0.002)
        return used

    def stop_all(self) -> None:
        """Kill every server started that still runs."""
        for pid in list(self.running):
            self.kill(pid)

    def _fork(self, port: int, environment: dict[str, str], log: Path) -> int:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps({"port": port, "environment": environment, "log": str(log)}))
        stdin.write("\n")
        stdin.flush()
        answer = stdout.readline()
        if not answer.strip().isdigit():
            raise RuntimeError(f"the launcher answered {answer!r}")
        pid = int(answer)
        self.running.add(pid)
        return pid


@contextmanager
def launcher(log: Path) -> Iterator[Launcher]:
    """A launcher (its own errors in ``log``); it and every server it started are killed after."""
    with log.open("a") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            start_new_session=True,  # its own process group, the servers' too: one kill ends all
        )
    started = Launcher(process)
    try:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the server launcher did not start:\n{tail(log)}")
        yield started
    finally:
        try:  # while the launcher lives to reap them: an orphan may stay a zombie in a container
            started.stop_all()
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_TIMEOUT_S)
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a live process (Linux /proc), else 0."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def tail(log: Path, lines: int = 30) -> str:
    """The last lines of a log, to say why a server failed."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name, or None when there is no PID."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _parent(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"
