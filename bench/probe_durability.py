"""Whether a logged set survives an app server killed with -9, and a set sent twice at once.

Run: .venv/bin/python bench/probe_durability.py [--sets 2400] [--kills 30] [--pairs 100]
[--postgres] [--seed 1]. Prints figures; it is not a test.

Two `backcoach serve` processes share one database (an SQLite file, or with --postgres a
throwaway PostgreSQL 15). A client signs up and onboards through real HTTP, then logs --sets sets
session after session (start, every planned set of every exercise, finish), sending each set to
the servers in turn. A set that gets no answer or a 5xx is sent again to the other server, as
the phone would. Meanwhile a killer thread sends SIGKILL to one server --kills times, at random
moments during a set, and starts it again. At the end the database is read: an acknowledged set
(2xx) that is not stored is lost; a key stored twice, or stored with another amount than the
last acknowledged, is a duplicate. Then --pairs sends the same set to both servers at once from
two threads and counts the answers that are not 2xx and the rows stored per pair.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from backcoach.engine.screening import RED_FLAG_IDS
from probe_servers import Server, database, servers

PASSWORD = "a long enough password"
EMAIL = "probe@example.com"
#: A set nobody answers for this long is given up (counted, never acknowledged).
GIVE_UP_S = 120.0
_TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')
_SLOT = re.compile(
    r'name="exercise_id" value="([^"]+)">\s*<input type="hidden" name="number" value="(\d+)">'
    r'\s*<h3 class="set-title">Set \d+( \(extra\))?.*?name="(reps|seconds|steps)"',
    re.S,
)
SET_NUMBERS = range(1, 7)  # MAX_SET_NUMBER of the training service


def csrf(page: str) -> str:
    found = _TOKEN.search(page)
    if not found:
        raise RuntimeError(f"no CSRF token on the page: {page[:300]!r}")
    return found.group(1) or found.group(2)


@dataclass
class Tally:
    """What the client saw, and what it was told was saved."""

    answers: Counter[int] = field(default_factory=Counter)
    connection_errors: int = 0
    given_up: int = 0
    acknowledged: dict[tuple[int, str, int], int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    last_problem: str = ""


class Phone:
    """One person's client: its cookies are good on every server, since they share the key."""

    def __init__(self, fleet: list[Server], tally: Tally) -> None:
        self.fleet = fleet
        self.tally = tally
        self.http = httpx.Client(timeout=30, follow_redirects=False)
        self.turn = 0
        self.token = ""

    def send(self, method: str, path: str, **request: object) -> httpx.Response:
        """Send to the next server; on no answer or a 5xx, to the other one, until answered."""
        deadline = time.monotonic() + GIVE_UP_S
        while True:
            server = self.fleet[self.turn % len(self.fleet)]
            self.turn += 1
            try:
                response = self.http.request(method, server.url + path, **request)  # type: ignore[arg-type]
            except httpx.TransportError as error:
                self.tally.connection_errors += 1
                self.tally.last_problem = f"{server.url}: {type(error).__name__} {error}"
                response = None
            if response is not None:
                self.tally.answers[response.status_code] += 1
                if response.status_code < 500:
                    return response
                self.tally.last_problem = f"{server.url}: {response.status_code} {response.text}"
            if time.monotonic() > deadline:
                problem = self.tally.last_problem[:300]
                raise TimeoutError(f"{method} {path}: no answer for {GIVE_UP_S} s ({problem})")
            if self.turn % len(self.fleet) == 0:
                time.sleep(0.05)  # every server failed this round: one may be restarting

    def form(self, path: str, data: Mapping[str, object], page: str) -> httpx.Response:
        """A form post with the token of page, following the redirect like a browser."""
        token = csrf(self.send("GET", page).text)
        response = self.send("POST", path, data={**data, "csrftoken": token})
        if response.status_code == 303:
            response = self.send("GET", response.headers["location"])
        return response

    def sign_up(self, email: str) -> None:
        """Sign up, then log in (sign-up logs no one in: it answers the same for a taken email)."""
        self.form("/signup", {"email": email, "password": PASSWORD}, "/signup")
        self.form("/login", {"email": email, "password": PASSWORD}, "/login")

    def onboard(self, email: str = EMAIL) -> None:
        """Sign up and go through screening, measures and profile to a program."""
        self.sign_up(email)
        answers = dict.fromkeys(RED_FLAG_IDS, "no") | {"age": "44", "pregnancy": "none"}
        self.form("/onboarding/screening", answers, "/onboarding/screening")
        measures = {
            "nprs": "4",
            "psfs_name_1": "Putting on socks",
            "psfs_score_1": "4",
            "startback_score": "2",
            "startback_psychosocial": "1",
        }
        self.form("/onboarding/measures", measures, "/onboarding/screening")
        profile = {"level": "beginner", "days_per_week": "4", "equipment[]": ["band"]}
        today = self.form("/onboarding/profile", profile, "/onboarding/profile")
        if "/today" not in str(today.url):
            raise RuntimeError(f"onboarding ended on {today.url}, not /today")
        self.token = csrf(today.text)

    def start_session(self) -> tuple[int, list[tuple[str, int, str]]]:
        """A new session and its planned sets: (exercise, number, amount field)."""
        started = self.send("POST", "/session", data={"pain_before": "2", "csrftoken": self.token})
        found = re.fullmatch(r"/session/(\d+)", started.headers.get("location", ""))
        if started.status_code != 303 or not found:
            raise RuntimeError(f"starting a session: {started.status_code} {started.text[:300]}")
        session_id = int(found.group(1))
        page = self.send("GET", f"/session/{session_id}").text
        slots = [
            (exercise, int(number), kind)
            for exercise, number, extra, kind in _SLOT.findall(page)
            if not extra
        ]
        if not slots:
            raise RuntimeError(f"no set forms on the session page: {page[:300]!r}")
        return session_id, slots

    def save_set(self, session_id: int, exercise: str, number: int, kind: str, amount: int) -> None:
        data = {"exercise_id": exercise, "number": str(number), kind: str(amount), "felt": "target"}
        headers = {"accept": "application/json", "x-csrftoken": self.token}
        try:
            answer = self.send("POST", f"/session/{session_id}/sets", data=data, headers=headers)
        except TimeoutError:
            self.tally.given_up += 1
            return
        if answer.is_success:
            self.tally.acknowledged[(session_id, exercise, number)] = amount
        else:
            self.tally.refused.append(f"{answer.status_code} {answer.text[:200]}")

    def finish(self, session_id: int) -> None:
        data = {
            "pain_during": "2",
            "pain_after": "2",
            "leg_symptoms": "none",
            "csrftoken": self.token,
        }
        done = self.send("POST", f"/session/{session_id}/finish", data=data)
        if done.status_code != 303:
            raise RuntimeError(f"finishing session {session_id}: {done.status_code}")


