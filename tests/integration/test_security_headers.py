"""Every response carries the security headers: pages, static files, errors, CSRF refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response  # what Starlette's test client answers with
from sqlalchemy import select
from starlette.types import Receive, Scope, Send

from backcoach.settings import Settings
from backcoach.store.tables import User
from backcoach.web.app import create_app
from backcoach.web.security import security_headers
from tests.support.postgres import fresh_database
from tests.web import onboard, with_db


def _responses(client: TestClient, database_url: str) -> dict[str, Response]:
    """One response of each kind, checked to be the kind it claims to be."""
    anonymous = TestClient(client.app)
    found = {
        "page": anonymous.get("/login"),
        "static file": anonymous.get("/static/app.css"),
        "not found": anonymous.get("/no-such-page"),
        "CSRF refusal": anonymous.post("/login", data={"email": "a@example.com"}),
    }
    onboard(client)
    feed = with_db(database_url, lambda uow: uow.session.scalar(select(User.calendar_token)))
    found["calendar feed"] = client.get(f"/calendar/{feed}.ics")
    found["charts page"] = client.get("/progress")
    statuses = {kind: response.status_code for kind, response in found.items()}
    assert statuses == {
        "page": 200,
        "static file": 200,
        "not found": 404,
        "CSRF refusal": 403,
        "calendar feed": 200,
        "charts page": 200,
    }
    assert "text/calendar" in found["calendar feed"].headers["content-type"]
    return found


@pytest.fixture(scope="module", params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def responses(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Response]]:
    """Gathered once a module on each database (an app, a person onboarded, six requests): the
    tests only read their headers, and each gathering cost seconds."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            database_url = f"sqlite:///{tmp_path_factory.mktemp('headers') / 'test.db'}"
        else:
            server: str = request.getfixturevalue("postgres_url")
            database_url = stack.enter_context(fresh_database(server))
        app = create_app(Settings(database_url=database_url))
        client = stack.enter_context(TestClient(app, follow_redirects=True))
        yield _responses(client, database_url)


def _header(responses: dict[str, Response], name: str) -> dict[str, str | None]:
    return {kind: response.headers.get(name) for kind, response in responses.items()}


def _directives(policy: str | None) -> dict[str, str]:
    assert policy is not None
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_every_response_has_a_strict_content_security_policy(responses: Any) -> None:
    for kind, policy in _header(responses, "Content-Security-Policy").items():
        directives = _directives(policy)
        assert directives == {
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self'",  # the charts page too: no inline style anywhere
            "img-src": "'self'",
            "connect-src": "'self'",
            "object-src": "'none'",
            "base-uri": "'none'",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
            "worker-src": "'self'",  # the offline app's service worker, /sw.js
            "manifest-src": "'self'",
        }, kind


def test_every_response_forbids_content_sniffing(responses: Any) -> None:
    assert set(_header(responses, "X-Content-Type-Options").values()) == {"nosniff"}


def test_every_response_sends_no_referrer(responses: Any) -> None:
    assert set(_header(responses, "Referrer-Policy").values()) == {"no-referrer"}


def test_every_response_denies_camera_microphone_and_location(responses: Any) -> None:
    for kind, policy in _header(responses, "Permissions-Policy").items():
        assert policy is not None, kind
        features = dict(part.strip().split("=") for part in policy.split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (kind, feature)


def test_every_response_keeps_its_window_from_other_sites(responses: Any) -> None:
    assert set(_header(responses, "Cross-Origin-Opener-Policy").values()) == {"same-origin"}


def test_no_strict_transport_security_over_plain_http(responses: Any) -> None:
    assert set(_header(responses, "Strict-Transport-Security").values()) == {None}


def test_strict_transport_security_when_served_over_https(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, secure_cookies=True))
    # Secure cookies only come back over HTTPS.
    with TestClient(app, base_url="https://testserver") as client:
        found = _responses(client, database_url)
    assert set(_header(found, "Strict-Transport-Security").values()) == {"max-age=31536000"}


def test_a_header_a_route_set_on_purpose_is_kept() -> None:
    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"referrer-policy", b"same-origin"), (b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    response = TestClient(security_headers(route, https=False)).get("/")
    assert response.headers.get_list("Referrer-Policy") == ["same-origin"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
