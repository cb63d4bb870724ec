"""The installable app's shell (issue 14, items 1, 2 and 6): the manifest and its icons, /sw.js
and its version, the camera's files it knows but never keeps on install, the content policy
that lets them load, the offline page, what logging out asks the browser to forget,
`backcoach serve` over HTTPS, and the offline scripts' weight."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from babel.messages import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.support import Translations
from PIL import Image
from typer.testing import CliRunner

from backcoach.cli.app import app as cli
from backcoach.web import static_files
from backcoach.web.routes import offline
from backcoach.wording.i18n import translations_in
from tests.integration.test_i18n_pages import unmarked_words
from tests.support.messages import OPEN, PACKAGE, wrapped
from tests.support.ports import free_port
from tests.training_app import App, sign_up, token

DATABASES = ("sqlite",)
START_TIMEOUT_S = 60


def _settings_of(script: str) -> dict[str, Any]:
    """The worker's settings line (self.BACKCOACH = {...};) as a dict."""
    found = re.match(r"self\.BACKCOACH = (\{.*\});\n", script)
    assert found, script[:200]
    settings: dict[str, Any] = json.loads(found.group(1))
    return settings


def test_the_manifest_names_the_app_starts_at_today_and_has_its_icons(app: App) -> None:
    client = app.client()
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/manifest+json"
    manifest = answer.json()
    assert manifest["name"] == manifest["short_name"] == "backcoach"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/today",
        "/",
        "standalone",
    )
    # The colours of app.css: the brand bar and the paper behind the pages.
    css = (static_files.static_folder() / "app.css").read_text()
    assert f"--brand: {manifest['theme_color']};" in css
    assert f"--paper: {manifest['background_color']};" in css
    purposes = set()
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        width, height = Image.open(io.BytesIO(image.content)).size
        assert f"{width}x{height}" == icon["sizes"], icon
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_pages_link_the_manifest_colour_icon_and_say_whose_they_are(app: App) -> None:
    anonymous = app.client().get("/login").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in anonymous
    assert '<meta name="theme-color" content="#1f5f5b">' in anonymous
    assert static_files.static_url("offline.js") in anonymous
    touch_icon = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', anonymous)
    assert touch_icon
    image = Image.open(io.BytesIO(app.client().get(touch_icon.group(1)).content))
    assert image.size == (180, 180)
    assert 'name="backcoach-user"' not in anonymous
    person = sign_up(app, "ana@example.com")
    page = person.get("/account").text
    own_id = re.search(r'<meta name="backcoach-user" content="(\d+)">', page)
    assert own_id and int(own_id.group(1)) > 0


