"""The installable app in real Chromium on a 360 px phone: the service worker installs and
controls the page, keeps Today (with its files) for offline use, so that Today reloads with the
network off; a page never kept gives the offline page (axe-checked at phone and desktop width);
a release that changes a static file installs a new worker that takes over once the old pages
are closed, with only its own version's caches and pages; and logging out forgets kept pages."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from backcoach.settings import Settings
from backcoach.web import app as web_app
from backcoach.web import static_files
from backcoach.web.app import create_app
from backcoach.web.routes import offline
from tests.e2e.flows import (
    PASSWORD,
    answer_measures,
    answer_screening,
    check_page,
    choose_profile,
    sign_up,
    until_promised,
)
from tests.support.browser import new_page
from tests.support.live_server import live_server

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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A live server whose static files are a copy the test may change (a new release), never
    the tracked ones."""
    folder = tmp_path_factory.mktemp("installable")
    static = folder / "static"
    shutil.copytree(static_files.static_folder(), static, ignore=shutil.ignore_patterns("camera"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(static_files, "static_folder", lambda: static)
        patch.setattr(web_app, "static_folder", lambda: static)
        static_files._versions.cache_clear()
        try:
            app = create_app(Settings(database_url=f"sqlite:///{folder / 'e2e.db'}"))
            with live_server(app, lifespan="on") as url:
                yield url, static
        finally:
            static_files._versions.cache_clear()


def _release(static: Path) -> str:
    """A new release: app.css changes, so its address and the worker's version change."""
    with (static / "app.css").open("a") as css:
        css.write("/* the next release */\n")
    static_files._versions.cache_clear()
    return offline.build_version()


#: The addresses of files the kept pages name that this version's files cache lacks.
MISSING_FILES = """async () => {
  const names = await caches.keys();
  const files = await caches.open(names.find((name) => name.startsWith("backcoach-files-")));
  const missing = [];
  for (const name of names.filter((name) => name.startsWith("backcoach-kept-"))) {
    const kept = await caches.open(name);
    for (const request of await kept.keys()) {
      const html = await (await kept.match(request)).text();
      for (const address of html.match(/\\/(static|pictures)\\/[^"'\\s<>]+/g) || []) {
        const file = address.replace(/&amp;/g, "&");
        if (!(await files.match(file, { ignoreVary: true }))) missing.push(file);
      }
    }
  }
  return missing;
}"""


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/today")


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


def _wait_for_caches_of(context: BrowserContext, version: str) -> None:
    """Poll, inside the worker of ``version`` (no page is open), until it has taken over and
    deleted every older version's cache."""
    deadline = time.monotonic() + KEEP_TIMEOUT_S
    names: list[str] = []
    while True:
        for worker in context.service_workers:
            try:
                if worker.evaluate("self.BACKCOACH.version") == version:
                    names = worker.evaluate("caches.keys()")
            except PlaywrightError:  # the old worker, stopped
                continue
        if names and all(f"-{version}" in name for name in names):
            return
        assert time.monotonic() < deadline, f"still not only {version}'s caches: {names}"
        time.sleep(0.1)


def test_the_app_installs_works_offline_and_says_what_it_cannot_show(
    browser: Browser, server: tuple[str, Path]
) -> None:
    base_url, static = server
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
        # Chromium finds the manifest sound and the app installable (a test's browser context is
        # off the record, which alone keeps it from offering to install).
        cdp = page.context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
        installability = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert [e["errorId"] for e in installability if e["errorId"] != "in-incognito"] == []
        # The outbox runs in the worker too (importScripts), for Background Sync to flush it.
        [worker] = page.context.service_workers
        assert worker.evaluate("typeof self.backcoachOutbox.flush") == "function"
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
        # A form posted with no connection (from the kept Today) gets the offline page, never
        # the browser's error, and it says to send it again.
        page.goto(f"{base_url}/today")
        expect(page.get_by_text("it did not reach the server")).to_have_count(0)
        page.evaluate(
            """() => { const form = document.createElement("form");
            form.method = "post"; form.action = "/reminders";
            document.body.append(form); form.submit(); }"""
        )
        expect(page.get_by_text("it did not reach the server")).to_be_visible()

        page.context.set_offline(False)
        version = _release(static)
        page.goto(f"{base_url}/today")  # the browser checks /sw.js and installs the new worker
        until_promised(page, "navigator.serviceWorker.getRegistration().then((r) => !!r.waiting)")
        # It waits while a page of the old version is open; closed, the new one takes over.
        context = page.context
        page.close()
        _wait_for_caches_of(context, version)
        page = context.new_page()
        page.goto(f"{base_url}/tight")
        found = _caches(page)
        assert {"/today", "/tight"} <= {p for n, held in found.items() if "kept" in n for p in held}
        # The kept Today is the new release's, naming the new app.css, which its cache holds.
        kept_today = page.evaluate("caches.match('/today').then((r) => r.text())")
        assert static_files.static_url("app.css") in kept_today
        # Every file a kept page names is in the new version's cache: none from an older one.
        assert page.evaluate(MISSING_FILES) == []
        context.set_offline(True)
        page.goto(f"{base_url}/today")
        bar = page.locator("header.site").evaluate("e => getComputedStyle(e).backgroundColor")
        assert bar == "rgb(31, 95, 91)"
        context.set_offline(False)

        page.goto(f"{base_url}/account")
        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(f"{base_url}/")
        remaining = _caches(page)
        assert not [name for name in remaining if name.startswith("backcoach-kept-")], remaining
        # The files stay (no one's data): the offline page still answers for the next person.
        assert "/offline" in remaining[f"backcoach-files-{version}"]

        # A login that ended without the worker seeing it (expired, cookies cleared): the next
        # page anyone opens, the login page here, drops the kept pages, so offline nobody gets
        # the last person's Today (nor logs onto it as them).
        _log_in(page, base_url, "offline@example.com")
        _wait_until_kept(page, {"/today"})
        page.context.clear_cookies()
        page.goto(f"{base_url}/login")
        deadline = time.monotonic() + KEEP_TIMEOUT_S
        while [name for name in _caches(page) if name.startswith("backcoach-kept-")]:
            assert time.monotonic() < deadline, _caches(page)
            page.wait_for_timeout(100)
        page.context.set_offline(True)
        page.goto(f"{base_url}/today")
        expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
        page.context.set_offline(False)
    finally:
        page.context.close()
