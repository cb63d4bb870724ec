"""The CSRF layer: bad bytes are a 4xx with a plain message, and forged posts are refused."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

from backcoach.web.body_limits import SMALL, body_limit
from backcoach.web.forms import MAX_BODY_BYTES
from tests.integration.onboarded import Onboarded
from tests.training_app import PASSWORD, App, onboard, start, token

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)

FORM = "application/x-www-form-urlencoded"
FORM_HEADER = (b"content-type", FORM.encode())
NOT_UTF8 = b"\xff\xfe\xc3("


def _login_token(client: TestClient) -> str:
    return token(client.get("/login").text)


def test_a_cookie_header_that_is_not_utf8_breaks_no_page(app: App) -> None:
    # Another app on the same host may set any bytes; this site still works for that browser.
    junk = (b"cookie", b"theirs=" + NOT_UTF8 + b"; csrftoken=" + NOT_UTF8)
    assert send_raw(app.asgi, "GET", "/login", [junk])[0] == 200
    assert send_raw(app.asgi, "GET", "/static/app.css", [junk])[0] == 200
    body = iter([b"email=a%40example.com"])
    status, text, _ = send_raw(app.asgi, "POST", "/login", [junk, FORM_HEADER], body)
    assert status == 403
    assert "reload the page" in text


def test_a_non_ascii_token_header_is_refused(app: App) -> None:
    client = app.client()
    _login_token(client)
    headers = {b"x-csrftoken": "tökén".encode(), b"content-type": FORM.encode()}
    refused = client.post("/login", content=b"email=a%40example.com", headers=headers)
    assert refused.status_code == 403
    assert "expired or came from another site" in refused.text


def test_a_non_ascii_token_field_is_refused(app: App) -> None:
    client = app.client()
    _login_token(client)
    refused = client.post("/login", data={"email": "a@example.com", "csrftoken": "tökén"})
    assert refused.status_code == 403
    assert "expired or came from another site" in refused.text


def test_a_form_body_that_is_not_utf8_is_a_400(app: App) -> None:
    client = app.client()
    good = _login_token(client)
    for body in (b"email=" + NOT_UTF8, b"email=%FF%FE"):
        refused = client.post(
            "/login", content=body + b"&csrftoken=" + good.encode(), headers={"content-type": FORM}
        )
        assert refused.status_code == 400, body
        assert "UTF-8" in refused.text


def test_a_multipart_post_is_a_415(app: App) -> None:
    client = app.client()
    good = _login_token(client)
    refused = client.post(
        "/login",
        data={"email": "a@example.com", "csrftoken": good},
        files={"picture": ("a.txt", b"hello", "text/plain")},
    )
    assert refused.status_code == 415
    assert "multipart/form-data" in refused.text


def test_a_multipart_body_without_a_boundary_is_a_415(app: App) -> None:
    client = app.client()
    good = _login_token(client)
    refused = client.post(
        "/login",
        content=b"--x\r\n\r\n",
        headers={"content-type": "multipart/form-data", "x-csrftoken": good},
    )
    assert refused.status_code == 415
    assert "multipart/form-data" in refused.text


def test_a_body_declared_over_the_limit_is_a_413_unread(app: App) -> None:
    length = (b"content-length", b"%d" % (50 * 1024 * 1024))
    status, text, read = send_raw(app.asgi, "POST", "/login", [FORM_HEADER, length], _chunks(800))
    assert status == 413
    assert "too large" in text
    assert read == 0


def test_a_streamed_body_over_the_limit_is_a_413_before_it_is_read_whole(app: App) -> None:
    # 50 MB in 64 KiB chunks, no Content-Length: reading stops just past the limit.
    status, text, read = send_raw(app.asgi, "POST", "/login", [FORM_HEADER], _chunks(800))
    assert status == 413
    assert "too large" in text
    assert read <= body_limit("/login") + 64 * 1024 < MAX_BODY_BYTES


def test_a_set_save_is_limited_to_a_few_kilobytes_before_it_is_read(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    address = f"/session/{start(client)}/sets"
    good = token(client.get("/today").text)
    cookie = (b"cookie", "; ".join(f"{k}={v}" for k, v in client.cookies.items()).encode())
    declared = (b"content-length", b"%d" % (SMALL + 1))
    status, text, read = send_raw(app.asgi, "POST", address, [FORM_HEADER, cookie, declared])
    assert (status, read) == (413, 0)
    assert "too large" in text
    # Streamed with no length: reading stops at the first chunk past the limit.
    small = (b"a" * 1024 for _ in range(64))
    status, _, read = send_raw(app.asgi, "POST", address, [FORM_HEADER, cookie], small)
    assert status == 413
    assert read <= SMALL + 1024
    # A real set, with its token, is well inside the limit.
    form = {"exercise_id": "clam", "number": "1", "reps": "10", "felt": "target"}
    saved = client.post(address, data={**form, "csrftoken": good})
    assert saved.status_code in (200, 303)


def test_a_post_without_a_token_or_with_a_wrong_one_is_refused(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    good = token(client.get("/today").text)
    form = {"exercise_id": "clam", "number": "1", "reps": "10", "felt": "target"}
    address = f"/session/{session_id}/sets"
    assert client.post(address, data=form).status_code == 403
    assert client.post(address, data={**form, "csrftoken": good + "x"}).status_code == 403
    wrong = {"accept": "application/json", "x-csrftoken": "not-the-token"}
    assert client.post(address, data=form, headers=wrong).status_code == 403
    # Another browser's token does not pass with this browser's cookie.
    theirs = _login_token(app.client())
    assert client.post(address, data={**form, "csrftoken": theirs}).status_code == 403
    # Log in and sign up are protected even from a browser with no cookies at all.
    assert app.client().post("/login", data={"email": "a@example.com"}).status_code == 403
    assert app.client().post("/signup", data={"email": "a@example.com"}).status_code == 403
    saved = client.post(
        address, data=form, headers={"accept": "application/json", "x-csrftoken": good}
    )
    assert saved.status_code == 200


def test_a_token_is_bound_to_the_login_it_was_made_under(app: App) -> None:
    ana = onboard(app)
    session_id = start(ana)
    form = {"exercise_id": "clam", "number": "1", "reps": "10", "felt": "target"}
    address = f"/session/{session_id}/sets"
    # Someone fetches a cookie and token for themselves, logged in to their own account ...
    mallory = onboard(app, "mallory@example.com")
    planted, theirs = mallory.cookies["csrftoken"], token(mallory.get("/today").text)
    # ... and plants that cookie in Ana's browser (a sibling subdomain can set cookies):
    # the pair is no use under Ana's login.
    ana.cookies.set("csrftoken", planted)
    assert ana.post(address, data={**form, "csrftoken": theirs}).status_code == 403
    # Ana's own pages, with that same cookie, carry a token that works.
    assert ana.post(
        address, data={**form, "csrftoken": token(ana.get("/today").text)}
    ).status_code in (200, 303)
    # A token made before logging in expires with the login.
    fresh = app.client()
    before = _login_token(fresh)
    signed_in = fresh.post(
        "/login", data={"email": "ana@example.com", "password": PASSWORD, "csrftoken": before}
    )
    assert signed_in.status_code in (200, 303)
    assert fresh.post("/logout", data={"csrftoken": before}).status_code == 403
    assert fresh.post(
        "/logout", data={"csrftoken": token(fresh.get("/today").text)}
    ).status_code in (200, 303)


def test_the_token_cookie_is_http_only_and_the_page_carries_the_token(app: App) -> None:
    client = app.client()
    page = client.get("/login")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("csrftoken=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert 'name="csrf-token" content="' + token(page.text) + '"' in page.text
    assert "Cookie" in page.headers["vary"]
    # Later pages keep the same cookie and token.
    again = client.get("/login")
    assert "set-cookie" not in again.headers
    assert token(again.text) == token(page.text)


def _chunks(count: int) -> Iterator[bytes]:
    return (b"a" * 64 * 1024 for _ in range(count))


def send_raw(
    asgi: Any,
    method: str,
    path: str,
    headers: list[tuple[bytes, bytes]],
    chunks: Iterator[bytes] | None = None,
) -> tuple[int, str, int]:
    """A request straight to the ASGI app, headers as raw bytes (a TestClient re-encodes them as
    UTF-8): the status, the text and how many body bytes the app read."""
    chunks = chunks if chunks is not None else iter(())
    read, done = 0, False
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read, done
        if done:
            await asyncio.Event().wait()  # the client waits; cancelled when the response ends
        chunk = next(chunks, None)
        if chunk is None:
            done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    # In a thread of its own: a browser test may keep an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, asgi(scope, receive, send)).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body.decode("utf-8", "replace"), read
