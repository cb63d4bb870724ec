"""Fuzz: random bytes, headers and cookies posted to every form route and the JSON set route are
answered, never with a server error (5xx), on SQLite and PostgreSQL."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from urllib.parse import quote_from_bytes

from fastapi import FastAPI
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import BaseRoute

from tests.integration.test_csrf import send_raw
from tests.training_app import App, onboard, start, token

#: Bounded so the suite stays quick: every route is still hit a few times on each database.
EXAMPLES = 60
FORM = b"application/x-www-form-urlencoded"
#: Fields the forms read, so random values reach the routes' validation.
FIELD_NAMES = (
    "email",
    "password",
    "reps",
    "seconds",
    "felt",
    "felt[]",
    "exercise_id",
    "number",
    "age",
    "pregnancy",
    "note",
    "confirm",
    "nprs",
    "pain_before",
    "pain_during",
    "pain_after",
    "level",
    "days_per_week",
    "equipment[]",
    "equipment",
    "current",
    "new",
)


def _post_routes(app: App) -> list[str]:
    """Every POST route the app has, from its router."""
    fastapi = inspect.unwrap(app.asgi)
    assert isinstance(fastapi, FastAPI)
    return sorted(
        {route.path for route in _api_routes(fastapi.routes) if "POST" in (route.methods or ())}
    )


def _api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    # Included routers are wrapped (FastAPI 0.16x: original_router) or nested (.routes).
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None) or route
        yield from _api_routes(r for r in getattr(inner, "routes", ()) if r is not route)


def test_the_post_routes_are_the_ones_fuzzed(app: App) -> None:
    # A new form route is fuzzed without editing this file; this only proves the listing works.
    routes = _post_routes(app)
    assert "/login" in routes and "/session/{session_id}/sets" in routes
    assert len(routes) >= 15


def test_random_posts_are_never_a_server_error(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    good = token(client.get("/today").text)
    own_cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    routes = [path.replace("{session_id}", str(session_id)) for path in _post_routes(app)]
    routes.append("/session/999999/sets")

    csrf_cookie = f"csrftoken={client.cookies['csrftoken']}"

    texts = st.text(max_size=40)
    byte_strings = st.binary(max_size=60)
    junk_cookies = st.one_of(
        byte_strings,
        byte_strings.map(lambda junk: own_cookies.encode() + b"; " + junk),
        st.just(b"csrftoken=" + "tökén".encode()),
    )
    bad_tokens = st.one_of(texts, st.just(good + "x"), st.just(""))
    content_types = st.sampled_from(
        [
            b"application/x-www-form-urlencoded; charset=latin-1",
            b"multipart/form-data",
            b"multipart/form-data; boundary=x",
            b"application/json",
            b"text/plain",
            b"\xff\xfe",
            b"",
        ]
    )
    fields = st.lists(
        st.tuples(
            st.one_of(st.sampled_from(FIELD_NAMES), texts),
            st.one_of(texts, byte_strings.map(lambda raw: raw.decode("latin-1"))),
        ),
        max_size=8,
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        route=st.sampled_from(routes),
        # Most posts are honest (this person's cookies and token, a url-encoded form of random
        # fields) so that the routes themselves are fuzzed, not only the CSRF layer.
        honest=st.integers(0, 3).map(bool),
        cookie=junk_cookies,
        sent_token=bad_tokens,
        as_header=st.booleans(),
        header_bytes=st.one_of(st.none(), byte_strings),
        content_type=st.one_of(st.just(FORM), st.just(FORM), content_types),
        form=fields,
        raw=st.one_of(st.none(), st.none(), byte_strings),
        json=st.booleans(),
    )
    def post(
        route: str,
        honest: bool,
        cookie: bytes,
        sent_token: str,
        as_header: bool,
        header_bytes: bytes | None,
        content_type: bytes,
        form: list[tuple[str, str]],
        raw: bytes | None,
        json: bool,
    ) -> None:
        if honest:
            # Logging out would end the session the other examples use.
            cookie = (csrf_cookie if route == "/logout" else own_cookies).encode()
            sent_token, header_bytes = good, None
        headers: dict[bytes, bytes] = {b"cookie": cookie, b"content-type": content_type}
        if json:
            headers[b"accept"] = b"application/json"
        pairs = list(form)
        if as_header:
            headers[b"x-csrftoken"] = (
                header_bytes if header_bytes is not None else sent_token.encode()
            )
        else:
            pairs.append(("csrftoken", sent_token))
        body = raw
        if body is None:
            body = "&".join(
                quote_from_bytes(k.encode("utf-8", "surrogatepass"))
                + "="
                + quote_from_bytes(v.encode("utf-8", "surrogatepass"))
                for k, v in pairs
            ).encode()
        fresh = app.client()  # cookies only from the header drawn above
        response = fresh.post(route, content=body, headers=headers)
        assert response.status_code < 500, (route, response.status_code, response.text[:300])

    post()


def test_random_raw_header_bytes_are_never_a_server_error(app: App) -> None:
    # Raw bytes straight to the app: a TestClient would re-encode non-UTF-8 headers as UTF-8.
    routes = [path.replace("{session_id}", "1") for path in _post_routes(app)]
    names = st.sampled_from([b"cookie", b"x-csrftoken", b"content-type", b"content-length"])

    @settings(max_examples=EXAMPLES // 2, deadline=None)
    @given(
        method=st.sampled_from(["GET", "POST"]),
        path=st.sampled_from([*routes, "/static/app.css"]),
        headers=st.lists(st.tuples(names, st.binary(max_size=40)), max_size=4),
        body=st.binary(max_size=200),
    )
    def send(method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        status, text, _ = send_raw(app.asgi, method, path, headers, iter([body]))
        assert status < 500, (method, path, headers, status, text[:300])

    send()
