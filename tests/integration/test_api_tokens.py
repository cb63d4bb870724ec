"""Access tokens end to end: made on the account page and shown that once, used as a Bearer
token, listed without the secret, revoked (on the page or through the API), expired, held to
their scopes, and never reaching another account's tokens; the words of the page marked for
translation; and the API's rate limit wired into the app."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.support import Translations
from fastapi.testclient import TestClient
from httpx2 import Response

from backcoach.store.db import Database
from backcoach.wording.i18n import translations_in
from tests.integration.api_steps import api_client, token_for
from tests.integration.test_i18n_pages import unmarked_words
from tests.support.messages import OPEN, catalogue_texts, pseudo_translations
from tests.training_app import PASSWORD, App, running_app, sign_up, token

DATABASES = ("sqlite",)
PROBLEM = "application/problem+json"
SECRET = re.compile(r'id="new-token" type="text" readonly value="(bc_[^"]+)"')


def _make(client: TestClient, name: str, access: str = "read", days: str = "") -> Response:
    """The answer to the account page's form that makes a token."""
    page = client.get("/account/tokens")
    form = {"name": name, "access": access, "days": days, "csrftoken": token(page.text)}
    return client.post("/account/tokens", data=form)


def _secret_of(html: str) -> str:
    found = SECRET.search(html)
    assert found, "the new token is not on the page"
    return found.group(1)


def test_a_token_made_on_the_page_is_shown_once_works_and_stops_when_revoked(app: App) -> None:
    person = sign_up(app, "ana@example.com")
    assert 'href="/account/tokens"' in person.get("/account").text
    made = _make(person, "my phone", days="30")
    assert made.status_code == 200 and not made.history  # the answer itself, no redirect
    assert "Copy it now: it is not shown again." in made.text
    secret = _secret_of(made.text)
    assert secret not in str(made.url)
    later = person.get("/account/tokens").text
    assert secret not in later and secret[:9] in later and "my phone" in later

    api = api_client(app, secret)
    listed = api.get("/api/v1/tokens")
    assert listed.status_code == 200, listed.text
    assert secret not in listed.text
    (item,) = listed.json()["items"]
    assert item["name"] == "my phone" and item["prefix"] == secret[:9]
    assert item["scopes"] == ["read"] and item["state"] == "active"
    assert item["expires_at"].startswith("2026-12-23") and item["last_used_at"] is not None

    page = person.get("/account/tokens")
    revoked = person.post(
        f"/account/tokens/{item['id']}/revoke", data={"csrftoken": token(page.text)}
    )
    assert revoked.status_code == 200 and "The token is revoked" in revoked.text
    refused = api.get("/api/v1/tokens")
    assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM


def test_an_expired_token_is_refused(app: App) -> None:
    person = sign_up(app, "ana@example.com")
    api = api_client(app, _secret_of(_make(person, "a week's script", days="7").text))
    assert api.get("/api/v1/tokens").status_code == 200
    app.clock.at += dt.timedelta(days=7)
    refused = api.get("/api/v1/tokens")
    assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM
    assert "Expired" in person.get("/account/tokens").text


def test_a_read_token_may_not_revoke_and_a_write_token_may(app: App) -> None:
    person = sign_up(app, "ana@example.com")
    reader = api_client(app, _secret_of(_make(person, "reader").text))
    writer = api_client(app, _secret_of(_make(person, "writer", access="write").text))
    ids = {item["name"]: item["id"] for item in reader.get("/api/v1/tokens").json()["items"]}
    refused = reader.delete(f"/api/v1/tokens/{ids['writer']}")
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert refused.json()["code"] == "api.http_403"
    revoked = writer.delete(f"/api/v1/tokens/{ids['reader']}")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert reader.get("/api/v1/tokens").status_code == 401
    assert writer.get("/api/v1/tokens").json()["total"] == 2


