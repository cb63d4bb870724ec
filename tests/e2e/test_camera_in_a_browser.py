"""Counting a set with the phone's camera in the session player, in real Chromium whose fake
camera plays a generated video of a real person doing glute bridges (tests/support/camera_video.py):
"Count with the camera", the reps counted as they happen, "Stop counting", and the set's reps
filled in (and the camera's count beside them) for the person to check and save; the server keeps
what the camera counted. And when the camera is refused, missing, or the page not secure, the
panel says so and the runtime's 17 MB are never fetched. Issue 15, docs/camera.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from backcoach.web.static_files import static_folder
from tests.e2e.flows import answer_measures, answer_screening, check_page, choose_profile, sign_up
from tests.support.availability import unavailable
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, assert_accessible, new_page
from tests.support.camera_video import write_y4m

pytestmark = pytest.mark.e2e
DATABASES = ("sqlite",)

EXERCISE = "glute_bridge"
REPS = 3
#: Long enough at rest before the first rep for the runtime to load and counting to begin.
SECONDS_AT_REST = 4.0
COUNT_WAIT_MS = 45_000
RUNNING = "() => window.backcoachCamera.state().running"
STREAM_GONE = "() => [...document.querySelectorAll('video')].every((video) => !video.srcObject)"
#: getUserMedia refused, as when the person says no to the browser's question.
REFUSE_CAMERA = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
"""


@pytest.fixture(scope="module")
def bridge_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (static_folder() / "camera" / "manifest.json").is_file():
        unavailable("the camera's files are not built: run bash scripts/camera_assets.sh")
    path = tmp_path_factory.mktemp("camera") / "bridges.y4m"
    write_y4m(path, exercise_id=EXERCISE, reps=REPS, seconds_at_rest=SECONDS_AT_REST, tempo=0.8)
    return path


@pytest.fixture(scope="module")
def camera_browser(browser: Browser, bridge_video: Path) -> Iterator[Browser]:
    """A second Chromium (of the same Playwright) whose camera plays the video, allowed at once."""
    launched = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={bridge_video}",
        ],
    )
    try:
        yield launched
    finally:
        launched.close()


def _onboard_and_start(page: Page, base_url: str, email: str) -> None:
    sign_up(page, base_url, email)
    answer_screening(page)
    answer_measures(page)
    choose_profile(page)
    expect(page.get_by_role("heading", name="Your program is ready")).to_be_visible()
    page.goto(f"{base_url}/today")
    page.get_by_role("group", name="How is your back pain right now?").get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("button", name="Start the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")


def _show_bridges(page: Page) -> None:
    """The player shows one exercise at a time: go to the bridges through the list."""
    section = page.locator(f'section[data-exercise="{EXERCISE}"]')
    anchor = section.get_attribute("id")
    page.get_by_role("button", name="All exercises").click()
    page.locator(f'#exercise-index a[href="#{anchor}"]').click()
    expect(section).to_be_visible()


