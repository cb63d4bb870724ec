"""The coach's side end to end in real Chromium, axe-checked at phone and desktop width: a coach
invites, a client agrees, trains and logs a flare; the coach's caseload puts that client first
with the flare in words; the coach opens the client, swaps an exercise with a note (and a dose
beyond the method is answered at its field); the client's Today says "Set by your coach" with
the note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, Page, expect

from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.web.app import create_app
from tests.e2e.flows import check_page, pick_pain, sign_up
from tests.integration.coaching_steps import accept, client, coach, invite
from tests.support.browser import new_page
from tests.support.live_server import live_server
from tests.training_app import PASSWORD, FixedClock

pytestmark = pytest.mark.e2e
NOTE = "Easier on the back this week: we build up again after"
COACH, CALM, FLARING = "coach@example.com", "calm@example.com", "flaring@example.com"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-flare') / 'e2e.db'}"
    with live_server(create_app(Settings(database_url=database_url)), lifespan="on") as url:
        yield url, database_url


def _coach_and_calm_client(database_url: str) -> str:
    """The coach, with one client already linked (nothing to attend to); an invitation token
    for the next client."""
    database = Database(database_url)
    try:
        made = SimpleNamespace(database=database, clock=FixedClock(dt.datetime.now(dt.UTC)))
        mine = coach(made, COACH)  # type: ignore[arg-type]
        accept(made, client(made, CALM), invite(made, mine))  # type: ignore[arg-type]
        return invite(made, mine)  # type: ignore[arg-type]
    finally:
        database.dispose()


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_have_count(0)


def _onboard(page: Page) -> None:
    from tests.e2e.flows import answer_measures, answer_screening, choose_profile

    answer_screening(page)
    answer_measures(page)
    choose_profile(page)
    expect(page.get_by_role("heading", name="Your program is ready")).to_be_visible()


def _train_with_a_flare(page: Page, base_url: str) -> None:
    """A session started at 2/10 whose worst pain was 8/10: a flare (pain-monitoring model)."""
    page.goto(f"{base_url}/today")
    pick_pain(page, "How is your back pain right now?", 2)
    page.get_by_role("button", name="Start the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")
    first = page.locator("form.set-form").first
    first.locator("input[name=reps], input[name=seconds], input[name=steps]").fill("8")
    first.get_by_label("In the target muscles").check()
    first.locator("[data-save]").click()
    expect(first.locator("[data-status]")).to_have_text("Sent")  # the outbox sent it
    pick_pain(page, "What was the worst pain during the session?", 8)
    pick_pain(page, "How is your back pain now?", 6)
    page.get_by_label("I have no pain, numbness or tingling in a leg").check()
    page.get_by_role("button", name="Finish the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session done")


def test_a_flare_reaches_the_coach_who_changes_the_program_the_client_sees_on_today(
    browser: Browser, server: tuple[str, str]
) -> None:
    base_url, database_url = server
    token = _coach_and_calm_client(database_url)
    person = new_page(browser, phone=True)
    coach_page = new_page(browser, phone=False)
    try:
        sign_up(person, base_url, FLARING)
        _onboard(person)
        person.goto(f"{base_url}/join/{token}")
        person.get_by_role("button", name="Agree and share").click()
        expect(person.get_by_text("You now share with your coach.")).to_be_visible()
        _train_with_a_flare(person, base_url)

        # The caseload: the flaring client first, the flare said in words; the calm one after.
        _log_in(coach_page, base_url, COACH)
        coach_page.goto(f"{base_url}/coach")
        rows = coach_page.locator("table tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.first.get_by_role("link")).to_have_text(FLARING)
        expect(rows.first).to_contain_text("Pain flare after the session on")
        expect(rows.first).to_contain_text("8/10 during")
        expect(rows.nth(1).get_by_role("link")).to_have_text(CALM)
        check_page(coach_page, "flow-caseload")

        # The client's page, then the program: a swap with a note.
        rows.first.get_by_role("link").click()
        expect(coach_page.get_by_role("heading", level=1)).to_contain_text(FLARING)
        check_page(coach_page, "flow-client")
        coach_page.get_by_role("link", name="Change the program").click()
        expect(coach_page.get_by_role("heading", name="Current program")).to_be_visible()
        check_page(coach_page, "flow-program")
        coach_page.get_by_text("Swap an exercise").click()
        put_in = coach_page.get_by_label("Put in")
        group = put_in.locator("optgroup").first
        replaced = (group.get_attribute("label") or "").removeprefix("In place of ")
        coach_page.get_by_label("Take out").select_option(label=replaced)
        first_choice = group.locator("option").first
        put_in.select_option(first_choice.get_attribute("value") or "")
        chosen = first_choice.inner_text().strip()
        coach_page.locator("#swap-note").fill(NOTE)
        coach_page.get_by_role("button", name="Swap", exact=True).click()
        expect(coach_page.get_by_text("the change is in the program now")).to_be_visible()
        expect(coach_page.locator("#history").get_by_text(NOTE)).to_be_visible()

        # A dose beyond the method's 2-3 sets is answered next to its field, with what was typed.
        coach_page.get_by_text("Set or lock a dose").click()
        coach_page.locator("#dose-exercise").select_option(index=1)
        coach_page.locator("#dose-sets").fill("5")
        coach_page.get_by_role("button", name="Set the dose").click()
        expect(coach_page.locator("#dose-sets-error")).to_be_visible()
        expect(coach_page.locator("#dose-sets")).to_have_value("5")
        check_page(coach_page, "flow-program-problems")

        # The client's Today: the coach's exercise, said to be theirs, with the note.
        person.goto(f"{base_url}/today")
        expect(person.get_by_text("Set by your coach", exact=True)).to_be_visible()
        expect(person.get_by_text(NOTE)).to_be_visible()
        expect(person.get_by_text(chosen.split(" (")[0]).first).to_be_visible()
        check_page(person, "flow-today-set-by-coach")
    finally:
        person.context.close()
        coach_page.context.close()
