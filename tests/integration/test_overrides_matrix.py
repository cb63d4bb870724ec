"""Who may make, undo and read a coach's overrides and record a clearance, over the whole cast:
client A, client B, A's coach, a colleague of A's practice, another coach and an admin (and,
for the page, no one logged in). Only A's coach and that coach's colleague change A's program;
A reads the notes and history of their own; nobody else reaches anything."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from backcoach.services import clearance, overrides
from backcoach.services.access import Principal
from backcoach.services.client_program import client_program
from backcoach.services.errors import Forbidden
from backcoach.store.db import UnitOfWork
from tests.integration.coaching_steps import Cast, cast
from tests.integration.override_steps import log_in, override
from tests.training_app import App, token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

COACHES = {"A's coach", "a colleague of A's coach"}
EMAILS = {
    "client A": "ana@example.com",
    "client B": "bo@example.com",
    "A's coach": "coach@example.com",
    "a colleague of A's coach": "colleague@example.com",
    "another coach": "other@example.com",
    "admin": "admin@example.com",
}
Act = Callable[[UnitOfWork, Principal, Cast, App, int], Any]


def _add(uow: UnitOfWork, who: Principal, people: Cast, app: App, _: int) -> Any:
    return overrides.add_override(
        uow=uow,
        principal=who,
        client_id=people.client_a.user_id,
        kind="hold",
        values={},
        note="",
        today=app.clock.today(),
        now=app.clock.at,
    )


def _undo(uow: UnitOfWork, who: Principal, people: Cast, app: App, made: int) -> Any:
    return overrides.undo_override(
        uow=uow,
        principal=who,
        client_id=people.client_a.user_id,
        override_id=made,
        today=app.clock.today(),
        now=app.clock.at,
    )


def _history(uow: UnitOfWork, who: Principal, people: Cast, app: App, _: int) -> Any:
    return overrides.overrides(
        uow=uow, principal=who, client_id=people.client_a.user_id, now=app.clock.at
    )


def _notes(uow: UnitOfWork, who: Principal, people: Cast, app: App, _: int) -> Any:
    return overrides.coach_notes(
        uow=uow, principal=who, client_id=people.client_a.user_id, now=app.clock.at
    )


def _page(uow: UnitOfWork, who: Principal, people: Cast, app: App, _: int) -> Any:
    return client_program(
        uow=uow, principal=who, client_id=people.client_a.user_id, now=app.clock.at
    )


def _clear(uow: UnitOfWork, who: Principal, people: Cast, app: App, _: int) -> Any:
    return clearance.record_by_coach(
        uow=uow,
        principal=who,
        client_id=people.client_a.user_id,
        clinician="Dr Lee, GP",
        cleared_on=app.clock.today(),
        note="",
        today=app.clock.today(),
        now=app.clock.at,
    )


ACTIONS: dict[str, tuple[Act, set[str]]] = {
    "make an override": (_add, COACHES),
    "undo an override": (_undo, COACHES),
    "read the history": (_history, COACHES | {"client A"}),
    "read the notes": (_notes, COACHES | {"client A"}),
    "open the program page": (_page, COACHES),
    "record a clearance": (_clear, COACHES),
}


def _allowed(app: App, act: Act, who: Principal, people: Cast, made: int) -> bool:
    with app.database.unit_of_work() as uow:
        try:
            act(uow, who, people, app, made)
        except Forbidden:
            return False
        except Exception:  # refused for another reason (nothing to clear): reached, not barred
            return True
    return True


def test_only_as_coach_and_colleague_change_and_read_as_overrides(app: App) -> None:
    people = cast(app)
    made = override(app, people.coach, people.client_a, "hold", "Hold for now").id
    found = {
        (action, name): _allowed(app, act, who, people, made)
        for action, (act, _) in ACTIONS.items()
        for name, who in people.everyone().items()
    }
    wanted = {
        (action, name): name in allowed
        for action, (_, allowed) in ACTIONS.items()
        for name in people.everyone()
    }
    assert found == wanted


def test_the_program_page_and_its_forms_answer_only_as_coaches(app: App) -> None:
    people = cast(app)
    made = override(app, people.coach, people.client_a, "hold", "Hold for now").id
    base = f"/coach/clients/{people.client_a.user_id}"
    anonymous = app.client()
    assert anonymous.get(f"{base}/program", follow_redirects=False).status_code in (303, 307)
    for name, email in EMAILS.items():
        client = log_in(app, email)
        page = client.get(f"{base}/program", follow_redirects=False)
        csrf = token(client.get("/account").text)
        undo = client.post(
            f"{base}/overrides/{made}/undo", data={"csrftoken": csrf}, follow_redirects=False
        )
        hold = client.post(
            f"{base}/overrides",
            data={"kind": "hold", "note": "Mine", "csrftoken": csrf},
            follow_redirects=False,
        )
        clear = client.post(
            f"{base}/clearance",
            data={"clinician": "Dr Lee", "cleared_on": "2026-11-23", "csrftoken": csrf},
            follow_redirects=False,
        )
        if name in COACHES:
            assert (hold.status_code, clear.status_code) == (303, 422), name  # nothing to clear
            assert page.status_code == 200, name
            assert "Hold for now" in page.text
            assert undo.status_code == 303, name
            made = override(app, people.coach, people.client_a, "hold", "Hold for now").id
        else:
            assert page.status_code in (403, 404), name
            assert "Hold for now" not in page.text
            assert undo.status_code in (403, 404), name
            assert hold.status_code in (403, 404) and clear.status_code in (403, 404), name
