"""End-to-end fixtures: one real server (uvicorn, SQLite file) for the e2e module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from backcoach.settings import Settings
from backcoach.web.app import create_app
from tests.support.live_server import live_server


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("e2e")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'e2e.db'}"))
    with live_server(app, lifespan="on") as url:
        yield url
