"""End-to-end fixtures: one real server (uvicorn, SQLite file) for the e2e module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from backcoach.settings import Settings
from backcoach.web.app import create_app
from backcoach.web.deps import Clock
from tests.support.live_server import live_server


class ShiftedClock(Clock):
    """The real clock, moved on by hand: a test lets a night pass (the morning check-in opens
    the morning after a session; engine/morning.py)."""

    def __init__(self) -> None:
        self.ahead = dt.timedelta(0)

    def now(self) -> dt.datetime:
        return super().now() + self.ahead


#: Each running server's clock, by its address (`flows.let_a_night_pass` moves it on).
CLOCKS: dict[str, ShiftedClock] = {}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("e2e")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'e2e.db'}"))
    clock = app.state.clock = ShiftedClock()  # type: ignore[attr-defined]
    with live_server(app, lifespan="on") as url:
        CLOCKS[url] = clock
        yield url
        del CLOCKS[url]
