"""A coach's Outcomes page in real Chromium, axe-checked at phone and desktop width: six clients
built in the store (five reach a figure, so the charts are drawn), the coach reads the figures,
switches to the practice's, and opens the report form of a client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from backcoach.services import accounts
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.tables import User
from backcoach.web.app import create_app
from tests.e2e.flows import PASSWORD, check_page
from tests.integration.cohort_steps import client, coaches
from tests.support.browser import new_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A live server with a coach of six clients, 13 weeks into their programs; the URL and
    the id of one client."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-cohort') / 'e2e.db'}"
    app = create_app(Settings(database_url=database_url))  # migrates the database
    database = Database(database_url)
    try:
        cast = coaches(database)
        start = dt.datetime.now(dt.UTC).date() - dt.timedelta(weeks=13)
        first = 0
        for index in range(6):
            made = client(
                database,
                cast.coach.user_id,
                f"client{index}@example.com",
                start=start,
                nprs=(6, 6 - index, 5 - index),
                sessions=24 - 2 * index,
                pain_by_week={week: max(0, 6 - week // 2) for week in range(1, 13)},
                low_back_sets=3 - index // 2,
            )
            first = first or made
        with database.unit_of_work() as uow:
            coach = uow.session.get_one(User, cast.coach.user_id)
            coach.password_hash = accounts.hash_password(PASSWORD)
            uow.commit()
    finally:
        database.dispose()
    with live_server(app, lifespan="on") as url:
        yield url, first


def test_a_coach_reads_the_outcomes_of_their_clients(
    browser: Browser, server: tuple[str, int]
) -> None:
    base_url, client_id = server
    page = new_page(browser, phone=True)
    try:
        page.goto(f"{base_url}/login")
        page.get_by_label("Email").fill("coach@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("link", name="Outcomes").click()
        expect(page.get_by_role("heading", name="Outcomes of your clients")).to_be_visible()
        expect(page.get_by_text("reached the MCID for pain (NPRS) by week 6")).to_be_visible()
        expect(page.locator("#chart-cohort-pain svg")).to_be_visible()
        check_page(page, "coach-cohort")
        page.get_by_role("link", name="My practice").click()
        expect(page.get_by_role("link", name="My practice")).to_have_attribute(
            "aria-current", "page"
        )
        page.goto(f"{base_url}/coach/clients/{client_id}/report")
        expect(page.get_by_label("Your summary")).to_be_visible()
        check_page(page, "coach-report-form")
    finally:
        page.context.close()
