"""The test machinery itself works, and can fail: throwaway PostgreSQL, per-test databases, the
live server, the browser, the accessibility check and screenshots (tests/support)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import create_engine, func, inspect, select, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from backcoach.store.migrate import pending
from backcoach.store.tables import User
from tests.support.browser import assert_accessible, new_page, screenshot
from tests.support.live_server import live_server
from tests.support.ports import accepts_connections, free_port
from tests.training_app import App, sign_up

GOOD_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>backcoach test page</title></head>
<body><main><h1>Hello, back</h1><p>Strong glutes, neutral spine.</p></main></body></html>"""

PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
BAD_PAGE = GOOD_PAGE.replace("</main>", f'<img src="{PIXEL}" width="10" height="10"></main>')


def _page(request: Request) -> HTMLResponse:
    return HTMLResponse(BAD_PAGE if request.query_params.get("bad") else GOOD_PAGE)


def _ping(request: Request) -> PlainTextResponse:
    return PlainTextResponse("pong")


APP = Starlette(routes=[Route("/", _page), Route("/ping", _ping)])


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with live_server(APP) as url:
        yield url


# --- ports and databases -------------------------------------------------------------------


def test_free_port_is_free() -> None:
    port = free_port()
    assert 1024 <= port <= 65535
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_throwaway_postgres_answers_select_1(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
            version = conn.execute(text("show server_version_num")).scalar_one()
            assert int(version) // 10000 == 15
            assert conn.execute(text("show server_encoding")).scalar_one() == "UTF8"
    finally:
        engine.dispose()


def _write_and_count(url: str) -> tuple[list[str], int]:
    """Tables the database had, then create one and put a row in it; return (tables, rows)."""
    engine = create_engine(url)
    try:
        before = inspect(engine).get_table_names()
        with engine.begin() as conn:
            conn.execute(text("create table marker (id integer primary key)"))
            conn.execute(text("insert into marker values (1)"))
            rows = conn.execute(text("select count(*) from marker")).scalar_one()
        return before, rows
    finally:
        engine.dispose()


def test_database_url_is_fresh_and_writable(database_url: str) -> None:
    before, rows = _write_and_count(database_url)
    assert before == []
    assert rows == 1


def test_database_url_again_starts_empty(database_url: str) -> None:
    # Same steps as the test above: a create table here would fail if it were the same database.
    before, rows = _write_and_count(database_url)
    assert before == []
    assert rows == 1


def test_an_apps_database_is_its_own_copy_of_the_migrated_template(app: App) -> None:
    """The app fixture starts on a copy of the migrated template (tests/conftest.py): at the
    newest revision and empty, since no test writes into the template; a person signed up here
    stays here (the next test's copy is empty again)."""
    assert not pending(app.database.engine, app.state.settings.database_url)
    assert app.query(select(func.count()).select_from(User)) == 0
    sign_up(app, "ana@example.com")
    assert app.query(select(func.count()).select_from(User)) == 1


def test_two_fresh_postgres_databases_are_distinct(postgres_url: str) -> None:
    from tests.support.postgres import fresh_database

    with fresh_database(postgres_url) as first, fresh_database(postgres_url) as second:
        assert first != second
        _write_and_count(first)
        before, _ = _write_and_count(second)
        assert before == []
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            names = conn.execute(text("select datname from pg_database")).scalars().all()
        assert first.rsplit("/", 1)[1] not in names  # dropped afterwards
    finally:
        engine.dispose()


# --- live server ---------------------------------------------------------------------------


def test_live_server_serves_then_stops() -> None:
    with live_server(APP) as url:
        port = int(url.rsplit(":", 1)[1])
        response = httpx.get(f"{url}/ping")
        assert response.status_code == 200
        assert response.text == "pong"
    assert not accepts_connections("127.0.0.1", port)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/ping")


# --- browser, accessibility, screenshots ---------------------------------------------------


@pytest.mark.e2e
def test_chromium_opens_live_page_at_phone_size(browser: Browser, site: str) -> None:
    page = new_page(browser, phone=True)
    try:
        response = page.goto(site)
        assert response is not None and response.ok
        assert page.title() == "backcoach test page"
        assert page.evaluate("[innerWidth, devicePixelRatio]") == [360, 2]
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    finally:
        page.context.close()


@pytest.mark.e2e
def test_desktop_page_is_desktop_size(desktop_page: Page, site: str) -> None:
    desktop_page.goto(site)
    assert desktop_page.evaluate("[innerWidth, innerHeight]") == [1280, 800]


@pytest.mark.e2e
def test_assert_accessible_passes_a_valid_page(phone_page: Page, site: str) -> None:
    phone_page.goto(site)
    assert_accessible(phone_page, "good page")


@pytest.mark.e2e
def test_assert_accessible_fails_an_image_without_alt(phone_page: Page, site: str) -> None:
    phone_page.goto(f"{site}/?bad=1")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(phone_page, "bad page")
    message = str(failure.value)
    assert "bad page" in message
    assert "image-alt [critical]" in message
    assert "img" in message  # the target selector


@pytest.mark.e2e
@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_screenshot_writes_a_png(
    phone_page: Page, desktop_page: Page, site: str, tmp_path: Path, phone: bool
) -> None:
    page = phone_page if phone else desktop_page
    page.goto(site)
    path = screenshot(page, "hello", phone=phone, folder=tmp_path / "shots")
    assert path == tmp_path / "shots" / f"hello-{'phone' if phone else 'desktop'}.png"
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    assert width == (720 if phone else 1280)  # phone: 360 CSS px at device scale 2


# --- a missing server or browser: skip on a laptop, fail under CI ----------------------------


def test_missing_postgres_is_reported_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support import postgres

    monkeypatch.setattr(postgres, "PG_BIN_CANDIDATES", ("/nonexistent/bin",))
    monkeypatch.delenv("BACKCOACH_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent/bin")
    with pytest.raises(postgres.PostgresUnavailable, match="PostgreSQL 15 not found"):
        postgres.find_pg_bin()


@pytest.mark.parametrize("ci", ["true", ""])
def test_unavailable_fails_under_ci_and_skips_otherwise(
    monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    from tests.support.availability import unavailable

    monkeypatch.setenv("CI", ci)
    expected = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(expected, match="no chromium here"):
        unavailable("no chromium here")
