"""Today and "I feel tight" in real Chromium, axe-checked at phone (360 px) and desktop width.

On a phone, Today's start control is in the first screen, and the pictures' room is kept before
they load (measured: no box moves when they arrive); "I feel tight" logs a moment with one tap,
counts it this week, and its guided timer counts down on Playwright's fake clock (no waiting);
after a session, Today offers rest and the drills, with another session folded away.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from backcoach.engine.screening import all_clear
from backcoach.services import accounts, onboarding, training
from backcoach.services.access import Principal
from backcoach.services.sets import SetInput
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.tables import User
from backcoach.web.app import create_app
from tests.e2e.flows import PASSWORD, check_page, pick_pain
from tests.support.browser import PHONE, new_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e
EMAIL = "everyday@example.com"
PICTURES = "**/pictures/**"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A live server and its database's URL (the person is onboarded there by the services)."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e-everyday') / 'e2e.db'}"
    with live_server(create_app(Settings(database_url=database_url)), lifespan="on") as url:
        yield url, database_url


def _with_the_person(database_url: str, act: Any) -> Any:
    """Run ``act(mine)`` in a unit of work as the person (their id, principal and the uow)."""
    database = Database(database_url)
    try:
        with database.unit_of_work() as uow:
            me = Principal(uow.session.scalars(select(User.id).where(User.email == EMAIL)).one())
            return act({"uow": uow, "principal": me, "person_id": me.user_id})
    finally:
        database.dispose()


def _onboarded_person(database_url: str) -> None:
    """A person with a program from today on (beginner, no kit), made as onboarding does."""
    now = dt.datetime.now(dt.UTC)
    database = Database(database_url)
    try:
        with database.unit_of_work() as uow:
            accounts.sign_up(uow=uow, email=EMAIL, password=PASSWORD, now=now)
    finally:
        database.dispose()

    def onboard(mine: dict[str, Any]) -> None:
        today = now.date()
        onboarding.record_screening(**mine, answers=all_clear(age=44), today=today, now=now)
        onboarding.record_measures(**mine, answers={"nprs": {"score": 4}}, today=today, now=now)
        onboarding.start_program(
            **mine,
            profile={"pain": 4, "level": "beginner", "days_per_week": 3, "equipment": []},
            today=today,
            now=now,
        )

    _with_the_person(database_url, onboard)


def _finish_open_session(database_url: str) -> None:
    """Save one set of the session the browser started, and finish it (as the player would)."""
    now = dt.datetime.now(dt.UTC)

    def finish(mine: dict[str, Any]) -> None:
        session = training.open_session(**mine, now=now)
        assert session is not None, "the browser's start left no open session"
        program = training.current_program(**mine, now=now)
        assert program is not None
        item = program.plan.exercises[0]
        entry = SetInput(item.exercise.id, 1, item.dose_max, "target")
        training.log_set(**mine, session_id=session.id, entry=entry, now=now)
        training.finish_session(
            **mine, session_id=session.id, pain_during=3, pain_after=2, today=now.date(), now=now
        )

    _with_the_person(database_url, finish)


def _log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def _picture_boxes(page: Page) -> list[dict[str, float]]:
    """Each demonstration's box on the page (the page scrolled to the top)."""
    boxes: list[dict[str, float]] = page.locator("figure.demo img").evaluate_all(
        """images => images.map(image => {
             const box = image.getBoundingClientRect();
             return {top: box.top + window.scrollY, width: box.width, height: box.height,
                     ratio: image.width / image.height,
                     attributes: image.getAttribute('width') / image.getAttribute('height')};
           })"""
    )
    return boxes


def _check_pictures_keep_their_room(page: Page, url: str) -> None:
    """With the pictures held back, each box already has its size; once they have all loaded,
    no box has moved or changed."""
    page.route(PICTURES, lambda route: route.abort())
    page.goto(url)
    empty = _picture_boxes(page)
    assert empty, "no demonstration on the page"
    for box in empty:
        assert box["height"] > 50, f"a picture's room is not kept before it loads: {box}"
        assert box["width"] / box["height"] == pytest.approx(box["attributes"], rel=0.02)
    # One size for every picture (one frame for all, one width in CSS).
    assert len({(round(box["width"]), round(box["height"])) for box in empty}) == 1, empty
    page.unroute(PICTURES)
    page.goto(url)
    pictures = page.locator("figure.demo img")
    for index in range(pictures.count()):
        pictures.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.demo img')]"
        ".every(image => image.complete && image.naturalWidth > 0)"
    )
    page.evaluate("window.scrollTo(0, 0)")
    loaded = _picture_boxes(page)
    for before, after in zip(empty, loaded, strict=True):
        for key in ("top", "width", "height"):
            assert after[key] == pytest.approx(before[key], abs=1), (key, before, after)


