"""A whole session in the player on a 360 px phone, in real Chromium, axe-checked at phone and
desktop width: one exercise at a time, the amount set with - and +, where it was felt with big
buttons, the set saved, the rest timer with its beep and buzz (on a fake clock), the next
exercise with focus on its name, "this hurts" to the easier rung and "I can't do it" to a skip, a
swipe, the list of exercises, and the finish. The set controls are on the first screen of each
exercise. Without JavaScript the same page is today's form, and a set still posts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.flows import answer_measures, answer_screening, check_page, pick_pain, sign_up
from tests.support.browser import new_page

pytestmark = pytest.mark.e2e

#: The browser's sound, buzz, wake lock and voice, recorded (a headless browser has no screen
#: to keep awake and no speaker): what the player asked of each.
RECORD_DEVICE = """
window.recorded = { beeps: 0, buzzes: [], wake: 0, said: [] };
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.recorded.beeps += 1;
  return start.apply(this, args);
};
Object.defineProperty(navigator, "vibrate", {
  value: (pattern) => { window.recorded.buzzes.push(pattern); return true; },
});
Object.defineProperty(navigator, "wakeLock", { value: { request: async () => {
  window.recorded.wake += 1;
  return { release: async () => {}, addEventListener: () => {} };
} } });
window.speechSynthesis.speak = (utterance) => { window.recorded.said.push(utterance.text); };
"""
PHONE_HEIGHT = 740


def _shown(page: Page) -> Locator:
    return page.locator("section.exercise.player:visible")


def _current_set(page: Page) -> Locator:
    """The set in progress, found by its id (once saved, the next set's form replaces it)."""
    form_id = _shown(page).locator("form.set-form:visible").get_attribute("id")
    return page.locator(f"#{form_id}")


def _assert_set_controls_on_first_screen(page: Page) -> None:
    """No scrolling through text to reach the set: its save button is on the screen."""
    box = _current_set(page).locator("[data-save]").bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE_HEIGHT, box


def _save_current_set(page: Page) -> None:
    form = _current_set(page)
    form.get_by_role("button", name=re.compile(r"^One \w+ more$")).click()
    form.get_by_label("In the target muscles").check()
    form.locator("[data-save]").click()
    expect(form.locator("[data-status]")).to_have_text("Sent")  # the outbox sent it


def _onboard(page: Page, base_url: str) -> None:
    sign_up(page, base_url, "player@example.com")
    answer_screening(page)
    answer_measures(page)
    page.get_by_label("Some: I train now and then").check()  # exercises with easier rungs
    page.get_by_label("How many days a week could you train?").fill("4")
    page.get_by_label("A resistance band").check()
    page.get_by_role("button", name="Make my program").click()
    expect(page.get_by_role("heading", name="Your program is ready")).to_be_visible()


def _start(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/today")
    again = page.get_by_text("start another anyway")
    if again.count():
        again.click()
    pick_pain(page, "How is your back pain right now?", 3)
    page.get_by_role("button", name="Start the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")


def test_a_whole_session_in_the_player_on_a_phone(browser: Browser, base_url: str) -> None:
    page = new_page(browser, phone=True)
    page.context.add_init_script(RECORD_DEVICE)
    try:
        _onboard(page, base_url)
        page.clock.install()  # the rest timer runs on a clock the test moves
        _start(page, base_url)
        where = page.locator("[data-where]")
        expect(where).to_have_text(re.compile(r"^Exercise 1 of (\d)$"))
        total = int((where.text_content() or "").rsplit(" ", 1)[1])
        expect(_shown(page)).to_have_count(1)
        _assert_set_controls_on_first_screen(page)
        check_page(page, "player", full_page=False)
        assert page.evaluate("window.recorded.wake") >= 1  # the screen is kept awake

        # Spoken cues: off until turned on, then remembered.
        voice = page.get_by_role("button", name="Spoken cues")
        expect(voice).to_have_attribute("aria-pressed", "false")
        voice.click()
        expect(voice).to_have_attribute("aria-pressed", "true")

        # The amount with - and +: an empty amount starts at the bottom of the range.
        form = _current_set(page)
        amount = form.locator("input[name=reps], input[name=seconds], input[name=steps]")
        bottom = int(_shown(page).get_attribute("data-bottom") or "0")
        expect(amount).to_have_value(str(bottom))
        form.get_by_role("button", name=re.compile(r"^One \w+ more$")).click()
        form.get_by_role("button", name=re.compile(r"^One \w+ more$")).click()
        form.get_by_role("button", name=re.compile(r"^One \w+ fewer$")).click()
        expect(amount).to_have_value(str(bottom + 1))
        felt = form.get_by_role("radio", name="In the target muscles")
        felt.click()  # a tap on the big button
        expect(felt).to_be_checked()
        form.get_by_role("button", name="Save set 1").click()
        expect(form.locator("[data-status]")).to_have_text("Sent")  # the outbox sent it

        # The rest timer: shown at once, and over after its 90 s with a beep and a buzz.
        rest = page.locator("#rest-timer")
        expect(rest).to_be_visible()
        expect(rest.locator("[data-rest-count]")).to_have_text("1:30")
        page.clock.run_for(91_000)
        expect(rest).to_have_class(re.compile(r"\bover\b"))
        assert page.evaluate("window.recorded.buzzes") == [[200, 100, 200]]
        assert page.evaluate("window.recorded.beeps") >= 3
        rest.get_by_role("button", name="Close").click()

        # The next set of the same exercise, then the next exercise with focus on its name.
        while (where.text_content() or "").startswith("Exercise 1 "):
            _save_current_set(page)
        expect(where).to_have_text(f"Exercise 2 of {total}")
        focused = page.evaluate("document.activeElement.id")
        assert focused == f"{_shown(page).get_attribute('id')}-name"
        assert any("." in text for text in page.evaluate("window.recorded.said"))  # its name
        _assert_set_controls_on_first_screen(page)

        # "This hurts" on exercise 2: the easier rung instead, kept with why.
        planned = _shown(page).locator("h2").inner_text().split(". ", 1)[1]
        _shown(page).get_by_text("This hurts / I can't do it").click()
        _shown(page).get_by_label("It hurts").check()
        easier = _shown(page).get_by_role("button", name=re.compile(r"^Do an easier version: "))
        rung = easier.inner_text().split(": ", 1)[1]
        easier.click()
        expect(where).to_have_text(f"Exercise 2 of {total}")
        expect(_shown(page).locator("h2")).to_have_text(f"2. {rung}")
        expect(_shown(page)).to_contain_text(f"instead of {planned} (it hurt today)")
        _assert_set_controls_on_first_screen(page)
        check_page(page, "player-easier", full_page=False)
        _save_current_set(page)
        page.get_by_role("button", name="Next", exact=True).click()

        # "I can't do it" on exercise 3: a skip.
        expect(where).to_have_text(f"Exercise 3 of {total}")
        _shown(page).get_by_text("This hurts / I can't do it").click()
        _shown(page).get_by_label("I can't do it").check()
        _shown(page).get_by_role("button", name="Skip this exercise").click()
        expect(where).to_have_text(f"Exercise 3 of {total}")
        expect(_shown(page)).to_contain_text("Skipped today: you could not do it.")

        # A swipe to the left is "next"; the list of exercises is a button away.
        page.evaluate(
            """() => {
              const main = document.querySelector("main");
              const at = (x) => [
                new Touch({ identifier: 1, target: main, clientX: x, clientY: 300 }),
              ];
              main.dispatchEvent(new TouchEvent("touchstart", { changedTouches: at(300) }));
              main.dispatchEvent(new TouchEvent("touchend", { changedTouches: at(100) }));
            }"""
        )
        expect(where).to_have_text(f"Exercise 4 of {total}")
        listed = page.get_by_role("button", name="All exercises")
        listed.click()
        expect(listed).to_have_attribute("aria-expanded", "true")
        index = page.get_by_role("navigation", name="Exercises in this session")
        index.get_by_role("link").nth(total - 1).click()
        expect(where).to_have_text(f"Exercise {total} of {total}")
        _save_current_set(page)

        # Finish.
        page.get_by_role("button", name="Finish", exact=True).click()
        expect(page.locator("#finish-heading")).to_be_focused()
        pick_pain(page, "What was the worst pain during the session?", 3)
        pick_pain(page, "How is your back pain now?", 2)
        page.get_by_label("I have no pain, numbness or tingling in a leg").check()
        page.get_by_role("button", name="Finish the session").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Session done")
    finally:
        page.context.close()


def test_without_javascript_the_player_is_todays_form(browser: Browser, base_url: str) -> None:
    page = new_page(browser, phone=True, java_script_enabled=False)
    try:
        page.goto(f"{base_url}/login")
        page.get_by_label("Email").fill("player@example.com")
        page.get_by_label("Password").fill("a long enough password")
        page.get_by_role("button", name="Log in").click()
        _start(page, base_url)
        expect(page.locator("[data-player-bar]")).to_be_hidden()
        assert page.locator("section.exercise.player:visible").count() > 1  # every exercise
        form = page.locator("form.set-form").first
        form.locator("input[name=reps], input[name=seconds], input[name=steps]").fill("9")
        form.get_by_label("In the target muscles").check()
        form.locator("[data-save]").click()
        saved = page.locator("form.set-form").first
        expect(saved.locator("[data-status]")).to_have_text("Saved")
        expect(
            saved.locator("input[name=reps], input[name=seconds], input[name=steps]")
        ).to_have_value("9")
    finally:
        page.context.close()
