"""Durability (issue 14): set saves sent while the server is killed with SIGKILL and restarted.

CLIENTS clients send SAVES set saves, each under its own UUID with the time the person saved it,
to a real `backcoach serve`, which is killed with SIGKILL KILLS times at random moments, requests
in flight, and started again on the same database. Half the clients put one save at a time
(``PUT /api/v1/sessions/{id}/sets/{client_id}``), half send batches through ``POST /api/v1/sync``
as the outbox does (static/outbox.js; each item is its own transaction there, so a kill can land
between the items of a batch). A client whose answer was lost sends the same again to the next
server, as the outbox does. At the end (after a last kill) every save was answered, and is kept
once, with the answer it got and its client's time; each set is stored once and holds what the
last save of it said; a set's saves were kept in the order they were sent.

SQLite runs inside the server's process, so a kill also tests its recovery: in WAL mode a commit
has written its pages to the -wal file before it returns (synchronous=NORMAL skips only the
fsync, which matters when the machine loses power, not when a process dies).

Each client owns whole set slots (an exercise's set number) and sends their saves in turn: the
later saves of a slot correct its set, as the player does, and the last one is known.

Cost, in CPU: about 13 ms of the server's a put and 6 ms a synced item, 0.5 s a restart (0.2 s
to start, see forked_server, and 0.3 s at the first request, when FastAPI builds its routes).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from backcoach.store.api_tables import ClientOperation
from backcoach.store.db import make_engine
from backcoach.store.tables import SetRecord, User
from tests.integration.api_steps import token_for
from tests.support.forked_server import Launcher, Server, launcher, tail
from tests.training_app import App, onboard, start

SAVES = 1000
KILLS = 10
CLIENTS = 4
#: Saves a syncing client sends at once (the outbox sends up to 100 waiting).
BATCH = 10
EMAIL = "ana@example.com"
#: Set numbers a slot may have (services/sets.py MAX_SET_NUMBER).
NUMBERS = range(1, 7)
#: Far above what the test sends: the rate limits are counted per process, and tested elsewhere.
UNLIMITED = "1000000"
#: A client gives up after this long without a server to send to.
PATIENCE_S = 60.0


@dataclass
class Save:
    """One save as its client sent it, and the answer it got in the end."""

    client_id: str
    exercise_id: str
    kind: str
    number: int
    #: Its turn among its slot's saves (1, 2 ...), also its amount: a later save says more.
    turn: int
    client_at: dt.datetime
    answer: dict[str, Any] | None = None
    #: When it was last sent (the time the answer came for), by the clock the server uses.
    last_sent: dt.datetime | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "number": self.number,
            self.kind: self.turn,
            "felt": "target",
        }


@dataclass
class Run:
    """The server the clients send to now, and what happened so far."""

    server: Server
    #: Changes with each new server: a client that lost an answer waits for the next one.
    generation: int = 0
    answered: int = 0
    in_flight: int = 0
    resends: int = 0
    refused: list[str] = field(default_factory=list)
    stopped: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def replace(self, server: Server) -> None:
        with self.changed:
            self.server = server
            self.generation += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()

    def refuse(self, problem: str) -> None:
        with self.changed:
            self.refused.append(problem[:300])
            self.changed.notify_all()

    def next_server_after(self, generation: int) -> bool:
        """Wait for a server newer than ``generation``; False if none came in time or the
        test stopped."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation > generation or self.stopped, PATIENCE_S)
            return self.generation > generation and not self.stopped

    def wait_until_answered(self, saves: int) -> None:
        """Wait until ``saves`` saves are answered (or a client gave up, refused)."""
        with self.changed:
            self.changed.wait_for(lambda: self.answered >= saves or bool(self.refused), PATIENCE_S)

    def count(self, **changes: int) -> None:
        with self.changed:
            for name, change in changes.items():
                setattr(self, name, getattr(self, name) + change)
            self.changed.notify_all()


class Connection:
    """One client's keep-alive connection to the server of the moment."""

    def __init__(self, run: Run, secret: str) -> None:
        self.run = run
        self.headers = {"authorization": f"Bearer {secret}", "content-type": "application/json"}
        self._http: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: Any, saves: list[Save]) -> tuple[int, Any]:
        """The status and JSON answer of a request about ``saves``, sent again to the next
        server until one answers (a refused connection, a reset, a closed socket: the answer
        was lost). Raises `GaveUp` when no server comes."""
        encoded = json.dumps(body).encode()
        while True:
            with self.run.changed:
                server, generation = self.run.server, self.run.generation
                self.run.in_flight += 1
            sent_at = dt.datetime.now(dt.UTC)
            try:
                if self._http is None or self._http.port != server.port:
                    self._http = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                self._http.request(method, path, body=encoded, headers=self.headers)
                response = self._http.getresponse()
                status, text = response.status, response.read().decode()
            except (OSError, http.client.HTTPException):
                self.run.count(in_flight=-1, resends=1)
                self.close()
                if not self.run.next_server_after(generation):
                    raise GaveUp() from None
                continue
            self.run.count(in_flight=-1)
            for save in saves:
                save.last_sent = sent_at
            return status, json.loads(text)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


