"""The installable app in real Chromium on a 360 px phone: the service worker installs and
controls the page, keeps Today (with its files) for offline use, so that Today reloads with the
network off; a page never kept gives the offline page (axe-checked at phone and desktop width);
and logging out forgets the kept pages."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.flows import answer_measures, answer_screening, check_page, choose_profile, sign_up
from tests.support.browser import new_page

pytestmark = pytest.mark.e2e

KEEP_TIMEOUT_S = 15.0
#: The names of this origin's caches and the addresses each holds.
CACHES = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    found[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  }
  return found;
}"""


def _caches(page: Page) -> dict[str, list[str]]:
    found: dict[str, list[str]] = page.evaluate(CACHES)
    return found


def _wait_until_kept(page: Page, paths: set[str]) -> dict[str, list[str]]:
    """Poll the caches until the worker has kept ``paths`` (it fetches in the background)."""
    deadline = time.monotonic() + KEEP_TIMEOUT_S
    while True:
        found = _caches(page)
        kept = {path for name, held in found.items() if name.startswith("backcoach-kept-")
                for path in held}  # fmt: skip
        if paths <= kept:
            return found
        assert time.monotonic() < deadline, f"{paths} not kept after {KEEP_TIMEOUT_S}s: {found}"
        page.wait_for_timeout(100)


def test_the_app_installs_works_offline_and_says_what_it_cannot_show(
    browser: Browser, base_url: str
) -> None:
    page = new_page(browser, phone=True, service_workers="allow")
    try:
        sign_up(page, base_url, "offline@example.com")
        answer_screening(page)
        answer_measures(page)
        choose_profile(page)
        page.goto(f"{base_url}/today")
        # Installed from the root, and in control of this page (clients.claim).
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)")
        assert scope == f"{base_url}/"
        # Today's list (its meta backcoach-offline): the pages, and the files they name.
        found = _wait_until_kept(page, {"/today", "/tight"})
        [files] = [name for name in found if name.startswith("backcoach-files-")]
        assert {"/offline", "/static/app.css", "/static/outbox.js", "/static/tight.js"} <= set(
            found[files]
        )

        page.context.set_offline(True)
        page.reload()
        expect(page.get_by_role("link", name="Today", exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        # Its stylesheet came from the worker's cache too: the brand bar is green.
        bar = page.locator("header.site").evaluate("e => getComputedStyle(e).backgroundColor")
        assert bar == "rgb(31, 95, 91)"

        page.goto(f"{base_url}/progress")  # never kept: the offline page, at the address asked
        expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
        expect(page.get_by_role("main").get_by_role("link", name="I feel tight")).to_be_visible()
        assert page.url == f"{base_url}/progress"
        check_page(page, "offline")

        page.context.set_offline(False)
        page.goto(f"{base_url}/account")
        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(f"{base_url}/")
        remaining = _caches(page)
        assert not [name for name in remaining if name.startswith("backcoach-kept-")], remaining
    finally:
        page.context.close()
