"""How fast the web app answers, side by side with a bare FastAPI app on the same server settings.

Run: .venv/bin/python bench/http_load.py [--seconds 5] [--users 50] [--levels 1,10,50]
[--workers 1,2] [--database sqlite|postgres] [--no-engine]. Prints a table; it is not a test.
It needs wrk (`apt-get install wrk`), a compiled load generator, so that the client is not the
bottleneck.

--users people are seeded through the services (sign up, screening, measures, a program, 12
sessions of four weeks with every set, check-ins, two more measures and tight moments, and a
session open today), each logged in. Then for each --workers count, `backcoach serve --workers
N` and the ceiling (a bare FastAPI app under the same uvicorn settings: a GET returning a small
HTML string, and a POST writing one row with the app's engine settings) run side by side, and
wrk loads Today, a set save (JSON, as the player sends it), Progress and the ICS feed at each
--levels concurrent connections, every request acting as one of the people (bench/
http_people.lua). Each row gives requests/s, p50/p95/p99, the answers that were not 2xx, and the
ratio to its ceiling: the bare page for the pages and the feed, the bare write for the set save.
Targets (issue): Today and set save 40% of their ceiling, Progress and ICS 25%, p99 under 250 ms
at 50 users on one worker, two workers close to twice one, and bench/decisions.py's engine
figures at 50,000/s or more (run after the load, unless --no-engine).

The people are seeded over HTTP through the pages (as bench/probe_durability.py does), so all
their history is dated today. With --workers 2 uvicorn leaves Nagle's algorithm on (the
listening socket it binds has proto 0, so asyncio skips TCP_NODELAY: Kludex/uvicorn#3149):
each keep-alive request then waits about 40 ms for a delayed ACK, in the app and the ceiling
alike, which the two-worker figures include.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.store.db import make_engine
from backcoach.web.deps import SESSION_COOKIE
from http_ceiling import CEILING_DATABASE, ceiling_metadata, serve_ceiling
from probe_durability import Phone, Tally
from probe_servers import BACKCOACH, Server, database

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "http_people.lua"
SESSIONS = 12
ENDPOINTS = (  # label, wrk mode, ceiling mode, target share of the ceiling
    ("Today", "today", "page", 0.40),
    ("set save", "set", "write", 0.40),
    ("Progress", "progress", "page", 0.25),
    ("ICS feed", "ics", "page", 0.25),
)
CEILINGS = (("bare page", "page"), ("bare write", "write"))
P99_TARGET_MS, P99_AT_USERS = 250, 50
_RESULT = re.compile(r"RESULT (.*)")

# --- Servers ---------------------------------------------------------------------------------


class Served(Server):
    """probe_durability's server process, with the command and the page that says it is up."""

    def __init__(
        self, name: str, workdir: Path, env: dict[str, str], command: list[str], ready: str
    ) -> None:
        super().__init__(env.get("DATABASE_URL", ""), workdir, name)
        self.env = {**os.environ, **env}
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.ready = ready

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-1500:]
                raise RuntimeError(f"{self.command} exited:\n{tail}")
            try:
                if httpx.get(self.url + self.ready, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.url} not up after 60 s: see {self.log}")


def app_server(database_url: str, workdir: Path, workers: int, name: str = "app") -> Served:
    command = [str(BACKCOACH), "serve", "--port", "{port}", "--workers", str(workers)]
    env = {"DATABASE_URL": database_url}
    return Served(f"{name}-{workers}", workdir, env, command, "/login")


def ceiling_server(ceiling_url: str, workdir: Path, workers: int) -> Served:
    command = [sys.executable, __file__, "--serve-ceiling", "{port}", "--workers", str(workers)]
    env = {CEILING_DATABASE: ceiling_url}
    return Served(f"ceiling-{workers}", workdir, env, command, "/ceiling/page")


# --- Seeding over HTTP ----------------------------------------------------------------------
# Through the pages, as a phone does (probe_durability's Phone): the pages call the services,
# and the forms and addresses change less often than the services' signatures.

_CALENDAR = re.compile(r"/calendar/([A-Za-z0-9_-]+)\.ics")


