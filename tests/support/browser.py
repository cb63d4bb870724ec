"""A real browser for end-to-end tests: Debian's chromium driven by Playwright (pip).

Playwright's own browser downloads are never used (the network reaches only PyPI and Debian);
``bash scripts/test.sh`` installs the ``chromium`` package, whose launcher is /usr/bin/chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI and containers
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Containers often have a tiny /dev/shm; Debian's launcher means to add this flag then, but
    # its check breaks when findmnt prints two lines, so add it always (it costs nothing).
    "--disable-dev-shm-usage",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# Tests never write into tracked files: screenshots go to the ignored build/ folder, unless
# BACKCOACH_SCREENSHOTS names another (`BACKCOACH_SCREENSHOTS=docs/screenshots` refreshes the
# pictures the docs show).
#: Screenshots are for people to look at: taken on a developer's machine, or wherever
#: BACKCOACH_SCREENSHOTS names a folder, but not in CI (CI=true), where nobody looks at them and
#: each whole page at twice the pixels costs about a second. The checks around them run anyway.
TAKE_SCREENSHOTS = "BACKCOACH_SCREENSHOTS" in os.environ or os.environ.get("CI", "") != "true"
SCREENSHOTS = Path(
    os.environ.get(
        "BACKCOACH_SCREENSHOTS",
        Path(__file__).resolve().parents[2] / "build" / "screenshots",
    )
)
AXE_TARGETS_SHOWN = 3
#: Every document records what its Content-Security-Policy blocked (see csp_violations).
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@contextmanager
def chromium(executable: Path = CHROMIUM) -> Iterator[Browser]:
    """Start Playwright and a headless Debian chromium; close both afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser, *, phone: bool, **context: Any) -> Page:
    """A page in a fresh context (own cookies and storage) at phone or desktop size.

    Close it with ``page.context.close()``. Extra keyword arguments go to ``new_context``.
    The app's service worker (/sw.js) is blocked unless a test passes
    ``service_workers="allow"`` (the offline tests do): a worker answers requests that
    ``page.route`` then never sees, and installing it costs each test a little time.
    """
    options: dict[str, Any] = {
        **(PHONE if phone else DESKTOP),
        "locale": "en-GB",
        "service_workers": "block",
        **context,
    }
    opened = browser.new_context(**options)
    opened.add_init_script(RECORD_CSP_VIOLATIONS)
    return opened.new_page()


def csp_violations(page: Page) -> list[str]:
    """What the page's Content-Security-Policy blocked since it loaded (if new_page opened it)."""
    found: list[str] = page.evaluate("window.cspViolations || []")
    return found


def _describe(violation: dict[str, Any]) -> str:
    nodes = violation.get("nodes", [])
    targets = [" ".join(map(str, node.get("target", []))) for node in nodes[:AXE_TARGETS_SHOWN]]
    more = f" (+{len(nodes) - AXE_TARGETS_SHOWN} more)" if len(nodes) > AXE_TARGETS_SHOWN else ""
    return (
        f"- {violation.get('id')} [{violation.get('impact')}]: {violation.get('help')}\n"
        f"    at {', '.join(targets)}{more}\n"
        f"    see {violation.get('helpUrl', '')}"
    )


def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (WCAG A/AA and best-practice rules)."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def assert_accessible(page: Page, name: str) -> None:
    """Fail, listing each rule broken, where, and how to fix it, if axe finds any violation."""
    violations = accessibility_violations(page)
    if violations:
        listing = "\n".join(_describe(violation) for violation in violations)
        raise AssertionError(
            f"{name} ({page.url}): {len(violations)} accessibility violation(s):\n{listing}"
        )


def screenshot(
    page: Page, name: str, *, phone: bool, folder: Path = SCREENSHOTS, full_page: bool = True
) -> Path:
    """Save a PNG (the whole page, or what the screen shows) as
    ``{folder}/{name}-{phone|desktop}.png``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{'phone' if phone else 'desktop'}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