class GaveUp(Exception):
    """No server came to send to."""


def _put_one_at_a_time(saves: list[Save], connection: Connection, session_id: int) -> None:
    for save in saves:
        path = f"/api/v1/sessions/{session_id}/sets/{save.client_id}"
        body = save.fields() | {"client_at": save.client_at.isoformat()}
        status, answer = connection.send("PUT", path, body, [save])
        if status != 200:
            connection.run.refuse(f"PUT {status}: {answer}")
            return
        save.answer = answer
        connection.run.count(answered=1)


def _sync_in_batches(saves: list[Save], connection: Connection, session_id: int) -> None:
    for first in range(0, len(saves), BATCH):
        batch = saves[first : first + BATCH]
        items = [
            {
                "client_id": save.client_id,
                "client_at": save.client_at.isoformat(),
                "op": "set",
                "session": session_id,
                "body": save.fields(),
            }
            for save in batch
        ]
        status, answers = connection.send("POST", "/api/v1/sync", items, batch)
        if status != 200:
            connection.run.refuse(f"sync {status}: {answers}")
            return
        for save, answer in zip(batch, answers, strict=True):
            # A 5xx item would be sent again by the outbox; here it is a failure, as any other.
            if (answer["client_id"], answer["status"]) != (save.client_id, 200):
                connection.run.refuse(f"sync item: {answer}")
                return
            save.answer = answer["body"]
        connection.run.count(answered=len(batch))


Sender = Callable[[list[Save], Connection, int], None]


def _client(send: Sender, saves: list[Save], run: Run, secret: str, session_id: int) -> None:
    connection = Connection(run, secret)
    try:
        send(saves, connection, session_id)
    except GaveUp:
        run.refuse("no server to send to")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launcher]:
    """One launcher for both databases: it imports the app once."""
    with launcher(tmp_path_factory.mktemp("servers") / "launcher.log") as started:
        yield started


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_every_answered_save_is_stored_once_through_sigkills(
    app: App, database_url: str, servers: Launcher, tmp_path: Path
) -> None:
    began, cpu_began = time.monotonic(), time.process_time()
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    secret, session_id, exercises = _person_in_a_session(app)
    app.database.dispose()  # the servers alone use the database from here
    planned = _planned_saves(exercises, rng)
    environment = {
        "DATABASE_URL": database_url,
        "BACKCOACH_MIGRATE_ON_START": "false",  # migrated already (0.1 s of each start)
        "BACKCOACH_API_TOKEN_REQUESTS_PER_MINUTE": UNLIMITED,
        "BACKCOACH_API_ADDRESS_REQUESTS_PER_MINUTE": UNLIMITED,
    }
    log = tmp_path / "servers.log"
    run = Run(servers.start(environment, log))
    senders: list[Sender] = [_put_one_at_a_time, _sync_in_batches]
    clients = [
        threading.Thread(
            target=_client,
            args=(senders[index % 2], saves, run, secret, session_id),
            daemon=True,
        )
        for index, saves in enumerate(planned)
    ]
    try:
        for client in clients:
            client.start()
        in_flight_at_kills, server_cpu = _kill_at_random_moments(
            run, servers, environment, log, rng
        )
        for client in clients:
            client.join(PATIENCE_S * 2)
        # The last server is killed too: what is read below outlived a kill.
        server_cpu += servers.kill(run.server.pid)
    finally:
        run.stop()  # a client still waiting for a server gives up
        servers.stop_all()
    saves = [save for client_saves in planned for save in client_saves]
    print(
        f"\n{database_url.split(':')[0]}: {SAVES} saves from {CLIENTS} clients (half put one "
        f"at a time, half sync {BATCH} at once), {len(in_flight_at_kills)} kills (requests in "
        f"flight at each: {in_flight_at_kills}), {run.resends} requests sent again; "
        f"{time.monotonic() - began:.1f} s, CPU {server_cpu:.1f} s in the servers and "
        f"{time.process_time() - cpu_began:.1f} s here; seed {seed}"
    )
    stored_before = _assert_kept_once(database_url, session_id, saves, run, log)
    print(f"{stored_before} saves were stored by a request whose answer was lost")
    # Requests were in flight at most kills (else nothing here was tested).
    assert sum(count > 0 for count in in_flight_at_kills) >= KILLS // 2, in_flight_at_kills


