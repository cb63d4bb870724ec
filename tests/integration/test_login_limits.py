"""Login limits that slow a guesser without locking the owner out (issue 13, item 4): the
known-device cookie, the backoff per account and per address, and API tokens untouched."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.services import accounts, login_limits, password_reset, tokens
from backcoach.services.access import Principal
from backcoach.services.errors import ServiceError
from backcoach.store.db import Database
from backcoach.store.tables import User
from tests.web import PASSWORD, post, sign_up

DATABASES = ("sqlite",)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=15)
SECRET = "s" * 40
OWNER = "sam@example.com"
NEW = "a brand new long password"


@pytest.fixture
def owner_device(database: Database) -> str:
    """The owner's account, and the key of the device cookie their browser got at a login."""
    with database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email=OWNER, password=PASSWORD, now=T0)
        stamp = login_limits.password_stamp(uow, email=OWNER)
    entry = login_limits.device_entry(email=OWNER, stamp=stamp, secret=SECRET)
    device = login_limits.known_device(entry, email=OWNER, stamp=stamp, secret=SECRET)
    assert device is not None
    return device


def _try(
    database: Database,
    password: str,
    at: dt.datetime,
    *,
    address: str = "198.51.100.7",
    device: str | None = None,
) -> str:
    """Log in as the owner; the token, or the refusal's code with its wait."""
    with database.unit_of_work() as uow:
        try:
            return accounts.log_in(
                uow=uow,
                email=OWNER,
                password=password,
                now=at,
                attempts_allowed=5,
                window=WINDOW,
                session_length=dt.timedelta(days=1),
                address=address,
                address_attempts_allowed=20,
                device=device,
            )
        except ServiceError as error:
            wait = error.params.get("wait_seconds")
            return error.code if wait is None else f"{error.code} {wait}s"


def _guess_from_everywhere(database: Database, guesses: int, at: dt.datetime) -> dt.datetime:
    """A guesser spread over many addresses (no address limit stops them), guessing as fast as
    they are let; returns when the last guess was made."""
    for number in range(guesses):
        answer = _try(database, "a wrong guess!", at, address=f"203.0.113.{number}")
        if answer.startswith("login.wait"):
            at += dt.timedelta(seconds=int(answer.split()[1][:-1]))
            answer = _try(database, "a wrong guess!", at, address=f"203.0.113.{number}")
        assert answer == "login.no_match"
    return at


def test_a_guesser_elsewhere_cannot_slow_the_owners_known_device(
    database: Database, owner_device: str
) -> None:
    last = _guess_from_everywhere(database, 12, T0)
    # Without the cookie the owner would wait; with it, they are in at once.
    assert _try(database, PASSWORD, last).startswith("login.wait")
    token = _try(database, PASSWORD, last, device=owner_device)
    assert not token.startswith("login.") and len(token) > 30


def test_the_guesser_is_slowed_more_with_each_failure(
    database: Database, owner_device: str
) -> None:
    at, waits = T0, []
    for number in range(10):
        answer = _try(database, "a wrong guess!", at, address=f"203.0.113.{number}")
        if answer.startswith("login.wait"):
            waits.append(int(answer.split()[1][:-1]))
            at += dt.timedelta(seconds=waits[-1])
            answer = _try(database, "a wrong guess!", at, address=f"203.0.113.{number}")
        assert answer == "login.no_match"
    assert waits == [10, 20, 40, 80, 160]
    # Guessing from the owner's known device is slowed the same way, on its own count.
    for _ in range(5):
        assert _try(database, "a wrong guess!", at, device=owner_device) == "login.no_match"
    assert _try(database, "a wrong guess!", at, device=owner_device) == "login.wait 10s"


def test_the_owner_without_the_cookie_gets_in_after_the_wait(
    database: Database, owner_device: str
) -> None:
    last = _guess_from_everywhere(database, 9, T0)
    refused = _try(database, PASSWORD, last, address="192.0.2.50")
    assert refused == "login.wait 160s"  # 9 failures: 5 free, then 10 s doubling
    assert _try(database, PASSWORD, last + dt.timedelta(seconds=159)) == "login.wait 1s"
    token = _try(database, PASSWORD, last + dt.timedelta(seconds=160), address="192.0.2.50")
    assert not token.startswith("login.") and len(token) > 30


