"""A coach changes a client's program in real Chromium, axe-checked at phone and desktop width:
the program page, a swap with a note from the filtered catalogue, a bad dose answered next to
its field, and the client's Today saying "Set by your coach" with the note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, Page, expect

from backcoach.services import override_choices
from backcoach.services.onboarding import active_plan
from backcoach.services.programs import stored_plan
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.web.app import create_app
from tests.e2e.flows import check_page
from tests.integration.coaching_steps import accept, client, coach, invite
from tests.support.browser import new_page
from tests.support.live_server import live_server
from tests.training_app import PASSWORD, FixedClock

pytestmark = pytest.mark.e2e
NOTE = "Kinder on your knee for two weeks"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-program') / 'e2e.db'}"
    with live_server(create_app(Settings(database_url=database_url)), lifespan="on") as url:
        yield url, database_url


def _linked_client(database_url: str) -> tuple[int, str, str]:
    """A client with a program, linked to a coach; (client id, exercise out, exercise in)."""
    database = Database(database_url)
    try:
        made = SimpleNamespace(database=database, clock=FixedClock(dt.datetime.now(dt.UTC)))
        ana = client(made, "ana@example.com")  # type: ignore[arg-type]
        mine = coach(made, "coach@example.com")  # type: ignore[arg-type]
        accept(made, ana, invite(made, mine))  # type: ignore[arg-type]
        with database.unit_of_work() as uow:
            record = active_plan(uow=uow, person_id=ana.user_id)
            assert record is not None
            plan = stored_plan(record).plan
        choice = override_choices.swap_choices(plan)[0]
        return ana.user_id, choice.replaces[0], choice.exercise.id
    finally:
        database.dispose()


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_have_count(0)


def test_a_coach_swaps_an_exercise_and_the_client_sees_it_on_today(
    browser: Browser, server: tuple[str, str]
) -> None:
    base_url, database_url = server
    client_id, out, put_in = _linked_client(database_url)
    coach_page = new_page(browser, phone=True)
    client_page = new_page(browser, phone=True)
    try:
        _log_in(coach_page, base_url, "coach@example.com")
        coach_page.goto(f"{base_url}/coach/clients/{client_id}/program")
        expect(coach_page.get_by_role("heading", name="Current program")).to_be_visible()
        check_page(coach_page, "coach-program")

        coach_page.get_by_text("Swap an exercise").click()
        coach_page.get_by_label("Take out").select_option(out)
        coach_page.get_by_label("Put in").select_option(put_in)
        coach_page.locator("#swap-note").fill(NOTE)
        coach_page.get_by_role("button", name="Swap", exact=True).click()
        expect(coach_page.get_by_text("the change is in the program now")).to_be_visible()
        expect(coach_page.locator("#history").get_by_text(NOTE)).to_be_visible()
        check_page(coach_page, "coach-program-changed")

        coach_page.get_by_text("Set or lock a dose").click()
        coach_page.locator("#dose-exercise").select_option(put_in)
        coach_page.locator("#dose-sets").fill("5")
        coach_page.get_by_role("button", name="Set the dose").click()
        expect(coach_page.locator("#dose-sets-error")).to_be_visible()
        expect(coach_page.locator("#dose-sets")).to_have_value("5")
        check_page(coach_page, "coach-program-problems")

        _log_in(client_page, base_url, "ana@example.com")
        client_page.goto(f"{base_url}/today")
        expect(client_page.get_by_text("Set by your coach", exact=True)).to_be_visible()
        expect(client_page.get_by_text(NOTE)).to_be_visible()
        check_page(client_page, "today-set-by-coach")
    finally:
        coach_page.context.close()
        client_page.context.close()
