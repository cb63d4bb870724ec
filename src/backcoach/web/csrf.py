"""CSRF protection (signed double submit) that answers any malformed request with a 4xx.

A random token lives in the HttpOnly ``csrftoken`` cookie; pages carry an HMAC of it and of the
login cookie with the signing key (the forms' ``csrftoken`` field, the
``<meta name="csrf-token">`` that player.js sends as ``x-csrftoken``). Every unsafe request must
carry that HMAC. The body is read here, bounded per route, to find the field and then replayed to
the app. Bad bytes anywhere are a refusal with a plain page, never an exception: the cookie header
is read as bytes, bodies are checked as UTF-8, and tokens are compared as bytes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backcoach.api.app import PREFIX as API_PREFIX
from backcoach.api.deps import PAGE_TOKEN_CHECKED, SESSION_COOKIE
from backcoach.api.problems import problem_response
from backcoach.web.forms import MAX_BODY_BYTES, MAX_FIELDS
from backcoach.web.pages import Pages

COOKIE = "csrftoken"
FIELD = "csrftoken"
HEADER = b"x-csrftoken"
#: Where templates find the page's token: a callable, as asgi-csrf put it (web/pages.py).
SCOPE_KEY = "csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_URLENCODED = b"application/x-www-form-urlencoded"
_MULTIPART = b"multipart/form-data"
#: What secrets.token_urlsafe(32) makes; any other cookie value is replaced, never parsed.
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")

EXPIRED = (
    "This form has expired or came from another site. "
    "Please go back, reload the page and send it again."
)
TOO_LARGE = "This form is too large to send. Please shorten what you typed and try again."
NOT_TEXT = "This form could not be read: it was not sent as UTF-8 text. Please try again."
TOO_MANY = "This form has too many fields. Please go back, reload the page and try again."
BAD_LENGTH = "This request's Content-Length is not a number."
REPEATED_COOKIE = (
    "This request carries the login cookie twice. Please clear this site's cookies, log in "
    "again and try again."
)
NO_FILES = (
    "This site's forms take typed answers and cannot take files (this one was sent as "
    "multipart/form-data, the way files are uploaded). Please go back, reload the page and "
    "send it again."
)


class Refusal(Exception):
    """A request refused before the app runs: its status, title and message."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def csrf(
    app: ASGIApp,
    *,
    signing_secret: str,
    pages: Pages,
    cookie_secure: bool = False,
    skip: Callable[[Scope], bool] = lambda scope: False,
    body_limit: Callable[[str], int] = lambda path: MAX_BODY_BYTES,
) -> ASGIApp:
    """Wrap ``app``: every unsafe request (log in and sign up too, with or without cookies)
    carries the page's token or is refused; ``skip`` names requests left alone; ``body_limit``
    gives the most bytes a path may send (never more than ``MAX_BODY_BYTES``)."""
    key = signing_secret.encode("utf-8")

    def page_token(cookie_token: str, login: bytes) -> str:
        # Bound to the login too: a token pair someone fetched for themselves and planted in
        # another browser's cookie jar (from a sibling subdomain) is no use under that
        # browser's login, and a token from before logging in or out expires with it.
        message = b"csrftoken:" + cookie_token.encode("ascii") + b":" + _digest(login)
        digest = hmac.new(key, message, hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")

    # wraps keeps the app's attributes (its state) reachable, as the other wrappers do.
    @functools.wraps(app)
    async def protected(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = _headers(scope)
        cookies = headers.get(b"cookie", b"")
        sent_cookie = _cookie(cookies)
        cookie_token = sent_cookie or secrets.token_urlsafe(32)
        expected = page_token(cookie_token, _cookie_bytes(cookies, SESSION_COOKIE))
        read = False

        def get_token() -> str:
            nonlocal read
            read = True
            return expected

        scope = {**scope, SCOPE_KEY: get_token}

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and read:
                # The page holds a token made from the cookie: caches must not share it.
                extra: list[tuple[bytes, bytes]] = [(b"vary", b"Cookie")]
                if sent_cookie is None:
                    extra.append((b"set-cookie", _set_cookie(cookie_token, cookie_secure)))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if scope["method"] in SAFE_METHODS:
            await app(scope, receive, send_with_cookie)
            return
        try:
            max_body = min(body_limit(scope["path"]), MAX_BODY_BYTES)
            # A request that needs no page token (an API token's) is still bounded in size.
            wanted = None if skip(scope) else expected
            if wanted is not None and _repeated_cookie(cookies):
                raise Refusal(400, "That request is not right", REPEATED_COOKIE)
            replay = await _checked(scope, receive, headers, wanted, max_body=max_body)
        except Refusal as refusal:
            await _refuse(scope, send_with_cookie, pages, refusal)
            return
        if replay is not None:
            if wanted is not None:
                # The API accepts a login cookie on a change only with this mark (api/deps.py),
                # so a request this layer let through unchecked can never act as a login.
                scope[PAGE_TOKEN_CHECKED] = True
            await app(scope, replay, send_with_cookie)

    return protected


async def _checked(
    scope: Scope,
    receive: Receive,
    headers: dict[bytes, bytes],
    expected: str | None,
    *,
    max_body: int,
) -> Receive | None:
    """The body read and checked (its size; its page token unless ``expected`` is None), as a
    receive that replays it; None if the client went away."""
    length = headers.get(b"content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise Refusal(400, "That request is not right", BAD_LENGTH)
        if int(length) > max_body:
            raise Refusal(413, "Too large", TOO_LARGE)
    kind = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    if kind == _MULTIPART:
        raise Refusal(415, "Files are not accepted", NO_FILES)
    body = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None  # http.disconnect: nobody to answer
        body += message.get("body", b"")
        if len(body) > max_body:
            raise Refusal(413, "Too large", TOO_LARGE)
        more = message.get("more_body", False)
    if expected is not None:
        _check_token(headers, kind, bytes(body), expected)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": bytes(body), "more_body": False}

    return replay


def _check_token(headers: dict[bytes, bytes], kind: bytes, body: bytes, expected: str) -> None:
    sent = headers.get(HEADER)
    fields: list[tuple[str, str]] = []
    if kind == _URLENCODED:
        fields = _fields(body)
    if sent is None:
        sent = next((value for name, value in fields if name == FIELD), "").encode("utf-8")
    if not hmac.compare_digest(sent, expected.encode("ascii")):
        raise Refusal(403, "Not allowed", EXPIRED)


def _fields(body: bytes) -> list[tuple[str, str]]:
    try:
        text = body.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except UnicodeDecodeError:  # the bytes, or a %-escape, are not UTF-8
        raise Refusal(400, "That form could not be read", NOT_TEXT) from None
    except ValueError:  # more than MAX_FIELDS fields
        raise Refusal(400, "That form could not be read", TOO_MANY) from None


def _headers(scope: Scope) -> dict[bytes, bytes]:
    """Headers by lower-case name; the first of a repeated header wins (Cookie: joined)."""
    found: dict[bytes, bytes] = {}
    for name, value in scope.get("headers") or []:
        name = bytes(name).lower()
        if name == b"cookie" and name in found:
            found[name] += b"; " + bytes(value)
        else:
            found.setdefault(name, bytes(value))
    return found


def _repeated_cookie(header: bytes) -> bool:
    """Whether the login cookie comes twice. The page token is bound to the first login cookie
    sent, while the app reads the last: a login planted beside the real one (from a sibling
    subdomain, with a longer Path) must not pair the planter's token with the victim's login. (A
    planted token cookie alone is no use: its page token is bound to the victim's login.)"""
    names = [part.strip().partition(b"=")[0].strip() for part in header.split(b";")]
    return names.count(SESSION_COOKIE.encode("ascii")) > 1


def _cookie(header: bytes) -> str | None:
    """Our cookie's token if it has the shape we make, else None; any bytes are fine here."""
    value = _cookie_bytes(header, COOKIE).decode("latin-1")
    return value if _COOKIE_VALUE.fullmatch(value) else None


def _cookie_bytes(header: bytes, wanted: str) -> bytes:
    """The first value of the cookie named ``wanted`` as sent (empty when absent)."""
    for part in header.split(b";"):
        name, _, value = part.strip().partition(b"=")
        if name == wanted.encode("ascii"):
            return value
    return b""


def _digest(value: bytes) -> bytes:
    return hashlib.sha256(value).hexdigest().encode("ascii")


def _set_cookie(token: str, secure: bool) -> bytes:
    # HttpOnly: no script reads the cookie; player.js reads the page's <meta name="csrf-token">.
    attributes = [f"{COOKIE}={token}", "Path=/", "SameSite=Lax", "HttpOnly"]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes).encode("ascii")


async def _refuse(scope: Scope, send: Send, pages: Pages, refusal: Refusal) -> None:
    response: Response
    if scope["path"].startswith(API_PREFIX + "/"):  # a program reads a problem document
        code = "api.csrf" if refusal.status == 403 else f"api.http_{refusal.status}"
        response = problem_response(refusal.status, code, refusal.detail)
    else:
        context = {"title": refusal.title, "detail": refusal.detail}
        response = pages.render(Request(scope), "error.html", context, status_code=refusal.status)
    if refusal.status == 413:
        response.headers["Connection"] = "close"  # the rest of the body is never read

    async def no_body() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, no_body, send)
