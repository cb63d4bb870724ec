"""Client A's history, built through the services for the client's-page tests: sessions with
their sets, the next-morning check-ins, a tight moment and the pain questionnaire again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.engine.vocabulary import LegSymptoms
from backcoach.services import client_record as service
from backcoach.services import onboarding, tight, training
from backcoach.services.access import Principal
from backcoach.services.client_record import ClientRecord
from backcoach.services.sets import SetInput
from tests.training_app import PASSWORD, App, token

UTC = dt.UTC


def on_day(app: App, day: dt.date, hour: int = 9) -> dt.datetime:
    app.clock.at = dt.datetime.combine(day, dt.time(hour), UTC)
    return app.clock.at


def train(
    app: App,
    who: Principal,
    day: dt.date,
    *,
    during: int = 2,
    after: int = 2,
    felt: str = "target",
    morning: int | None = 2,
    legs: LegSymptoms | None = None,
    **signs: bool,
) -> None:
    """A session on ``day`` with every planned set, then (unless None) its morning check-in."""
    now = on_day(app, day)
    mine: dict[str, Any] = {"principal": who, "person_id": who.user_id, "now": now}
    with app.database.unit_of_work() as uow:
        session = training.start_session(uow=uow, **mine, pain_before=2, today=day)
        program = training.current_program(uow=uow, **mine)
        assert program is not None
        for item in program.plan.exercises:
            for number in range(1, item.sets + 1):
                entry = SetInput(item.exercise.id, number, item.dose_max, felt)
                training.log_set(uow=uow, **mine, session_id=session.id, entry=entry, today=day)
        training.finish_session(
            uow=uow,
            **mine,
            session_id=session.id,
            pain_during=during,
            pain_after=after,
            leg_symptoms=legs,
            today=day,
        )
    if morning is None:
        return
    next_day = day + dt.timedelta(days=1)
    mine["now"] = on_day(app, next_day, 8)
    answers = {sign: signs.get(sign, False) for sign in CHECK_IN_IDS}
    with app.database.unit_of_work() as uow:
        training.check_in(
            uow=uow,
            **mine,
            session_id=session.id,
            pain_next_morning=morning,
            red_flags=answers,
            today=next_day,
        )


def feel_tight(app: App, who: Principal, day: dt.date) -> None:
    now = on_day(app, day, 18)
    with app.database.unit_of_work() as uow:
        tight.log_tight_moment(uow=uow, principal=who, person_id=who.user_id, now=now)


def rate_pain(app: App, who: Principal, day: dt.date, score: int) -> None:
    now = on_day(app, day, 12)
    with app.database.unit_of_work() as uow:
        onboarding.record_measures(
            uow=uow,
            principal=who,
            person_id=who.user_id,
            answers={"nprs": {"score": score}},
            today=day,
            now=now,
        )


def read_record(
    app: App, who: Principal, client_id: int, *, before: dt.date | None = None, weeks: int = 12
) -> ClientRecord:
    with app.database.unit_of_work() as uow:
        return service.client_record(
            uow=uow,
            principal=who,
            client_id=client_id,
            today=app.clock.today(),
            zone=UTC,
            now=app.clock.at,
            weeks=weeks,
            before=before,
        )


def log_in(app: App, email: str) -> TestClient:
    client = app.client()
    page = client.get("/login")
    form = {"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    client.post("/login", data=form)
    return client
