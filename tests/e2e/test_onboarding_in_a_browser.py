"""A new person in a real browser: sign up, safety questions, measures, profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import (
    answer_measures,
    answer_screening,
    check_page,
    choose_profile,
    sign_up,
)

pytestmark = pytest.mark.e2e


def test_the_welcome_signup_and_login_pages_are_accessible(phone_page: Page, base_url: str) -> None:
    phone_page.goto(base_url)
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    check_page(phone_page, "home")
    phone_page.goto(f"{base_url}/signup")
    check_page(phone_page, "signup")
    phone_page.goto(f"{base_url}/login")
    check_page(phone_page, "login")


def test_bad_signup_input_is_shown_on_the_page(phone_page: Page, base_url: str) -> None:
    phone_page.goto(f"{base_url}/signup")
    phone_page.get_by_label("Email").fill("not-an-email")
    phone_page.get_by_label("Password").fill("short")
    phone_page.get_by_role("button", name="Create account").click()
    summary = phone_page.get_by_role("alert")
    expect(summary).to_contain_text("email address")
    expect(phone_page.get_by_label("Email")).to_have_value("not-an-email")
    check_page(phone_page, "signup-errors")


def test_a_red_flag_gives_a_clear_page_and_no_program(phone_page: Page, base_url: str) -> None:
    sign_up(phone_page, base_url, "flag@example.com")
    check_page(phone_page, "screening")
    answer_screening(phone_page, yes={"saddle_numbness"})
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Get help now")
    expect(phone_page.get_by_text("emergency department")).to_be_visible()
    check_page(phone_page, "referral")
    phone_page.goto(f"{base_url}/start")
    expect(phone_page).to_have_url(f"{base_url}/onboarding/referral")


def test_onboarding_without_red_flags_reaches_a_program(phone_page: Page, base_url: str) -> None:
    sign_up(phone_page, base_url, "new@example.com")
    answer_screening(phone_page)
    expect(phone_page).to_have_url(f"{base_url}/onboarding/measures")
    check_page(phone_page, "measures")
    answer_measures(phone_page)
    expect(phone_page).to_have_url(f"{base_url}/onboarding/profile")
    check_page(phone_page, "profile")
    choose_profile(phone_page)
    expect(phone_page).to_have_url(f"{base_url}/today?welcome=1")


def test_the_forms_work_by_keyboard_alone(desktop_page: Page, base_url: str) -> None:
    desktop_page.goto(f"{base_url}/signup")
    desktop_page.keyboard.press("Tab")  # skip link
    desktop_page.keyboard.press("Tab")  # brand link
    desktop_page.keyboard.press("Tab")
    desktop_page.keyboard.type("keys@example.com")
    desktop_page.keyboard.press("Tab")
    desktop_page.keyboard.type("a long enough password")
    desktop_page.keyboard.press("Enter")
    expect(desktop_page).to_have_url(f"{base_url}/login?account=ready")
    desktop_page.get_by_label("Email").focus()
    desktop_page.keyboard.type("keys@example.com")
    desktop_page.keyboard.press("Tab")
    desktop_page.keyboard.type("a long enough password")
    desktop_page.keyboard.press("Enter")
    expect(desktop_page).to_have_url(f"{base_url}/onboarding/screening")
