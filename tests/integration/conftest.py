"""Fixtures of the in-process web tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backcoach.store.db import Database
from tests.integration.onboarded import Onboarded, OnboardedFile
from tests.support.postgres import fresh_database
from tests.training_app import App, onboard, running_app


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


@pytest.fixture(scope="session")
def ana_onboarded_file(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path
) -> OnboardedFile:
    """Ana onboarded through the pages once per worker (training_app.onboard: sign-up, login,
    screening, measures, profile; about 0.7 s of CPU, which most page tests paid first)."""
    path = tmp_path_factory.mktemp("onboarded") / "ana.db"
    shutil.copy(migrated_sqlite_template, path)
    with running_app(f"sqlite:///{path}") as app:
        client = onboard(app)
        cookies = dict(client.cookies.items())
    # running_app disposed the engine: SQLite folded its write-ahead log into the file.
    assert not path.with_name("ana.db-wal").exists()
    return OnboardedFile(path, cookies)


@pytest.fixture
def ana(ana_onboarded_file: OnboardedFile, tmp_path: Path) -> Iterator[Onboarded]:
    """A copy of Ana's onboarded database for this test alone (SQLite: pages and forms behave
    alike on PostgreSQL, whose services and store are tested on both), at MONDAY 09:00."""
    path = tmp_path / "ana.db"
    shutil.copy(ana_onboarded_file.path, path)
    with running_app(f"sqlite:///{path}") as app:
        yield Onboarded(app, app.client(**ana_onboarded_file.cookies))
