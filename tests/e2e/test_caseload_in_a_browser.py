"""The caseload in real Chromium, axe-checked at phone and desktop width: a coach sees the
client with a red flag first (said in words), then the one whose session flared, opens
"Acknowledge" on the flare, writes a note and sees it leave the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any, cast

import pytest
from playwright.sync_api import Browser, expect

from backcoach.engine.screening import all_clear
from backcoach.services import onboarding
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.web.app import create_app
from tests.e2e.flows import check_page
from tests.integration.attention_steps import train
from tests.integration.coaching_steps import accept, client, coach, invite
from tests.support.browser import new_page
from tests.support.live_server import live_server
from tests.training_app import PASSWORD, App, FixedClock

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server whose coach has three clients: a red flag, a flare, and nothing."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-caseload') / 'e2e.db'}"
    with live_server(create_app(Settings(database_url=database_url)), lifespan="on") as url:
        database = Database(database_url)
        try:
            _clients(cast(App, SimpleNamespace(database=database, clock=_clock())))
        finally:
            database.dispose()
        yield url


def _clock() -> FixedClock:
    now = dt.datetime.now(dt.UTC)
    return FixedClock(now.replace(hour=9) if now.hour >= 9 else now)  # the same day


def _clients(app: App) -> None:
    mine = coach(app, "coach@example.com")
    red, flared, calm = (client(app, f"{n}@example.com") for n in ("red", "flare", "calm"))
    for each in (red, flared, calm):
        accept(app, each, invite(app, mine))
    train(app, flared, app.clock.today(), before=3, during=8)
    with app.database.unit_of_work() as uow:
        mine_of: dict[str, Any] = {"uow": uow, "principal": red, "person_id": red.user_id}
        onboarding.record_screening(
            **mine_of,
            answers={**all_clear(age=44), "saddle_numbness": True},
            today=app.clock.today(),
            now=app.clock.at,
        )


def test_a_coach_sees_who_needs_them_and_acknowledges_a_flare(
    server: str, browser: Browser
) -> None:
    page = new_page(browser, phone=True)
    try:
        page.goto(f"{server}/login")
        page.get_by_label("Email").fill("coach@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(f"{server}/coach")
        rows = page.locator("table.caseload tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.nth(0)).to_contain_text("red@example.com")
        expect(rows.nth(0)).to_contain_text("Red flag on")
        expect(rows.nth(1)).to_contain_text("Pain flare after the session")
        expect(rows.nth(2)).to_contain_text("Nothing needs you now.")
        check_page(page, "coach-caseload")
        rows.nth(1).locator("summary", has_text="Acknowledge").click()
        rows.nth(1).get_by_label("Note (optional)").fill("Called: lifted boxes, easing off")
        rows.nth(1).get_by_role("button", name="Acknowledge").click()
        expect(page.get_by_text("Acknowledged: it stays off the list")).to_be_visible()
        page.get_by_label("Needs attention").check()
        page.get_by_role("button", name="Show clients").click()
        expect(page.locator("table.caseload tbody tr")).to_have_count(1)
        check_page(page, "coach-caseload-needing")
    finally:
        page.context.close()
