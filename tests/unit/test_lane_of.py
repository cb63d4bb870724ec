"""Which lane a request waits in: every page that hashes a password shares the narrow one."""

from __future__ import annotations

import dataclasses

import pytest

from backcoach.web.lanes import Lanes, lane_of


@pytest.mark.parametrize(
    "path",
    ["/login", "/signup", "/account/password", "/account/email", "/account/delete", "/reset/abc"],
)
def test_pages_that_check_or_hash_a_password_wait_in_the_password_lane(path: str) -> None:
    assert lane_of(path) == "password"


@pytest.mark.parametrize(
    ("path", "lane"),
    [
        ("/session/4/sets", "training"),
        ("/api/v1/sync", "training"),
        ("/progress", "heavy"),
        ("/coach/clients/3/report.pdf", "heavy"),
        ("/api/v1/fhir/Patient/1/$everything", "heavy"),
        ("/today", "general"),
        ("/forgot", "general"),
        ("/resets", "general"),
    ],
)
def test_other_pages_wait_in_their_own_lanes(path: str, lane: str) -> None:
    assert lane_of(path) == lane


def test_every_lane_named_exists() -> None:
    names = {field.name for field in dataclasses.fields(Lanes)}
    assert {"password", "training", "heavy", "general"} == names
