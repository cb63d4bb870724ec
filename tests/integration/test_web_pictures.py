"""The demonstration pictures over HTTP, and where the pages show them."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from backcoach.catalogue import default_catalogue, default_demos
from tests.training_app import App, onboard, start

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)


def test_the_animated_picture_is_served_as_svg_and_cached(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    response = client.get("/pictures/glute_bridge.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "public" in response.headers["cache-control"]
    assert "max-age=86400" in response.headers["cache-control"]
    assert "<animate" in response.text
    strip = client.get("/pictures/glute_bridge-strip.svg")
    assert strip.status_code == 200 and "<animate" not in strip.text


def test_unknown_or_undemonstrated_pictures_are_404(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    assert client.get("/pictures/toe_touch_deluxe.svg").status_code == 404
    assert client.get("/pictures/toe_touch_deluxe-strip.svg").status_code == 404
    bare = next(e.id for e in default_catalogue().exercises if e.id not in default_demos())
    assert client.get(f"/pictures/{bare}.svg").status_code == 404


def test_today_and_the_player_show_the_demonstration_when_there_is_one(app: App) -> None:
    client = onboard(app)
    planned = [item.exercise for item in app.program("ana@example.com").plan.exercises]
    shown = [e for e in planned if e.id in default_demos()]
    assert shown, "the example program should hold a demonstrated exercise"
    today = client.get("/today").text
    player = client.get(f"/session/{start(client)}").text
    for page in (today, player):
        for exercise in planned:
            has_demo = exercise.id in default_demos()
            assert (f'<img src="/pictures/{exercise.id}.svg"' in page) == has_demo
        for exercise in shown:
            assert f'alt="Demonstration of {exercise.name}"' in page
            assert f'srcset="/pictures/{exercise.id}-strip.svg"' in page
        assert 'media="(prefers-reduced-motion: reduce)"' in page
