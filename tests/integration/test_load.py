"""No request can stall the server: bursts over real HTTP, on SQLite and PostgreSQL.

The probe behind issue 9 froze the server for minutes with 50 concurrent logins (argon2 and the
database ran on the event loop) and with 50 people opening Progress (threads and connections
waited on each other). These tests send 100 at once, with full-cost password hashing, while a
person saves sets, and ask that every response arrives, none is a server error, and the set
saves stay quick.

The Progress burst runs on both databases: its stall lay between the thread pool and each
database's connections. The login burst runs on PostgreSQL only: its stall was argon2 holding
the event loop, which no database changes, and at full cost it is the dearest test of the suite.
"""

from __future__ import annotations

import re
import secrets
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import anyio.to_thread
import httpx
import pytest

from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.services import accounts
from backcoach.settings import Settings
from backcoach.store.db import POOL_SIZE, Database
from backcoach.store.migrate import upgrade
from backcoach.store.tables import AppSecret
from backcoach.web import app as web_app
from backcoach.web.app import create_app
from backcoach.web.lanes import LANE_PLACES
from tests.conftest import PRODUCTION_HASHER
from tests.support.live_server import live_server

PASSWORD = "a long enough password"
BURST = 100
#: The probe froze the server with 50 concurrent logins; each costs a full argon2 hash here.
LOGIN_BURST = 50
#: The set saves' 95th percentile must stay under this while the burst runs (issue 9).
SET_SAVE_P95_S = 1.0
_TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    app = create_app(Settings(database_url=database_url, login_attempts=3))
    with live_server(app, lifespan="on") as base:
        yield base


def client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=120, follow_redirects=True)


def token(page: httpx.Response) -> str:
    found = _TOKEN.search(page.text)
    assert found, f"no CSRF token on {page.url}"
    return found.group(1)


def post(person: httpx.Client, path: str, data: dict[str, Any], page: str) -> httpx.Response:
    return person.post(path, data={**data, "csrftoken": token(person.get(page))})


def sign_up(base: str, email: str) -> httpx.Client:
    person = client(base)
    post(person, "/signup", {"email": email, "password": PASSWORD}, "/signup")
    post(person, "/login", {"email": email, "password": PASSWORD}, "/login")
    return person


def onboard(base: str, email: str) -> httpx.Client:
    """A person all the way to a program."""
    person = sign_up(base, email)
    answers = dict.fromkeys(RED_FLAG_IDS, "no") | {"age": "40", "pregnancy": "none"}
    post(person, "/onboarding/screening", answers, "/onboarding/screening")
    measures = {
        "nprs": "4",
        "psfs_name_1": "Walking",
        "psfs_score_1": "5",
        "startback_score": "2",
        "startback_psychosocial": "1",
    }
    post(person, "/onboarding/measures", measures, "/onboarding/measures")
    profile = {"level": "beginner", "days_per_week": "4", "equipment[]": ["band"]}
    today = post(person, "/onboarding/profile", profile, "/onboarding/profile")
    assert today.url.path == "/today", today.text[:300]
    return person


def saves_while(base: str, burst: Callable[[], list[int]]) -> tuple[list[int], list[float]]:
    """A person saves sets over and over while ``burst`` runs; the burst's statuses and the
    seconds each save took."""
    person = onboard(base, "saver@example.com")
    session = post(person, "/session", {"pain_before": "3"}, "/today")
    found = re.search(r"/session/(\d+)", str(session.url))
    assert found, session.url
    address = f"/session/{found.group(1)}/sets"
    csrf = token(person.get(f"/session/{found.group(1)}"))
    headers = {"accept": "application/json", "x-csrftoken": csrf}
    took: list[float] = []
    done = threading.Event()

    def keep_saving() -> None:
        number = 0
        while not done.is_set() or number < 5:
            number += 1
            data = {"exercise_id": "glute_bridge", "number": str(number % 3 + 1), "reps": "12"}
            started = time.perf_counter()
            response = person.post(address, data={**data, "felt": "target"}, headers=headers)
            took.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text[:300]
            time.sleep(0.05)

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        statuses = burst()
    finally:
        done.set()
        saver.join(timeout=120)
        person.close()
    return statuses, took


