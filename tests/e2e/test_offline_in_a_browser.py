"""A session logged with the network off part way, in real Chromium (issue 14): sets saved on
the phone at once (the outbox, static/outbox.js), the page reloaded with no network (the
service worker's kept copy), the tab closed and a new one opened, the session finished offline,
and back online: every operation arrives once, in the order it was made, the latest correction
of a set wins, and the decision for next time is the one a person who did the same online got.
Then a session started with no signal at all, from /session/planned."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect

from backcoach.settings import Settings
from backcoach.web.app import create_app
from tests.e2e.flows import (
    answer_measures,
    answer_screening,
    check_page,
    pick_pain,
    sign_up,
    until_promised,
)
from tests.support.browser import new_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e

AMOUNT = "input[name=reps], input[name=seconds], input[name=steps]"
ON_PHONE = "Saved on this phone"
KEEP_TIMEOUT_S = 15
#: Whether a cache of the service worker holds an address.
KEPT = """async (address) => {
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).match(address)) return true;
  }
  return false;
}"""


@pytest.fixture(scope="module")
def database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("offline") / "offline.db"


@pytest.fixture(scope="module")
def base_url(database_file: Path) -> Iterator[str]:
    """The e2e server (as conftest.py's), on a database file this module reads."""
    app = create_app(Settings(database_url=f"sqlite:///{database_file}"))
    with live_server(app, lifespan="on") as url:
        yield url


def _rows(database_file: Path, query: str, **params: Any) -> list[Any]:
    engine = sa.create_engine(f"sqlite:///{database_file}")
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(query), params))
    finally:
        engine.dispose()


def _onboard(page: Page, base_url: str, email: str) -> None:
    sign_up(page, base_url, email)
    answer_screening(page)
    answer_measures(page)
    page.get_by_label("Little or none").check()
    page.get_by_label("How many days a week could you train?").fill("4")
    page.get_by_label("A resistance band").check()
    page.get_by_role("button", name="Make my program").click()
    expect(page.get_by_role("heading", name="Your program is ready")).to_be_visible()


def _planned_sets(page: Page) -> list[tuple[str, int, int]]:
    """(form id, set number, amount to log) of every planned set, in the page's order."""
    found = []
    for section in page.locator("section.exercise.player").all():
        planned = int(section.get_attribute("data-planned") or "0")
        bottom = int(section.get_attribute("data-bottom") or "0")
        exercise = section.get_attribute("data-exercise")
        found += [(f"s-{exercise}-{n}", n, bottom + n) for n in range(1, planned + 1)]
    return found


def _save(page: Page, form_id: str, amount: int) -> None:
    """Bring a set's form up (as a link to it does) and save it."""
    page.evaluate("id => { window.location.hash = '#' + id; }", form_id)
    form = page.locator(f"#{form_id}")
    expect(form).to_be_visible()
    form.locator(AMOUNT).fill(str(amount))
    form.get_by_label("In the target muscles").check()
    form.locator("[data-save]").click()


def _status(page: Page, form_id: str) -> Any:
    return expect(page.locator(f"#{form_id} [data-status]"))


def _kept(page: Page, address: str) -> None:
    """Wait until the service worker controls the page and keeps ``address`` for offline use
    (it fetches what a page names in the background)."""
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    deadline = time.monotonic() + KEEP_TIMEOUT_S
    while not page.evaluate(KEPT, address):
        assert time.monotonic() < deadline, f"{address} not kept after {KEEP_TIMEOUT_S} s"
        page.wait_for_timeout(100)


def _outbox(page: Page) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = page.evaluate("window.backcoachOutbox.items()")
    return items


def _finish(page: Page) -> None:
    pick_pain(page, "What was the worst pain during the session?", 3)
    pick_pain(page, "How is your back pain now?", 2)
    page.get_by_label("I have no pain, numbness or tingling in a leg").check()
    page.get_by_role("button", name="Finish the session").click()


def _decisions(context: BrowserContext, base_url: str) -> list[tuple[Any, ...]]:
    program = context.request.get(f"{base_url}/api/v1/program").json()
    return [(e["id"], e["dose"], e["decision"]) for e in program["exercises"]]


