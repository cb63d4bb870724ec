"""Helpers for the training pages' tests: a fixed clock, an app, a person who trains."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.engine.screening import CHECK_IN_IDS, RED_FLAGS
from backcoach.services import training
from backcoach.services.access import principal_of
from backcoach.services.programs import ProgramView
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.tables import User
from backcoach.web.app import create_app
from backcoach.web.deps import Clock

PASSWORD = "correct horse battery"
MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


class FixedClock(Clock):
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.at = now

    def now(self) -> dt.datetime:
        return self.at

    def today(self) -> dt.date:
        """The day in UTC, the tests' server zone (a person without a zone of their own)."""
        return self.at.date()


class App:
    """The app under test, its clock and its database, with small helpers to drive it."""

    def __init__(self, database_url: str) -> None:
        self.asgi = create_app(Settings(database_url=database_url))
        # The wrappers (CSRF, lanes, headers) keep functools.wraps, so the app's state is shared.
        self.state = self.asgi.state  # type: ignore[attr-defined]
        self.clock = FixedClock(MONDAY)
        self.state.clock = self.clock
        self.database: Database = self.state.database

    def client(self, **cookies: str) -> TestClient:
        client = TestClient(self.asgi)
        for name, value in cookies.items():
            client.cookies.set(name, value)
        return client

    def query(self, statement: Any) -> Any:
        with self.database.unit_of_work() as uow:
            found = uow.session.scalar(statement)
            uow.session.expunge_all()  # readable after the unit of work rolls back
            return found

    def program(self, email: str) -> ProgramView:
        with self.database.unit_of_work() as uow:
            user = uow.session.scalars(select(User).where(User.email == email)).one()
            program = training.current_program(
                uow=uow, principal=principal_of(user), person_id=user.id, now=self.clock.at
            )
            assert program is not None
            return program


@contextmanager
def running_app(database_url: str) -> Iterator[App]:
    under_test = App(database_url)
    try:
        yield under_test
    finally:
        under_test.database.dispose()


def token(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def value_of(page: str, input_id: str) -> str | None:
    """The value a set form's text input shows (what was saved, or typed)."""
    found = re.search(
        rf'id="{re.escape(input_id)}" name="\w+" type="text"[^>]* value="([^"]*)"', page
    )
    return found.group(1) if found else None


def sign_up(app: App, email: str) -> TestClient:
    client = app.client()
    page = client.get("/signup")
    client.post(
        "/signup", data={"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    )
    page = client.get("/login")  # sign-up logs no one in: it answers the same for a taken email
    client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    )
    return client


def onboard(app: App, email: str = "ana@example.com") -> TestClient:
    """A person through screening, measures and profile to a program (beginner, a band)."""
    client = sign_up(app, email)
    page = client.get("/onboarding/screening")
    answers = {flag.id: "no" for flag in RED_FLAGS} | {"age": "44", "pregnancy": "none"}
    page = client.post("/onboarding/screening", data={**answers, "csrftoken": token(page.text)})
    measures = {
        "nprs": "4",
        "psfs_name_1": "Putting on socks",
        "psfs_score_1": "4",
        "startback_score": "2",
        "startback_psychosocial": "1",
    }
    page = client.post("/onboarding/measures", data={**measures, "csrftoken": token(page.text)})
    profile = {"level": "beginner", "days_per_week": "4", "equipment[]": ["band"]}
    page = client.post("/onboarding/profile", data={**profile, "csrftoken": token(page.text)})
    assert page.url.path == "/today", page.text
    return client


def start(client: TestClient, pain_before: int = 3) -> int:
    page = client.get("/today")
    page = client.post(
        "/session", data={"pain_before": str(pain_before), "csrftoken": token(page.text)}
    )
    assert page.status_code == 200, page.text
    found = re.fullmatch(r"/session/(\d+)", page.url.path)
    assert found, page.url
    return int(found.group(1))


def csrf_of(client: TestClient) -> str:
    return token(client.get("/today").text)


def save(
    client: TestClient,
    session_id: int,
    exercise_id: str,
    number: int | str,
    amount: int | str,
    *,
    felt: str | None = "target",
    kind: str = "reps",
    as_json: bool = False,
    **extra: str,
) -> Any:
    data = {"exercise_id": exercise_id, "number": str(number), kind: str(amount), **extra}
    if felt is not None:
        data["felt"] = felt
    csrf = csrf_of(client)
    if as_json:
        headers = {"accept": "application/json", "x-csrftoken": csrf}
        return client.post(f"/session/{session_id}/sets", data=data, headers=headers)
    return client.post(
        f"/session/{session_id}/sets", data={**data, "csrftoken": csrf}, follow_redirects=False
    )


def do_every_set(app: App, client: TestClient, session_id: int, *, felt: str = "target") -> None:
    """Every planned set at the top of its range."""
    for item in app.program("ana@example.com").plan.exercises:
        for number in range(1, item.sets + 1):
            kind = item.exercise.dose.value
            response = save(
                client, session_id, item.exercise.id, number, item.dose_max, kind=kind, felt=felt
            )
            assert response.status_code == 303, response.text


def finish(
    client: TestClient,
    session_id: int,
    during: int = 2,
    after: int = 2,
    legs: str = "none",
    *,
    with_a_set: bool = True,
) -> Any:
    """Finish the session. The player finishes only a session with a set saved (issue 13), so
    one with none first gets its first exercise's first set, at the bottom of its range and felt
    in the target (``with_a_set=False``: posted as it is)."""
    if with_a_set:
        _save_a_set_if_none(client, session_id)
    data = {
        "pain_during": str(during),
        "pain_after": str(after),
        "leg_symptoms": legs,
        "csrftoken": csrf_of(client),
    }
    return client.post(f"/session/{session_id}/finish", data=data)


def _save_a_set_if_none(client: TestClient, session_id: int) -> None:
    page = client.get(f"/session/{session_id}")
    if page.url.path != f"/session/{session_id}" or 'class="set-form saved"' in page.text:
        return  # finished (or shut) already, or a set is saved
    first = re.search(
        r'data-exercise="([^"]+)"[^>]*data-bottom="(\d+)" data-unit="(\w+)"', page.text
    )
    assert first, "the player shows no exercise"
    exercise_id, bottom, kind = first.groups()
    saved = save(client, session_id, exercise_id, 1, bottom, kind=kind)
    assert saved.status_code == 303, saved.text


# --- Today --------------------------------------------------------------------------------------


def checkin(
    client: TestClient, session_id: int, morning: int, *, next_morning: bool = True, **flags: str
) -> Any:
    """The morning check-in: this pain, these signs "yes" (the rest "no").

    The pain question opens the morning after (engine/morning.py). When the page says it is
    not open yet, the check-in is sent a day later by the app's clock, which then goes back to
    where it was, so the tests around it keep their own days; ``next_morning=False``
    sends it at the clock's own time all the same."""
    page = client.get(f"/session/{session_id}/checkin")
    clock = client.app.state.clock  # type: ignore[attr-defined]
    kept = clock.at
    if next_morning and "data-too-early" in page.text:
        clock.at = kept + dt.timedelta(days=1)  # a later day in every zone, a night's gap
    try:
        answers = {key: flags.get(key, "no") for key in CHECK_IN_IDS}
        data = {**answers, "pain_next_morning": str(morning), "csrftoken": token(page.text)}
        return client.post(f"/session/{session_id}/checkin", data=data)
    finally:
        clock.at = kept
