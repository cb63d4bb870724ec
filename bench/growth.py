"""How each page's cost grows with one person's history: are the pages flat in its length?

Run: .venv/bin/python bench/growth.py [--sessions 10,100,1000] [--quick] [--repeat 5]
[--check-seed 30]. Prints tables; it is not a test (tests/integration/test_query_counts.py is
the test that statement counts stay equal for 3 and 12 sessions).

For each history length n, one fresh SQLite database (in a temporary folder) holds one person
with n finished sessions, every other day up to yesterday (about 2n days): every planned set
of every exercise (2-3 each, with where it was felt), pain before, during and after, a
next-morning check-in for most (not the last: it is timed), NPRS, PSFS, STarT Back and ODI
every two weeks, a tight moment every third session, and a new stored plan after each finish
and each check-in, as the app adds them. bench/growth_seed.py writes it: onboarding, measures
and tight moments through the services with the clock in the past, and the sessions as
direct inserts of the same rows and stored plans the services write (the engine deciding each
new plan), since through the services seeding 1,000 sessions is quadratic; `--check-seed N`
seeds N sessions both ways and prints the row counts side by side.

Then the real app (`backcoach.web.app.create_app`) runs in process on that database through
starlette's TestClient, with its clock fixed at the morning after the last session, and the
person logged in through the login form. Each repetition starts from a fresh copy of the
seeded file, then times the reads (Today, Progress, Schedule, the ICS feed, the program PDF,
the export as JSON and as ZIP) and the writes in a morning's order: the check-in on yesterday's
session, then a session started, one set saved, and the session finished. The first
repetition warms up and is not counted; the figure is the median of the others.

Printed: the median milliseconds per request and n, the exponent b fitted by least squares to
log time = a + b log n, the ratio of the largest n to the smallest, and "flat" when b < 0.1
(the issue's target: every page and step flat in the history's length); then the response
size in bytes and the SQL statements per request (counted with a `before_cursor_execute`
listener on the app's engine) for each n. Default run: about 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response  # what Starlette's test client answers with
from sqlalchemy import Engine, event, func, select

from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.services.onboarding import active_plan
from backcoach.services.programs import stored_plan
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.tables import TrainingSession, User
from backcoach.web.app import create_app
from backcoach.web.deps import Clock
from growth_seed import EMAIL, NOW, PASSWORD, row_counts, seed_history

#: The issue's target: time ~ n^b with b under this is "flat".
FLAT_BELOW = 0.1
_TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')
_SESSION = re.compile(r"/session/(\d+)$")


class FixedClock(Clock):
    """The app's clock, stopped at the morning after the last seeded session."""

    def __init__(self, now: dt.datetime) -> None:
        self.at = now

    def now(self) -> dt.datetime:
        return self.at


@dataclass
class Figures:
    """One request's measurements at one history length."""

    times_ms: list[float] = field(default_factory=list)
    size: int = 0
    statements: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)