def test_the_camera_counts_a_set_of_bridges_and_fills_the_set(
    camera_browser: Browser, base_url: str
) -> None:
    page = new_page(camera_browser, phone=True)
    try:
        _onboard_and_start(page, base_url, "camera@example.com")
        _show_bridges(page)
        section = page.locator(f'section[data-exercise="{EXERCISE}"]')
        amount = section.locator(f"#s-{EXERCISE}-1-reps")
        recorded = section.locator(f'#s-{EXERCISE}-1 [name="camera_reps"]')
        expect(recorded).to_have_value("")

        section.get_by_role("button", name="Count with the camera").click()
        stop = section.get_by_role("button", name="Stop counting")
        expect(stop).to_be_focused()
        # The count grows as the person in the video does the reps, read by the real detector.
        counting = "() => window.backcoachCamera.state().counting"
        page.wait_for_function(counting, timeout=COUNT_WAIT_MS)
        check_page(page, "camera-counting", full_page=False)
        page.wait_for_function(
            f"() => window.backcoachCamera.state().reps >= {REPS}", timeout=COUNT_WAIT_MS
        )
        expect(section.locator("[data-camera-reps]")).to_have_text(str(REPS))
        state = page.evaluate("window.backcoachCamera.state()")
        assert state["running"] and state["frames"] > 0 and state["fps"] > 0, state

        stop.click()
        # The camera is off (its tracks stopped), the reps are in the set for the person to check.
        assert page.evaluate(RUNNING) is False
        assert page.evaluate(STREAM_GONE), "the camera's stream is still attached"
        expect(amount).to_have_value(str(REPS))
        expect(amount).to_be_focused()
        expect(recorded).to_have_value(str(REPS))
        expect(section.locator('[data-camera-message="result"]')).to_have_text(
            f"The camera counted {REPS} reps. Check the number, choose where you felt it, "
            "and save the set."
        )
        assert_accessible(page, "camera-counted")

        # Saved as usual; the server keeps what the camera counted beside the reps.
        form = section.locator(f"#s-{EXERCISE}-1")
        form.get_by_label("In the target muscles").check()
        form.get_by_role("button", name="Save set 1").click()
        expect(section.locator(f"#s-{EXERCISE}-1 [data-status]")).to_have_text("Sent")
        page.reload()
        saved = page.locator(f"#s-{EXERCISE}-1")
        expect(saved.locator(f"#s-{EXERCISE}-1-reps")).to_have_value(str(REPS))
        expect(saved.locator('[name="camera_reps"]')).to_have_value(str(REPS))
        counted = saved.locator("[data-camera-counted]")
        expect(counted).to_have_text(f"The camera counted {REPS} reps.")
        expect(counted).not_to_have_attribute("hidden", "")

        # Moving on to the next exercise while the camera is on turns it off.
        section.get_by_role("button", name="Count with the camera").click()
        page.wait_for_function(RUNNING, timeout=COUNT_WAIT_MS)
        section.get_by_role("button", name="Next exercise").click()
        expect(section).to_be_hidden()
        assert page.evaluate(RUNNING) is False
        assert page.evaluate(STREAM_GONE), "the camera's stream is still attached"
    finally:
        page.context.close()


def test_without_a_camera_the_panel_says_why_and_loads_nothing(
    browser: Browser, base_url: str
) -> None:
    page = new_page(browser, phone=True)
    page.context.add_init_script(REFUSE_CAMERA)
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    try:
        _onboard_and_start(page, base_url, "no-camera@example.com")
        _show_bridges(page)
        section = page.locator(f'section[data-exercise="{EXERCISE}"]')
        section.get_by_role("button", name="Count with the camera").click()
        refused = section.locator('[data-camera-message="denied"]')
        expect(refused).to_be_visible()
        expect(refused).to_contain_text("The camera was not allowed")
        expect(refused).to_contain_text("type your reps as always")
        expect(section.get_by_role("button", name="Close the camera")).to_be_focused()
        assert not [url for url in fetched if "/static/camera/" in url], fetched
        check_page(page, "camera-refused", full_page=False)
        close = section.get_by_role("button", name="Close the camera")
        close.click()
        start = section.get_by_role("button", name="Count with the camera")
        expect(start).to_be_focused()

        # No camera on the device, and the app opened over plain HTTP (the camera is for secure
        # pages only): each said, with typing the reps as the way on.
        for breaking, message in (
            ("Object.defineProperty(navigator, 'mediaDevices', {value: undefined})", "no-camera"),
            ("Object.defineProperty(window, 'isSecureContext', {value: false})", "insecure"),
        ):
            page.evaluate(breaking)
            start.click()
            said = section.locator(f'[data-camera-message="{message}"]')
            expect(said).to_be_visible()
            expect(said).to_contain_text("type your reps as always", ignore_case=True)
            close.click()
        assert not [url for url in fetched if "/static/camera/" in url], fetched
    finally:
        page.context.close()