@dataclass(frozen=True)
class Person:
    login: str  # the login cookie
    csrf_cookie: str
    token: str  # the pages' CSRF token for those two cookies
    session_id: int  # the session open at the end, where the sets are saved
    calendar_token: str
    slots: tuple[str, ...]  # exercise:kind:number of every planned set

    def line(self) -> str:
        """The person as http_people.lua reads it."""
        fields = (self.login, self.csrf_cookie, self.token, str(self.session_id))
        return "\t".join((*fields, self.calendar_token, ",".join(self.slots)))


def seed_person(server: Server, n: int, rng: random.Random) -> Person:
    """Onboarded, SESSIONS sessions with every set, finish and check-in, tight moments, two
    reassessments, then a session left open; all of it today (HTTP cannot date it back)."""
    tally = Tally()
    phone = Phone([server], tally)
    phone.onboard(f"person{n}@example.com")
    for index in range(SESSIONS):
        session_id, slots = phone.start_session()
        for exercise, number, kind in slots:
            phone.save_set(session_id, exercise, number, kind, rng.randint(4, 12))
        phone.finish(session_id)
        answers = dict.fromkeys(CHECK_IN_IDS, "no") | {"pain_next_morning": "2"}
        checked = phone.send(
            "POST", f"/session/{session_id}/checkin", data={**answers, "csrftoken": phone.token}
        )
        if checked.status_code != 303:
            raise RuntimeError(f"check-in: {checked.status_code} {checked.text[:300]}")
        if index % 3 == 1:
            phone.send("POST", "/tight", data={"csrftoken": phone.token})
        if index in (5, 11):
            measures = {"nprs": "3", "psfs_name_1": "Putting on socks", "psfs_score_1": "6"}
            phone.send("POST", "/progress/reassess", data={**measures, "csrftoken": phone.token})
    if tally.refused:
        raise RuntimeError(f"sets refused while seeding: {tally.refused[:2]}")
    session_id, slots = phone.start_session()
    schedule = phone.send("GET", "/schedule").text
    calendar = _CALENDAR.search(schedule)
    if not calendar:
        raise RuntimeError("no calendar address on /schedule")
    phone.http.close()
    return Person(
        login=phone.http.cookies[SESSION_COOKIE],
        csrf_cookie=phone.http.cookies["csrftoken"],
        token=phone.token,
        session_id=session_id,
        calendar_token=calendar.group(1),
        slots=tuple(f"{exercise}:{kind}:{number}" for exercise, number, kind in slots),
    )


def seed(database_url: str, workdir: Path, count: int, seed_value: int) -> list[Person]:
    """count people seeded at once through a two-worker server."""
    seeder = app_server(database_url, workdir, 2, "seed")
    with servers_of([seeder]) as (server,), ThreadPoolExecutor(max_workers=8) as pool:
        return list(
            pool.map(
                lambda n: seed_person(server, n, random.Random(seed_value * 1000 + n)),
                range(count),
            )
        )


@contextmanager
def servers_of(started: list[Served]) -> Iterator[list[Served]]:
    try:
        for server in started:
            server.start()
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def check_endpoints(app: str, ceiling: str, person: Person) -> None:
    """One request of each kind before the load, so a refusal is told plainly."""
    cookies = {SESSION_COOKIE: person.login, "csrftoken": person.csrf_cookie}
    exercise, kind, number = person.slots[0].split(":")
    form = {"exercise_id": exercise, "number": number, kind: "8", "felt": "target"}
    checks = [
        httpx.get(f"{app}/today", cookies=cookies),
        httpx.get(f"{app}/progress", cookies=cookies),
        httpx.get(f"{app}/calendar/{person.calendar_token}.ics"),
        httpx.post(
            f"{app}/session/{person.session_id}/sets",
            data=form,
            cookies=cookies,
            headers={"accept": "application/json", "x-csrftoken": person.token},
        ),
        httpx.get(f"{ceiling}/ceiling/page"),
        httpx.post(f"{ceiling}/ceiling/write?person=0", data=form),
    ]
    for answer in checks:
        if answer.status_code != 200:
            raise RuntimeError(f"{answer.url}: {answer.status_code} {answer.text[:300]}")


# --- Load ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    timeouts: int


