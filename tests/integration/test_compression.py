"""gzip for pages, CSS, JS, pictures and JSON; streamed answers, HEAD and ranges left alone."""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Message

from backcoach.web.compression import accepts_gzip, compressed
from backcoach.web.routes.pictures import picture_url
from backcoach.web.static_files import static_url
from tests.training_app import App, sign_up

DATABASES = ("sqlite",)
GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
#: As a browser asks from one of the app's own pages.
OWN_PAGE = {"Sec-Fetch-Site": "same-origin"}


def test_pages_styles_scripts_and_pictures_travel_gzipped_when_asked(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    for address in (
        "/exercises",
        static_url("app.css"),
        static_url("library.js"),
        str(picture_url("glute_bridge")),
    ):
        packed = client.get(address, headers={**GZIP, **OWN_PAGE})
        plain = client.get(address, headers={**IDENTITY, **OWN_PAGE})
        assert packed.status_code == plain.status_code == 200, address
        assert packed.headers["content-encoding"] == "gzip", address
        assert "content-encoding" not in plain.headers, address
        for answer in (packed, plain):
            assert "Accept-Encoding" in answer.headers["vary"], address
        assert packed.num_bytes_downloaded < plain.num_bytes_downloaded / 2, address
        assert int(packed.headers["content-length"]) == packed.num_bytes_downloaded
        assert packed.content == plain.content, address  # httpx unpacked it
    # Started by another site: the page (with its token beside the search words) unpacked.
    started_elsewhere = client.get(
        "/exercises?q=clam", headers={**GZIP, "Sec-Fetch-Site": "cross-site"}
    )
    assert "content-encoding" not in started_elsewhere.headers
    for typed in ("same-origin", "none"):  # the app's own page, or a typed address
        asked = client.get("/exercises?q=clam", headers={**GZIP, "Sec-Fetch-Site": typed})
        assert asked.headers["content-encoding"] == "gzip", typed
    etag = client.get(static_url("app.css"), headers=GZIP).headers["etag"]
    assert etag.startswith('W/"'), "another encoding may only match its file weakly"
    unchanged = client.get("/static/app.css", headers={**GZIP, "If-None-Match": etag})
    assert unchanged.status_code == 304


def test_a_browser_that_does_not_say_who_asked_gets_its_pages_unpacked(app: App) -> None:
    """BREACH: without Sec-Fetch-Site a request another site started cannot be told apart, so a
    page (its token beside the search words) is not packed; styles and scripts still are."""
    client = sign_up(app, "ana@example.com")
    page = client.get("/exercises?q=clam", headers=GZIP)
    assert page.status_code == 200 and "content-encoding" not in page.headers
    assert "Accept-Encoding" in page.headers["vary"]
    for address in (static_url("app.css"), static_url("library.js")):
        assert client.get(address, headers=GZIP).headers["content-encoding"] == "gzip", address


def test_head_and_range_answers_are_the_stored_bytes(app: App) -> None:
    client = app.client()
    address = static_url("app.css")
    whole = client.get(address, headers=IDENTITY).content
    head = client.head(address, headers=GZIP)
    assert head.status_code == 200 and "content-encoding" not in head.headers
    assert int(head.headers["content-length"]) == len(whole)
    part = client.get(address, headers={**GZIP, "Range": "bytes=10-49"})
    assert part.status_code == 206 and "content-encoding" not in part.headers
    assert part.content == whole[10:50]


def test_a_streamed_answer_passes_piece_by_piece_unpacked() -> None:
    async def pieces() -> AsyncIterator[bytes]:
        for number in range(3):
            yield b'{"piece": %d, "padding": "%s"}\n' % (number, b"x" * 2000)

    async def streamed(_: Any) -> StreamingResponse:
        return StreamingResponse(pieces(), media_type="application/json")

    async def events(_: Any) -> StreamingResponse:
        return StreamingResponse(pieces(), media_type="text/event-stream")

    async def small(_: Any) -> Response:
        return Response("<p>hi</p>", media_type="text/html")

    async def large(_: Any) -> Response:  # packed in a worker thread
        return Response(b'{"n": "' + b"0123456789" * 40_000 + b'"}', media_type="application/json")

    app = compressed(
        Starlette(
            routes=[
                Route("/export", streamed),
                Route("/events", events),
                Route("/small", small),
                Route("/large", large),
            ]
        )
    )
    for path in ("/export", "/events"):
        sent = _call(app, path)
        start, bodies = sent[0], [m["body"] for m in sent[1:] if m["body"]]
        assert len(bodies) == 3, f"{path}: each piece goes as it comes"
        assert b'"piece": 0' in bodies[0], f"{path}: not packed"
        assert not any(name == b"content-encoding" for name, _ in start["headers"]), path
    big = _call(app, "/large")
    assert (b"content-encoding", b"gzip") in big[0]["headers"]
    assert gzip.decompress(big[1]["body"]).endswith(b'789"}')
    small_start = _call(app, "/small")[0]
    assert not any(name == b"content-encoding" for name, _ in small_start["headers"])
    assert (b"vary", b"Accept-Encoding") in small_start["headers"]


def test_gzip_is_sent_only_where_the_browser_allows_it() -> None:
    assert accepts_gzip("gzip, deflate, br")
    assert accepts_gzip("br;q=1.0, gzip;q=0.8")
    assert accepts_gzip("*")
    assert not accepts_gzip("gzip;q=0")
    assert not accepts_gzip("identity")
    assert not accepts_gzip("")


def _call(app: Any, path: str) -> list[Message]:
    """The messages the app sends for one GET asking for gzip (in a thread of its own: a
    browser test may hold an event loop in this one)."""
    sent: list[Message] = []
    asked: list[bool] = []

    async def receive() -> Message:
        if not asked:
            asked.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # no disconnect: the client stays until the answer ends
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"accept-encoding", b"gzip"), (b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    runner = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    runner.start()
    runner.join(10)
    return sent
