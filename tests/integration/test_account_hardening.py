"""Accounts hardened (issue 9, deliverable 6): the calendar address, start-up errors, bounded
caches, login limits and a sign-up that does not reveal who has an account."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import func, select

from backcoach.catalogue import default_demos
from backcoach.services import accounts, login_limits
from backcoach.services.errors import ServiceError
from backcoach.store.db import Database
from backcoach.store.migrate import upgrade
from backcoach.store.tables import LoginAttempt
from backcoach.web.routes import pictures
from tests.support.ports import free_port
from tests.web import PASSWORD, onboard, post

Client = Callable[..., TestClient]


def _feed_address(client: TestClient) -> str:
    found = re.search(
        r"http://testserver(/calendar/[A-Za-z0-9_-]+\.ics)", client.get("/schedule").text
    )
    assert found, "no calendar address on /schedule"
    return found.group(1)


def test_changing_the_password_gives_a_new_calendar_address(make_client: Client) -> None:
    client = make_client()
    onboard(client)
    before = _feed_address(client)
    changed = post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "another long password"},
    )
    assert changed.status_code == 200
    after = _feed_address(client)
    assert after != before
    assert client.get(before).status_code == 404
    assert client.get(after).status_code == 200


def test_calendar_event_ids_are_stable_and_carry_no_internal_id(make_client: Client) -> None:
    client = make_client()
    onboard(client)
    address = _feed_address(client)
    first = [str(e["uid"]) for e in Calendar.from_ical(client.get(address).content).walk("VEVENT")]
    again = [str(e["uid"]) for e in Calendar.from_ical(client.get(address).content).walk("VEVENT")]
    assert first and first == again
    for uid in first:
        assert re.fullmatch(r"[0-9a-f]{32}@backcoach", uid), uid


def _serve_failure(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "BACKCOACH_PORT": str(free_port())}
    return subprocess.run(
        [sys.executable, "-m", "backcoach.cli", "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_with_a_closed_database_port_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://someone:hunter2hunter2@127.0.0.1:{free_port()}/backcoach"
    result = _serve_failure(tmp_path, url)
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: cannot open the database postgresql+psycopg://someone:***@")
    assert "hunter2" not in lines[0]


def test_serve_with_an_sqlite_file_in_a_missing_folder_is_one_line_and_exit_code_2(
    tmp_path: Path,
) -> None:
    result = _serve_failure(tmp_path, f"sqlite:///{tmp_path}/missing/folder/backcoach.db")
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert lines == [
        f"error: cannot open the database sqlite:///{tmp_path}/missing/folder/backcoach.db: "
        f"the folder {tmp_path}/missing/folder does not exist"
    ]


def test_pictures_of_unknown_names_do_not_grow_the_picture_cache(make_client: Client) -> None:
    client = make_client()
    known = next(iter(default_demos()))
    assert client.get(f"/pictures/{known}.svg").status_code == 200
    before = pictures._drawn.cache_info().currsize
    # 300 are enough to see growth (the probe saw one entry per unknown name, 3,000 of them).
    for number in range(300):
        name = f"no-such-exercise-{number}" + ("-strip" if number % 2 else "")
        assert client.get(f"/pictures/{name}.svg").status_code == 404
    assert pictures._drawn.cache_info().currsize == before


T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=15)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    upgrade(database_url)
    database = Database(database_url)
    with database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email="sam@example.com", password=PASSWORD, now=T0)
    yield database
    database.dispose()


def _try(
    database: Database, email: str, password: str, at: dt.datetime, address: str = "198.51.100.7"
) -> str:
    """Log in; the token, or the message of the refusal."""
    with database.unit_of_work() as uow:
        try:
            return accounts.log_in(
                uow=uow,
                email=email,
                password=password,
                now=at,
                attempts_allowed=3,
                window=WINDOW,
                session_length=dt.timedelta(days=1),
                address=address,
                address_attempts_allowed=5,
            )
        except ServiceError as error:  # its code, and the wait when there is one
            wait = error.params.get("wait_seconds")
            return error.code if wait is None else f"{error.code} {wait}s"


def test_the_owner_is_slowed_after_failed_logins_but_never_locked_out(database: Database) -> None:
    # Someone else guesses from another address, as fast as they are let.
    at = T0
    for _ in range(3):
        assert _try(database, "sam@example.com", "a wrong guess!", at, "x") == "login.no_match"
    assert _try(database, "sam@example.com", PASSWORD, at) == "login.wait 10s"
    for failures in range(3, 9):  # each wait doubles, up to five minutes
        at += login_limits.login_wait(failures, 3)
        assert _try(database, "sam@example.com", "a wrong guess!", at, "x") == "login.no_match"
    assert _try(database, "sam@example.com", PASSWORD, at) == "login.wait 300s"
    token = _try(database, "sam@example.com", PASSWORD, at + login_limits.LONGEST_WAIT)
    assert "login." not in token and len(token) > 30


def test_guessing_across_accounts_from_one_address_is_bounded(database: Database) -> None:
    for number in range(5):
        refused = _try(database, f"person{number}@example.com", "a wrong guess!", T0)
        assert refused == "login.no_match"
    assert _try(database, "sam@example.com", PASSWORD, T0).startswith("login.wait ")
    elsewhere = _try(database, "sam@example.com", PASSWORD, T0, address="203.0.113.9")
    assert "login." not in elsewhere


def test_old_failed_logins_are_pruned_even_for_unknown_emails(database: Database) -> None:
    for number in range(20):
        _try(database, f"nobody{number}@example.com", "a wrong guess!", T0, f"a{number}")
    _try(database, "nobody@example.com", "a wrong guess!", T0 + WINDOW + dt.timedelta(seconds=1))
    with database.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count(LoginAttempt.id))) == 1


def _sign_up_answer(client: TestClient, email: str) -> tuple[str, int, str, float]:
    form = {"email": email, "password": "another long password"}
    started = time.perf_counter()
    answer = post(client, "/signup", form, page="/signup")
    took = time.perf_counter() - started
    first = answer.history[0]
    page = re.sub(r'(csrf-token" content|name="csrftoken" value)="[^"]*"', "", answer.text)
    return first.headers["location"], first.status_code, page, took


def test_sign_up_answers_the_same_whether_or_not_the_email_is_taken(
    make_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_client()
    onboard(owner)
    # A taken email used to answer in 0.005 s and a new one in 0.6 s (full-cost hashing): the
    # time came from hashing, so both must hash exactly once. Counting hashes is exact where a
    # single timing on a shared machine is not.
    hashed: list[str] = []
    real = PasswordHasher()

    class Counting:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def hash(self, password: str) -> str:
            hashed.append(password)
            return real.hash(password)

    monkeypatch.setattr(accounts, "_hasher", Counting())
    # A starting server makes its stand-in hash for unknown logins: not part of a sign-up.
    clients = make_client(), make_client()
    hashed.clear()
    taken = _sign_up_answer(clients[0], "SAM@example.com")
    hashes_when_taken = len(hashed)
    free = _sign_up_answer(clients[1], "kim@example.com")
    assert taken[:3] == free[:3]
    assert taken[0] == "/login?account=ready"
    assert "If this email can be used, your account is ready" in taken[2]
    assert "sam@example.com" not in taken[2]
    assert hashes_when_taken == 1 and len(hashed) == 2


def test_a_starting_server_makes_the_stand_in_hash_before_any_login(
    make_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Otherwise the first login to an unknown email hashes twice, and is slower than the rest.
    monkeypatch.setattr(accounts, "_dummy", None)
    make_client().get("/login")
    assert accounts._dummy is not None and accounts._dummy[0] is accounts._hasher
