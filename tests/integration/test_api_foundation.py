"""The API's door: tokens and cookies, scopes, CSRF only for cookies, and every refusal a
problem document."""

from __future__ import annotations

from sqlalchemy import select

from backcoach.api.deps import SESSION_COOKIE as SESSION
from backcoach.services import tokens
from backcoach.store.api_tables import ApiToken
from tests.integration.api_steps import api_client, token_for
from tests.integration.onboarded import Onboarded
from tests.training_app import App, onboard, sign_up, token

DATABASES = ("sqlite",)
PROBLEM = "application/problem+json"


def test_the_openapi_document_lists_the_api_alone(app: App) -> None:
    answer = app.client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "backcoach API"
    assert not any(path.startswith("/today") for path in document["paths"])


def test_without_a_token_or_login_the_answer_is_a_401_problem(app: App) -> None:
    answer = app.client().get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["code"] == "api.not_found"


def test_a_bad_token_is_a_401_problem_with_a_bearer_challenge(app: App) -> None:
    client = app.client()
    answer = client.post("/api/v1/tokens/check", headers={"authorization": "Bearer bc_not-a-token"})
    # No page token needed with a token: the refusal is the token's, not CSRF's.
    assert answer.status_code in (401, 404, 405)
    assert answer.headers["content-type"] == PROBLEM


def test_a_cookie_request_that_changes_data_needs_the_page_token(ana: Onboarded) -> None:
    client = ana.client
    answer = client.post("/api/v1/sync", json=[])
    assert answer.status_code == 403
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["code"] == "api.csrf"


def test_a_write_with_no_token_and_no_login_is_a_401_not_a_csrf_refusal(app: App) -> None:
    answer = app.client().post("/api/v1/sync", json=[])
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_a_token_is_shown_once_and_only_its_hash_is_kept(app: App) -> None:
    sign_up(app, "keeps@example.com")
    secret = token_for(app, "keeps@example.com")
    assert secret.startswith("bc_") and len(secret) > 40
    with app.database.unit_of_work() as uow:
        stored = uow.session.scalars(select(ApiToken)).one()
        assert stored.token_hash == tokens.token_hash(secret)
        assert secret not in (stored.token_hash, stored.prefix)


def test_a_token_request_needs_no_page_token_but_is_still_bounded_in_size(app: App) -> None:
    sign_up(app, "big@example.com")
    client = api_client(app, token_for(app, "big@example.com"))
    answer = client.post("/api/v1/sync", content=b"[" + b" " * 300_000 + b"]")
    assert answer.status_code == 413
    assert answer.headers["content-type"] == PROBLEM
    # Below the limit the same request is read (an empty queue answers an empty list).
    small = b"[" + b" " * 1_000 + b"]"
    answer = client.post(
        "/api/v1/sync", content=small, headers={"content-type": "application/json"}
    )
    assert (answer.status_code, answer.json()) == (200, [])


def test_a_read_token_may_not_write(app: App) -> None:
    sign_up(app, "reader@example.com")
    client = api_client(app, token_for(app, "reader@example.com", ("read",)))
    answer = client.post("/api/v1/sync", json=[])
    assert answer.status_code == 403
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["code"] == "api.http_403"
    assert client.get("/api/v1/sessions").status_code == 200  # reading is what it may do


def test_a_planted_second_login_cookie_cannot_pair_another_token_with_this_login(
    app: App,
) -> None:
    """The page token is bound to the first login cookie sent and the app reads the last: a
    request that carries the login (or the token) cookie twice is refused, not run as anyone."""
    victim = onboard(app, "ana@example.com")
    mallory = onboard(app, "mallory@example.com")
    page = mallory.get("/tight")
    planted = (
        f"csrftoken={mallory.cookies['csrftoken']}; backcoach_session={mallory.cookies[SESSION]}; "
        f"csrftoken={victim.cookies['csrftoken']}; backcoach_session={victim.cookies[SESSION]}"
    )
    bare = app.client()
    answer = bare.post("/tight", data={"csrftoken": token(page.text)}, headers={"cookie": planted})
    assert answer.status_code == 400
    api = bare.post(
        "/api/v1/tight-moments",
        json={},
        headers={"cookie": planted, "x-csrftoken": token(page.text)},
    )
    assert api.status_code == 400 and api.headers["content-type"] == PROBLEM


def test_a_login_cookie_the_csrf_layer_did_not_check_never_makes_a_change(app: App) -> None:
    """The CSRF layer and the app read cookies with different parsers; the API fails closed:
    a change by a login cookie needs the layer's mark that it checked the page token."""
    person = onboard(app, "spaced@example.com")
    odd = f"backcoach_session ={person.cookies[SESSION]}"  # read by the app, not by the layer
    answer = app.client().post("/api/v1/tight-moments", json={}, headers={"cookie": odd})
    assert answer.status_code == 403
    assert answer.json()["code"] == "api.csrf"


def test_no_api_answer_may_be_kept_by_a_shared_cache(app: App) -> None:
    sign_up(app, "cached@example.com")
    client = api_client(app, token_for(app, "cached@example.com"))
    for answer in (client.get("/api/v1/me"), client.get("/api/v1/nothing-here")):
        assert answer.headers["cache-control"] == "no-store"


def test_the_document_declares_the_bearer_scheme_and_bad_json_names_no_false_field(
    app: App,
) -> None:
    document = app.client().get("/api/v1/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["security"] == [{"bearer": []}]
    sign_up(app, "json@example.com")
    client = api_client(app, token_for(app, "json@example.com"))
    answer = client.post(
        "/api/v1/sessions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["field"] is None
    assert answer.json()["detail"] == "The body is not valid JSON."
