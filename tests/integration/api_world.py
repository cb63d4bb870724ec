"""A world with history for the API's whole-surface tests (the schema property test and the
authorization matrix): client A trains with a coach, client B trains alone, another coach and
an admin; each holds a token, and A holds a read-only and a revoked token besides.

It is built once per test module into a SQLite file through the services (a few seconds); then
each test, or each operation of a test, runs on a fresh copy of that file.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from backcoach.services import messages, notes, overrides, tokens, training
from backcoach.services.access import Principal
from backcoach.services.sets import SetInput
from backcoach.store.db import Database
from tests.integration.api_steps import token_for
from tests.integration.client_record_steps import feel_tight, on_day, train
from tests.integration.coaching_steps import cast
from tests.training_app import App, running_app

#: The day the world's clock stands on when it is opened (a Monday, a week of history behind).
OPENED_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
EMAILS = {
    "person": "ana@example.com",
    "another person": "bo@example.com",
    "their coach": "coach@example.com",
    "another coach": "other@example.com",
    "admin": "admin@example.com",
}


@dataclass(frozen=True)
class World:
    """Who is in the world, their tokens (secrets) and the ids of A's things."""

    path: Path
    secrets: dict[str, str]
    person_id: int
    another_person_id: int
    coach_id: int
    link_id: int
    #: A's sessions: yesterday's, finished (its check-in not yet made), and today's, open.
    finished_session_id: int
    open_session_id: int
    override_id: int
    #: The first exercise of A's plan: its id, the unit of its dose and a dose in range.
    exercise: tuple[str, str, int]
    revoked_token_id: int
    #: Values worth trying for a path parameter of this name (the test keeps those its schema
    #: allows): A's own ids first, so a generated request reaches real data.
    known: dict[str, list[Any]] = field(default_factory=dict)

    @contextmanager
    def opened(self, folder: Path) -> Iterator[App]:
        """An app on a copy of the world, its clock at OPENED_AT (for a whole module: see
        `restored` for a fresh copy under the same app)."""
        with running_app(self._copy(folder)) as app:
            app.clock.at = OPENED_AT
            yield app

    @contextmanager
    def restored(self, app: App, folder: Path) -> Iterator[App]:
        """The same app on a fresh copy of the world while the block runs: each request reads
        the database from the app's state, so a new one takes the place of the old, and the
        routes the app has built already need not be built again (about 0.1 s each)."""
        kept = app.database
        fresh = Database(self._copy(folder))
        app.database = app.state.database = fresh
        app.clock.at = OPENED_AT
        try:
            yield app
        finally:
            app.database = app.state.database = kept
            fresh.dispose()

    def _copy(self, folder: Path) -> str:
        copy = folder / f"world-{uuid.uuid4().hex}.db"
        shutil.copy(self.path, copy)  # the app that built it closed, so no -wal file is left
        return f"sqlite:///{copy}"

    def client(self, app: App, who: str | None) -> TestClient:
        """A client with no cookies that sends the token of ``who`` (None: no token at all)."""
        client = app.client()
        if who is not None:
            client.headers["authorization"] = f"Bearer {self.secrets[who]}"
        return client


def build_world(template: Path, folder: Path) -> World:
    """The world, built once into a copy of the migrated template in ``folder``."""
    path = folder / "world.db"
    shutil.copy(template, path)
    with running_app(f"sqlite:///{path}") as app:
        people = cast(app)
        a, b = people.client_a, people.client_b
        first = OPENED_AT.date() - dt.timedelta(days=6)
        train(app, a, first)
        # Yesterday's session waits for this morning's check-in.
        train(app, a, OPENED_AT.date() - dt.timedelta(days=1), during=3, after=3, morning=None)
        train(app, b, first)
        feel_tight(app, a, first + dt.timedelta(days=3))
        finished = _last_finished(app, a)
        plan = app.program(EMAILS["person"]).plan.exercises
        now = on_day(app, OPENED_AT.date(), 9)
        with app.database.unit_of_work() as uow:
            mine: dict[str, Any] = {"uow": uow, "principal": a, "person_id": a.user_id}
            opened = training.start_session(**mine, pain_before=2, today=now.date(), now=now)
            # One set saved: a session with none cannot be finished.
            first_set = SetInput(plan[0].exercise.id, 1, plan[0].dose_min, "target")
            training.log_set(**mine, session_id=opened.id, entry=first_set, now=now)
        with app.database.unit_of_work() as uow:
            notes.add_note(
                uow=uow, principal=people.coach, client_id=a.user_id, text="Steady.", now=now
            )
            messages.send(
                uow=uow, principal=people.coach, client_id=a.user_id, body="Hello Ana", now=now
            )
            messages.send(uow=uow, principal=a, client_id=a.user_id, body="Hi!", now=now)
        with app.database.unit_of_work() as uow:
            held = overrides.add_override(
                uow=uow,
                principal=people.coach,
                client_id=a.user_id,
                kind="hold",
                values={},
                note="Hold while we talk.",
                today=now.date(),
                now=now,
            )
        secrets = {name: token_for(app, email) for name, email in EMAILS.items()}
        secrets["read-only token"] = token_for(app, EMAILS["person"], ("read",))
        secrets["revoked token"] = token_for(app, EMAILS["person"])
        revoked_id = _revoke_newest(app, a)
    assert not path.with_name(path.name + "-wal").exists()
    return World(
        path=path,
        secrets=secrets,
        person_id=a.user_id,
        another_person_id=b.user_id,
        coach_id=people.coach.user_id,
        link_id=people.link_id,
        finished_session_id=finished,
        open_session_id=opened.id,
        override_id=held.id,
        exercise=(plan[0].exercise.id, plan[0].exercise.dose.value, plan[0].dose_max),
        revoked_token_id=revoked_id,
        known={
            "person_id": [a.user_id],
            "client_id": [a.user_id, str(uuid.UUID(int=1))],
            "patient_id": [a.user_id],
            "id": [a.user_id],
            "user_id": [a.user_id],
            "session_id": [opened.id, finished],
            "session": [opened.id, finished],  # a sync item's session
            "token_id": [revoked_id],
            "link_id": [people.link_id],
            "exercise_id": [item.exercise.id for item in plan],
            "override_id": [held.id],
        },
    )


def _last_finished(app: App, who: Principal) -> int:
    with app.database.unit_of_work() as uow:
        found = training.last_session_view(uow, who.user_id)
        assert found is not None
        return found.id


def _revoke_newest(app: App, who: Principal) -> int:
    with app.database.unit_of_work() as uow:
        newest = tokens.list_tokens(uow=uow, principal=who, person_id=who.user_id)[0]
        tokens.revoke_token(
            uow=uow, principal=who, person_id=who.user_id, token_id=newest.id, now=app.clock.at
        )
        return newest.id
