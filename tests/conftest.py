"""Shared fixtures: the shipped catalogue, a fixed day (the engine never reads the clock), and the
servers and browser of tests/support (databases, a throwaway PostgreSQL, chromium)."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from jinja2 import Environment
from playwright.sync_api import Browser, Page

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Catalogue
from backcoach.services import accounts
from backcoach.settings import Settings
from backcoach.store.migrate import upgrade
from backcoach.web.app import create_app
from backcoach.web.pages import Pages
from tests.support.availability import unavailable
from tests.support.browser import CHROMIUM, chromium, new_page
from tests.support.postgres import (
    PostgresUnavailable,
    create_database,
    fresh_database,
    throwaway_postgres,
)

# The many short-lived servers of the tests would each start drawing (or reading back) every
# picture in the background (CPU the other tests need): here pictures are drawn when asked.
# tests/integration/test_web_pictures.py checks the drawing at start with the setting on.
os.environ.setdefault("BACKCOACH_DRAW_PICTURES_AT_START", "false")

settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci")

TODAY = date(2026, 11, 25)
MIGRATED_TEMPLATE = "backcoach_migrated"


#: What production hashes passwords with, kept before the tests swap in a cheap hasher.
PRODUCTION_HASHER = accounts._hasher


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """Full-cost argon2 (64 MiB, about 0.15 s a hash here) is for people's passwords; the tests
    check behaviour, not cost, and sign up hundreds of people (this saves about two minutes).
    test_password_hashing_keeps_full_cost_in_production holds production to full cost."""
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = PRODUCTION_HASHER


@pytest.fixture(autouse=True, scope="session")
def templates_compiled_once() -> Iterator[None]:
    """Each app builds its own Jinja environment (web/pages.py), which compiles every template it
    renders again, 25-30 ms each: a server builds one app, the tests hundreds. They share the
    first app's environment (nothing changes it per app): a quarter less CPU for page tests."""
    build = Pages.__init__
    shared: list[Environment] = []

    def once(pages: Pages) -> None:
        if not shared:
            build(pages)
            shared.append(pages.env)
        pages.env = shared[0]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Pages, "__init__", once)
        yield


@pytest.fixture(autouse=True, scope="session")
def private_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The default database lives in the per-user data folder ($XDG_DATA_HOME/backcoach): no
    test, nor a command it starts, may touch the real one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
        yield


class _ServerErrors(logging.Handler):
    """Unhandled errors the app answered with its plain 500 page (web/access_log.py)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(autouse=True)
def no_unhandled_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test during which the app hit an unhandled error, even if the test never looked
    at the status: the app answers those with a 500 page instead of raising into the test
    client. A test that causes one on purpose is marked ``server_error_expected``."""
    caught = _ServerErrors()
    errors = logging.getLogger("backcoach.error")
    errors.addHandler(caught)
    try:
        yield
    finally:
        errors.removeHandler(caught)
    if caught.lines and request.node.get_closest_marker("server_error_expected") is None:
        pytest.fail("unhandled server error: " + "; ".join(caught.lines), pytrace=False)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return default_catalogue()


@pytest.fixture
def today() -> date:
    return TODAY


# --- servers and a browser (tests/support) ---------------------------------------------------
# Without CI (a developer's machine) a missing PostgreSQL or chromium skips the tests that need
# it, saying why; with CI set it fails them, so CI can never go green without running them.


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL 15 for the whole session: ``postgresql+psycopg://...`` URL."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(throwaway_postgres())
        except PostgresUnavailable as error:
            unavailable(f"PostgreSQL unavailable: {error}")
        yield url


#: Fixtures that migrate this test's database before the test sees it (an app starts, or the
#: ``database`` fixtures): with one of them, database_url starts as a copy of a migrated template.
MIGRATED_BY = frozenset({"app", "database", "make_client", "site", "auckland_server"})


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per worker (no person, no signing key in it)."""
    template = tmp_path_factory.mktemp("template") / "migrated.db"
    upgrade(f"sqlite:///{template}")
    return template


@pytest.fixture(scope="session")
def migrated_postgres_template(postgres_url: str) -> str:
    """A database on the session's PostgreSQL migrated to head once, to copy with TEMPLATE."""
    upgrade(create_database(postgres_url, MIGRATED_TEMPLATE))
    return MIGRATED_TEMPLATE


@pytest.hookimpl(tryfirst=True)  # before pytest parametrizes database_url from its own params
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module's ``DATABASES = ("sqlite",)`` runs its tests that take a database on those
    alone (pages and forms behave alike on both; the services under them run on both)."""
    only = getattr(metafunc.module, "DATABASES", None)
    chosen = any(
        "database_url" in str(mark.args[0])
        for mark in metafunc.definition.iter_markers("parametrize")
    )  # a test that names its own databases keeps them
    if only is not None and not chosen and "database_url" in metafunc.fixturenames:
        # As a mark, so that pytest's own hooks skip the fixture's params and apply this.
        metafunc.definition.add_marker(pytest.mark.parametrize("database_url", only, indirect=True))


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own for each test, once on SQLite and once on PostgreSQL: empty, or,
    when a fixture of MIGRATED_BY would migrate it first anyway, a copy of a migrated template
    (migrating took most of an app's setup; tests/integration/test_migrations.py and the servers'
    tests still migrate empty databases)."""
    migrated = not MIGRATED_BY.isdisjoint(request.fixturenames)
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        if migrated:
            shutil.copy(request.getfixturevalue("migrated_sqlite_template"), path)  # mode 0600 too
        yield f"sqlite:///{path}"
        return
    server: str = request.getfixturevalue("postgres_url")
    template = request.getfixturevalue("migrated_postgres_template") if migrated else None
    with fresh_database(server, template=template) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium through Playwright, shared by the session."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found: install Debian's chromium (bash scripts/test.sh does)")
    with chromium() as launched:
        yield launched


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own context) at 360x740, touch, device scale 2."""
    page = new_page(browser, phone=True)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture
def desktop_page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own context) at 1280x800."""
    page = new_page(browser, phone=False)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture
def make_client(database_url: str) -> Iterator[Callable[..., TestClient]]:
    """Clients of a fresh app on this test's database; apps are shut down (pools closed) after."""
    with ExitStack() as stack:

        def make(**overrides: Any) -> TestClient:
            app = create_app(Settings(database_url=database_url, **overrides))
            return stack.enter_context(TestClient(app, follow_redirects=True))

        yield make
