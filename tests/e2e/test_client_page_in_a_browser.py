"""A coach opens a client's page in real Chromium, axe-checked at 390 px and desktop width:
the open referral is on top in words, then the program, the changes, the timeline and the
charts; the page links to the client's program, messages, notes and report, and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from backcoach.engine.screening import CHECK_IN_IDS, all_clear
from backcoach.services import accounts, coaching, onboarding, training
from backcoach.services.access import Principal, Role
from backcoach.services.sets import SetInput
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.tables import User
from backcoach.web.app import create_app
from tests.e2e.flows import PASSWORD, check_page
from tests.support.browser import new_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e
COACH, CLIENT = "coach@example.com", "client@example.com"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-client') / 'e2e.db'}"
    with live_server(create_app(Settings(database_url=database_url)), lifespan="on") as url:
        yield url, database_url


def _client_with_a_history(database_url: str) -> int:
    """A coach and their client, who trained twice (the second a flare) and answered "yes"
    to a red flag at the next morning's check-in; returns the client's id."""
    database = Database(database_url)
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=6)
    try:
        with database.unit_of_work() as uow:
            coaching.add_coach(
                uow=uow,
                principal=coaching.OPERATOR,
                email=COACH,
                password_hash=accounts.hash_password(PASSWORD),
                now=start,
            )
            accounts.sign_up(uow=uow, email=CLIENT, password=PASSWORD, now=start)
        with database.unit_of_work() as uow:
            ids = {row.email: row.id for row in uow.session.execute(select(User.email, User.id))}
            coach = Principal(ids[COACH], Role.COACH)
            me = Principal(ids[CLIENT])
            token = coaching.create_invite(uow=uow, principal=coach, now=start).token
            mine: dict[str, Any] = {"uow": uow, "principal": me, "person_id": me.user_id}
            coaching.accept_invite(**mine, token=token, now=start)
            onboarding.record_screening(
                **mine, answers=all_clear(age=44), today=start.date(), now=start
            )
            onboarding.record_measures(
                **mine, answers={"nprs": {"score": 6}}, today=start.date(), now=start
            )
            onboarding.start_program(
                **mine,
                profile={"pain": 6, "level": "beginner", "days_per_week": 3, "equipment": []},
                today=start.date(),
                now=start,
            )
            for offset, during, flags in ((1, 2, ()), (3, 8, ("saddle_numbness",))):
                at = start + dt.timedelta(days=offset)
                session = training.start_session(**mine, pain_before=3, today=at.date(), now=at)
                program = training.current_program(**mine, now=at)
                assert program is not None
                for item in program.plan.exercises:
                    for number in range(1, item.sets + 1):
                        entry = SetInput(item.exercise.id, number, item.dose_max, "target")
                        training.log_set(**mine, session_id=session.id, entry=entry, now=at)
                training.finish_session(
                    **mine,
                    session_id=session.id,
                    pain_during=during,
                    pain_after=during,
                    today=at.date(),
                    now=at,
                )
                morning = at + dt.timedelta(hours=20)
                training.check_in(
                    **mine,
                    session_id=session.id,
                    pain_next_morning=during - 1,
                    red_flags={sign: sign in flags for sign in CHECK_IN_IDS},
                    today=morning.date(),
                    now=morning,
                )
            return me.user_id
    finally:
        database.dispose()


def test_a_coach_reads_a_clients_page(browser: Browser, server: tuple[str, str]) -> None:
    base_url, database_url = server
    client_id = _client_with_a_history(database_url)
    coach = new_page(browser, phone=True)
    try:
        coach.set_viewport_size({"width": 390, "height": 844})
        coach.goto(f"{base_url}/login")
        coach.get_by_label("Email").fill(COACH)
        coach.get_by_label("Password").fill(PASSWORD)
        coach.get_by_role("button", name="Log in").click()
        expect(coach).to_have_url(f"{base_url}/coach")
        coach.goto(f"{base_url}/coach/clients/{client_id}")
        expect(coach.get_by_role("heading", name=CLIENT, level=1)).to_be_visible()
        alert = coach.get_by_role("alert")
        expect(alert.get_by_role("heading", name="Warning: red flag")).to_be_visible()
        expect(coach.get_by_role("heading", name="Timeline")).to_be_visible()
        links = coach.get_by_role("navigation", name="This client")
        expect(links.get_by_role("link", name="Messages")).to_have_attribute(
            "href", f"/coach/clients/{client_id}/messages"
        )
        check_page(coach, "coach-client")
        coach.get_by_role("link", name="Back to your clients").click()
        expect(coach).to_have_url(f"{base_url}/coach")
    finally:
        coach.context.close()
