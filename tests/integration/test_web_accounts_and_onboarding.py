"""Accounts and onboarding over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.store.db import Database
from backcoach.store.tables import Measure, PlanRecord, Screening, User
from backcoach.web.forms import MAX_FIELD_CHARS
from tests.web import MEASURES, PASSWORD, PROFILE, post, screen, sign_up, token

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)

Make = Callable[..., TestClient]


def _count(database_url: str, table: type, **where: object) -> int:
    database = Database(database_url)
    with database.unit_of_work() as uow:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        count = uow.session.scalar(query) or 0
    database.dispose()
    return count


def test_sign_up_starts_with_the_safety_questions(database_url: str, make_client: Make) -> None:
    client = make_client()
    response = sign_up(client)
    assert response.url.path == "/onboarding/screening"
    assert "saddle" in response.text.lower()
    cookie = response.history[0].headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_passwords_are_stored_as_argon2_hashes(database_url: str, make_client: Make) -> None:
    sign_up(make_client())
    database = Database(database_url)
    with database.unit_of_work() as uow:
        stored = uow.session.scalar(select(User.password_hash))
    database.dispose()
    assert stored and stored.startswith("$argon2") and PASSWORD not in stored


def test_a_taken_email_is_not_revealed_and_a_short_password_gets_a_field_message(
    database_url: str, make_client: Make
) -> None:
    client = make_client()
    sign_up(client)
    other = make_client()
    again = post(
        other, "/signup", {"email": "SAM@example.com", "password": PASSWORD}, page="/signup"
    )
    assert again.status_code == 200 and again.url.path == "/login"
    assert "If this email can be used, your account is ready" in again.text
    short = post(
        other, "/signup", {"email": "kim@example.com", "password": "short"}, page="/signup"
    )
    assert short.status_code == 422 and "at least 10 characters" in short.text
    assert 'value="kim@example.com"' in short.text  # what was typed is kept


def test_login_attempts_are_rate_limited(database_url: str, make_client: Make) -> None:
    client = make_client(login_attempts=3)
    sign_up(client)
    stranger = make_client(login_attempts=3)
    for _ in range(3):
        wrong = post(
            stranger,
            "/login",
            {"email": "sam@example.com", "password": "not it at all"},
            page="/login",
        )
        assert wrong.status_code == 422 and "do not match" in wrong.text
    blocked = post(
        stranger, "/login", {"email": "sam@example.com", "password": PASSWORD}, page="/login"
    )
    assert blocked.status_code == 422 and "Too many failed attempts" in blocked.text


def test_log_out_ends_the_login(database_url: str, make_client: Make) -> None:
    client = make_client()
    sign_up(client)
    post(client, "/logout", {}, page="/account")
    assert client.get("/account").url.path == "/login"


def test_a_post_without_the_csrf_token_is_refused(database_url: str, make_client: Make) -> None:
    client = make_client()
    sign_up(client)
    response = client.post("/onboarding/screening", data={"saddle_numbness": "no"})
    assert response.status_code == 403


def test_a_red_flag_refers_and_no_program_until_cleared(
    database_url: str, make_client: Make
) -> None:
    client = make_client()
    sign_up(client)
    referral = screen(client, saddle_numbness=True)
    assert referral.url.path == "/onboarding/referral"
    assert "emergency" in referral.text.lower() or "Get help now" in referral.text
    assert client.get("/start").url.path == "/onboarding/referral"
    refused = post(client, "/onboarding/cleared", {})
    assert refused.status_code == 422 and "Tick the box" in refused.text
    cleared = post(client, "/onboarding/cleared", {"confirm": "yes", "note": "GP saw me"})
    assert cleared.url.path == "/onboarding/measures"
    post(client, "/onboarding/measures", MEASURES)
    post(client, "/onboarding/profile", PROFILE)
    assert _count(database_url, PlanRecord, active=True) == 1


def test_every_screening_answer_and_measure_is_kept(database_url: str, make_client: Make) -> None:
    client = make_client()
    sign_up(client)
    screen(client)
    post(
        client,
        "/onboarding/measures",
        {
            **MEASURES,
            "odi_1": "2",
            "odi_2": "1",
            "odi_3": "3",
            "odi_4": "2",
            "odi_5": "1",
            "odi_6": "1",
            "odi_7": "2",
            "odi_8": "1",
            "odi_9": "0",
            "rmdq": "7",
        },
    )
    assert _count(database_url, Screening) == 1
    assert _count(database_url, Measure) == 5  # nprs, psfs, startback, odi, rmdq


def test_bad_measures_get_a_message_per_field_and_keep_the_answers(
    database_url: str, make_client: Make
) -> None:
    client = make_client()
    sign_up(client)
    screen(client)
    bad = {**MEASURES, "nprs": "11", "psfs_score_1": "abc", "odi_1": "9", "startback_score": "12"}
    response = post(client, "/onboarding/measures", bad)
    assert response.status_code == 422
    assert "from 0 to 10" in response.text
    assert "from 0 to 5" in response.text
    assert "STarT Back total: enter a whole number from 0 to 9." in response.text
    assert 'value="Putting on socks"' in response.text
    assert _count(database_url, Measure) == 0


def test_an_oversized_field_is_refused_politely(database_url: str, make_client: Make) -> None:
    client = make_client()
    sign_up(client)
    screen(client)
    # Longer than a field keeps, within what the form may send: the field is named and what
    # else was typed is shown back (a body over the route's limit is a 413, tested elsewhere).
    long_name = "\u00e9" * (MAX_FIELD_CHARS + 1000)
    response = post(client, "/onboarding/measures", {**MEASURES, "psfs_name_1": long_name})
    assert response.status_code == 422
    assert f"This is too long: use at most {MAX_FIELD_CHARS:,} characters." in response.text
    assert _count(database_url, Measure) == 0


def test_bad_profile_input_is_named(database_url: str, make_client: Make) -> None:
    client = make_client()
    sign_up(client)
    screen(client)
    post(client, "/onboarding/measures", MEASURES)
    response = post(client, "/onboarding/profile", {"level": "pro", "days_per_week": "9"})
    assert response.status_code == 422
    assert "7 or less" in response.text


def test_one_person_never_sees_another_persons_pages(database_url: str, make_client: Make) -> None:
    first, second = make_client(), make_client()
    sign_up(first, "a@example.com")
    sign_up(second, "b@example.com")
    assert "a@example.com" not in second.get("/account").text
    assert token(second)  # the second person has their own working session


def test_password_hashing_keeps_full_cost_in_production() -> None:
    from tests.conftest import PRODUCTION_HASHER

    # argon2-cffi's defaults (RFC 9106 low-memory): 64 MiB, 3 passes; the tests use less.
    assert PRODUCTION_HASHER.memory_cost >= 65536
    assert PRODUCTION_HASHER.time_cost >= 3
