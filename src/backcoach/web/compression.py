"""gzip for text answers: pages, CSS, JS, SVG pictures and JSON, when the browser accepts it.

An answer is compressed only when its whole body comes in one piece (pages, JSON, pictures,
static files under 64 KB) and weighs at least `MINIMUM_SIZE`. Anything streamed (the export
download, a long or server-sent answer) passes as it is, byte for byte and as it comes; so do
HEAD answers (no body to compress), answers to requests another site started (see
`_OTHER_SITES`), pages to browsers that do not say who started the request (`_OWN_PAGES`),
partial answers to a Range request (206: their byte ranges are of the file as stored), and
answers that already name an encoding. Every answer of a compressible type says
``Vary: Accept-Encoding``, so a cache never hands the gzip bytes to a client that did not ask
for them. (brotli would save a little more, but needs a compiled package the app does not
otherwise have; the standard library's gzip is enough here.)
"""

from __future__ import annotations

import functools
import gzip

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Below this a gzip header and trailer (18 bytes) and a round of CPU buy almost nothing.
MINIMUM_SIZE = 860
#: Level 6 (zlib's default) is within a few per cent of 9 in size, at a fraction of the time.
LEVEL = 6
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/svg+xml",
        "application/json",
        "application/problem+json",
        "application/fhir+json",
        "application/manifest+json",
        "text/calendar",
        "text/plain",
    }
)
#: A request another site started (a link, a form, a script's fetch) is answered uncompressed:
#: the pages hold the page token next to words a request can put there (a search), and the
#: size of a compressed answer would let a site that starts many such requests and watches the
#: network guess the token (the BREACH attack).
_OTHER_SITES = frozenset({"cross-site", "same-site"})
#: A page is compressed only when the browser says the app's own page (or a typed address, a
#: bookmark: "none") started the request. A browser that sends no Sec-Fetch-Site cannot be told
#: from one led by another site, so its pages go uncompressed; its CSS, JS, pictures and JSON,
#: which hold no page token, keep gzip.
_OWN_PAGES = frozenset({"same-origin", "none"})
_PAGE = "text/html"
#: A page takes well under a millisecond to pack; a body larger than this (a big JSON page)
#: is packed in a worker thread, so the event loop keeps answering meanwhile.
_IN_A_THREAD = 256 * 1024
#: Statuses whose body is not a whole representation, or that have none.
_PASSED_STATUSES = frozenset({204, 206, 304})


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether the Accept-Encoding header allows gzip (``gzip;q=0`` refuses it)."""
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.strip().lower().removeprefix("q=").strip()
        try:
            return not params or float(quality) > 0
        except ValueError:
            return True
    return False


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=LEVEL, mtime=0)


def _media_type(headers: Headers) -> str:
    return headers.get("content-type", "").partition(";")[0].strip().lower()


def compressed(app: ASGIApp, *, minimum_size: int = MINIMUM_SIZE) -> ASGIApp:
    """Wrap an app (outside everything that makes bodies): gzip its whole-body text answers."""

    # wraps keeps the app's attributes (its state) reachable, as the other layers do.
    @functools.wraps(app)
    async def with_compression(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        asked = Headers(scope=scope)
        started_by = asked.get("sec-fetch-site")
        wanted = (
            scope["method"] != "HEAD"
            and accepts_gzip(asked.get("accept-encoding", ""))
            and started_by not in _OTHER_SITES
        )
        pages_wanted = wanted and started_by in _OWN_PAGES
        held: Message | None = None  # the start of an answer that may yet be compressed
        passing = False  # decided: the rest goes out untouched

        async def send_compressed(message: Message) -> None:
            nonlocal held, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                media_type = _media_type(headers)
                if media_type not in COMPRESSIBLE:
                    passing = True
                    await send(message)
                    return
                headers.add_vary_header("Accept-Encoding")
                if (
                    not (pages_wanted if media_type == _PAGE else wanted)
                    or message["status"] in _PASSED_STATUSES
                    or "content-encoding" in headers
                    or "content-range" in headers
                ):
                    passing = True
                    await send(message)
                    return
                held = message
                return
            start, held, passing = held, None, True
            if message["type"] != "http.response.body" or start is None:
                # Not a body (a file sent by path, say): the held start goes first, untouched.
                if start is not None:
                    await send(start)
                await send(message)
                return
            body: bytes = message.get("body", b"")
            if message.get("more_body", False) or len(body) < minimum_size:
                # Streamed (its first piece is not all of it), or too small to be worth it.
                await send(start)
                await send(message)
                return
            if len(body) > _IN_A_THREAD:
                packed = await anyio.to_thread.run_sync(_gzip, body)
            else:
                packed = _gzip(body)
            headers = MutableHeaders(scope=start)
            headers["content-encoding"] = "gzip"
            headers["content-length"] = str(len(packed))
            # The ranges on offer are of the stored bytes, not of this encoding.
            if "accept-ranges" in headers:
                del headers["accept-ranges"]
            # Another encoding is another representation: its tag may only match weakly.
            etag = headers.get("etag")
            if etag and not etag.startswith("W/"):
                headers["etag"] = f"W/{etag}"
            await send(start)
            await send({"type": "http.response.body", "body": packed, "more_body": False})

        await app(scope, receive, send_compressed)

    return with_compression
