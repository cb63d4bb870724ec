"""The known-device cookie and the backoff of services/login_limits.py, without a database."""

from __future__ import annotations

import datetime as dt

from backcoach.services import login_limits
from backcoach.services.login_limits import device_entry, known_device, login_wait, with_entry

SECRET = "k" * 40


def test_a_device_entry_is_known_only_for_the_email_it_was_signed_for() -> None:
    entry = device_entry(email="Sam@Example.com ", secret=SECRET)
    assert known_device(entry, email="sam@example.com", secret=SECRET) is not None
    assert known_device(entry, email="kim@example.com", secret=SECRET) is None
    assert known_device(entry, email="sam@example.com", secret="x" * 40) is None


def test_a_tampered_or_foreign_cookie_is_no_device() -> None:
    entry = device_entry(email="sam@example.com", secret=SECRET)
    nonce, _, signature = entry.partition(".")
    tampered = f"{nonce[:-1]}{'A' if nonce[-1] != 'A' else 'B'}.{signature}"
    for cookie in (tampered, "", None, "garbage", nonce, "~".join(["x.y"] * 50)):
        assert known_device(cookie, email="sam@example.com", secret=SECRET) is None


def test_the_device_key_is_not_the_cookie_and_is_stable() -> None:
    entry = device_entry(email="sam@example.com", secret=SECRET)
    key = known_device(entry, email="sam@example.com", secret=SECRET)
    assert key == known_device(entry, email="sam@example.com", secret=SECRET)
    assert key is not None and entry.partition(".")[0] not in key


def test_one_browser_keeps_an_entry_per_account_newest_first_up_to_five() -> None:
    cookie = None
    for number in range(7):
        email = f"person{number}@example.com"
        cookie = with_entry(
            cookie, device_entry(email=email, secret=SECRET), email=email, secret=SECRET
        )
    assert cookie is not None and cookie.count("~") == login_limits.DEVICES_KEPT - 1
    assert known_device(cookie, email="person6@example.com", secret=SECRET) is not None
    assert known_device(cookie, email="person2@example.com", secret=SECRET) is not None
    assert known_device(cookie, email="person1@example.com", secret=SECRET) is None
    # Logging in again to the same account replaces its entry rather than adding one.
    email = "person6@example.com"
    again = with_entry(cookie, device_entry(email=email, secret=SECRET), email=email, secret=SECRET)
    assert again.count("~") == cookie.count("~")
    assert again.split("~")[0] != cookie.split("~")[0]


def test_the_wait_doubles_after_the_allowance_up_to_five_minutes() -> None:
    waits = [login_wait(failures, 5).total_seconds() for failures in range(4, 12)]
    assert waits == [0, 10, 20, 40, 80, 160, 300, 300]
    assert login_wait(10_000, 5) == dt.timedelta(minutes=5)