def test_a_token_never_reaches_another_accounts_tokens(app: App) -> None:
    ana = sign_up(app, "ana@example.com")
    sign_up(app, "bob@example.com")
    ana_api = api_client(app, _secret_of(_make(ana, "ana's phone", access="write").text))
    bob_api = api_client(app, token_for(app, "bob@example.com"))
    (ana_token,) = ana_api.get("/api/v1/tokens").json()["items"]
    (bob_token,) = bob_api.get("/api/v1/tokens").json()["items"]
    assert bob_token["name"] == "a script"
    refused = bob_api.delete(f"/api/v1/tokens/{ana_token['id']}")
    assert refused.status_code == 404 and refused.json()["code"] == "token.not_found"
    bob = sign_up(app, "bob@example.com")  # the email is taken: this logs bob in all the same
    form = {"csrftoken": token(bob.get("/account/tokens").text)}
    assert bob.post(f"/account/tokens/{ana_token['id']}/revoke", data=form).status_code == 404
    assert ana_api.get("/api/v1/tokens").json()["items"][0]["state"] == "active"


def test_a_wrong_form_says_so_at_each_field_and_makes_nothing(app: App) -> None:
    person = sign_up(app, "ana@example.com")
    answer = _make(person, "  ", days="soon")
    assert answer.status_code == 422
    assert re.search(r'id="name-error">Give the token a name', answer.text)
    assert re.search(r'id="days-error">Choose from 1 to 366 days, or no expiry.', answer.text)
    scope = _make(person, "a script", access="admin", days="400")
    assert "Choose the scopes from: read,write." in scope.text
    assert 'id="new-token"' not in answer.text + scope.text
    assert "You have no tokens yet." in person.get("/account/tokens").text


def test_every_word_of_the_tokens_page_is_marked_for_translation(app: App) -> None:
    person = sign_up(app, "ana@example.com")
    made = _make(person, "first")
    page = person.get("/account/tokens")
    _make(person, "second", access="write", days="1")
    first_id = re.findall(r'action="/account/tokens/(\d+)/revoke"', page.text)[0]
    person.post(f"/account/tokens/{first_id}/revoke", data={"csrftoken": token(page.text)})
    app.clock.at += dt.timedelta(days=2)  # the second expires
    pseudo: Translations = pseudo_translations()
    with translations_in(pseudo):
        pages = {
            "made": _make(person, "third").text,
            "listed": person.get("/account/tokens").text,
            "refused": _make(person, "", days="x").text,
        }
    data = ["ana@example.com", "first", "second", "third", *catalogue_texts()]
    data += re.findall(r"bc_[\w-]+", made.text)
    for name, html in pages.items():
        assert OPEN in html
        data += re.findall(r"bc_[\w-]+", html)
        assert unmarked_words(html, sorted(set(data), key=len, reverse=True)) == [], name


def test_the_api_answers_past_a_tokens_rate_limit_with_retry_after(
    database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKCOACH_API_TOKEN_REQUESTS_PER_MINUTE", "2")
    with running_app(database_url) as limited:
        person = sign_up(limited, "ana@example.com")
        api = api_client(limited, token_for(limited, "ana@example.com"))
        assert [api.get("/api/v1/tokens").status_code for _ in range(2)] == [200, 200]
        refused = api.get("/api/v1/tokens")
        # The bucket refills one request per 30 s from the first request on, so a slow machine
        # may already have earned back a second or two of it.
        assert refused.status_code == 429 and 25 <= int(refused.headers["retry-after"]) <= 30
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "api.rate_limited"
        assert person.get("/account/tokens").status_code == 200  # the pages are not limited


def test_changing_the_password_revokes_every_token(app: App) -> None:
    """Whoever knew the old password may have made a token with that login: a new password
    ends them all, as it ends the other logins."""
    client = sign_up(app, "changes@example.com")
    api = api_client(app, token_for(app, "changes@example.com"))
    assert api.get("/api/v1/me").status_code == 200
    page = client.get("/account")
    changed = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new password",
            "csrftoken": token(page.text),
        },
    )
    assert changed.status_code == 200
    assert api.get("/api/v1/me").status_code == 401
