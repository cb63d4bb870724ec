"""A coach and a client in real Chromium, axe-checked at phone and desktop width on each page:
the coach starts from their clients and makes an invitation link; the client opens it, reads
what would be shared, agrees, sees "Your coach" and stops sharing; the coach's list follows; a
practice's code is the other way in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from backcoach.services import accounts, coaching
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.web.app import create_app
from tests.e2e.flows import PASSWORD, check_page, sign_up
from tests.support.browser import new_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e
COACH = "coach@example.com"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A live server and its database's URL (the coach is made there, as the command does)."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-coaching') / 'e2e.db'}"
    with live_server(create_app(Settings(database_url=database_url)), lifespan="on") as url:
        yield url, database_url


def _make_coach(database_url: str) -> str:
    """The coach, in a practice; returns the practice's code."""
    database = Database(database_url)
    now = dt.datetime.now(dt.UTC)
    try:
        with database.unit_of_work() as uow:
            coaching.add_coach(
                uow=uow,
                principal=coaching.OPERATOR,
                email=COACH,
                password_hash=accounts.hash_password(PASSWORD),
                now=now,
            )
            code = coaching.create_practice(
                uow=uow, principal=coaching.OPERATOR, name="Back Clinic", now=now
            ).join_code
            coaching.join_practice(
                uow=uow, principal=coaching.OPERATOR, coach_email=COACH, code_or_name=code, now=now
            )
            return code
    finally:
        database.dispose()


def test_a_coach_invites_and_a_client_agrees_then_stops(
    browser: Browser, server: tuple[str, str]
) -> None:
    base_url, database_url = server
    code = _make_coach(database_url)
    coach = new_page(browser, phone=True)
    client = new_page(browser, phone=True)
    try:
        coach.goto(f"{base_url}/login")
        coach.get_by_label("Email").fill(COACH)
        coach.get_by_label("Password").fill(PASSWORD)
        coach.get_by_role("button", name="Log in").click()
        expect(coach).to_have_url(f"{base_url}/coach")
        check_page(coach, "coach-clients")
        coach.get_by_role("button", name="Make an invitation link").click()
        link = coach.get_by_label("Invitation link").input_value()
        check_page(coach, "coach-invitation")

        sign_up(client, base_url, "client@example.com")
        client.goto(link)
        expect(client.get_by_role("heading", name="What you would share")).to_be_visible()
        expect(client.get_by_text(COACH)).to_be_visible()
        check_page(client, "coach-join")
        client.get_by_role("button", name="Agree and share").click()
        expect(client.get_by_text("You now share with your coach.")).to_be_visible()
        check_page(client, "account-your-coach")

        coach.goto(f"{base_url}/coach")
        expect(coach.get_by_role("cell", name="client@example.com", exact=True)).to_be_visible()

        client.get_by_role("button", name="Stop sharing").click()
        expect(client.get_by_text("You stopped sharing")).to_be_visible()
        coach.goto(f"{base_url}/coach")
        expect(coach.get_by_text("No client is linked to you yet.")).to_be_visible()

        client.get_by_label("Practice code").fill(code)
        client.get_by_role("button", name="See who and what you would share").click()
        expect(client.get_by_role("heading", name="Back Clinic")).to_be_visible()
        check_page(client, "practice-code")
        client.get_by_role("button", name="Agree and share").click()
        expect(client.get_by_text("You now share with your coach.")).to_be_visible()
    finally:
        coach.context.close()
        client.context.close()
