"""Reading a person's history costs the same number of SQL statements however long it is.

Each page and each training step is measured twice for the same person, once with 3 finished
sessions behind them and once with 12, on SQLite and PostgreSQL; the counts must be equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select

from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.store.tables import User
from tests.training_app import App, csrf_of, onboard

EMAIL = "ana@example.com"
SHORT, LONG = 3, 12


@contextmanager
def statements_run(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block, as the driver received them."""
    sent: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", keep)


class Counter:
    """Sends requests on one person's client, counting the statements each one runs."""

    def __init__(self, app: App, client: TestClient) -> None:
        self.app, self.client = app, client
        self.counts: dict[str, int] = {}

    def get(self, name: str, address: str) -> Any:
        with statements_run(self.app.database.engine) as sent:
            response = self.client.get(address, follow_redirects=False)
        assert response.status_code == 200, f"{name}: {response.status_code} {response.text}"
        self.counts[name] = len(sent)
        return response

    def post(self, name: str, address: str, data: dict[str, str]) -> Any:
        with statements_run(self.app.database.engine) as sent:
            response = self.client.post(address, data=data, follow_redirects=False)
        assert response.status_code == 303, f"{name}: {response.status_code} {response.text}"
        self.counts[name] = len(sent)
        return response


def train_one_day(app: App, counter: Counter) -> None:
    """The next day: every page once, then a session through the routes (the first set of each
    exercise saved, finished, checked in on). The counts are those of this day."""
    app.clock.at += dt.timedelta(days=1)
    feed = app.query(select(User.calendar_token).where(User.email == EMAIL))
    counter.get("today", "/today")
    counter.get("progress", "/progress")
    counter.get("schedule", "/schedule")
    counter.get("calendar feed", f"/calendar/{feed}.ics")  # with reminders: an alarm a day
    counter.get("reminders", "/reminders")
    counter.get("today's reminder", "/reminders/today.json")
    counter.get("exercise library", "/exercises")
    csrf = csrf_of(counter.client)
    started = counter.client.post("/session", data={"pain_before": "3", "csrftoken": csrf})
    session = started.url.path
    assert session.startswith("/session/"), started.text
    counter.get("session page", session)
    exercises = app.program(EMAIL).plan.exercises
    for item in exercises:
        # Every exercise's first set; the count kept is the last one's (each alike).
        data = {"exercise_id": item.exercise.id, "number": "1", "felt": "target"}
        data[item.exercise.dose.value] = str(item.dose_max)
        counter.post("set save", f"{session}/sets", data | {"csrftoken": csrf})
    finished = {"pain_during": "2", "pain_after": "2", "leg_symptoms": "none"}
    counter.post("finish", f"{session}/finish", finished | {"csrftoken": csrf})
    answers = dict.fromkeys(CHECK_IN_IDS, "no") | {"pain_next_morning": "2"}
    kept, app.clock.at = app.clock.at, app.clock.at + dt.timedelta(days=1)  # the morning after
    counter.post("check-in", f"{session}/checkin", answers | {"csrftoken": csrf})
    app.clock.at = kept


def statement_counts(app: App, histories: tuple[int, ...]) -> dict[int, dict[str, int]]:
    """Statements per page and step for one person, after each length of history given."""
    counter = Counter(app, onboard(app, EMAIL))
    reminders = {"enabled": "yes", "at": "08:00", "csrftoken": csrf_of(counter.client)}
    assert counter.client.post("/reminders", data=reminders).status_code == 200
    found: dict[int, dict[str, int]] = {}
    done = 0
    for history in histories:
        while done < history:
            train_one_day(app, counter)
            done += 1
        train_one_day(app, counter)  # measured: the history is ``history`` sessions long
        found[history] = dict(counter.counts)
        done += 1
    return found


def test_pages_and_training_steps_cost_the_same_statements_after_3_or_12_sessions(
    app: App,
) -> None:
    counts = statement_counts(app, (SHORT, LONG))
    short, long = counts[SHORT], counts[LONG]
    assert set(short) == {
        "today",
        "progress",
        "schedule",
        "calendar feed",
        "reminders",
        "today's reminder",
        "exercise library",
        "session page",
        "set save",
        "finish",
        "check-in",
    }
    grown = {name: (short[name], long[name]) for name in short if long[name] != short[name]}
    assert not grown, f"statements after {SHORT} sessions, then {LONG}: {grown}"
