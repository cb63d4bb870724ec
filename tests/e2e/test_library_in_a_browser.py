"""The exercise library and the progress charts in real Chromium on a 360 px phone: the first
load of /exercises fetches little (groups folded, pictures lazy), the search filters as the
person types, the charts' text reads at 12 px or more; axe-clean at phone and desktop width."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from backcoach.catalogue import default_catalogue
from backcoach.settings import Settings
from backcoach.web.app import create_app
from tests.e2e.flows import answer_measures, answer_screening, check_page, choose_profile, sign_up
from tests.integration.test_web_progress import FakeClock, feel_tight, train
from tests.support.browser import new_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e
EMAIL = "sam@example.com"  # the person tests/integration/test_web_progress.py's helpers train
#: The library's first load fetched 64 addresses before issue 13 (every still strip at once).
MOST_FIRST_LOAD_REQUESTS = 20
STARTED = dt.datetime.now(dt.UTC).replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(
    days=12
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, FakeClock]]:
    """A live server on a clock the test moves, and its database's URL."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-library') / 'e2e.db'}"
    app = create_app(Settings(database_url=database_url))
    clock = FakeClock(STARTED)
    app.state.clock = clock  # type: ignore[attr-defined]
    with live_server(app, lifespan="on") as url:
        yield url, database_url, clock


def _chart_text_px(page: Page) -> float:
    """The smallest chart text as shown: its font size times the SVG's shrink on the screen."""
    smallest: float = page.evaluate(
        """() => {
          let smallest = Infinity;
          for (const svg of document.querySelectorAll("svg.pygal-chart")) {
            const shrink = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            for (const text of svg.querySelectorAll("text")) {
              if (text.closest(".tooltip") || !text.textContent.trim()) continue;
              const size = parseFloat(getComputedStyle(text).fontSize) * shrink;
              smallest = Math.min(smallest, size);
            }
          }
          return smallest;
        }"""
    )
    return smallest


def test_the_library_loads_light_searches_as_you_type_and_the_charts_read_on_a_phone(
    browser: Browser, server: tuple[str, str, FakeClock]
) -> None:
    base_url, database_url, clock = server
    person = new_page(browser, phone=True)
    try:
        sign_up(person, base_url, EMAIL)
        answer_screening(person)
        answer_measures(person)
        choose_profile(person)
        expect(person.get_by_role("heading", name="Your program is ready")).to_be_visible()
        login = person.context.storage_state()
    finally:
        person.context.close()
    for offset, pain in ((0, 6), (2, 5), (4, 5), (7, 4), (9, 3)):
        train(database_url, STARTED.date() + dt.timedelta(days=offset), pain_before=pain)
        feel_tight(database_url, STARTED + dt.timedelta(days=offset, hours=2))
    clock.advance(10)

    page = new_page(browser, phone=True, storage_state=login)  # an empty cache, logged in
    try:
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(f"{base_url}/exercises")
        page.wait_for_load_state("networkidle")
        print(f"\n/exercises first load at 360 px: {len(fetched)} requests")
        assert len(fetched) <= MOST_FIRST_LOAD_REQUESTS, fetched
        # Folded: the person's own program's groups are open, mobility and "left out" not.
        assert page.locator("details.library-group[open]").count() == 3
        for folded in ("mobility", "left-out"):
            assert not page.locator(f"details#{folded}").evaluate("details => details.open")
        check_page(page, "exercises")

        prescribable = [e for e in default_catalogue().exercises if e.prescribable]
        clams = [e.name for e in prescribable if "clam" in e.name.lower()]
        page.get_by_label("Search by name, muscle or equipment").press_sequentially("clam")
        shown = page.locator("li.library-item:visible h3")
        expect(shown).to_have_count(len(clams))
        assert sorted(shown.all_inner_texts()) == sorted(clams)
        expect(page.get_by_role("status")).to_have_text(
            f"Showing {len(clams)} of {len(prescribable)} exercises."
        )
        assert page.locator("details.library-group[open]").count() == 1  # the clams' group
        assert "q=clam" in page.url  # going back, or sharing the address, keeps the search
        check_page(page, "exercises-search", full_page=False)

        page.get_by_label("Search by name, muscle or equipment").fill("")
        page.get_by_label("Muscle", exact=True).select_option(label="Side of the hip")
        side = [e for e in prescribable if {"glute_med", "glute_min"} & set(e.targets)]
        expect(page.locator("li.library-item:visible")).to_have_count(len(side))

        page.goto(f"{base_url}/progress")
        expect(page.locator("svg.pygal-chart").first).to_be_visible()
        smallest = _chart_text_px(page)
        print(f"/progress at 360 px: the smallest chart text shows at {smallest:.1f} px")
        assert smallest >= 12
        check_page(page, "progress")
    finally:
        page.context.close()
