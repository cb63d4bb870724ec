"""Steps the override tests share: log in as one of the cast, make or undo an override through
the service, train a whole session (every set at the top, finished, checked in on)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from backcoach.engine.screening import all_clear
from backcoach.services import onboarding, overrides
from backcoach.services.access import Principal
from backcoach.services.overrides import OverrideView
from tests.training_app import PASSWORD, App, checkin, do_every_set, finish, start, token


def log_in(app: App, email: str) -> TestClient:
    client = app.client()
    page = client.get("/login")
    client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    )
    return client


def override(
    app: App, by: Principal, of: Principal, kind: str, note: str = "", **values: Any
) -> OverrideView:
    with app.database.unit_of_work() as uow:
        return overrides.add_override(
            uow=uow,
            principal=by,
            client_id=of.user_id,
            kind=kind,
            values=values,
            note=note,
            today=app.clock.today(),
            now=app.clock.at,
        )


def undo(app: App, by: Principal, of: Principal, override_id: int) -> OverrideView:
    with app.database.unit_of_work() as uow:
        return overrides.undo_override(
            uow=uow,
            principal=by,
            client_id=of.user_id,
            override_id=override_id,
            today=app.clock.today(),
            now=app.clock.at,
        )


def train(app: App, client: TestClient, morning: int = 2) -> None:
    """A whole session at the top of every range, then the next morning's check-in."""
    session_id = start(client)
    do_every_set(app, client, session_id)
    assert finish(client, session_id).status_code == 200
    assert checkin(client, session_id, morning=morning).status_code == 200


def flare(app: App, client: TestClient) -> None:
    """A session that hurt (8/10 during, after and the next morning): the engine eases off."""
    session_id = start(client)
    do_every_set(app, client, session_id)
    assert finish(client, session_id, during=8, after=8).status_code == 200
    app.clock.at += dt.timedelta(days=1)
    assert checkin(client, session_id, morning=8).status_code == 200


def refer(app: App, who: Principal) -> None:
    """A red flag at the safety questions asked again: the program closes until a clearance."""
    answers = all_clear(age=44) | {"fever_unwell": True}
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(
            uow=uow,
            principal=who,
            person_id=who.user_id,
            answers=answers,
            today=app.clock.today(),
            now=app.clock.at,
        )