def test_the_worker_is_served_from_the_root_never_cached_with_its_shell(app: App) -> None:
    client = app.client()
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["service-worker-allowed"] == "/"
    settings = _settings_of(answer.text)
    assert settings["version"] == offline.build_version()
    assert "importScripts(outbox)" in answer.text
    assert settings["outbox"] == static_files.static_url("outbox.js")
    # Everything it keeps on install answers, without a login (the offline page included).
    for address in [*settings["shell"], settings["outbox"]]:
        assert client.get(address).status_code == 200, address
    assert settings["offline"] in settings["shell"]
    # Unchanged since the browser last fetched it: a 304, no body.
    again = client.get("/sw.js", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.fixture
def static_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The static files copied to a folder the test may change (tests never write tracked
    files), served in their place."""
    copy = tmp_path / "static"
    shutil.copytree(static_files.static_folder(), copy, ignore=shutil.ignore_patterns("camera"))
    monkeypatch.setattr(static_files, "static_folder", lambda: copy)
    static_files._versions.cache_clear()
    yield copy
    static_files._versions.cache_clear()


def test_a_changed_static_file_makes_a_new_worker_with_its_new_address(static_copy: Path) -> None:
    before = offline.worker_script()
    (static_copy / "app.css").write_text("body { color: black; }\n")
    static_files._versions.cache_clear()
    after = offline.worker_script()
    assert _settings_of(after)["version"] != _settings_of(before)["version"]
    old_shell, new_shell = set(_settings_of(before)["shell"]), set(_settings_of(after)["shell"])
    assert list(old_shell - new_shell) == [
        a for a in old_shell if a.startswith("/static/app.css?v=")
    ]
    assert len(new_shell - old_shell) == 1
    # A file no page names yet (the camera's, say) is part of the version too.
    (static_copy / "new.js").write_text("// new\n")
    static_files._versions.cache_clear()
    assert _settings_of(offline.worker_script())["version"] != _settings_of(after)["version"]


def test_the_worker_knows_the_camera_files_addresses_but_never_keeps_them_on_install(
    static_copy: Path,
) -> None:
    camera = static_copy / "camera"  # small stand-ins for the camera's 17 MB
    camera.mkdir()
    names = ("pose_landmarker_lite.task", "vision_bundle.mjs", "vision_wasm_internal.wasm")
    for name in names:
        (camera / name).write_text(f"{name}, first release\n")
    static_files._versions.cache_clear()
    before = _settings_of(offline.worker_script())
    assert before["camera"] == [static_files.static_url(f"camera/{name}") for name in names]
    assert [address for address in before["shell"] if "/camera/" in address] == []
    # New bytes: a new address, which the worker holds no copy of (it drops the old one); the
    # unchanged files keep theirs, and their copies.
    (camera / "pose_landmarker_lite.task").write_text("model, second release\n")
    static_files._versions.cache_clear()
    after = _settings_of(offline.worker_script())
    assert set(before["camera"]) - set(after["camera"]) == {before["camera"][0]}
    assert after["camera"][1:] == before["camera"][1:]
    assert after["version"] != before["version"]


def test_the_policy_allows_our_own_worker_and_manifest_only(app: App) -> None:
    for address in ("/sw.js", "/offline", "/manifest.webmanifest"):
        policy = app.client().get(address).headers["content-security-policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["worker-src"] == "'self'", address
        assert directives["manifest-src"] == "'self'", address


def test_the_offline_page_needs_no_login_and_says_what_still_works(app: App) -> None:
    answer = app.client().get("/offline")
    assert answer.status_code == 200
    assert "<h1>You are offline</h1>" in answer.text
    assert '<a href="/today">' in answer.text and '<a href="/tight">' in answer.text
    assert "backcoach-user" not in answer.text


def _pseudo_language(*sources: str) -> Translations:
    """The pseudo-language (tests/support/messages.py) of these sources' messages only: the
    whole package's extraction takes seconds, these files' a moment."""
    pseudo = Catalog(locale="en")
    for source in sources:
        method = "python" if source.endswith(".py") else "jinja2"
        options = {"trim_blocks": "True", "lstrip_blocks": "True"}
        for _, message, _, _ in extract_from_file(method, str(PACKAGE / source), options=options):
            if isinstance(message, str):
                pseudo.add(message, wrapped(message))
    compiled = io.BytesIO()
    write_mo(compiled, pseudo)
    compiled.seek(0)
    return Translations(compiled)


def test_the_offline_page_and_the_manifest_are_marked_for_translation(app: App) -> None:
    sources = ("web/templates/base.html", "web/templates/offline.html", "web/routes/offline.py")
    with translations_in(_pseudo_language(*sources, "wording/__init__.py")):
        page = app.client().get("/offline").text
        manifest = app.client().get("/manifest.webmanifest").json()
    assert unmarked_words(page, ["backcoach"]) == []
    assert manifest["description"].startswith(OPEN)


def test_logging_out_clears_the_browser_cache_but_never_its_storage(app: App) -> None:
    person = sign_up(app, "ana@example.com")
    page = person.get("/account")
    answer = person.post("/logout", data={"csrftoken": token(page.text)}, follow_redirects=False)
    assert answer.status_code in (302, 303)
    # "storage" would also wipe IndexedDB: the outbox of sets not sent yet.
    assert answer.headers["clear-site-data"] == '"cache"'


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "offline_weight.py"
    spec = importlib.util.spec_from_file_location("offline_weight", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_worker_outbox_and_offline_script_weigh_under_10_kb_compressed() -> None:
    bench = _bench()
    weights = bench.offline_weights()
    assert [weight.name for weight in weights] == [name for name, _ in bench.SCRIPTS]
    assert all(0 < weight.sent <= weight.read for weight in weights)
    assert sum(weight.sent for weight in weights) < bench.BUDGET_KB * 1000


runner = CliRunner()


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--ssl-certfile", "{missing}"], "--ssl-certfile and --ssl-keyfile go together"),
        (
            ["--ssl-certfile", "{missing}", "--ssl-keyfile", "{missing}"],
            "--ssl-certfile {missing}: No such file or directory",
        ),
        (
            ["--ssl-certfile", "{text}", "--ssl-keyfile", "{text}"],
            "are not a certificate (PEM) and its own private key",
        ),
    ],
)
def test_serve_refuses_a_missing_or_wrong_certificate_in_one_line(
    tmp_path: Path, arguments: list[str], said: str
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a certificate\n")
    names = {"missing": str(tmp_path / "missing.pem"), "text": str(text)}
    result = runner.invoke(cli, ["serve", *(a.format(**names) for a in arguments)])
    assert result.exit_code == 2, result.output
    assert said.format(**names) in result.output
    assert "Traceback" not in result.output


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by openssl."""
    if shutil.which("openssl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("openssl is needed to test HTTPS")
        pytest.skip("no openssl on this machine to make a certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_serve_speaks_https_with_a_certificate_and_key(
    tmp_path: Path, migrated_sqlite_template: Path
) -> None:
    cert, key = _self_signed(tmp_path)
    port = free_port()
    shutil.copy(migrated_sqlite_template, tmp_path / "tls.db")  # migrating would take seconds
    env = {
        **os.environ,
        "BACKCOACH_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tls.db'}",
        "BACKCOACH_DRAW_PICTURES_AT_START": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "backcoach.cli", "serve", "--ssl-certfile", str(cert),
         "--ssl-keyfile", str(key)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    trusted = ssl.create_default_context(cafile=str(cert))
    try:
        deadline = time.monotonic() + START_TIMEOUT_S  # a busy machine starts it slowly
        answer = None
        while answer is None and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/sw.js", verify=trusted, timeout=1)
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer is not None, f"no answer over HTTPS within {START_TIMEOUT_S} s"
        assert answer.status_code == 200
        assert answer.headers["service-worker-allowed"] == "/"
        # Served over HTTPS, so the browser is told to keep to it (as BACKCOACH_SECURE_COOKIES).
        assert answer.headers["strict-transport-security"] == "max-age=31536000"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert f"backcoach on https://127.0.0.1:{port}" in output
    assert "Traceback" not in output
