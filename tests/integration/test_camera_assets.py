"""The camera's runtime and pose model that scripts/camera_assets.sh builds into static/camera/:
every file as its manifest says, served as a stream with the right type and never gzipped, and
in real Chromium a PoseLandmarker made from the app's own addresses alone, under the app's
content policy plus 'wasm-unsafe-eval', finding no one on a blank canvas and the 33 landmarks of
a real person on a photo (which shows the models' input scaling, the metadata, is right)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Route
from starlette import routing
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from backcoach.settings import Settings
from backcoach.web.app import create_app
from backcoach.web.security import POLICY
from backcoach.web.static_files import static_folder, static_url
from tests.support.availability import unavailable
from tests.support.browser import csp_violations, new_page
from tests.support.live_server import live_server
from tests.training_app import App

DATABASES = ("sqlite",)
CAMERA = "camera"
TASK = f"{CAMERA}/pose_landmarker_lite.task"
#: Grace Hopper's portrait, head and shoulders (scripts/camera_assets.sh keeps it for the tests).
PHOTO = Path(__file__).resolve().parents[2] / "build" / "camera" / "grace_hopper.jpg"
NOSE, LEFT_SHOULDER, RIGHT_SHOULDER = 0, 11, 12
#: WebAssembly is compiled from bytes, which a policy must allow by name ('wasm-unsafe-eval':
#: compiling wasm, not JavaScript's eval); the app's own policy does not, so a camera page adds it.
CAMERA_POLICY = "; ".join(
    "script-src 'self' 'wasm-unsafe-eval'" if part == "script-src 'self'" else part
    for part in POLICY
)
SCRIPT = """
import { PoseLandmarker } from "%(bundle)s";
try {
  const landmarker = await PoseLandmarker.createFromOptions(
    { wasmLoaderPath: "%(loader)s", wasmBinaryPath: "%(binary)s" },
    { baseOptions: { modelAssetPath: "%(task)s", delegate: "CPU" }, runningMode: "IMAGE" },
  );
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 240;
  const drawing = canvas.getContext("2d");
  drawing.fillStyle = "#ffffff";
  drawing.fillRect(0, 0, canvas.width, canvas.height);
  const blank = landmarker.detect(canvas).landmarks;
  const photo = new Image();
  photo.src = "/camera-check/photo.jpg";
  await photo.decode();
  const found = landmarker.detect(photo).landmarks;
  landmarker.close();
  document.body.dataset.poses = JSON.stringify({ blank, photo: found });
} catch (error) {
  document.body.dataset.error = String(error);
}
"""


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, Any]]:
    path = static_folder() / CAMERA / "manifest.json"
    if not path.is_file():
        unavailable(f"{path} not found: run bash scripts/camera_assets.sh (scripts/test.sh does)")
    files: list[dict[str, Any]] = json.loads(path.read_text())["files"]
    return files


def test_every_built_file_is_as_the_manifest_says(manifest: list[dict[str, Any]]) -> None:
    folder = static_folder() / CAMERA
    assert {path.name for path in folder.iterdir()} == {
        "manifest.json",
        *(entry["name"] for entry in manifest),
    }
    for entry in manifest:
        content = (folder / entry["name"]).read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (
            entry["size"],
            entry["sha256"],
        ), entry["name"]
        assert entry["license"] == "Apache-2.0"
    assert "Apache License" in (folder / "LICENSE").read_text()


def test_the_runtime_and_model_are_served_typed_whole_and_never_gzipped(
    manifest: list[dict[str, Any]], app: App
) -> None:
    client = app.client()
    types = {
        ".task": "application/octet-stream",
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
    }
    for suffix, media_type in types.items():
        entry = next(entry for entry in manifest if entry["name"].endswith(suffix))
        address = static_url(f"{CAMERA}/{entry['name']}")
        answer = client.get(address, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, address
        assert answer.headers["content-type"].startswith(media_type), address
        assert "content-encoding" not in answer.headers, address
        assert int(answer.headers["content-length"]) == entry["size"], address
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    # A file sent in pieces can be resumed, which matters for 5.8 MB on a phone.
    part = client.get(static_url(TASK), headers={"Range": "bytes=0-3"})
    first = (static_folder() / TASK).read_bytes()[:4]
    assert (part.status_code, part.content) == (206, first)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, with a check page beside it that carries the camera's policy."""
    if not PHOTO.is_file():
        unavailable(f"{PHOTO} not found: run bash scripts/camera_assets.sh (scripts/test.sh does)")
    folder = tmp_path_factory.mktemp("camera")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'camera.db'}"))
    script = SCRIPT % {
        "bundle": static_url(f"{CAMERA}/vision_bundle.mjs"),
        "loader": static_url(f"{CAMERA}/vision_wasm_internal.js"),
        "binary": static_url(f"{CAMERA}/vision_wasm_internal.wasm"),
        "task": static_url(TASK),
    }

    def page(request: Request) -> Response:
        policy = request.query_params.get("policy", CAMERA_POLICY)
        return HTMLResponse(
            '<!doctype html><html lang="en"><head><title>Camera check</title>'
            '<script type="module" src="/camera-check.js"></script></head><body></body></html>',
            headers={"Content-Security-Policy": policy},
        )

    def code(request: Request) -> Response:
        return Response(script, media_type="text/javascript")

    beside = Starlette(
        routes=[
            routing.Route("/camera-check", page),
            routing.Route("/camera-check.js", code),
            routing.Route("/camera-check/photo.jpg", lambda request: FileResponse(PHOTO)),
            routing.Mount("/", app=app),
        ]
    )
    with live_server(beside) as url:
        yield url


@pytest.mark.e2e
def test_a_pose_landmarker_starts_from_the_apps_own_files_with_no_network(
    manifest: list[dict[str, Any]], browser: Browser, server: str
) -> None:
    page = new_page(browser, phone=True)
    elsewhere: list[str] = []

    def only_the_app(route: Route) -> None:
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    try:
        page.route("**/*", only_the_app)
        page.goto(f"{server}/camera-check")
        page.wait_for_selector("body[data-poses], body[data-error]", state="attached")
        assert page.evaluate("document.body.dataset.error") is None
        poses = json.loads(page.evaluate("document.body.dataset.poses"))
        assert poses["blank"] == []
        [person] = poses["photo"]
        assert len(person) == 33
        nose, left, right = person[NOSE], person[LEFT_SHOULDER], person[RIGHT_SHOULDER]
        assert min(nose["visibility"], left["visibility"], right["visibility"]) > 0.9
        # In the picture (y down): the nose above both shoulders, between them (she faces us).
        assert nose["y"] < min(left["y"], right["y"])
        assert right["x"] < nose["x"] < left["x"]
        assert csp_violations(page) == [] and elsewhere == []
        # Under the app's own policy, unchanged, the runtime cannot compile its WebAssembly.
        page.goto(f"{server}/camera-check?policy={quote('; '.join(POLICY))}")
        page.wait_for_selector("body[data-poses], body[data-error]", state="attached")
        assert re.search("WebAssembly|wasm", page.evaluate("document.body.dataset.error") or "")
    finally:
        page.context.close()