def load(base: str, mode: str, connections: int, seconds: int, people_file: Path) -> Run:
    """One wrk run; its Lua script prints the figures on a RESULT line."""
    threads = min(2, connections)
    command = [
        *("wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"),
        *("--latency", "--timeout", "30s", "-s", str(LUA), base),
        *("--", mode, str(people_file), str(threads)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = _RESULT.search(done.stdout)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}{done.stderr}")
    figures = dict(pair.split("=") for pair in found.group(1).split())
    return Run(
        per_second=int(figures["requests"]) / float(figures["seconds"]),
        p50_ms=int(figures["p50"]) / 1000,
        p95_ms=int(figures["p95"]) / 1000,
        p99_ms=int(figures["p99"]) / 1000,
        non_2xx=int(figures["non2xx"]),
        socket_errors=int(figures["socket"]),
        timeouts=int(figures["timeout"]),
    )


def measure_workers(
    database_url: str, workdir: Path, people: list[Person], workers: int, args: argparse.Namespace
) -> dict[tuple[str, int], Run]:
    """Every endpoint and ceiling at every level, interleaved so drift hits both alike."""
    people_file = workdir / "people.tsv"
    people_file.write_text("".join(person.line() + "\n" for person in people))
    runs: dict[tuple[str, int], Run] = {}
    pair = [app_server(database_url, workdir, workers)]
    pair.append(ceiling_server(args.ceiling_url, workdir, workers))
    with servers_of(pair) as (app, ceiling):
        check_endpoints(app.url, ceiling.url, people[0])
        modes = [(app.url, mode) for _, mode, _, _ in ENDPOINTS]
        modes += [(ceiling.url, mode) for _, mode in CEILINGS]
        for base, mode in modes:  # warm up every worker: templates, pools, first queries
            load(base, mode, min(10, args.users), 1, people_file)
        for level in args.levels:
            for base, mode in modes:
                runs[mode, level] = load(base, mode, level, args.seconds, people_file)
                print(f"  workers {workers}, {mode:<8} at {level:>3}: {fmt_run(runs[mode, level])}")
    tracebacks = [block for server in (app, ceiling) for block in server.tracebacks()]
    if tracebacks:
        print(
            f"  {len(tracebacks)} tracebacks in the server logs; the last:{tracebacks[-1][-800:]}"
        )
    return runs


# --- Report ----------------------------------------------------------------------------------


def fmt_run(run: Run) -> str:
    problems = f" socket errors {run.socket_errors}" if run.socket_errors else ""
    problems += f" timeouts {run.timeouts}" if run.timeouts else ""
    return (
        f"{run.per_second:8.1f}/s  p50 {run.p50_ms:7.1f}  p95 {run.p95_ms:7.1f}  "
        f"p99 {run.p99_ms:7.1f} ms  non-2xx {run.non_2xx}{problems}"
    )


def print_table(runs: dict[int, dict[tuple[str, int], Run]], levels: list[int]) -> list[str]:
    """The side-by-side table; returns the targets missed."""
    missed: list[str] = []
    print(
        f"{'workers':>7} {'endpoint':<10} {'users':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'non-2xx':>7} {'ceiling/s':>9} {'ratio':>6}  target"
    )
    for workers, by_run in runs.items():
        for label, mode, ceiling, share in ENDPOINTS:
            for level in levels:
                run, bare = by_run[mode, level], by_run[ceiling, level]
                ratio = run.per_second / bare.per_second
                verdict = f">= {share:.0%} {'met' if ratio >= share else 'NOT met'}"
                if ratio < share:
                    missed.append(f"{label} at {level} users, {workers} worker(s): {ratio:.0%}")
                if workers == 1 and level == P99_AT_USERS:
                    fast = run.p99_ms < P99_TARGET_MS
                    verdict += f"; p99 < {P99_TARGET_MS} ms {'met' if fast else 'NOT met'}"
                    if not fast:
                        missed.append(f"{label} p99 at {level} users: {run.p99_ms:.0f} ms")
                print(
                    f"{workers:>7} {label:<10} {level:>5} {run.per_second:>8.1f} "
                    f"{run.p50_ms:>7.1f} {run.p95_ms:>7.1f} {run.p99_ms:>7.1f} "
                    f"{run.non_2xx:>7} {bare.per_second:>9.1f} {ratio:>6.0%}  {verdict}"
                )
        for label, mode in CEILINGS:
            for level in levels:
                run = by_run[mode, level]
                print(
                    f"{workers:>7} {label:<10} {level:>5} {run.per_second:>8.1f} "
                    f"{run.p50_ms:>7.1f} {run.p95_ms:>7.1f} {run.p99_ms:>7.1f} {run.non_2xx:>7}"
                )
    return missed


def print_scaling(runs: dict[int, dict[tuple[str, int], Run]], levels: list[int]) -> list[str]:
    """Two workers against one, at the levels with more than one connection."""
    if 1 not in runs or 2 not in runs:
        return []
    missed = []
    busy = [level for level in levels if level > 1]
    print(
        "two workers / one worker (target: close to 2x; met at 1.8x or more), "
        + ", ".join(f"{level} users" for level in busy)
    )
    names = [(label, mode) for label, mode, _, _ in ENDPOINTS] + list(CEILINGS)
    for label, mode in names:
        ratios = [
            runs[2][mode, level].per_second / runs[1][mode, level].per_second for level in busy
        ]
        print(f"  {label:<10} " + "  ".join(f"{ratio:5.2f}x" for ratio in ratios))
        if mode in {m for _, m, _, _ in ENDPOINTS} and ratios and max(ratios) < 1.8:
            missed.append(f"{label} with two workers: {max(ratios):.2f}x at best")
    return missed


def engine_figures(seconds: float) -> list[str]:
    """bench/decisions.py's figures, run in its own process (it pins itself to one core)."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "decisions.py"), "--seconds", str(seconds)],
        capture_output=True,
        text=True,
        check=False,
    )
    print(done.stdout + done.stderr, end="")
    return [line for line in done.stdout.splitlines() if "NOT met" in line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="Seconds per wrk run.")
    parser.add_argument("--users", type=int, default=50, help="People seeded (one per user).")
    parser.add_argument("--levels", default="1,10,50", help="Concurrent connections to try.")
    parser.add_argument("--workers", default="1,2", help="Worker counts to try.")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres", action="store_true", help="Same as --database postgres.")
    parser.add_argument("--no-engine", action="store_true", help="Skip bench/decisions.py.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--serve-ceiling", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    worker_counts = [int(n) for n in args.workers.split(",")]
    if args.serve_ceiling:
        serve_ceiling(args.serve_ceiling, worker_counts[0])
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: install it with `apt-get install wrk` (Debian, Ubuntu).")
    args.levels = [int(n) for n in args.levels.split(",")]
    if max(args.levels) > args.users:
        print(f"note: more connections than people ({args.users}): some people are shared")
    postgres = args.postgres or args.database == "postgres"
    backend = "PostgreSQL 15" if postgres else "SQLite"
    runs: dict[int, dict[tuple[str, int], Run]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
        workdir = Path(folder)
        with database(postgres, workdir) as url:
            began = time.monotonic()
            people = seed(url, workdir, args.users, args.seed)
            print(f"seeded {len(people)} people over HTTP in {time.monotonic() - began:.0f} s")
            args.ceiling_url = url if postgres else f"sqlite:///{workdir / 'ceiling.db'}"
            ceiling_metadata.create_all(engine := make_engine(args.ceiling_url))
            engine.dispose()
            for workers in worker_counts:
                runs[workers] = measure_workers(url, workdir, people, workers, args)
    print(
        f"\nbackcoach over HTTP on {backend}, {args.users} people, wrk {args.seconds} s a run, "
        f"{os.cpu_count()} cores; ratio = requests/s against the bare FastAPI ceiling "
        "(page for the pages and the feed, one-row write for the set save)"
    )
    missed = print_table(runs, args.levels)
    missed += print_scaling(runs, args.levels)
    if not args.no_engine:
        print("\nengine (bench/decisions.py --seconds 1):")
        missed += engine_figures(1.0)
    print("\ntargets missed:" if missed else "\nevery target met")
    for line in missed:
        print(f"  {line}")


if __name__ == "__main__":
    main()