def _kill_at_random_moments(
    run: Run, servers: Launcher, environment: dict[str, str], log: Path, rng: random.Random
) -> tuple[list[int], float]:
    """KILLS kills, each followed by a new server: one in each of KILLS equal stretches of the
    saves (after the first), at a random point of it and a random fraction of a save later.
    How many requests were in flight at each, and the CPU seconds the killed servers used."""
    in_flight: list[int] = []
    cpu = 0.0
    stretch = SAVES / (KILLS + 1)
    for moment in (int(stretch * (i + rng.random())) for i in range(1, KILLS + 1)):
        run.wait_until_answered(moment)
        time.sleep(rng.uniform(0, 0.015))
        in_flight.append(run.in_flight)
        cpu += servers.kill(run.server.pid)
        run.replace(servers.start(environment, log))
    return in_flight, cpu


def _person_in_a_session(app: App) -> tuple[str, int, list[tuple[str, str]]]:
    """A person with a started session: a token of theirs, the session, and their program's
    exercises with the unit each is dosed in."""
    app.clock.at = dt.datetime.now(dt.UTC)  # the servers' today: they run on the real clock
    session_id = start(onboard(app, EMAIL))
    exercises = [
        (item.exercise.id, item.exercise.dose.value) for item in app.program(EMAIL).plan.exercises
    ]
    return token_for(app, EMAIL), session_id, exercises


def _planned_saves(exercises: list[tuple[str, str]], rng: random.Random) -> list[list[Save]]:
    """SAVES saves over the slots, in turn within a slot; each client gets whole slots."""
    slots = [(exercise, kind, number) for exercise, kind in exercises for number in NUMBERS]
    assert len(slots) >= CLIENTS
    per_client: list[list[Save]] = [[] for _ in range(CLIENTS)]
    turns: Counter[int] = Counter()
    saved_at = dt.datetime.now(dt.UTC)  # after the session's start (made before this)
    for index in range(SAVES):
        slot = index % len(slots)
        turns[slot] += 1
        exercise, kind, number = slots[slot]
        client_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        # A millisecond apart from when they are planned: after the session's start and before
        # any server receives them, so each lands at its own client time (placed_at) and a
        # slot's last save is told by its time too.
        at = saved_at + dt.timedelta(milliseconds=index)
        per_client[slot % CLIENTS].append(Save(client_id, exercise, kind, number, turns[slot], at))
    return per_client


def _assert_kept_once(
    database_url: str, session_id: int, saves: list[Save], run: Run, log: Path
) -> int:
    """Check what the database holds after the last kill, read by a new connection; how many
    saves a request whose answer was lost had stored (their answer came from the kept record)."""
    assert run.refused == [], run.refused
    assert all(save.answer is not None for save in saves), tail(log)
    assert "Traceback" not in log.read_text(), tail(log, 60)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            person = connection.scalar(select(User.id).where(User.email == EMAIL))
            operations = connection.execute(
                select(ClientOperation)
                .where(ClientOperation.user_id == person)
                .order_by(ClientOperation.id)
            ).all()
            sets = connection.execute(
                select(SetRecord).where(SetRecord.session_id == session_id)
            ).all()
    finally:
        engine.dispose()
    sent = {save.client_id: save for save in saves}
    kept = Counter(operation.client_id for operation in operations)
    assert [client_id for client_id, times in kept.items() if times > 1] == [], "kept twice"
    assert set(sent) - set(kept) == set(), "an answered save is not kept"
    assert set(kept) - set(sent) == set(), "a save is kept that no client sent"
    slots: dict[tuple[str, int], list[Save]] = {}
    stored_before = 0
    for operation in operations:
        save = sent[operation.client_id]
        assert (operation.kind, operation.status) == ("set", 200)
        assert json.loads(operation.response) == save.answer, "kept another answer than given"
        assert operation.client_at == save.client_at
        assert save.answer is not None and save.last_sent is not None
        said = [save.answer[name] for name in ("exercise_id", "number", "amount", "client_id")]
        assert said == [save.exercise_id, save.number, save.turn, save.client_id]
        stored_before += operation.received_at < save.last_sent
        slots.setdefault((save.exercise_id, save.number), []).append(save)
    for slot, in_kept_order in slots.items():
        turns = [save.turn for save in in_kept_order]
        assert turns == sorted(turns), f"the saves of {slot} were kept out of order: {turns}"
    stored = Counter((row.exercise_id, row.number) for row in sets)
    assert [slot for slot, times in stored.items() if times > 1] == [], "a set stored twice"
    assert set(stored) == set(slots)
    for row in sets:
        last = slots[(row.exercise_id, row.number)][-1]
        assert last.answer is not None
        saved_at = dt.datetime.fromisoformat(last.answer["at"])
        assert (row.amount, row.felt, row.at) == (last.turn, "target", saved_at), "not the last"
        assert row.at == last.client_at, "not placed at the phone's time"
    return stored_before
