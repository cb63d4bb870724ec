"""The camera's files and the service worker, in real Chromium: never fetched on install nor
with a kept page, kept in a cache of their own once the camera fetches them (never a Range
request's part), and across a new version served from that cache with no request to the server,
except a file whose bytes changed, whose old copy goes (docs/web.md "Offline use").

The camera's real files (17 MB, scripts/camera_assets.sh) are stood in for by small ones: what
the worker does depends on their addresses, not on their bytes."""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from backcoach.settings import Settings
from backcoach.web import app as web_app
from backcoach.web import static_files
from backcoach.web.app import create_app
from backcoach.web.routes import offline
from tests.support.browser import new_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e

WAIT_S = 15.0
RUNTIME, MODEL = "camera/vision_bundle.mjs", "camera/pose_landmarker_lite.task"
#: Each cache's name -> the addresses (path and query) it holds.
CACHES = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    const held = (await (await caches.open(name)).keys()).map((r) => new URL(r.url));
    found[name] = held.map((url) => url.pathname + url.search);
  }
  return found;
}"""
#: Fetch past the browser's HTTP cache (the worker's own fetch inherits no-store), so that an
#: answer not from the worker's cache is a request the server sees.
FETCH = """async ([address, range]) => {
  const headers = range ? { Range: range } : {};
  const answer = await fetch(address, { cache: "no-store", headers });
  return [answer.status, await answer.text()];
}"""

ASGI = Callable[..., Awaitable[None]]


def _counting(app: ASGI, asked: list[str]) -> ASGI:
    """The app, noting the path and query of every HTTP request that reaches the server."""

    async def counted(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            asked.append(scope["path"] + "?" + scope["query_string"].decode())
        await app(scope, receive, send)

    return counted


@pytest.fixture
def server(tmp_path: Path, migrated_sqlite_template: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """A live server of a copy of the static files with two small camera files, and the list of
    addresses the server was asked for."""
    static = tmp_path / "static"
    shutil.copytree(static_files.static_folder(), static, ignore=shutil.ignore_patterns("camera"))
    (static / "camera").mkdir()
    (static / RUNTIME).write_text("export const runtime = 1;\n")
    (static / MODEL).write_bytes(b"model, first release\n")
    shutil.copy(migrated_sqlite_template, tmp_path / "e2e.db")
    asked: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(static_files, "static_folder", lambda: static)
        patch.setattr(web_app, "static_folder", lambda: static)
        static_files._versions.cache_clear()
        try:
            settings = Settings(database_url=f"sqlite:///{tmp_path / 'e2e.db'}")
            app = create_app(settings)
            with live_server(_counting(app, asked), lifespan="on") as url:
                yield url, static, asked
        finally:
            static_files._versions.cache_clear()


def _caches(page: Page) -> dict[str, list[str]]:
    found: dict[str, list[str]] = page.evaluate(CACHES)
    return found


def _camera_cache(page: Page, holding: str) -> list[str]:
    """The camera cache's addresses, once it holds ``holding`` (the worker puts it meanwhile)."""
    deadline = time.monotonic() + WAIT_S
    while holding not in (held := _caches(page).get("backcoach-camera", [])):
        assert time.monotonic() < deadline, f"{holding} not in the camera cache: {_caches(page)}"
        page.wait_for_timeout(50)
    return held


def _until(page: Page, predicate: str) -> None:
    """Poll ``predicate`` in the page until it is true (its promise awaited, which
    wait_for_function does not do)."""
    deadline = time.monotonic() + WAIT_S
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"not true after {WAIT_S} s: {predicate}"
        page.wait_for_timeout(50)


def _fetch(page: Page, address: str, range_: str = "") -> tuple[int, str]:
    status, text = page.evaluate(FETCH, [address, range_])
    return int(status), str(text)


def _wait_for_version(context: BrowserContext, version: str, old: str) -> None:
    """Poll the worker of ``version`` (no page open) until it has taken over: the older
    version's files cache is gone, which it deletes after pruning the camera cache."""
    deadline = time.monotonic() + WAIT_S
    while True:
        for worker in context.service_workers:
            try:
                if worker.evaluate("self.BACKCOACH.version") == version:
                    names = worker.evaluate("caches.keys()")
                    if names and f"backcoach-files-{old}" not in names:
                        return
            except PlaywrightError:  # the old worker, stopped
                continue
        assert time.monotonic() < deadline, f"version {version} (after {old}) did not take over"
        time.sleep(0.1)


def test_camera_files_are_kept_apart_and_outlive_a_new_version(
    browser: Browser, server: tuple[str, Path, list[str]]
) -> None:
    base_url, static, asked = server
    runtime, model = static_files.static_url(RUNTIME), static_files.static_url(MODEL)
    old = offline.build_version()
    page = new_page(browser, phone=True, service_workers="allow")
    context = page.context
    try:
        page.goto(f"{base_url}/login")
        _until(page, "() => navigator.serviceWorker.controller !== null")
        # Installed with its shell, and not one camera file fetched.
        assert f"backcoach-files-{old}" in _caches(page)
        assert not [a for a in asked if a.startswith("/static/camera/")], asked
        # Asked to keep a page's files, it leaves a camera file alone (a kept page may name one).
        tight = static_files.static_url("tight.js")
        page.evaluate(
            "(urls) => navigator.serviceWorker.controller.postMessage("
            "{ type: 'keep', urls, user: 'someone' })",
            [runtime, tight],
        )
        deadline = time.monotonic() + WAIT_S
        while tight not in _caches(page)[f"backcoach-files-{old}"]:
            assert time.monotonic() < deadline, _caches(page)
            page.wait_for_timeout(50)
        assert runtime not in asked

        # A Range request passes through: its part (206) is never kept as the file.
        assert _fetch(page, model, "bytes=0-4") == (206, "model")
        assert model not in _caches(page).get("backcoach-camera", [])
        # Whole answers are kept, in the camera's cache only.
        assert _fetch(page, runtime) == (200, "export const runtime = 1;\n")
        assert _fetch(page, model)[0] == 200
        assert sorted(_camera_cache(page, model)) == sorted([runtime, model])
        assert _fetch(page, model, "bytes=0-4") == (206, "model")  # a part still, not the whole
        assert not [a for a in _caches(page)[f"backcoach-files-{old}"] if "/camera/" in a]
        # Cache-first: asked again, the server sees nothing.
        seen = len(asked)
        assert _fetch(page, runtime)[0] == 200
        assert asked[seen:] == []

        # A new version whose model's bytes changed (so did its address); the runtime did not.
        (static / MODEL).write_bytes(b"model, second release\n")
        static_files._versions.cache_clear()
        version, new_model = offline.build_version(), static_files.static_url(MODEL)
        assert new_model != model and static_files.static_url(RUNTIME) == runtime
        page.goto(f"{base_url}/login")  # the browser checks /sw.js and installs the new worker
        _until(page, "async () => !!(await navigator.serviceWorker.getRegistration()).waiting")
        page.close()  # it takes over once no page of the old version is open
        _wait_for_version(context, version, old)
        page = context.new_page()
        page.goto(f"{base_url}/login")
        assert _caches(page)["backcoach-camera"] == [runtime]  # the old model's copy went
        seen = len(asked)
        assert _fetch(page, runtime) == (200, "export const runtime = 1;\n")
        assert asked[seen:] == []  # served from the camera cache: no request, no new download
        assert _fetch(page, new_model) == (200, "model, second release\n")
        assert sorted(_camera_cache(page, new_model)) == sorted([runtime, new_model])
    finally:
        context.close()
