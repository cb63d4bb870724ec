"""Who reaches client A's private notes and message thread: reading and writing notes, reading
the thread and sending a message, against client A, client B, A's coach, a colleague of A's
coach's practice, another coach and an admin; the whole matrix is compared, so a leak (or a coach
locked out) names its cell. Then the same after the link ends: only A, reading their history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from backcoach.services import coaching, messages, notes
from backcoach.services.access import Principal
from backcoach.services.errors import Conflict, Forbidden
from backcoach.store.db import UnitOfWork
from tests.integration.coaching_steps import cast
from tests.training_app import App

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

Call = Callable[[UnitOfWork, Principal, int, App], Any]
USE_CASES: dict[str, Call] = {
    "read notes": lambda uow, who, a, app: notes.list_notes(
        uow=uow, principal=who, client_id=a, now=app.clock.at
    ),
    "write a note": lambda uow, who, a, app: notes.add_note(
        uow=uow, principal=who, client_id=a, text="Knee valgus on squats.", now=app.clock.at
    ),
    "read the thread": lambda uow, who, a, app: messages.thread(
        uow=uow, principal=who, client_id=a, now=app.clock.at
    ),
    "send a message": lambda uow, who, a, app: messages.send(
        uow=uow, principal=who, client_id=a, body="How did today go?", now=app.clock.at
    ),
}
COACHED = set(USE_CASES)
EXPECTED = {
    "client A": {"read the thread", "send a message"},  # never the notes
    "client B": set(),
    "A's coach": COACHED,
    "a colleague of A's coach": COACHED,
    "another coach": set(),
    "admin": set(),
}


def _reaches(app: App, who: Principal, a: int, call: Call) -> bool:
    with app.database.unit_of_work() as uow:
        try:
            call(uow, who, a, app)
        except (Forbidden, Conflict):
            return False
    return True


def _matrix(app: App, everyone: dict[str, Principal], a: int) -> dict[str, set[str]]:
    return {
        name: {case for case, call in USE_CASES.items() if _reaches(app, who, a, call)}
        for name, who in everyone.items()
    }


def test_who_reaches_a_clients_notes_and_thread_before_and_after_the_link_ends(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    reached = _matrix(app, people.everyone(), a)
    leaks = {name: reached[name] - EXPECTED[name] for name in reached}
    assert {name: cells for name, cells in leaks.items() if cells} == {}, "a leak"
    assert reached == EXPECTED

    with app.database.unit_of_work() as uow:
        coaching.end_link(uow=uow, principal=people.coach, link_id=people.link_id, now=app.clock.at)
    after = _matrix(app, people.everyone(), a)
    # The client keeps their history to read; nobody can write, nor read A's any more.
    assert after == {name: set() for name in EXPECTED} | {"client A": {"read the thread"}}
