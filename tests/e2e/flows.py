"""Steps a person takes in the browser, shared by the end-to-end tests."""

from __future__ import annotations

import datetime as dt
import time

from playwright.sync_api import Page, expect

from backcoach.engine.red_flags import PREGNANCY_QUESTION
from backcoach.engine.screening import RED_FLAGS
from backcoach.wording.screening_words import say_screening
from tests.support.browser import (
    TAKE_SCREENSHOTS,
    assert_accessible,
    csp_violations,
    screenshot,
)

PASSWORD = "a long enough password"


def check_page(page: Page, name: str, *, full_page: bool = True) -> None:
    """Every main page: no axe violations, and a screenshot at phone and desktop width (of the
    whole page, or for long ones what the screen shows), and nothing blocked by the CSP."""
    blocked = csp_violations(page)
    assert not blocked, f"{name} ({page.url}): the Content-Security-Policy blocked {blocked}"
    assert_accessible(page, name)
    size = page.viewport_size
    if TAKE_SCREENSHOTS:
        screenshot(page, name, phone=True, full_page=full_page)
    page.set_viewport_size({"width": 1280, "height": 800})
    if TAKE_SCREENSHOTS:
        screenshot(page, name, phone=False, full_page=full_page)
    assert_accessible(page, f"{name} (desktop)")
    if size:
        page.set_viewport_size(size)


def sign_up(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Sign-up answers the same for a taken email, so it logs no one in: log in next.
    expect(page).to_have_url(f"{base_url}/login?account=ready")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/onboarding/screening")


def answer_screening(page: Page, yes: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    page.get_by_label("How old are you?").fill("44")
    pregnancy = say_screening(PREGNANCY_QUESTION)
    page.get_by_role("group", name=pregnancy).get_by_label("No", exact=True).check()
    for flag in RED_FLAGS:
        group = page.get_by_role("group", name=say_screening(flag.question))
        group.get_by_label("Yes" if flag.id in yes else "No", exact=True).check()
    page.get_by_role("button", name="Continue").click()


def answer_measures(page: Page) -> None:
    pick_pain(page, "How bad is your back pain right now?", 6)
    page.get_by_label("Activity 1").fill("Putting on socks")
    page.locator("#psfs_score_1").fill("4")
    page.get_by_label("Total score").fill("2")
    page.get_by_label("Psychosocial subscore").fill("1")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Continue").click()  # past "Your starting point"


def choose_profile(page: Page) -> None:
    page.get_by_label("Little or none").check()
    page.get_by_label("How many days a week could you train?").fill("4")
    page.get_by_label("A resistance band").check()
    page.get_by_role("button", name="Make my program").click()


def pick_pain(page: Page, question: str, score: int) -> None:
    page.get_by_role("group", name=question).get_by_label(str(score), exact=True).check()


def let_a_night_pass(page: Page, base_url: str) -> None:
    """Move the server's clock and the page's on by 20 hours: the next morning, for both (the
    outbox stamps what the person does with the page's time, and the server places it there)."""
    from tests.e2e.conftest import CLOCKS

    night = dt.timedelta(hours=20)
    CLOCKS[base_url].ahead += night
    page.clock.install()
    page.clock.set_system_time(dt.datetime.now(dt.UTC) + CLOCKS[base_url].ahead)


def until_promised(page: Page, check: str, *, timeout_s: float = 15.0) -> None:
    """Wait until a check that answers with a promise resolves true. Playwright's
    wait_for_function takes the promise itself for a true value and returns at once."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(check):
        assert time.monotonic() < deadline, f"not true after {timeout_s} s: {check}"
        page.wait_for_timeout(100)
