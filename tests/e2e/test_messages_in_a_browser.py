"""Notes and messages in real Chromium, axe-checked at phone and desktop width on each page: a
coach keeps a private note and writes to their client; the client sees the unread count in the
navigation, opens Messages, reads and answers; the coach reads the answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from backcoach.services import accounts, coaching
from backcoach.services.access import Principal, Role
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.tables import User
from backcoach.web.app import create_app
from tests.e2e.flows import PASSWORD, check_page, sign_up
from tests.support.browser import new_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e
COACH, CLIENT = "coach@example.com", "client@example.com"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    """A live server and its database (the coach and the invitation are made there)."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-messages') / 'e2e.db'}"
    with live_server(create_app(Settings(database_url=database_url)), lifespan="on") as url:
        database = Database(database_url)
        try:
            yield url, database
        finally:
            database.dispose()


def _coach_and_invitation(database: Database) -> str:
    now = dt.datetime.now(dt.UTC)
    with database.unit_of_work() as uow:
        coaching.add_coach(
            uow=uow,
            principal=coaching.OPERATOR,
            email=COACH,
            password_hash=accounts.hash_password(PASSWORD),
            now=now,
        )
        coach_id = uow.session.scalars(select(User.id).where(User.email == COACH)).one()
    with database.unit_of_work() as uow:
        principal = Principal(coach_id, Role.COACH)
        return coaching.create_invite(uow=uow, principal=principal, now=now).token


def test_a_coach_writes_and_the_client_reads_and_answers(
    browser: Browser, server: tuple[str, Database]
) -> None:
    base_url, database = server
    invitation = _coach_and_invitation(database)
    coach = new_page(browser, phone=True)
    client = new_page(browser, phone=True)
    try:
        sign_up(client, base_url, CLIENT)
        client.goto(f"{base_url}/join/{invitation}")
        client.get_by_role("button", name="Agree and share").click()
        expect(client.get_by_text("You now share with your coach.")).to_be_visible()
        with database.unit_of_work() as uow:
            client_id = uow.session.scalars(select(User.id).where(User.email == CLIENT)).one()

        coach.goto(f"{base_url}/login")
        coach.get_by_label("Email").fill(COACH)
        coach.get_by_label("Password").fill(PASSWORD)
        coach.get_by_role("button", name="Log in").click()
        expect(coach).to_have_url(f"{base_url}/coach")
        coach.goto(f"{base_url}/coach/clients/{client_id}/notes")
        coach.get_by_label("A new note").fill("Guarded on hinges.\nCue: ribs down.")
        coach.get_by_role("button", name="Save the note").click()
        expect(coach.get_by_text("Note saved.")).to_be_visible()
        check_page(coach, "coach-notes")

        coach.get_by_role("link", name=f"Messages with {CLIENT}").click()
        coach.get_by_label("Your message").fill("Hello! How did the bridges feel today?")
        coach.get_by_role("button", name="Send").click()
        expect(coach.get_by_text("Message sent.")).to_be_visible()
        check_page(coach, "coach-messages")

        client.goto(f"{base_url}/account")
        client.get_by_role("link", name="Messages (1 new)").click()
        expect(client.get_by_text("How did the bridges feel today?")).to_be_visible()
        expect(client.get_by_role("link", name="Messages", exact=True)).to_be_visible()
        check_page(client, "client-messages")
        client.get_by_label("Your message").fill("Easy! A little tight after.")
        client.get_by_role("button", name="Send").click()
        expect(client.get_by_text("Message sent.")).to_be_visible()
        expect(client.get_by_text("Easy! A little tight after.")).to_be_visible()

        coach.goto(f"{base_url}/coach")
        expect(coach.get_by_role("link", name="Messages (1 new)")).to_be_visible()
        coach.goto(f"{base_url}/coach/clients/{client_id}/messages")  # read now
        expect(coach.get_by_text("Easy! A little tight after.")).to_be_visible()
        expect(coach.get_by_role("link", name="Messages", exact=True)).to_be_visible()
    finally:
        coach.context.close()
        client.context.close()
