"""A real person's photo doing glute bridges, played as headless Chromium's camera: MediaPipe's
pose landmarker (the app's own files) follows them and the app's counter (camera_counter.js)
counts exactly the reps in the video, with no half reps and no faults."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from backcoach.web.static_files import static_folder
from tests.support.availability import unavailable
from tests.support.camera_video import write_y4m
from tests.support.camera_video_chromium import count_in_chromium

REPS = 2


@pytest.mark.e2e
def test_mediapipe_in_chromium_counts_the_bridges_of_the_video(
    browser: Browser, tmp_path: Path
) -> None:
    if not (static_folder() / "camera" / "pose_landmarker_lite.task").is_file():
        unavailable("the camera's model is not built: run bash scripts/camera_assets.sh")
    video = tmp_path / "bridges.y4m"
    # Quicker than the demonstration (0.6 of its time) and small, to keep the test short.
    info = write_y4m(
        video,
        exercise_id="glute_bridge",
        reps=REPS,
        fps=15,
        seconds_at_rest=1.0,
        tempo=0.6,
        size=(320, 240),
    )
    # Its own Chromium (the camera's file is a launch flag), from the session's Playwright.
    run = count_in_chromium(
        video, exercise_id="glute_bridge", seconds=info.seconds, browser_type=browser.browser_type
    )
    assert (run.width, run.height) == (320, 240)
    assert run.found >= 0.9 * run.frames, "the person was lost in too many frames"
    assert (run.reps, run.half_reps, run.faults) == (REPS, 0, ())
