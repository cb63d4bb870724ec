"""Count the reps in a y4m video the way a phone would: headless Debian Chromium plays it as its
camera (a fake capture device), MediaPipe's pose landmarker (the app's own files, lite model,
VIDEO mode) reads each frame the camera delivers, and the app's counter (static/camera_counter.js)
counts, under the player's own content policy ('wasm-unsafe-eval', nothing but 'self').

Used by the camera video tests and by ``bench/camera_accuracy.py --speed``. The fake camera
loops the file, so the page stops after one play-through (the video's length in seconds).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserType, sync_playwright
from starlette import routing
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.camera_reference import reference_for
from backcoach.web.security import CAMERA_POLICY
from backcoach.web.static_files import static_folder
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.live_server import live_server

#: The player's policy: the app's, with WebAssembly compilation allowed by name.
PAGE_POLICY = "; ".join(CAMERA_POLICY)
PAGE = """<!doctype html><html lang="en"><head><title>Camera count</title>
<script type="application/json" id="config">%(config)s</script>
<script src="/static/camera_counter.js"></script>
<script type="module" src="/count.js"></script></head><body></body></html>"""
SCRIPT = """
import { PoseLandmarker } from "/static/camera/vision_bundle.mjs";
const config = JSON.parse(document.getElementById("config").textContent);
try {
  const landmarker = await PoseLandmarker.createFromOptions(
    { wasmLoaderPath: "/static/camera/vision_wasm_internal.js",
      wasmBinaryPath: "/static/camera/vision_wasm_internal.wasm" },
    { baseOptions: { modelAssetPath: "/static/camera/pose_landmarker_lite.task",
                     delegate: "CPU" },
      runningMode: "VIDEO", numPoses: 1 },
  );
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  document.body.append(video);
  await video.play();
  const counter = self.backcoachCameraCounter.create(
    config.reference, video.videoWidth / video.videoHeight);
  const detectMs = [], countMs = [], trace = [];
  let first = null, last = -1, frames = 0, found = 0;
  await new Promise((resolve) => {
    const step = () => {
      const now = performance.now();
      if (first === null) first = now;
      const at = Math.max(last + 1, now);  // the landmarker wants rising timestamps
      last = at;
      const poses = landmarker.detectForVideo(video, at).landmarks;
      const detected = performance.now();
      detectMs.push(detected - now);
      frames += 1;
      if (poses.length) {
        found += 1;
        const points = poses[0].map((p) => [p.x, p.y, p.z, p.visibility]);
        counter.push(at - first, points);
        countMs.push(performance.now() - detected);
        if (config.trace) trace.push({ t: at - first, landmarks: points });
      }
      if (now - first >= config.seconds * 1000) resolve();
      else video.requestVideoFrameCallback(step);
    };
    video.requestVideoFrameCallback(step);
  });
  const elapsed = performance.now() - first;
  stream.getTracks().forEach((track) => track.stop());
  landmarker.close();
  document.body.dataset.result = JSON.stringify({
    result: counter.result(), frames, found, elapsed, detectMs, countMs, trace,
    width: video.videoWidth, height: video.videoHeight,
  });
} catch (error) {
  document.body.dataset.error = String(error);
}
"""


@dataclass(frozen=True, slots=True)
class CameraRun:
    """What the page saw in one play-through of the video."""

    reps: int
    half_reps: int
    faults: tuple[str, ...]
    frames: int  # frames the landmarker read
    found: int  # of which a person was found in
    seconds: float
    detect_ms: tuple[float, ...]
    count_ms: tuple[float, ...]
    width: int
    height: int
    load_average: tuple[float, float, float]  # the machine's, as the run ended
    trace: tuple[dict[str, Any], ...]  # each frame's time and landmarks, when asked for

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds else 0.0


def count_in_chromium(
    video: Path,
    *,
    exercise_id: str,
    seconds: float,
    trace: bool = False,
    browser_type: BrowserType | None = None,
) -> CameraRun:
    """Play `video` as Chromium's camera for `seconds` and count `exercise_id`'s reps in it.

    A browser of its own is launched (the camera's file is a launch flag): from `browser_type`
    when given (in tests, the session browser's, ``browser.browser_type``: Playwright's sync API
    cannot be started twice in one thread), else from a Playwright started here.
    """
    exercise = default_catalogue().get(exercise_id)
    reference = reference_for(exercise, default_demos().get(exercise_id)).to_json()
    config = json.dumps({"reference": reference, "seconds": seconds, "trace": trace})
    page_html = PAGE % {"config": config.replace("</", "<\\/")}

    def page(request: Request) -> Response:
        return HTMLResponse(page_html, headers={"Content-Security-Policy": PAGE_POLICY})

    def script(request: Request) -> Response:
        return Response(SCRIPT, media_type="text/javascript")

    app = Starlette(
        routes=[
            routing.Route("/count", page),
            routing.Route("/count.js", script),
            routing.Mount("/static", app=StaticFiles(directory=static_folder())),
        ]
    )
    fake_camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    with live_server(app) as url, _chromium_type(browser_type) as chromium:
        browser = chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, *fake_camera]
        )
        try:
            tab = browser.new_page()
            tab.goto(f"{url}/count")
            tab.wait_for_selector(
                "body[data-result], body[data-error]",
                state="attached",
                timeout=(seconds + 60) * 1000,
            )
            error = tab.evaluate("document.body.dataset.error")
            if error:
                raise RuntimeError(f"the camera page failed: {error}")
            data = json.loads(tab.evaluate("document.body.dataset.result"))
        finally:
            browser.close()
    result = data["result"]
    return CameraRun(
        reps=result["reps"],
        half_reps=len(result["half_reps"]),
        faults=tuple(event["code"] for event in result["faults"]),
        frames=data["frames"],
        found=data["found"],
        seconds=data["elapsed"] / 1000,
        detect_ms=tuple(data["detectMs"]),
        count_ms=tuple(data["countMs"]),
        width=data["width"],
        height=data["height"],
        load_average=os.getloadavg(),
        trace=tuple(data["trace"]),
    )


@contextmanager
def _chromium_type(given: BrowserType | None) -> Iterator[BrowserType]:
    if given is not None:
        yield given
        return
    with sync_playwright() as playwright:
        yield playwright.chromium
