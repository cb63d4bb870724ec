"""Steps of the caseload's tests, through the services: a coach, a client linked to them,
sessions on chosen days, and the attention row kept for the client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.engine.vocabulary import LegSymptoms
from backcoach.services import attention, training
from backcoach.services.access import Principal
from backcoach.services.sets import SetInput
from backcoach.store.care_tables import ClientAttention
from tests.integration.coaching_steps import accept, client, coach, invite
from tests.training_app import App

NO_FLAGS = dict.fromkeys(CHECK_IN_IDS, False)


def coached(app: App, email: str = "ana@example.com") -> tuple[Principal, Principal]:
    """A coach, and a client with a program who accepted their invitation."""
    mine, ana = coach(app, "coach@example.com"), client(app, email)
    accept(app, ana, invite(app, mine))
    return mine, ana


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def train(
    app: App,
    who: Principal,
    day: dt.date,
    *,
    before: int = 3,
    during: int = 3,
    after: int = 3,
    legs: LegSymptoms | None = None,
    felt: str = "target",
) -> int:
    """A finished session on ``day`` with one set of the program's first exercise."""
    with app.database.unit_of_work() as uow:
        mine: dict[str, Any] = {"uow": uow, "principal": who, "person_id": who.user_id}
        session = training.start_session(**mine, pain_before=before, today=day, now=at(day))
        program = training.session_program(**mine, session_id=session.id, now=at(day))
        first = program.plan.exercises[0].exercise.id
        training.log_set(
            **mine,
            session_id=session.id,
            entry=SetInput(exercise_id=first, number=1, amount=5, felt=felt),
            now=at(day, 10),
            today=day,
        )
        training.finish_session(
            **mine,
            session_id=session.id,
            pain_during=during,
            pain_after=after,
            leg_symptoms=legs,
            today=day,
            now=at(day, 11),
        )
    return session.id


def check_in(app: App, who: Principal, session_id: int, day: dt.date, morning: int) -> None:
    with app.database.unit_of_work() as uow:
        training.check_in(
            uow=uow,
            principal=who,
            person_id=who.user_id,
            session_id=session_id,
            pain_next_morning=morning,
            red_flags=NO_FLAGS,
            today=day,
            now=at(day, 8),
        )


def kept(app: App, who: Principal) -> ClientAttention | None:
    """The client's attention row as stored (None: none)."""
    with app.database.unit_of_work() as uow:
        row = uow.session.get(ClientAttention, who.user_id)
        if row is not None:
            uow.session.expunge(row)
        return row


def codes(app: App, who: Principal) -> list[str]:
    row = kept(app, who)
    assert row is not None, "no attention row kept"
    return [item.code for item in attention.stored_items(row)]