class Killer:
    """Kills a running server with SIGKILL a moment after it is told to, then starts it again."""

    def __init__(self, fleet: list[Server], rng: random.Random) -> None:
        self.fleet = fleet
        self.rng = rng
        self.kills = 0
        self.restart_failures: list[str] = []
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def strike(self) -> None:
        delay = self.rng.uniform(0, 0.05)  # land inside the request just sent, or just before
        thread = threading.Thread(target=self._kill_and_restart, args=(delay,), daemon=True)
        thread.start()
        self.threads.append(thread)

    def _kill_and_restart(self, delay: float) -> None:
        time.sleep(delay)
        with self.lock:  # one restart at a time, so the other server stays up meanwhile
            running = [server for server in self.fleet if server.up()]
            if not running:
                return
            victim = self.rng.choice(running)
            victim.kill()
            self.kills += 1
            victim.start()
            try:
                victim.wait_ready()
            except RuntimeError as error:
                self.restart_failures.append(str(error))

    def join(self) -> None:
        for thread in self.threads:
            thread.join()


def log_sets(phone: Phone, killer: Killer, count: int, kills: int, rng: random.Random) -> int:
    """Log count sets over as many sessions as it takes; returns the sessions used."""
    strike_at = set(rng.sample(range(count), min(kills, count)))
    logged = sessions = 0
    while logged < count:
        session_id, slots = phone.start_session()
        sessions += 1
        for exercise, number, kind in slots[: count - logged]:
            if logged in strike_at:
                killer.strike()
            phone.save_set(session_id, exercise, number, kind, rng.randint(3, 15))
            logged += 1
        phone.finish(session_id)
    killer.join()
    return sessions


@dataclass
class PairResult:
    answers: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    keys: list[tuple[int, str, int]] = field(default_factory=list)


