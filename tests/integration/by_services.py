"""People onboarded by the services the onboarding pages call, for tests whose subject is not
onboarding (the onboarding pages have tests of their own): the same rows as
training_app.onboard, in about a tenth of its time, on either database."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.engine.screening import all_clear
from backcoach.services import accounts, onboarding
from backcoach.services.access import Principal
from backcoach.services.measure_input import ActivityInput, MeasuresInput, StartBackInput
from backcoach.store.tables import User
from tests.training_app import PASSWORD, App, token

#: What training_app.onboard answers on its pages.
MEASURES = MeasuresInput("4", (ActivityInput("Putting on socks", "4"),), StartBackInput("2", "1"))
PROFILE = {"pain": 4, "level": "beginner", "days_per_week": 4, "equipment": ["band"]}


def onboarded(app: App, email: str = "ana@example.com") -> int:
    """Sign up, screening (no sign, 44), measures and profile (a beginner with a band) at the
    app's clock, each done by the person themself (so nothing goes in the audit log); their id."""
    with app.database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email=email, password=PASSWORD, now=app.clock.at)
    me = Principal(int(app.query(select(User.id).where(User.email == email))))
    with app.database.unit_of_work() as uow:
        mine: dict[str, Any] = {
            "uow": uow,
            "principal": me,
            "person_id": me.user_id,
            "now": app.clock.at,
        }
        today = app.clock.today()
        onboarding.record_screening(**mine, answers=all_clear(age=44), today=today)
        onboarding.record_measures(**mine, answers=MEASURES, today=today)
        onboarding.start_program(**mine, profile=PROFILE, today=today)
    return me.user_id


def logged_in(app: App, email: str = "ana@example.com") -> TestClient:
    """A client logged in as ``email`` through the login page."""
    client = app.client()
    page = client.get("/login")
    data = {"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    assert client.post("/login", data=data).url.path != "/login", f"{email} could not log in"
    return client


def onboarded_and_logged_in(app: App, email: str = "ana@example.com") -> TestClient:
    onboarded(app, email)
    return logged_in(app, email)
