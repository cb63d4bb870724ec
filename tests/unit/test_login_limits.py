"""The known-device cookie and the backoff of services/login_limits.py, without a database."""

from __future__ import annotations

import datetime as dt

from backcoach.services import login_limits
from backcoach.services.login_limits import (
    address_group,
    device_entry,
    known_device,
    login_wait,
    with_entry,
)

SECRET = "k" * 40
#: What the entries sign of the account's password (login_limits.password_stamp).
STAMP = "p" * 64


def test_a_device_entry_is_known_only_for_the_email_it_was_signed_for() -> None:
    entry = device_entry(email="Sam@Example.com ", stamp=STAMP, secret=SECRET)
    assert known_device(entry, email="sam@example.com", stamp=STAMP, secret=SECRET) is not None
    assert known_device(entry, email="kim@example.com", stamp=STAMP, secret=SECRET) is None
    assert known_device(entry, email="sam@example.com", stamp=STAMP, secret="x" * 40) is None


def test_a_new_password_forgets_the_devices_that_knew_the_old_one() -> None:
    entry = device_entry(email="sam@example.com", stamp=STAMP, secret=SECRET)
    assert known_device(entry, email="sam@example.com", stamp="q" * 64, secret=SECRET) is None


def test_an_ipv6_address_is_counted_by_its_64_and_others_as_they_are() -> None:
    assert address_group("2001:db8:1:2:aaaa::1") == address_group("2001:db8:1:2::ffff")
    assert address_group("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert address_group("2001:db8:1:3::1") != address_group("2001:db8:1:2::1")
    assert address_group("::ffff:198.51.100.7") == "198.51.100.7"
    assert address_group("198.51.100.7") == "198.51.100.7"
    assert address_group("testclient") == "testclient"


def test_a_tampered_or_foreign_cookie_is_no_device() -> None:
    entry = device_entry(email="sam@example.com", stamp=STAMP, secret=SECRET)
    nonce, _, signature = entry.partition(".")
    tampered = f"{nonce[:-1]}{'A' if nonce[-1] != 'A' else 'B'}.{signature}"
    for cookie in (tampered, "", None, "garbage", nonce, "~".join(["x.y"] * 50)):
        assert known_device(cookie, email="sam@example.com", stamp=STAMP, secret=SECRET) is None


def test_the_device_key_is_not_the_cookie_and_is_stable() -> None:
    entry = device_entry(email="sam@example.com", stamp=STAMP, secret=SECRET)
    key = known_device(entry, email="sam@example.com", stamp=STAMP, secret=SECRET)
    assert key == known_device(entry, email="sam@example.com", stamp=STAMP, secret=SECRET)
    assert key is not None and entry.partition(".")[0] not in key


def test_one_browser_keeps_an_entry_per_account_newest_first_up_to_five() -> None:
    cookie = None
    for number in range(7):
        email = f"person{number}@example.com"
        cookie = with_entry(
            cookie,
            device_entry(email=email, stamp=STAMP, secret=SECRET),
            email=email,
            stamp=STAMP,
            secret=SECRET,
        )
    assert cookie is not None and cookie.count("~") == login_limits.DEVICES_KEPT - 1
    assert known_device(cookie, email="person6@example.com", stamp=STAMP, secret=SECRET) is not None
    assert known_device(cookie, email="person2@example.com", stamp=STAMP, secret=SECRET) is not None
    assert known_device(cookie, email="person1@example.com", stamp=STAMP, secret=SECRET) is None
    # Logging in again to the same account replaces its entry rather than adding one.
    email = "person6@example.com"
    again = with_entry(
        cookie,
        device_entry(email=email, stamp=STAMP, secret=SECRET),
        email=email,
        stamp=STAMP,
        secret=SECRET,
    )
    assert again.count("~") == cookie.count("~")
    assert again.split("~")[0] != cookie.split("~")[0]


def test_the_wait_doubles_after_the_allowance_up_to_five_minutes() -> None:
    waits = [login_wait(failures, 5).total_seconds() for failures in range(4, 12)]
    assert waits == [0, 10, 20, 40, 80, 160, 300, 300]
    assert login_wait(10_000, 5) == dt.timedelta(minutes=5)
