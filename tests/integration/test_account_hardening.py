"""Accounts hardened (issue 9, deliverable 6): the calendar address, start-up errors, bounded
caches, login limits and a sign-up that does not reveal who has an account."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from icalendar import Calendar

from backcoach.catalogue import default_demos
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


def _serve(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "backcoach.cli", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_the_access_log_does_not_show_calendar_addresses(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "BACKCOACH_PORT": str(port)}
    env.pop("DATABASE_URL", None)
    secret = "Zm9yIHlvdXIgZXllcyBvbmx5IGFuZCBubyBvbmUgZWxzZQ"
    process = _serve(tmp_path, env)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/calendar/{secret}.ics", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response.status_code == 404
        time.sleep(0.3)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "GET /calendar/… HTTP/1.1" in output
    assert secret not in output


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
    for number in range(3000):
        name = f"no-such-exercise-{number}" + ("-strip" if number % 2 else "")
        assert client.get(f"/pictures/{name}.svg").status_code == 404
    assert pictures._drawn.cache_info().currsize == before
