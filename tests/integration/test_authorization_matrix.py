"""Who reaches client A's data: every use case that reads or changes health data (and the
export, the account and the audit log) against client A, client B, A's coach, a colleague of
A's coach's practice, another coach and an admin; the whole matrix is compared, so a leak (or a
coach locked out) names its cell. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from backcoach.services import (
    access,
    calendar,
    coaching,
    export,
    onboarding,
    progress,
    tight,
    training,
)
from backcoach.services.access import Action, Principal, can
from backcoach.services.errors import Forbidden
from backcoach.store.db import UnitOfWork
from tests.integration.coaching_steps import MEASURES, cast
from tests.training_app import App

UTC = dt.UTC
#: Each use case on A's data: its action, and how to call it (keyword arguments beyond the
#: unit of work, the principal, A's id and the time).
Call = Callable[[UnitOfWork, Principal, int, App], Any]
USE_CASES: dict[str, tuple[Action, Call]] = {
    "program": (
        Action.READ,
        lambda uow, who, a, app: training.current_program(
            uow=uow, principal=who, person_id=a, now=app.clock.at
        ),
    ),
    "last session": (
        Action.READ,
        lambda uow, who, a, app: training.last_finished(
            uow=uow, principal=who, person_id=a, now=app.clock.at
        ),
    ),
    "progress": (
        Action.READ,
        lambda uow, who, a, app: progress.progress(
            uow=uow, principal=who, person_id=a, today=app.clock.today(), zone=UTC, now=app.clock.at
        ),
    ),
    "measures": (
        Action.READ,
        lambda uow, who, a, app: onboarding.latest_score(
            uow=uow, principal=who, person_id=a, instrument="nprs", now=app.clock.at
        ),
    ),
    "calendar": (
        Action.READ,
        lambda uow, who, a, app: calendar.month_view(
            uow=uow,
            principal=who,
            person_id=a,
            month=app.clock.today(),
            today=app.clock.today(),
            zone=UTC,
            now=app.clock.at,
        ),
    ),
    "tight moments": (
        Action.READ,
        lambda uow, who, a, app: tight.tight_moments_on(
            uow=uow, principal=who, person_id=a, day=app.clock.today(), zone=UTC, now=app.clock.at
        ),
    ),
    "start a session": (
        Action.WRITE,
        lambda uow, who, a, app: training.start_session(
            uow=uow,
            principal=who,
            person_id=a,
            pain_before=3,
            today=app.clock.today(),
            now=app.clock.at,
        ),
    ),
    "log a tight moment": (
        Action.WRITE,
        lambda uow, who, a, app: tight.log_tight_moment(
            uow=uow, principal=who, person_id=a, now=app.clock.at
        ),
    ),
    "record measures": (
        Action.WRITE,
        lambda uow, who, a, app: onboarding.record_measures(
            uow=uow,
            principal=who,
            person_id=a,
            answers=MEASURES,
            today=app.clock.today(),
            now=app.clock.at,
        ),
    ),
    "export": (
        Action.EXPORT,
        lambda uow, who, a, app: export.export_json(
            uow=uow, principal=who, person_id=a, now=app.clock.at
        ),
    ),
    "calendar address": (
        Action.ACCOUNT,
        lambda uow, who, a, app: calendar.rotate_token(
            uow=uow, principal=who, person_id=a, now=app.clock.at
        ),
    ),
}
#: Who reaches what of A's: A everything; A's coach and a colleague of their practice read
#: and change the health data but never export it or touch the account; nobody else anything.
COACHED = {"program", "last session", "progress", "measures", "calendar", "tight moments"} | {
    "start a session",
    "log a tight moment",
    "record measures",
}
EXPECTED = {
    "client A": set(USE_CASES) | {"audit log"},
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
        except Forbidden:
            return False
    return True


def _audit_log(uow: UnitOfWork, who: Principal, a: int, app: App) -> Any:
    return access.audit_log(uow=uow, principal=who, subject_id=a)


def test_who_reaches_client_as_data(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    reached: dict[str, set[str]] = {}
    for name, who in people.everyone().items():
        calls = {case: call for case, (_, call) in USE_CASES.items()} | {"audit log": _audit_log}
        reached[name] = {case for case, call in calls.items() if _reaches(app, who, a, call)}
    leaks = {
        name: reached[name] - EXPECTED[name] for name in reached if reached[name] - EXPECTED[name]
    }
    assert leaks == {}, "someone reached what they should not"
    assert reached == EXPECTED


def test_can_agrees_with_the_use_cases_for_every_action(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    coach_actions = {Action.READ, Action.WRITE}
    expected = {
        "client A": set(Action),
        "client B": set(),
        "A's coach": coach_actions,
        "a colleague of A's coach": coach_actions,
        "another coach": set(),
        "admin": set(),
    }
    with app.database.unit_of_work() as uow:
        allowed = {
            name: {action for action in Action if can(uow, who, action, a)}
            for name, who in people.everyone().items()
        }
    assert allowed == expected
    for case, (action, _) in USE_CASES.items():  # the table above says each case's action
        assert (case in COACHED) == (action in coach_actions), case


def test_after_the_link_ends_nobody_but_a_reaches_anything(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    with app.database.unit_of_work() as uow:
        coaching.end_link(
            uow=uow, principal=people.client_a, link_id=people.link_id, now=app.clock.at
        )
    for name, who in people.everyone().items():
        if name == "client A":
            continue
        reached = {case for case, (_, call) in USE_CASES.items() if _reaches(app, who, a, call)}
        assert reached == set(), name
