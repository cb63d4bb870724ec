"""The whole path a new person walks, in real Chromium at phone size, checked by axe on each page.

Sign up, onboard, a session logged set by set with the tab closed and reopened midway, finish,
the decision for next time, the morning check-in, a second session that earns a progression, a
tight moment, the exercise library, progress charts, the schedule and its ICS feed, export, and
account deletion.
"""

from __future__ import annotations

import json

import httpx
import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from tests.e2e.flows import (
    PASSWORD,
    answer_measures,
    answer_screening,
    check_page,
    choose_profile,
    let_a_night_pass,
    pick_pain,
    sign_up,
)
from tests.support.browser import new_page

pytestmark = pytest.mark.e2e


def _exercise_cards(page: Page) -> list[str]:
    found = page.locator("section.exercise.player").evaluate_all(
        "cards => cards.map(card => card.id)"
    )
    return [str(card) for card in found]


def _save_every_set(page: Page, felt: str = "In the target muscles", skip: int = 0) -> int:
    """Fill and save each set form at the top of its range; returns how many were saved."""
    saved = 0
    forms = page.locator("form.set-form")
    for index in range(forms.count()):
        if index < skip:
            continue
        form = forms.nth(index)
        if "(extra)" in form.locator(".set-title").inner_text():
            continue
        target = form.locator("input[name=reps], input[name=seconds], input[name=steps]")
        card = form.locator("xpath=ancestor::section[contains(@class, 'exercise')]")
        top = card.get_attribute("data-top") or "15"
        target.fill(top)
        form.get_by_label(felt).check()
        form.locator("[data-save]").click()
        expect(form.locator("[data-status]")).to_have_text("Sent")  # the outbox sent it
        saved += 1
    return saved


def _start_session(page: Page, base_url: str, pain: int = 3) -> None:
    page.goto(f"{base_url}/today")
    # Trained today already, or a rest day: the start form is folded away.
    again = page.get_by_text("start another anyway").or_(page.get_by_text("Train today anyway"))
    if again.count():
        again.click()
    pick_pain(page, "How is your back pain right now?", pain)
    page.get_by_role("button", name="Start the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")


def _finish(page: Page, during: int = 3, after: int = 2) -> None:
    pick_pain(page, "What was the worst pain during the session?", during)
    pick_pain(page, "How is your back pain now?", after)
    page.get_by_label("I have no pain, numbness or tingling in a leg").check()
    page.get_by_role("button", name="Finish the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session done")


def test_a_new_person_walks_the_whole_path(browser: Browser, base_url: str) -> None:
    page = new_page(browser, phone=True, accept_downloads=True)
    try:
        sign_up(page, base_url, "walker@example.com")
        answer_screening(page)
        answer_measures(page)
        choose_profile(page)
        expect(page.get_by_role("heading", name="Your program is ready")).to_be_visible()
        check_page(page, "today")

        # A session, saved set by set; the tab is closed midway and opened again.
        _start_session(page, base_url)
        check_page(page, "session")
        first = page.locator("form.set-form").first
        first.locator("input[name=reps], input[name=seconds], input[name=steps]").fill("12")
        first.get_by_label("In the target muscles").check()
        first.locator("[data-save]").click()
        expect(first.locator("[data-status]")).to_have_text("Sent")  # the outbox sent it
        expect(page.locator("#rest-timer")).to_be_visible()
        session_url = page.url
        context = page.context
        page.close()  # the tab is closed mid-session
        page = context.new_page()
        page.goto(f"{base_url}/today")
        page.get_by_role("link", name="Continue your session").click()
        expect(page).to_have_url(session_url)
        reopened = page.locator("form.set-form").first
        expect(
            reopened.locator("input[name=reps], input[name=seconds], input[name=steps]")
        ).to_have_value("12")
        expect(reopened.locator("[data-status]")).to_have_text("Sent")  # the outbox sent it
        _save_every_set(page, skip=1)
        _finish(page)
        expect(page.get_by_role("heading", name="Next time")).to_be_visible()
        check_page(page, "session-done")

        # The next-morning check-in, with the red-flag questions again: the same evening it
        # asks only the warning signs; the pain question opens the morning after.
        page.get_by_role("link", name="Go to the morning check-in").click()
        expect(page.get_by_text("The pain question opens tomorrow morning")).to_be_visible()
        let_a_night_pass(page, base_url)
        page.reload()
        pick_pain(page, "How is your back pain this morning?", 2)
        answer_screening_on_checkin(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Thanks for checking in")

        # A second session at the top of every range earns a progression.
        _start_session(page, base_url)
        _save_every_set(page)
        _finish(page)
        expect(page.get_by_text("Moves up").first).to_be_visible()
        page.goto(f"{base_url}/today")
        expect(page.get_by_text("Moves up").first).to_be_visible()

        # A tight moment.
        page.goto(f"{base_url}/tight")
        check_page(page, "tight")
        page.get_by_role("button", name="I feel tight now").click()
        expect(page.get_by_role("heading", name="Do this now", exact=False)).to_be_visible()

        # The exercise library from the menu, and one exercise's own page.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Exercises").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Exercises")
        check_page(page, "exercises", full_page=False)  # the whole library is 3 MB as a PNG
        page.get_by_role("link", name="Glute bridge", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Glute bridge")
        check_page(page, "exercise")

        # Progress: charts drawn on the server, and no request leaves it.
        outside: list[str] = []
        page.on(
            "request", lambda r: outside.append(r.url) if not r.url.startswith(base_url) else None
        )
        page.goto(f"{base_url}/progress")
        expect(page.locator("svg").first).to_be_visible()
        check_page(page, "progress")
        assert outside == []
        page.goto(f"{base_url}/progress/reassess")
        check_page(page, "reassess")

        # The schedule and its ICS feed, fetched and parsed as a calendar app would.
        page.goto(f"{base_url}/schedule")
        check_page(page, "schedule")
        feed = page.locator("#feed-url").input_value()
        calendar = Calendar.from_ical(httpx.get(feed).content)
        events = list(calendar.walk("VEVENT"))
        assert len(events) >= 4
        assert all("backcoach" in str(event.get("SUMMARY")) for event in events)

        # Export: everything entered comes back.
        page.goto(f"{base_url}/account")
        check_page(page, "account")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download as JSON").click()
        exported = json.loads(download.value.path().read_text())
        assert exported["account"]["email"] == "walker@example.com"
        assert len(exported["training_sessions"]) == 2

        # Delete the account; the login no longer works.
        page.locator("#delete_password").fill(PASSWORD)
        page.get_by_label("Yes, delete my account and all my data").check()
        page.get_by_role("button", name="Delete my account").click()
        expect(page).to_have_url(f"{base_url}/goodbye")
        check_page(page, "goodbye")
        page.goto(f"{base_url}/today")
        expect(page).to_have_url(f"{base_url}/login")
    finally:
        page.context.close()


def answer_screening_on_checkin(page: Page) -> None:
    for group in page.locator("fieldset.question").all():
        group.get_by_label("No", exact=True).check()
    check_page(page, "checkin")
    page.get_by_role("button", name="Send my check-in").click()
