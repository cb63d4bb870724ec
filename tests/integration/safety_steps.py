"""Steps the safety tests share: answer the questions, onboard, be cleared, be referred."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.store.tables import PlanRecord
from tests.training_app import (
    App,
    checkin,
    finish,
    onboard,
    start,
    token,
)

EMAIL = "ana@example.com"


def answer_screening(
    client: TestClient, *, age: str = "44", pregnancy: str = "none", **yes: str
) -> Any:
    page = client.get("/onboarding/screening")
    answers = {key: yes.get(key, "no") for key in RED_FLAG_IDS}
    data = {**answers, "age": age, "pregnancy": pregnancy, "csrftoken": token(page.text)}
    return client.post("/onboarding/screening", data=data)


def measures_and_profile(client: TestClient, *, nprs: str = "4") -> Any:
    page = client.get("/onboarding/measures")
    measures = {
        "nprs": nprs,
        "psfs_name_1": "Putting on socks",
        "psfs_score_1": "4",
        "startback_score": "2",
        "startback_psychosocial": "1",
    }
    client.post("/onboarding/measures", data={**measures, "csrftoken": token(page.text)})
    profile = {"level": "beginner", "days_per_week": "4", "equipment[]": ["band"]}
    return client.post("/onboarding/profile", data={**profile, "csrftoken": csrf_of_start(client)})


def csrf_of_start(client: TestClient) -> str:
    return token(client.get("/onboarding/screening").text)


def clear(client: TestClient) -> Any:
    page = client.get("/onboarding/referral")
    data = {"confirm": "yes", "note": "GP saw me", "csrftoken": token(page.text)}
    return client.post("/onboarding/cleared", data=data)


def active_plans(app: App) -> int:
    return int(app.query(select(func.count(PlanRecord.id)).where(PlanRecord.active)) or 0)


def referred_after_a_session(app: App) -> tuple[TestClient, int]:
    """A person with a program, one finished session, then a red flag at its check-in."""
    client = onboard(app)
    session_id = start(client)
    finish(client, session_id)
    result = checkin(client, session_id, morning=3, worsening_weakness="yes")
    assert result.url.path == "/onboarding/referral"
    return client, session_id