def _online_twin(browser: Browser, base_url: str, sets: dict[str, int]) -> list[tuple[Any, ...]]:
    """A second person with the same answers does the same session online through the pages'
    forms, as without JavaScript: the decision an online session gets."""
    page = new_page(browser, phone=False, java_script_enabled=False)
    try:
        _onboard(page, base_url, "online@example.com")
        page.goto(f"{base_url}/today")
        pick_pain(page, "How is your back pain right now?", 3)
        page.get_by_role("button", name="Start the session").click()
        session = page.url.split("#")[0]
        token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
        for form_id, amount in sets.items():  # each form's post, without drawing the page
            _, exercise, number = form_id.rsplit("-", 2)
            unit = page.locator(f"#{form_id}").locator(AMOUNT).get_attribute("name") or ""
            fields: dict[str, str | float | bool] = {"exercise_id": exercise, "number": number}
            fields |= {unit: str(amount), "felt": "target", "csrftoken": token}
            sent = page.request.post(f"{session}/sets", form=fields, max_redirects=0)
            assert sent.status == 303, sent.text()
        _finish(page)
        expect(page.get_by_role("heading", name="Next time")).to_be_visible()
        return _decisions(page.context, base_url)
    finally:
        page.context.close()


def test_a_session_logged_offline_arrives_once_in_order(
    browser: Browser, base_url: str, database_file: Path
) -> None:
    page = new_page(browser, phone=True, service_workers="allow")
    context = page.context
    try:
        _onboard(page, base_url, "offline@example.com")
        _kept(page, "/session/planned")  # Today keeps the planned session and the drills
        pick_pain(page, "How is your back pain right now?", 3)
        page.get_by_role("button", name="Start the session").click()
        expect(page).to_have_url(re.compile(r"/session/\d+"))
        session_url = page.url.split("#")[0]
        session_id = int(session_url.rsplit("/", 1)[1])
        _kept(page, f"/session/{session_id}")
        planned = _planned_sets(page)
        assert len(planned) >= 4

        # Online: saved on the phone, then sent.
        form_id, _, amount = planned[0]
        _save(page, form_id, amount)
        _status(page, form_id).to_have_text("Sent")

        # The network goes: each set is still saved at once, on the phone.
        context.set_offline(True)
        half = len(planned) // 2
        for form_id, _, amount in planned[1:half]:
            _save(page, form_id, amount)
            _status(page, form_id).to_have_text(ON_PHONE)

        # Reloaded with no network: the kept page, with what the phone saved put back.
        page.reload()
        for form_id, _, amount in planned[:half]:
            expect(page.locator(f"#{form_id} {AMOUNT}")).to_have_value(str(amount))
        _status(page, planned[0][0]).to_have_text("Sent")
        _status(page, planned[1][0]).to_have_text(ON_PHONE)
        for form_id, _, amount in planned[half:]:
            _save(page, form_id, amount)
            _status(page, form_id).to_have_text(ON_PHONE)
        # A set corrected after it was sent: a new operation, and the latest wins.
        corrected, _, first_amount = planned[0]
        _save(page, corrected, first_amount + 1)
        _status(page, corrected).to_have_text(ON_PHONE)

        # The tab is closed and another opened, still offline; the session is finished there.
        page.close()
        page = context.new_page()
        page.goto(session_url)
        expect(page.locator(f"#{planned[-1][0]} {AMOUNT}")).to_have_value(str(planned[-1][2]))
        items = _outbox(page)
        assert [item["state"] for item in items if item["op"] == "set"] == ["sent"] + [
            "pending"
        ] * len(planned)
        _finish(page)
        expect(page.locator("[data-finish-status]")).to_have_text(
            "The session is finished on this phone. It will be sent when you are back online."
        )
        made = [item["id"] for item in _outbox(page) if item["state"] != "sent"]

        # Back online: everything goes, once, in the order it was made; then the done page.
        context.set_offline(False)
        expect(page).to_have_url(f"{session_url}/done", timeout=15_000)
        expect(page.get_by_role("heading", name="Next time")).to_be_visible()
        assert _outbox(page) == [] or all(item["state"] == "sent" for item in _outbox(page))
        user_id = page.evaluate("document.querySelector('meta[name=\"backcoach-user\"]').content")
        arrived = _rows(
            database_file,
            "SELECT client_id, kind, status FROM client_operations"
            " WHERE user_id = :user ORDER BY id",
            user=int(user_id),
        )
        ids = [row.client_id for row in arrived]
        assert ids[-len(made) :] == made  # in order, each once (and nothing after)
        assert len(ids) == len(set(ids)) == len(planned) + 3  # start, sets, a correction, finish
        assert all(row.status == 200 for row in arrived)
        stored = _rows(
            database_file,
            "SELECT exercise_id, number, amount FROM set_logs WHERE session_id = :session",
            session=session_id,
        )
        expected = {form_id: amount for form_id, _, amount in planned} | {
            corrected: first_amount + 1
        }
        assert {f"s-{row.exercise_id}-{row.number}": row.amount for row in stored} == expected
        offline_decisions = _decisions(context, base_url)

        # A session started with no signal at all, from the planned session Today kept; a tight
        # moment noted offline too.
        page.goto(f"{base_url}/today")
        context.set_offline(True)
        page.goto(f"{base_url}/session/planned")
        pick_pain(page, "How is your back pain right now?", 3)
        page.get_by_role("button", name="Start the session").click()
        first_id, _, first = _planned_sets(page)[0]
        _save(page, first_id, first)
        _status(page, first_id).to_have_text(ON_PHONE)
        page.goto(f"{base_url}/tight")
        page.get_by_role("button", name="I feel tight now").click()
        expect(page.get_by_role("status").filter(has_text=ON_PHONE)).to_be_visible()
        page.goto(f"{base_url}/session/planned")  # the session started here comes back
        _status(page, first_id).to_have_text(ON_PHONE)
        context.set_offline(False)
        _status(page, first_id).to_have_text("Sent")
        started = [item for item in _outbox(page) if item["op"] == "start"][-1]
        assert all(item["state"] == "sent" for item in _outbox(page))
        second_id = started["answer"]["id"]
        assert _rows(
            database_file,
            "SELECT exercise_id, amount FROM set_logs WHERE session_id = :session",
            session=second_id,
        ) == [(first_id.split("-")[1], first)]

        # A set the phone can tell is wrong is never kept: it says what to fix at once.
        second_set = f"{first_id[:-2]}-2"
        _save(page, second_set, 9999)
        expect(page.locator(f"#{second_set} [data-error-for]:visible").first).to_have_text(
            re.compile(r"^Type a whole number from 0 to \d+\.$")
        )
        _status(page, second_set).to_have_text("Not saved")

        # "This hurts" with no connection: kept on the phone, the exercise shows as skipped at
        # once and again when the page is opened offline, and the stop arrives once online.
        page.goto(f"{base_url}/session/{second_id}")
        _kept(page, f"/session/{second_id}")
        last = _planned_sets(page)[-1][0].split("-")[1]
        context.set_offline(True)
        page.evaluate("id => { window.location.hash = '#stop-' + id; }", last)
        stop = page.locator(f"#stop-{last}")
        stop.locator("summary").click()
        stop.get_by_label("It hurts", exact=True).check()
        stop.get_by_role("button", name="Skip this exercise").click()
        skipped = page.locator(f"section[data-exercise='{last}'] .stopped")
        expect(skipped).to_contain_text("Skipped today. It is saved on this phone")
        page.reload()
        expect(skipped).to_contain_text("Skipped today. It is saved on this phone")
        context.set_offline(False)
        until_promised(
            page,
            "window.backcoachOutbox.items()"
            ".then(all => all.some(i => i.op === 'stop' && i.state === 'sent'))",
        )
        assert _rows(
            database_file,
            "SELECT exercise_id, reason, action FROM exercise_stops WHERE session_id = :session",
            session=second_id,
        ) == [(last, "pain", "skip")]

        # The same session finished on another device first: what this phone sends for it
        # after that (a set, the finish) is refused, said so, and shown for the person to
        # discard. (The other device: the finish form posted with this login.)
        token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
        answers = {"pain_during": "3", "pain_after": "2", "leg_symptoms": "none"}
        other = page.request.post(
            f"{base_url}/session/{second_id}/finish",
            form={**answers, "csrftoken": token},
            max_redirects=0,
        )
        assert other.headers["location"] == f"/session/{second_id}/done", other.text()
        elsewhere = "This session was already finished on another device."
        _save(page, second_set, first)
        _status(page, second_set).to_have_text("Not sent")
        expect(page.locator(f"#{second_set}")).to_contain_text(elsewhere)
        _finish(page)
        expect(page.locator("[data-finish-status]")).to_have_text(elsewhere)
        choice = page.get_by_role("region", name="Needs your choice")
        name = page.locator(f"#{second_set}").locator("xpath=ancestor::section//h2").first
        label = (name.text_content() or "").split(". ", 1)[1]
        expect(choice.get_by_role("listitem")).to_contain_text(
            [f"A set ({label}, set 2): {elsewhere}", f"Finishing the session: {elsewhere}"]
        )
        check_page(page, "planned-session-refused")
        choice.get_by_role("button", name=f"Discard: A set ({label}, set 2)").click()
        expect(choice.get_by_role("listitem")).to_have_count(1)
        choice.get_by_role("button", name="Discard: Finishing the session").click()
        expect(choice).to_have_count(0)
        assert [item["op"] for item in _outbox(page) if item["state"] != "sent"] == []
    finally:
        context.close()

    assert offline_decisions == _online_twin(browser, base_url, expected)
