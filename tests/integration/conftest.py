"""Fixtures of the in-process web tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backcoach.store.db import Database
from tests.support.postgres import fresh_database
from tests.training_app import App, running_app


@pytest.fixture
def app(database_url: str) -> Iterator[App]:
    """The app with a fixed clock on this test's fresh database (SQLite or PostgreSQL)."""
    with running_app(database_url) as under_test:
        yield under_test


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """This test's database, already migrated (database_url copies the migrated template)."""
    opened = Database(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def other_database_url(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Any:
    """A second empty database of the same kind as ``database_url``: another backcoach."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    with fresh_database(request.getfixturevalue("postgres_url")) as url:
        yield url