def _in_first_screen(page: Page, name: str) -> None:
    box = page.get_by_role("button", name=name).bounding_box()
    assert box is not None, f"{name!r} is not shown"
    height = PHONE["viewport"]["height"]  # type: ignore[index]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
        f"{name!r} ends at {box['y'] + box['height']:.0f} px, below the first {height} px"
    )


def test_today_then_a_tight_moment_then_a_session_on_a_phone(
    browser: Browser, server: tuple[str, str]
) -> None:
    base_url, database_url = server
    _onboarded_person(database_url)
    page = new_page(browser, phone=True)
    try:
        # Fake timers from the first page on: the tight timer is driven by page.clock, no waits.
        page.clock.install()
        _log_in(page, base_url)

        # Today: the start, with its pain question, in the first screen of a 360 px phone.
        _check_pictures_keep_their_room(page, f"{base_url}/today")
        expect(page.get_by_role("heading", name="Start a session")).to_be_visible()
        _in_first_screen(page, "Start the session")
        check_page(page, "everyday-today-start")

        # I feel tight: one tap logs the moment; the count is this week's against last week's.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="I feel tight").click()
        expect(page.locator(".tight-weeks")).to_have_text("0 tight moments this week, 0 last week.")
        page.get_by_role("button", name="I feel tight now").click()
        expect(page.get_by_role("heading", name="Do this now", exact=False)).to_be_visible()
        expect(page.get_by_role("status")).to_have_text("1 tight moment logged today.")
        expect(page.locator(".tight-weeks")).to_have_text("1 tight moment this week, 0 last week.")
        drills = page.locator("[data-drill]")
        assert drills.count() >= 2
        assert page.locator("[data-drill] figure.demo img[width][height]").count() == drills.count()
        first, second = (
            (
                drills.nth(i).get_attribute("data-name"),
                int(drills.nth(i).get_attribute("data-seconds") or 0),
            )
            for i in (0, 1)
        )

        # The guided timer: counts down on the fake clock, moves on, pauses. The clock stands
        # still from the start on, so only run_for moves it (real time flowed between the steps,
        # and a loaded machine once showed 0:26 for 0:36).
        timer = page.locator("[data-routine-timer]")
        left = timer.locator("[data-timer-left]")
        expect(left).to_have_text(_clock(first[1]))
        page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)
        timer.get_by_role("button", name="Start the timer").click()
        expect(timer.locator("[data-timer-announce]")).to_have_text(f"Now: {first[0]}.")
        page.clock.run_for(5_000)
        expect(left).to_have_text(_clock(first[1] - 5))
        page.clock.run_for((first[1] - 5) * 1000 + 500)
        expect(timer.locator("[data-timer-drill]")).to_have_text(str(second[0]))
        expect(timer.locator("[data-timer-announce]")).to_have_text(f"Now: {second[0]}.")
        expect(drills.nth(1)).to_have_attribute("aria-current", "step")
        timer.get_by_role("button", name="Pause").click()
        shown = left.inner_text()
        page.clock.run_for(10_000)
        expect(left).to_have_text(shown)
        expect(timer.get_by_role("button", name="Resume")).to_be_visible()
        # Real time again: axe and the pages after wait on timers (the pause outlives a reload).
        page.clock.resume()
        check_page(page, "everyday-tight-timer", full_page=False)  # what a propped phone shows

        # A session started from Today (the pain question first), finished as the player would:
        # Today then says rest, offers the drills, and folds another session away.
        page.goto(f"{base_url}/today")
        pick_pain(page, "How is your back pain right now?", 3)
        page.get_by_role("button", name="Start the session").click()
        expect(page).to_have_url(re.compile(r"/session/\d+"))  # the player (its own e2e test)
        page.goto(f"{base_url}/today")
        expect(page.get_by_role("link", name="Continue your session")).to_be_visible()
        _finish_open_session(database_url)
        page.goto(f"{base_url}/today")
        expect(page.get_by_role("heading", name="You trained today")).to_be_visible()
        expect(page.get_by_role("link", name="Your drills for tight moments")).to_be_visible()
        expect(page.get_by_role("button", name="Start the session")).to_be_hidden()
        expect(
            page.get_by_role("heading", name="Tomorrow morning: a quick check-in")
        ).to_be_visible()
        check_page(page, "everyday-today-done")
    finally:
        page.context.close()


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"
