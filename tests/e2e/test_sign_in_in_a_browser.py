"""Signing in and reminders in real Chromium, axe-checked at phone and desktop width on each new
page: a forgotten password reset through the emailed link, then reminders chosen and a
notification shown once, at the chosen time, while the app is open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from starlette.types import ASGIApp

from backcoach.settings import Settings
from backcoach.web.app import create_app
from tests.e2e.flows import check_page
from tests.support.browser import new_page
from tests.support.live_server import live_server
from tests.support.smtp_stub import smtp_stub
from tests.web import onboard

pytestmark = pytest.mark.e2e
EMAIL = "sam@example.com"
NEW_PASSWORD = "a brand new long password"
#: BACKCOACH_BASE_URL: the emailed links start with it (the live server's port comes later).
EMAILED_BASE_URL = "https://backcoach.example.org"
#: The page's Notification, recorded: a headless browser shows none, and this one says what the
#: app asked for. Permission is granted when asked, as a person tapping "Allow" would, and kept
#: for the site (here in its storage) as a browser keeps it.
FAKE_NOTIFICATION = """
window.shownNotifications = [];
class FakeNotification {
  constructor(title, options) { window.shownNotifications.push({ title, ...options }); }
  static get permission() { return localStorage.getItem("fake.permission") || "default"; }
  static requestPermission() {
    localStorage.setItem("fake.permission", "granted");
    return Promise.resolve("granted");
  }
}
window.Notification = FakeNotification;
"""


Server = tuple[str, list[EmailMessage], ASGIApp]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A live server that sends its email to a stub SMTP server: its address, the mail, and the
    app (to set a person up in process, quicker than in the browser)."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-sign-in') / 'e2e.db'}"
    with smtp_stub() as (port, mailbox):
        settings = Settings(
            database_url=database_url,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_tls="none",
            smtp_from="backcoach@example.org",
            base_url=EMAILED_BASE_URL,
        )
        app = create_app(settings)
        with live_server(app, lifespan="on") as url:
            yield url, mailbox, app


def test_a_forgotten_password_then_reminders_on_a_phone(browser: Browser, server: Server) -> None:
    base_url, mailbox, app = server
    elsewhere = TestClient(app, follow_redirects=True)  # the person, logged in on another device
    onboard(elsewhere, EMAIL)
    page = new_page(browser, phone=True)
    page.context.add_init_script(FAKE_NOTIFICATION)
    try:
        page.goto(f"{base_url}/login")
        check_page(page, "login")
        page.get_by_role("link", name="Forgot your password?").click()
        check_page(page, "forgot")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_role("button", name="Send me a link").click()
        expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
        check_page(page, "forgot-sent")
        (message,) = mailbox
        link = re.search(
            rf"{re.escape(EMAILED_BASE_URL)}(/reset/[A-Za-z0-9_-]+)", message.get_content()
        )
        assert link, message.get_content()

        page.goto(f"{base_url}{link.group(1)}")  # the link's path, on the test's own server
        check_page(page, "reset")
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("The new password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save the new password").click()
        expect(page.get_by_text("Your password is changed")).to_be_visible()
        assert elsewhere.get("/today").url.path == "/login"  # the other login has ended
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(re.compile(r"/today$"))

        page.goto(f"{base_url}/account")
        page.get_by_role("link", name="Reminders").click()
        check_page(page, "reminders")
        page.get_by_label("Remind me on training days").check()
        page.get_by_label("At this time of day").fill("23:59")
        page.get_by_role("button", name="Save reminders").click()
        expect(page.get_by_text("Your reminders are saved")).to_be_visible()
        page.get_by_role("button", name="Allow notifications").click()
        expect(page.get_by_text("This device shows a notification")).to_be_visible()
        expect(page.get_by_role("button", name="Allow notifications")).to_be_hidden()

        # The app open on Today: nothing yet; at 23:59 (a fake clock) one notification, once.
        page.clock.install()
        page.goto(f"{base_url}/today")
        due = page.evaluate("fetch('/reminders/today.json').then((answer) => answer.json())")
        assert due["enabled"] and due["training_day"], due
        wait_ms = max(due["at_ms"] - page.evaluate("Date.now()"), 0)
        page.clock.run_for(wait_ms + 1000)
        shown = page.evaluate("window.shownNotifications")
        assert [note["tag"] for note in shown] == [f"backcoach-{due['day']}"]
        page.reload()
        page.clock.run_for(2000)
        assert page.evaluate("window.shownNotifications") == []  # a new page: none again today
    finally:
        page.context.close()
