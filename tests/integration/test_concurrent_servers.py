"""Several app servers on one database: starts that migrate together, a set sent twice at once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from backcoach.cli import app as cli
from backcoach.engine.vocabulary import Felt
from backcoach.services import training
from backcoach.services.access import Principal
from backcoach.services.sets import SetInput
from backcoach.store.db import make_engine
from backcoach.store.migrate import pending
from backcoach.store.tables import SetRecord, User
from tests.support.ports import free_port
from tests.training_app import MONDAY, App, csrf_of, onboard, start

#: Servers starting at once. Without the migration lock, 3 already fail every time (2 of the 3
#: starts crashed in each of 10 tries, both databases); 8 only cost 5 more interpreters each.
SERVERS = 3
PAIRS = 100
ROUTE_PAIRS = 20

#: One server's start: import everything, say so, wait for the go, then migrate.
MIGRATE_ON_GO = """
import sys, time
from pathlib import Path
from backcoach.store.migrate import upgrade
url, ready, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
ready.touch()
while not go.exists():
    time.sleep(0.005)
upgrade(url)
"""


def test_servers_starting_together_all_migrate_and_the_database_ends_at_head(
    database_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    starts = []
    for number in range(SERVERS):
        ready = tmp_path / f"ready-{number}"
        arguments = [sys.executable, "-c", MIGRATE_ON_GO, database_url, str(ready), str(go)]
        starts.append((ready, subprocess.Popen(arguments, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in starts) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    failures = []
    for _, process in starts:
        _, errors = process.communicate(timeout=180)
        if process.returncode != 0:
            failures.append([line for line in errors.splitlines() if "Error" in line][-1:])
    assert failures == [], f"{len(failures)} of {SERVERS} starts failed: {failures}"
    engine = make_engine(database_url)
    try:
        assert not pending(engine, database_url)
    finally:
        engine.dispose()


def _race(times: int, send: Callable[[], Any], reset: Callable[[], None]) -> list[str]:
    """Send the same thing from two threads at once, ``times`` times; what went wrong."""
    failures: list[str] = []

    def twin(barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            problem = send()
        except Exception as error:  # a failure is what this counts
            problem = f"{type(error).__name__}: {error}"[:200]
        if problem:
            failures.append(problem)

    for _ in range(times):
        reset()
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=twin, args=(barrier,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return failures


def _training(app: App) -> tuple[Any, int, str]:
    """A person in a started session, and the first exercise of their program."""
    client = onboard(app)
    session_id = start(client)
    first = app.program("ana@example.com").plan.exercises[0]
    return client, session_id, first.exercise.id


def _forget_sets(app: App, session_id: int) -> Callable[[], None]:
    def reset() -> None:
        with app.database.unit_of_work() as uow:
            uow.session.execute(delete(SetRecord).where(SetRecord.session_id == session_id))
            uow.commit()

    return reset


def _sets_saved(app: App, session_id: int) -> int:
    count = app.query(select(func.count()).where(SetRecord.session_id == session_id))
    return int(count)


def test_the_same_set_saved_twice_at_once_is_saved_once_and_both_succeed(app: App) -> None:
    _, session_id, exercise_id = _training(app)
    entry = SetInput(exercise_id=exercise_id, number=1, amount=8, felt=Felt.TARGET)

    person_id = int(app.query(select(User.id).where(User.email == "ana@example.com")))

    def send() -> str:
        with app.database.unit_of_work() as uow:
            saved = training.log_set(
                uow=uow,
                principal=Principal(person_id),
                person_id=person_id,
                session_id=session_id,
                entry=entry,
                now=MONDAY,
                today=MONDAY.date(),
            )
            return "" if (saved.amount, saved.felt) == (8, Felt.TARGET) else f"saved {saved.amount}"

    failures = _race(PAIRS, send, _forget_sets(app, session_id))
    assert failures == [], f"{len(failures)} of {PAIRS} pairs failed: {failures[:3]}"
    assert _sets_saved(app, session_id) == 1


def test_the_same_set_posted_twice_at_once_answers_saved_both_times(app: App) -> None:
    client, session_id, exercise_id = _training(app)
    csrf = csrf_of(client)
    data = {"exercise_id": exercise_id, "number": "1", "reps": "8", "felt": "target"}
    headers = {"accept": "application/json", "x-csrftoken": csrf}
    twins = [app.client(**dict(client.cookies.items())) for _ in range(2)]
    turn = iter(range(2 * ROUTE_PAIRS))

    def send() -> str:
        twin = twins[next(turn) % 2]
        response = twin.post(f"/session/{session_id}/sets", data=data, headers=headers)
        return "" if response.status_code == 200 else f"{response.status_code}: {response.text}"

    failures = _race(ROUTE_PAIRS, send, _forget_sets(app, session_id))
    assert failures == [], f"{len(failures)} of {ROUTE_PAIRS} pairs failed: {failures[:3]}"
    assert _sets_saved(app, session_id) == 1


def test_serve_with_workers_starts_that_many_processes_on_a_fresh_database(
    tmp_path: Path,
) -> None:
    port = free_port()
    # A fresh default database: the data folder of this test alone.
    env = {**os.environ, "BACKCOACH_PORT": str(port), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "backcoach.cli", "serve", "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        answers: list[int] = []
        while len(answers) < 10 and time.monotonic() < deadline:
            try:
                answers.append(httpx.get(f"http://127.0.0.1:{port}/signup", timeout=5).status_code)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answers == [200] * 10, f"the workers answered {answers} within 60 s"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "2 workers" in output
    assert len(set(re.findall(r"Started server process \[(\d+)\]", output))) == 2, output
    assert "Traceback" not in output


def test_serve_options_are_in_the_cli_docs() -> None:
    text = (Path(__file__).parents[2] / "docs" / "cli.md").read_text()
    assert "backcoach serve" in text
    help_text = CliRunner().invoke(cli, ["serve", "--help"], terminal_width=200).stdout
    for option in set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}:
        assert option in text, f"{option} of serve is not in docs/cli.md"
