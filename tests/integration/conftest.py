"""Fixtures of the in-process web tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.training_app import App, running_app


@pytest.fixture
def app(database_url: str) -> Iterator[App]:
    """The app with a fixed clock on this test's fresh database (SQLite or PostgreSQL)."""
    with running_app(database_url) as under_test:
        yield under_test