@contextmanager
def statements_run(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent inside the block (as test_query_counts.py counts them)."""
    sent: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def csrf(page: str) -> str:
    found = _TOKEN.search(page)
    if not found:
        raise RuntimeError(f"no CSRF token on the page: {page[:300]!r}")
    return found.group(1) or found.group(2)


class Bench:
    """The app on a working copy of one seeded database, and the person's logged-in client."""

    def __init__(self, seeded: Path, folder: Path) -> None:
        self.seeded, self.working = seeded, folder / "working.db"
        self.restore()
        asgi = create_app(Settings(database_url=f"sqlite:///{self.working}"))
        # The wrappers (CSRF, lanes, headers) keep functools.wraps, so the app's state is shared.
        state = asgi.state  # type: ignore[attr-defined]
        state.clock = FixedClock(NOW)
        self.database: Database = state.database
        self.client = TestClient(asgi)
        page = self.client.get("/login")
        logged = self.client.post(
            "/login",
            data={"email": EMAIL, "password": PASSWORD, "csrftoken": csrf(page.text)},
            follow_redirects=False,
        )
        if logged.status_code != 303:
            raise RuntimeError(f"login: {logged.status_code} {logged.text[:300]}")
        self.token = csrf(self.client.get("/today").text)
        with self.database.unit_of_work() as uow:
            self.feed = uow.session.scalars(select(User.calendar_token)).one()
            self.last_session = uow.session.scalar(select(func.max(TrainingSession.id)))
        # The login and the signing key are in the copy every repetition starts from.
        self.database.dispose()
        shutil.copyfile(self.working, self.seeded)

    def restore(self) -> None:
        """The working database as seeded (with the login), the pool's connections closed."""
        if hasattr(self, "database"):
            self.database.dispose()
        for leftover in (self.working.with_name(self.working.name + s) for s in ("-wal", "-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(self.seeded, self.working)

    def timed(self, figures: Figures, send: Callable[[], Response], expected: int) -> Response:
        with statements_run(self.database.engine) as sent:
            started = time.perf_counter()
            response = send()
            elapsed = time.perf_counter() - started
        if response.status_code != expected:
            raise RuntimeError(f"{response.status_code} {response.text[:300]}")
        figures.times_ms.append(elapsed * 1000)
        figures.size, figures.statements = len(response.content), len(sent)
        return response

    def get(self, figures: Figures, address: str) -> None:
        self.timed(figures, lambda: self.client.get(address, follow_redirects=False), 200)

    def post(self, figures: Figures, address: str, data: dict[str, str]) -> Response:
        form = data | {"csrftoken": self.token}
        return self.timed(
            figures, lambda: self.client.post(address, data=form, follow_redirects=False), 303
        )

    def first_set(self) -> dict[str, str]:
        """The active plan's first exercise, its first set at the top of its range."""
        with self.database.unit_of_work() as uow:
            record = active_plan(uow=uow, person_id=uow.session.scalars(select(User.id)).one())
            assert record is not None
            item = stored_plan(record).plan.exercises[0]
        return {
            "exercise_id": item.exercise.id,
            "number": "1",
            item.exercise.dose.value: str(item.dose_max),
            "felt": "target",
        }

    def repetition(self, found: dict[str, Figures]) -> None:
        """Every read, then the morning's writes, on a fresh copy of the seeded database."""
        self.restore()
        reads = {
            "Today": "/today",
            "Progress": "/progress",
            "Schedule": "/schedule",
            "ICS feed": f"/calendar/{self.feed}.ics",
            "Program PDF": "/program.pdf",
            "Export JSON": "/account/export.json",
            "Export ZIP": "/account/export.zip",
        }
        for name, address in reads.items():
            self.get(found.setdefault(name, Figures()), address)
        answers = dict.fromkeys(CHECK_IN_IDS, "no") | {"pain_next_morning": "2"}
        checkin = f"/session/{self.last_session}/checkin"
        self.post(found.setdefault("Check-in", Figures()), checkin, answers)
        started = self.post(found.setdefault("Start", Figures()), "/session", {"pain_before": "3"})
        session = _SESSION.search(started.headers["location"])
        if session is None:
            raise RuntimeError(f"start went to {started.headers['location']}")
        address = f"/session/{session.group(1)}"
        self.post(found.setdefault("Set save", Figures()), f"{address}/sets", self.first_set())
        finished = {"pain_during": "2", "pain_after": "2", "leg_symptoms": "none"}
        self.post(found.setdefault("Finish", Figures()), f"{address}/finish", finished)

    def close(self) -> None:
        self.client.close()
        self.database.dispose()


def measure(sessions: int, repeat: int) -> dict[str, Figures]:
    """The figures of every request for one person with ``sessions`` sessions behind them."""
    with tempfile.TemporaryDirectory(prefix="growth-") as folder:
        seeded = Path(folder) / "seeded.db"
        started = time.perf_counter()
        seed_history(f"sqlite:///{seeded}", sessions)
        seeding = time.perf_counter() - started
        bench = Bench(seeded, Path(folder))
        try:
            warm_up: dict[str, Figures] = {}
            bench.repetition(warm_up)
            found: dict[str, Figures] = {}
            for _ in range(repeat):
                bench.repetition(found)
        finally:
            bench.close()
    took = time.perf_counter() - started
    print(f"n={sessions}: seeded in {seeding:.1f} s, measured in {took - seeding:.1f} s")
    return found


def exponent(lengths: list[int], times: list[float]) -> float:
    """b of time = a * n^b, by least squares on the logarithms."""
    xs, ys = [math.log(n) for n in lengths], [math.log(max(t, 1e-6)) for t in times]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def print_tables(lengths: list[int], by_length: dict[int, dict[str, Figures]]) -> None:
    names = list(by_length[lengths[0]])
    columns = "".join(f"{f'n={n}':>10}" for n in lengths)
    ratio = f"{lengths[-1]}/{lengths[0]}"
    print(f"\nMedian ms per request\n{'request':<13}{columns}{'b':>8}{ratio:>10}  verdict")
    for name in names:
        times = [by_length[n][name].median_ms for n in lengths]
        b = exponent(lengths, times)
        verdict = "flat" if b < FLAT_BELOW else "grows"
        milliseconds = "".join(f"{t:>10.1f}" for t in times)
        print(f"{name:<13}{milliseconds}{b:>8.2f}{times[-1] / times[0]:>10.1f}  {verdict}")
    for title, attribute in (
        ("Response bytes", "size"),
        ("SQL statements per request", "statements"),
    ):
        print(f"\n{title}\n{'request':<13}{columns}")
        for name in names:
            counts = (getattr(by_length[n][name], attribute) for n in lengths)
            print(f"{name:<13}" + "".join(f"{count:>10}" for count in counts))


def check_seed(sessions: int) -> None:
    """Seed ``sessions`` both ways and print the rows each way wrote."""
    with tempfile.TemporaryDirectory(prefix="growth-check-") as folder:
        counts = {}
        for way, through_services in (("services", True), ("direct", False)):
            url = f"sqlite:///{Path(folder) / f'{way}.db'}"
            started = time.perf_counter()
            seed_history(url, sessions, through_services=through_services)
            print(f"{way}: seeded {sessions} sessions in {time.perf_counter() - started:.1f} s")
            counts[way] = row_counts(url)
    print(f"\n{'table':<20}{'services':>10}{'direct':>10}")
    for table, through in counts["services"].items():
        print(f"{table:<20}{through:>10}{counts['direct'][table]:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sessions", default="10,100,1000", help="history lengths, e.g. 10,100")
    parser.add_argument("--quick", action="store_true", help="only 10 and 100 sessions")
    parser.add_argument("--repeat", type=int, default=5, help="counted repetitions per n")
    parser.add_argument(
        "--check-seed", type=int, metavar="N", help="compare both ways of seeding N sessions"
    )
    options = parser.parse_args()
    if options.check_seed:
        check_seed(options.check_seed)
        return
    lengths = [10, 100] if options.quick else sorted(int(n) for n in options.sessions.split(","))
    if len(lengths) < 2 or options.repeat < 1:
        parser.error("give at least two history lengths and one repetition")
    started = time.perf_counter()
    by_length = {n: measure(n, options.repeat) for n in lengths}
    print_tables(lengths, by_length)
    print(f"\nTotal {time.perf_counter() - started:.0f} s; {options.repeat} repetitions, median.")


if __name__ == "__main__":
    main()