def race_pairs(phone: Phone, pairs: int) -> PairResult:
    """The same set to both servers at once from two threads, each pair on a key of its own."""
    result = PairResult()
    twins = [httpx.Client(timeout=30, cookies=phone.http.cookies) for _ in phone.fleet]
    while len(result.keys) < pairs:
        session_id, slots = phone.start_session()
        kinds = {exercise: kind for exercise, _, kind in slots}
        keys = [(ex, kind, n) for ex, kind in kinds.items() for n in SET_NUMBERS]
        for exercise, kind, number in keys[: pairs - len(result.keys)]:
            data = {"exercise_id": exercise, "number": str(number), kind: "9", "felt": "target"}
            url = f"/session/{session_id}/sets"
            barrier = threading.Barrier(len(twins))
            threads = [
                threading.Thread(
                    target=_send_at_once,
                    args=(twin, server.url + url, data, phone, barrier, result),
                )
                for twin, server in zip(twins, phone.fleet, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            result.keys.append((session_id, exercise, number))
        phone.finish(session_id)
    for twin in twins:
        twin.close()
    return result


def _send_at_once(
    client: httpx.Client,
    url: str,
    data: dict[str, str],
    phone: Phone,
    barrier: threading.Barrier,
    result: PairResult,
) -> None:
    headers = {"accept": "application/json", "x-csrftoken": phone.token}
    barrier.wait()
    try:
        answer = client.post(url, data=data, headers=headers)
    except httpx.TransportError as error:
        result.failures.append(f"{type(error).__name__}: {error}")
        return
    result.answers[answer.status_code] += 1
    if not answer.is_success:
        result.failures.append(f"{answer.status_code} {answer.text[:200]}")


def stored_sets(database_url: str) -> dict[tuple[int, str, int], list[int]]:
    """Every stored set's amounts by (session, exercise, number)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT session_id, exercise_id, number, amount FROM set_logs")
            ).all()
    finally:
        engine.dispose()
    stored: dict[tuple[int, str, int], list[int]] = {}
    for session_id, exercise, number, amount in rows:
        stored.setdefault((session_id, exercise, number), []).append(amount)
    return stored


def report(name: str, value: object) -> None:
    print(f"  {name:<44} {value}")


def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="probe-durability-") as folder:
        workdir = Path(folder)
        with database(args.postgres, workdir) as url, servers(url, workdir, 2) as fleet:
            tally = Tally()
            phone = Phone(fleet, tally)
            phone.onboard()
            killer = Killer(fleet, rng)
            began = time.monotonic()
            try:
                sessions = log_sets(phone, killer, args.sets, args.kills, rng)
                stalled = ""
            except TimeoutError as error:  # no server answered: print what was seen so far
                sessions, stalled = -1, str(error)
            wall = time.monotonic() - began
            pairs = race_pairs(phone, args.pairs) if args.pairs and not stalled else PairResult()
            log_tails = [server.log.read_text(errors="replace")[-3000:] for server in fleet]
            tracebacks = [block for server in fleet for block in server.tracebacks()]
            stored = stored_sets(url)
        backend = "PostgreSQL 15" if args.postgres else "SQLite"
        set_keys = {key: stored.get(key, []) for key in tally.acknowledged}
        lost = [key for key, amounts in set_keys.items() if not amounts]
        pair_keys = set(pairs.keys)
        durability_rows = {k: v for k, v in stored.items() if k not in pair_keys}
        twice = [key for key, amounts in durability_rows.items() if len(amounts) > 1]
        differing = [
            key
            for key, amounts in set_keys.items()
            if amounts and amounts[-1] != tally.acknowledged[key]
        ]
        fives = sum(n for status, n in tally.answers.items() if status >= 500)
        print(f"durability on {backend}, 2 servers, seed {args.seed}")
        report("sets sent (distinct)", args.sets)
        report("sessions (start, sets, finish)", sessions)
        report("sets acknowledged (2xx)", len(tally.acknowledged))
        report("sets refused (4xx)", len(tally.refused))
        report("sets given up (no answer for 120 s)", tally.given_up)
        report("sets stored", sum(len(a) for a in durability_rows.values()))
        report("lost (acknowledged, not stored)", len(lost))
        report("duplicated (key stored twice)", len(twice))
        report("amount differs from last acknowledged", len(differing))
        report("5xx answers seen", fives)
        report("connection errors (retried)", tally.connection_errors)
        report(
            "kills (SIGKILL) / server starts", f"{killer.kills} / {sum(s.starts for s in fleet)}"
        )
        report("restarts that failed", len(killer.restart_failures))
        report("answers by status", dict(sorted(tally.answers.items())))
        report("wall time of the sets", f"{wall:.1f} s")
        if args.pairs:
            rows = [len(stored.get(key, [])) for key in pairs.keys]
            not_one = sum(1 for count in rows if count != 1)
            failed_pairs = len(pairs.failures)
            print(f"racing duplicates: the same set to both servers at once, {args.pairs} pairs")
            report("answers by status", dict(sorted(pairs.answers.items())))
            report("non-2xx answers (or no answer)", failed_pairs)
            report("rows stored for the pairs' keys", sum(rows))
            report("pairs not stored exactly once", not_one)
            for failure in pairs.failures[:3]:
                print(f"    {failure}")
        report("server tracebacks in the logs", len(tracebacks))
        if stalled:
            print(f"  STALLED: {stalled}")
            for tail in log_tails:
                print("    server log tail:\n" + tail)
        for problem in [*lost[:5], *twice[:5], *differing[:5]]:
            print(f"    problem key {problem}: stored {stored.get(problem)}")
        for refused in tally.refused[:3]:
            print(f"    refused: {refused}")
        for block in tracebacks[:2]:
            print("    traceback:" + block[-1500:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=2400, help="Distinct sets to log.")
    parser.add_argument("--kills", type=int, default=30, help="SIGKILLs during the sets.")
    parser.add_argument("--pairs", type=int, default=100, help="Racing pairs (0: none).")
    parser.add_argument("--postgres", action="store_true", help="A throwaway PostgreSQL 15.")
    parser.add_argument("--seed", type=int, default=1)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
