"""Plain words in real Chromium, axe-checked at phone and desktop width: a form sent with gaps
lists each question by name, and following a line of that list lands on its question; the
measures name their questionnaires in plain words."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.flows import check_page, sign_up
from tests.support.browser import new_page

pytestmark = pytest.mark.e2e


def test_an_error_list_names_each_question_and_leads_to_it(browser: Browser, base_url: str) -> None:
    page = new_page(browser, phone=True)
    page.goto(f"{base_url}/signup")
    page.get_by_role("button", name="Create account").click()
    summary = page.locator("#error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        ["Email: Please fill this in.", "Password: Please fill this in."]
    )
    check_page(page, "signup-errors")

    sign_up(page, base_url, "words@example.com")
    page.get_by_label("How old are you?").fill("44")
    page.get_by_role("button", name="Continue").click()
    weight_loss = summary.get_by_role("link", name="Weight loss: please answer yes or no.")
    weight_loss.click()
    expect(page).to_have_url(f"{base_url}/onboarding/screening#weight_loss")
    expect(page.locator("#weight_loss")).to_be_in_viewport()
    check_page(page, "screening-errors", full_page=False)

    page.goto(f"{base_url}/onboarding/measures")
    page.get_by_role("button", name="Continue").click()
    expect(summary.get_by_role("link")).to_contain_text(["Pain right now:", "Activity 1:"])
    page.get_by_text("Optional: Oswestry or Roland-Morris scores").click()
    expect(page.get_by_label("Worry and mood part (psychosocial subscore, 0-5)")).to_be_visible()
    expect(page.get_by_text("Both are questionnaires about how much back pain")).to_be_visible()
    check_page(page, "measures-errors")
