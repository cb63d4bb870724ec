"""How fast a coach's pages answer with many clients: the caseload, the practice-wide list and one
client's page, on SQLite and on PostgreSQL 15, at a tenth of the data and at all of it.

Run: .venv/bin/python bench/caseload.py [--clients 10000] [--coaches 100] [--sessions 50]
[--sets 10] [--first-coach 500] [--repeat 20] [--database sqlite,postgres] [--scales 0.1,1].
Prints a table; it is not a test.

The data is built through the store in bulk (bench/caseload_seed.py): --clients clients across
--coaches coaches in practices of five, --sessions sessions of --sets sets each per client (the
defaults give 5 million logged sets), the first coach with --first-coach clients, and each
client's attention worked out by the service that keeps it on write. Then `backcoach serve` runs
on the database, the first coach logs in, and each page is asked for --repeat times after three
warm-up requests. The times are the server's own (the request log's duration_ms, matched by the
request id each answer carries), so the client and the loopback add nothing.

Targets (issue 11): each page's median under 200 ms on both databases, and ten times the data
costing at most twice the time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from caseload_seed import PASSWORD, Built, build
from probe_durability import csrf
from probe_servers import Server, database

TARGET_MS = 200.0
GROWTH_LIMIT = 2.0


@dataclass(frozen=True, slots=True)
class Timing:
    database: str
    clients: int
    sets: int
    page: str
    median_ms: float
    p95_ms: float
    answers: int


def pages_of(built: Built) -> list[tuple[str, list[str]]]:
    """What is timed: (label, the addresses asked in turn)."""
    return [
        (f"caseload, {built.first_coach_clients} clients", ["/coach"]),
        ("practice-wide list", ["/coach?scope=practice"]),
        ("a client's page", [f"/coach/clients/{cid}" for cid in built.sample_client_ids]),
    ]


def log_in(server: Server, email: str) -> httpx.Client:
    http = httpx.Client(base_url=server.url, timeout=60, follow_redirects=False)
    token = csrf(http.get("/login").text)
    answer = http.post("/login", data={"email": email, "password": PASSWORD, "csrftoken": token})
    if answer.status_code != 303:
        raise RuntimeError(f"log in as {email}: {answer.status_code} {answer.text[:300]}")
    return http


def server_times(log: Path, ids: set[str]) -> list[float]:
    """The duration_ms the server logged for these request ids."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("request_id") in ids and "duration_ms" in entry:
            found.append(float(entry["duration_ms"]))
    return found


def measure(name: str, url: str, workdir: Path, built: Built, repeat: int) -> list[Timing]:
    server = Server(url, workdir, f"serve-{built.clients}")
    server.start()
    try:
        server.wait_ready()
        http = log_in(server, built.first_coach_email)
        timings = []
        for label, addresses in pages_of(built):
            for address in addresses[:3]:  # warm-up
                http.get(address)
            ids: set[str] = set()
            for n in range(repeat):
                answer = http.get(addresses[n % len(addresses)])
                if answer.status_code != 200:
                    raise RuntimeError(f"{addresses[n % len(addresses)]}: {answer.status_code}")
                ids.add(answer.headers["x-request-id"])
            time.sleep(0.5)  # the request log is written by its own thread
            times = sorted(server_times(server.log, ids))
            if len(times) != len(ids):
                raise RuntimeError(f"{label}: {len(times)} of {len(ids)} requests in the log")
            timings.append(
                Timing(
                    name,
                    built.clients,
                    built.sets,
                    label,
                    statistics.median(times),
                    times[max(0, int(len(times) * 0.95) - 1)],
                    len(times),
                )
            )
        http.close()
        return timings
    finally:
        server.stop()


def print_table(timings: list[Timing]) -> list[str]:
    missed = []
    print(
        f"\n{'database':<12} {'clients':>8} {'sets':>10} {'page':<22} "
        f"{'median ms':>9} {'p95 ms':>8} {'n':>4} {'x smaller':>9}  target"
    )
    smallest: dict[tuple[str, str], Timing] = {}
    for timing in sorted(timings, key=lambda t: (t.database, t.page, t.clients)):
        key = (timing.database, timing.page)
        base = smallest.setdefault(key, timing)
        growth = timing.median_ms / base.median_ms if base is not timing else None
        verdict = "met" if timing.median_ms < TARGET_MS else "NOT met"
        if timing.median_ms >= TARGET_MS:
            missed.append(f"{timing.database} {timing.page} at {timing.clients}: median")
        if growth is not None and growth > GROWTH_LIMIT:
            verdict += f"; growth {growth:.2f}x > {GROWTH_LIMIT:.0f}x"
            missed.append(f"{timing.database} {timing.page}: growth {growth:.2f}x")
        print(
            f"{timing.database:<12} {timing.clients:>8,} {timing.sets:>10,} {timing.page:<22} "
            f"{timing.median_ms:>9.1f} {timing.p95_ms:>8.1f} {timing.answers:>4} "
            f"{(f'{growth:.2f}x' if growth is not None else '-'):>9}  "
            f"< {TARGET_MS:.0f} ms {verdict}"
        )
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--coaches", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--sets", type=int, default=10, help="sets per session")
    parser.add_argument("--first-coach", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", default="sqlite,postgres")
    parser.add_argument("--scales", default="0.1,1", help="fractions of --clients to build")
    args = parser.parse_args()
    timings: list[Timing] = []
    for name in args.database.split(","):
        postgres = name == "postgres"
        label = "PostgreSQL" if postgres else "SQLite"
        for scale in (float(s) for s in args.scales.split(",")):
            clients = max(args.first_coach, int(args.clients * scale))
            with tempfile.TemporaryDirectory(prefix="caseload-") as tmp:
                workdir = Path(tmp)
                with database(postgres, workdir) as url:
                    began = time.perf_counter()
                    built = build(
                        url,
                        clients=clients,
                        coaches=args.coaches,
                        first_coach_clients=args.first_coach,
                        sessions=args.sessions,
                        sets_per_session=args.sets,
                    )
                    print(
                        f"{label}: built {built.clients:,} clients, {built.sessions:,} sessions, "
                        f"{built.sets:,} sets in {time.perf_counter() - began:.0f} s",
                        flush=True,
                    )
                    timings += measure(label, url, workdir, built, args.repeat)
    missed = print_table(timings)
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
