"""Helpers for in-process web tests: an app on a fresh database and a person walking through it."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.store.db import Database

PASSWORD = "a long enough password"
_TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


def token(client: TestClient, page: str = "/account") -> str:
    match = _TOKEN.search(client.get(page).text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post(client: TestClient, path: str, data: dict[str, Any], *, page: str = "/account") -> Any:
    return client.post(path, data={**data, "csrftoken": token(client, page)})


def sign_up(client: TestClient, email: str = "sam@example.com") -> Any:
    """Sign up, then log in (sign-up answers the same for a taken email, so it logs no one in)."""
    post(client, "/signup", {"email": email, "password": PASSWORD}, page="/signup")
    return post(client, "/login", {"email": email, "password": PASSWORD}, page="/login")


def screen(client: TestClient, *, age: int = 44, pregnancy: str = "none", **yes: bool) -> Any:
    """Answer every safety question: these ones yes, the rest no."""
    answers = {flag: "yes" if yes.get(flag) else "no" for flag in RED_FLAG_IDS}
    answers |= {"age": str(age), "pregnancy": pregnancy}
    return post(client, "/onboarding/screening", answers)


MEASURES = {
    "nprs": "6",
    "psfs_name_1": "Putting on socks",
    "psfs_score_1": "4",
    "startback_score": "2",  # low risk
    "startback_psychosocial": "1",
}
PROFILE = {"level": "beginner", "days_per_week": "4", "equipment[]": ["band"]}


def onboard(client: TestClient, email: str = "sam@example.com") -> Any:
    """Sign up and go all the way to a program; returns the /today response."""
    sign_up(client, email)
    screen(client)
    post(client, "/onboarding/measures", MEASURES)
    return post(client, "/onboarding/profile", PROFILE)


def with_db(database_url: str, work: Any) -> Any:
    """Run ``work(uow)`` in a unit of work on that database, and close it after."""
    database = Database(database_url)
    try:
        with database.unit_of_work() as uow:
            return work(uow)
    finally:
        database.dispose()
