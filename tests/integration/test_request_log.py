"""Structured logs hold no health data: a line per request (route template, status, ids) and a
line per unhandled error (type and frames, never the message)."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from backcoach.services import training
from backcoach.store.tables import User
from backcoach.web.access_log import JsonFormatter, TextFormatter, log_config
from tests.support.ports import free_port
from tests.training_app import PASSWORD, App, onboard, save, start, token

# What is logged does not depend on the database: SQLite only.
DATABASES = ("sqlite",)

Lines = Callable[[], list[dict[str, Any]]]
REQUEST_FIELDS = {
    "time",
    "level",
    "logger",
    "event",
    "request_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "account_id",
}


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    """What backcoach's loggers write, formatted as `backcoach serve` writes JSON lines."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("backcoach")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield written
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def log_lines(log_text: io.StringIO) -> Lines:
    return lambda: [json.loads(line) for line in log_text.getvalue().splitlines()]


def _requests(lines: list[dict[str, Any]], route: str) -> list[dict[str, Any]]:
    return [line for line in lines if line["event"] == "request" and line["route"] == route]


def test_a_set_save_logs_its_route_template_and_account_id_and_no_form_value(
    app: App, log_text: io.StringIO, log_lines: Lines
) -> None:
    client = onboard(app)
    session_id = start(client, pain_before=6)
    exercise = app.program("ana@example.com").plan.exercises[0].exercise
    response = save(client, session_id, exercise.id, 1, 13, kind=exercise.dose.value)
    assert response.status_code == 303, response.text

    saved = _requests(log_lines(), "/session/{session_id}/sets")
    assert [(line["method"], line["status"]) for line in saved] == [("POST", 303)]
    line = saved[0]
    assert set(line) == REQUEST_FIELDS
    user_id = app.query(select(User.id).where(User.email == "ana@example.com"))
    assert line["account_id"] == user_id
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert isinstance(line["duration_ms"], float)
    written = log_text.getvalue()
    for secret in (
        "ana@example.com",
        PASSWORD,
        exercise.id,
        "target",  # where the set was felt
        "pain",  # no pain field nor value, before or during
        f"/session/{session_id}",
        "csrf",
        *client.cookies.values(),
    ):
        assert secret not in written, secret
    # Every line is a request line of the same few fields, whatever the page.
    assert all(set(line) == REQUEST_FIELDS for line in log_lines())


def test_a_failed_login_logs_no_email_nor_password(
    app: App, log_text: io.StringIO, log_lines: Lines
) -> None:
    client = app.client()
    form = {"email": "who@example.com", "password": "not the password at all"}
    page = client.get("/login")
    response = client.post("/login", data={**form, "csrftoken": token(page.text)})
    assert response.status_code != 303

    [line] = [line for line in _requests(log_lines(), "/login") if line["method"] == "POST"]
    assert line["account_id"] is None
    assert line["status"] == response.status_code
    written = log_text.getvalue()
    assert "who@example.com" not in written
    assert "example.com" not in written
    assert "not the password at all" not in written


def test_the_calendar_feed_is_logged_without_its_token(app: App, log_lines: Lines) -> None:
    client = onboard(app)
    found = re.search(
        r"http://testserver/calendar/([A-Za-z0-9_-]+)\.ics", client.get("/schedule").text
    )
    assert found, "no calendar address on /schedule"
    feed_token = found.group(1)
    response = app.client().get(f"/calendar/{feed_token}.ics?secret=query-value")
    assert response.status_code == 200

    [line] = _requests(log_lines(), "/calendar/{token}.ics")
    assert line["status"] == 200
    assert line["account_id"] is None  # the calendar app has no login
    written = json.dumps(log_lines())
    assert feed_token not in written
    assert "query-value" not in written


def test_an_unknown_address_is_logged_without_its_path(app: App, log_lines: Lines) -> None:
    response = app.client().get("/no-such-page/ana@example.com")
    assert response.status_code == 404
    [line] = [line for line in log_lines() if line["status"] == 404]
    assert line["route"] == "(no route)"
    assert "ana@example.com" not in json.dumps(log_lines())


@pytest.mark.server_error_expected
def test_an_error_in_a_route_logs_its_type_and_frames_but_not_its_message(
    app: App, log_text: io.StringIO, log_lines: Lines, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = onboard(app)
    session_id = start(client)
    exercise = app.program("ana@example.com").plan.exercises[0].exercise

    def broken_log_set(**_: Any) -> None:
        raise LookupError("pain_during=9 for ana@example.com, felt in the low back")

    monkeypatch.setattr(training, "log_set", broken_log_set)
    response = save(client, session_id, exercise.id, 1, 12, kind=exercise.dose.value)

    assert response.status_code == 500
    assert response.text == "Internal Server Error"  # the plain page: nothing of the error
    [error] = [line for line in log_lines() if line["event"] == "error"]
    assert error["error"] == "LookupError"
    assert error["route"] == "/session/{session_id}/sets"
    assert error["request_id"] == response.headers["X-Request-Id"]
    assert any(re.fullmatch(r"backcoach/web/routes/session\.py:\d+", f) for f in error["frames"])
    assert re.search(r"test_request_log\.py:\d+$", error["frames"][-1])  # where it was raised
    [request] = _requests(log_lines(), "/session/{session_id}/sets")
    assert (request["status"], request["request_id"]) == (500, error["request_id"])
    written = log_text.getvalue()
    assert "pain_during" not in written
    assert "ana@example.com" not in written
    assert "low back" not in written


def test_the_text_format_shows_an_exception_as_type_and_frames_only() -> None:
    try:
        raise ValueError("pain 8 of 10")
    except ValueError:
        record = logging.LogRecord(
            "uvicorn.error", logging.ERROR, __file__, 1, "boom", (), sys.exc_info()
        )
    for formatter in (TextFormatter(), JsonFormatter()):
        line = formatter.format(record)
        assert "ValueError" in line
        assert "test_request_log.py:" in line
        assert "pain 8" not in line
        assert "\n" not in line


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_the_server_logs_the_calendar_route_never_its_token(
    tmp_path: Path, log_format: str
) -> None:
    port = free_port()
    # A fresh default database: the data folder of this test alone.
    env = {
        **os.environ,
        "BACKCOACH_PORT": str(port),
        "BACKCOACH_LOG_FORMAT": log_format,
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    env.pop("DATABASE_URL", None)
    secret = "Zm9yIHlvdXIgZXllcyBvbmx5IGFuZCBubyBvbmUgZWxzZQ"
    process = subprocess.Popen(
        [sys.executable, "-m", "backcoach.cli", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                address = f"http://127.0.0.1:{port}/calendar/{secret}.ics?key={secret}"
                response = httpx.get(address, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert response.status_code == 404
        time.sleep(0.3)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert secret not in output
    request_id = response.headers["X-Request-Id"]
    [logged] = [line for line in output.splitlines() if request_id in line]
    if log_format == "json":
        line = json.loads(logged)
        assert (line["route"], line["status"], line["method"]) == (
            "/calendar/{token}.ics",
            404,
            "GET",
        )
    else:
        assert "GET /calendar/{token}.ics 404" in logged


def test_the_log_config_turns_off_uvicorns_access_log_which_shows_raw_paths() -> None:
    config = log_config("json")
    assert config["loggers"]["uvicorn.access"]["handlers"] == []
    assert config["formatters"]["backcoach"]["()"] is JsonFormatter
    assert log_config("text")["formatters"]["backcoach"]["()"] is TextFormatter
