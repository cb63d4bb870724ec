"""Security headers on every response: a strict content policy and the browser's other guards."""

from __future__ import annotations

import functools

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: No inline script anywhere (the pages load /static/*.js only); nothing from other sites.
POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "img-src 'self'",  # no data: addresses: pictures come from /pictures, icons from /static
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",  # no framing, so the one-click forms cannot be clickjacked
    "style-src 'self'",  # no inline styles either: the charts' stylesheet is /progress/charts.css
    "worker-src 'self'",  # the one service worker, /sw.js (routes/offline.py)
    "manifest-src 'self'",  # /manifest.webmanifest
)
#: Powerful features no page uses. The camera is to be allowed later, as camera=(self), only on
#: the responses of the pages that use it.
PERMISSIONS = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
#: The session player's pages, where the camera coach runs MediaPipe's WebAssembly runtime:
#: 'wasm-unsafe-eval' lets a page compile WebAssembly (not JavaScript's eval); nowhere else.
CAMERA_POLICY = tuple(
    "script-src 'self' 'wasm-unsafe-eval'" if rule == "script-src 'self'" else rule
    for rule in POLICY
)
CAMERA_PERMISSIONS = PERMISSIONS.replace("camera=()", "camera=(self)")
#: A year; only sent over HTTPS (BACKCOACH_SECURE_COOKIES), where a browser heeds it.
HSTS = "max-age=31536000"


def _headers(*, https: bool) -> list[tuple[str, str]]:
    headers = [
        ("Content-Security-Policy", "; ".join(POLICY)),
        ("X-Content-Type-Options", "nosniff"),
        # Secret addresses (the calendar feed's, invitations later) never leave as a referrer.
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", PERMISSIONS),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if https:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def security_headers(app: ASGIApp, *, https: bool) -> ASGIApp:
    """Wrap the outermost app; a header a route set on purpose is kept as it is."""
    added = _headers(https=https)

    # wraps keeps the app's attributes (its state) reachable, as the CSRF layer does.
    @functools.wraps(app)
    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added:
                    headers.setdefault(name, value)
            await send(message)

        await app(scope, receive, send_with_headers)

    return with_headers


def allow_camera(response: Response) -> Response:
    """The camera coach's page: the app's policy with WebAssembly allowed and the camera for
    this origin only (the wrapper keeps a header a route set)."""
    response.headers["Content-Security-Policy"] = "; ".join(CAMERA_POLICY)
    response.headers["Permissions-Policy"] = CAMERA_PERMISSIONS
    return response