def p95(values: list[float]) -> float:
    # Inclusive: with few samples the exclusive method reaches past the largest one.
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


#: Latency bounds need the machine to themselves: scripts/test.sh runs the bursts after the rest.
serial = pytest.mark.serial


@serial
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_burst_of_logins_and_sign_ups_stalls_no_one(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_up(server, "taken@example.com").close()
    monkeypatch.setattr(accounts, "_hasher", PRODUCTION_HASHER)  # full cost from here on

    def one(index: int) -> int:
        person = client(server)
        kind = index % 5
        if kind == 0:  # wrong password for an account, soon locked out
            data, path = {"email": "taken@example.com", "password": "wrong password!"}, "/login"
        elif kind == 1:  # an unknown email
            data, path = {"email": f"nobody{index}@example.com", "password": PASSWORD}, "/login"
        elif kind == 2:  # an email already taken
            data, path = {"email": "taken@example.com", "password": PASSWORD}, "/signup"
        elif kind == 3:  # a new account
            data, path = {"email": f"new{index}@example.com", "password": PASSWORD}, "/signup"
        else:  # the right password
            data, path = {"email": "taken@example.com", "password": PASSWORD}, "/login"
        with person:
            return post(person, path, data, path).status_code

    def burst() -> list[int]:
        with ThreadPoolExecutor(max_workers=LOGIN_BURST) as pool:
            return list(pool.map(one, range(LOGIN_BURST)))

    statuses, took = saves_while(server, burst)

    assert len(statuses) == LOGIN_BURST
    assert all(status < 500 for status in statuses), sorted(set(statuses))
    assert p95(took) < SET_SAVE_P95_S, f"set saves p95 {p95(took):.2f} s over {len(took)} saves"


@serial
def test_a_hundred_people_opening_progress_at_once_all_get_it(server: str) -> None:
    # 10 people, each with 10 tabs: 100 Progress pages asked for at once (the stall came from
    # requests in flight, not from how many people sent them). Onboarded four at a time: the
    # setup, not the burst, and one at a time it took longer than the burst.
    with ThreadPoolExecutor(max_workers=4) as pool:
        emails = [f"p{index}@example.com" for index in range(BURST // 10)]
        people = list(pool.map(lambda email: onboard(server, email), emails))
    cookies = [person.cookies for person in people]
    for person in people:
        person.close()  # the tabs need only the cookies

    def one(index: int) -> int:
        with client(server) as tab:
            tab.cookies = cookies[index % len(cookies)]
            return tab.get("/progress").status_code

    def burst() -> list[int]:
        with ThreadPoolExecutor(max_workers=BURST) as pool:
            return list(pool.map(one, range(BURST)))

    started = time.perf_counter()
    statuses, took = saves_while(server, burst)
    elapsed = time.perf_counter() - started

    assert statuses == [200] * BURST
    assert p95(took) < SET_SAVE_P95_S, f"set saves p95 {p95(took):.2f} s over {len(took)} saves"
    assert elapsed < 60, f"{BURST} Progress pages took {elapsed:.0f} s"


def test_the_lanes_stay_inside_the_connection_pool_and_the_thread_pool() -> None:
    """Every admitted request holds at most one connection and one thread: neither pool can
    run dry while an admitted request waits for the other."""

    async def threads() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert LANE_PLACES < POOL_SIZE
    # In a thread of its own: a browser test may keep an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(anyio.run, threads).result() > LANE_PLACES


def test_two_servers_making_the_signing_key_at_once_agree_on_one(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second server to write the key reads the first one's instead of crashing."""
    upgrade(database_url)
    other = Database(database_url)

    def made_elsewhere_first(_: int) -> str:
        with other.unit_of_work() as uow:  # the other server commits while this one decides
            uow.session.add(AppSecret(name="signing", value="made by the other server"))
            uow.commit()
        return "made by this server"

    monkeypatch.setattr(secrets, "token_urlsafe", made_elsewhere_first)
    database = Database(database_url)
    try:
        assert web_app._stored_secret(database) == "made by the other server"
    finally:
        database.dispose()
        other.dispose()