def _fill_the_address(database: Database, addresses: Callable[[int], str]) -> None:
    """Twenty failures from one address (or /64) on four of a guesser's devices: five each, all
    each lets free, so only the address's count can slow anyone there."""
    for number in range(20):
        device = f"guesser's device {number % 4}"
        answer = _try(database, "x" * 12, T0, device=device, address=addresses(number))
        assert answer == "login.no_match"


def test_one_address_guessing_is_bounded_but_not_for_the_owners_known_device(
    database: Database, owner_device: str
) -> None:
    _fill_the_address(database, lambda _: "192.0.2.9")
    assert _try(database, PASSWORD, T0, address="192.0.2.9").startswith("login.wait")
    # The owner's own browser behind the same NAT is judged by its own count alone.
    assert not _try(database, PASSWORD, T0, address="192.0.2.9", device=owner_device).startswith(
        "login."
    )
    assert not _try(database, PASSWORD, T0, address="192.0.2.10").startswith("login.")


def test_an_ipv6_guesser_walking_through_its_64_is_one_address(
    database: Database, owner_device: str
) -> None:
    _fill_the_address(database, lambda number: f"2001:db8:1:2::{number + 1:x}")
    assert _try(database, PASSWORD, T0, address="2001:db8:1:2:ffff::1").startswith("login.wait")
    assert not _try(database, PASSWORD, T0, address="2001:db8:1:3::1").startswith("login.")


Client = Callable[..., TestClient]


def _log_in(client: TestClient, password: str) -> int:
    answer = post(client, "/login", {"email": OWNER, "password": password}, page="/login")
    return int(answer.status_code)


def test_on_the_pages_the_owners_browser_keeps_logging_in_while_a_stranger_guesses(
    make_client: Client,
) -> None:
    owner = make_client()
    sign_up(owner, OWNER)
    device = owner.cookies.get(login_limits.DEVICE_COOKIE)
    assert device and re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}", device)
    post(owner, "/logout", {}, page="/today")
    stranger = TestClient(owner.app, follow_redirects=True)  # the same server, another browser
    for _ in range(8):  # past the five allowed: the account is slowed for unknown browsers
        assert _log_in(stranger, "a wrong guess!") == 422
    answer = post(stranger, "/login", {"email": OWNER, "password": PASSWORD}, page="/login")
    assert "Too many failed attempts" in answer.text
    assert _log_in(owner, PASSWORD) == 200  # followed on to the person's first page
    assert owner.get("/account").url.path == "/account"


def test_a_password_reset_forgets_the_browsers_that_knew_the_old_password(
    make_client: Client, database: Database
) -> None:
    owner = make_client()
    sign_up(owner, OWNER)  # this browser now holds a device entry for the account
    post(owner, "/logout", {}, page="/today")
    with database.unit_of_work() as uow:
        link = password_reset.request_link(uow=uow, email=OWNER, now=dt.datetime.now(dt.UTC))
        assert link is not None
        password_reset.reset_password(
            uow=uow, token=link.token, new_password=NEW, now=dt.datetime.now(dt.UTC)
        )
    stranger = TestClient(owner.app, follow_redirects=True)
    for _ in range(8):  # past the account's allowance for unknown browsers
        assert _log_in(stranger, "a wrong guess!") == 422
    # Whoever held the old password may hold this browser: it is an unknown one now.
    answer = post(owner, "/login", {"email": OWNER, "password": NEW}, page="/login")
    assert "Too many failed attempts" in answer.text


def test_a_stranger_guessing_the_password_leaves_the_owners_api_token_working(
    make_client: Client, database: Database
) -> None:
    owner = make_client()
    sign_up(owner, OWNER)
    with database.unit_of_work() as uow:
        user_id = uow.session.scalar(select(User.id).where(User.email == OWNER))
        assert user_id is not None
        made = tokens.create_token(
            uow=uow,
            principal=Principal(user_id),
            person_id=user_id,
            name="phone",
            scopes=["read"],
            expires_in_days=None,
            now=dt.datetime.now(dt.UTC),
        )
    stranger = TestClient(owner.app, follow_redirects=True)
    for _ in range(8):  # past the account's allowance: the pages slow every unknown browser
        _log_in(stranger, "a wrong guess!")
    assert (
        "Too many failed attempts"
        in post(stranger, "/login", {"email": OWNER, "password": PASSWORD}, page="/login").text
    )
    app = TestClient(owner.app)
    answer = app.get("/api/v1/me", headers={"authorization": f"Bearer {made.secret}"})
    assert answer.status_code == 200
    assert answer.json()["email"] == OWNER
