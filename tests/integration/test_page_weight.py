"""bench/page_weight.py's measure: a first load's requests and bytes, under the 100 KB budget."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.training_app import App, onboard, sign_up

DATABASES = ("sqlite",)


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "page_weight.py"
    spec = importlib.util.spec_from_file_location("page_weight", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


page_weight = _bench()


def test_a_first_load_fetches_what_shows_and_not_the_pictures_folded_away() -> None:
    html = """<link rel="stylesheet" href="/a.css"><script src="/a.js" defer></script>
    <img src="/eager.svg"><img src="/lazy.svg" loading="lazy">
    <details><summary>x</summary><img src="/folded.svg" loading="lazy"><p>text</p></details>
    <details open><img src="/open.svg" loading="lazy"></details>
    <ul><li hidden><img src="/hidden.svg" loading="lazy"></li><li><img src="/eager.svg"></li></ul>
    <details><img src="/eager-folded.svg"></details>"""
    assert page_weight.first_load_addresses(html) == [
        "/a.css", "/a.js", "/eager.svg", "/lazy.svg", "/open.svg", "/eager-folded.svg",
    ]  # fmt: skip


def test_main_pages_weigh_under_the_budget_on_a_first_load(app: App) -> None:
    newcomer = sign_up(app, "new@example.com")
    folded = page_weight.measure_page(newcomer, "/exercises")
    # Every group folded: the page, its stylesheets, scripts and icon, and no picture.
    assert not [a for a in folded.addresses if a.startswith("/pictures/")]
    client = onboard(app)
    for path in ("/exercises", "/today", "/progress"):
        weight = page_weight.measure_page(client, path)
        assert weight.addresses[0] == path
        assert any(".css" in address for address in weight.addresses), path
        assert weight.sent < weight.read / 2, f"{path}: not compressed"
        assert weight.sent < page_weight.BUDGET_KB * 1000, f"{path}: {weight.sent} bytes"
    library = page_weight.measure_page(client, "/exercises")
    pictures = [a for a in library.addresses if a.startswith("/pictures/")]
    assert pictures and all("-strip.svg?v=" in address for address in pictures)
    assert library.requests == len(library.addresses) == len(set(library.addresses))
