"""The demonstration pictures over HTTP, and where the pages show them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.services.exercise_catalogue import picture_version
from backcoach.settings import Settings
from backcoach.web.app import create_app
from backcoach.web.routes import pictures
from backcoach.web.routes.pictures import picture_url
from tests.integration.onboarded import Onboarded
from tests.training_app import start

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)


def test_the_animated_picture_is_served_as_svg_and_kept_a_year_at_its_versioned_address(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    address = picture_url("glute_bridge")
    assert address == f"/pictures/glute_bridge.svg?v={picture_version()}"
    response = client.get(address)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "<animate" in response.text
    strip = client.get(str(picture_url("glute_bridge", strip=True)))
    assert strip.status_code == 200 and "<animate" not in strip.text
    # An old address (no version, or another one) still answers, but is asked for again each
    # time: a 304 while the picture is the same.
    for old in ("/pictures/glute_bridge.svg", "/pictures/glute_bridge.svg?v=0ld"):
        answer = client.get(old)
        assert answer.status_code == 200 and answer.text == response.text
        assert answer.headers["cache-control"] == "no-cache"
        again = client.get(old, headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304


def test_pictures_drawn_once_are_kept_and_read_back_after_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pictures.kept_pictures_folder.cache_clear()
    pictures._drawn.cache_clear()
    stale = tmp_path / "backcoach" / "pictures-0ld"
    stale.mkdir(parents=True)
    try:
        # (Two exercises: all 62 would take seconds; the server's start draws them all.)
        pictures.draw_every_picture(["clam", "glute_bridge"])
        folder = pictures.kept_pictures_folder()
        assert folder == tmp_path / "backcoach" / f"pictures-{picture_version()}"
        kept = {path.name for path in folder.iterdir()}
        # (A server started by another test may be keeping its own pictures there too.)
        assert kept >= {"clam-strip.svg", "clam.svg", "glute_bridge-strip.svg", "glute_bridge.svg"}
        assert not stale.exists(), "another version's pictures are forgotten"
        drawn = pictures._drawn("clam", True)
        # A new start (an empty memory) reads them back, drawing nothing.
        pictures._drawn.cache_clear()
        monkeypatch.setattr(pictures, "strip_svg", _never_drawn)
        monkeypatch.setattr(pictures, "animated_svg", _never_drawn)
        assert pictures._drawn("clam", True) == drawn
        # The size a page reserves is the drawn picture's own (one frame for all of them).
        width, height = pictures.picture_size("clam", strip=True) or (0, 0)
        assert f'viewBox="0 0 {width} {height}"' in drawn
    finally:
        pictures.kept_pictures_folder.cache_clear()
        pictures._drawn.cache_clear()


def _never_drawn(*_: object) -> str:
    raise AssertionError("a kept picture was drawn again")


def test_unknown_or_undemonstrated_pictures_are_404(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    assert client.get("/pictures/toe_touch_deluxe.svg").status_code == 404
    assert client.get("/pictures/toe_touch_deluxe-strip.svg").status_code == 404
    bare = next(e.id for e in default_catalogue().exercises if e.id not in default_demos())
    assert client.get(f"/pictures/{bare}.svg").status_code == 404


def test_today_and_the_player_show_the_demonstration_when_there_is_one(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    planned = [item.exercise for item in app.program("ana@example.com").plan.exercises]
    shown = [e for e in planned if e.id in default_demos()]
    assert shown, "the example program should hold a demonstrated exercise"
    today = client.get("/today").text
    player = client.get(f"/session/{start(client)}").text
    for page in (today, player):
        for exercise in planned:
            has_demo = exercise.id in default_demos()
            assert (f'<img src="{picture_url(exercise.id)}"' in page) == has_demo
        for exercise in shown:
            assert f'alt="Demonstration of {exercise.name}"' in page
            assert f'srcset="{picture_url(exercise.id, strip=True)}"' in page
        assert 'media="(prefers-reduced-motion: reduce)"' in page


@pytest.mark.parametrize("at_start", [True, False])
def test_the_server_draws_every_picture_at_its_start_unless_told_not_to(
    at_start: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    monkeypatch.setattr(pictures, "draw_every_picture", lambda *a: asked.append(a))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'p.db'}", draw_pictures_at_start=at_start
    )
    with TestClient(create_app(settings)) as client:  # runs the lifespan
        assert client.get("/login").status_code == 200
    for thread in threading.enumerate():
        if thread.name == "pictures":
            thread.join(timeout=5)
    assert asked == ([()] if at_start else [])
