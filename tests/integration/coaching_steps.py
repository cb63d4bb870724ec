"""The cast of the coaching tests, built through the services: two clients (A trains, B too),
A's coach, a coach of the same practice, another coach, and an admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from backcoach.engine.screening import all_clear
from backcoach.services import accounts, coaching, onboarding
from backcoach.services.access import Principal, Role
from backcoach.services.coaching import OPERATOR
from backcoach.store.tables import User
from tests.training_app import PASSWORD, App

MEASURES: dict[str, dict[str, Any]] = {
    "nprs": {"score": 4},
    "psfs": {"activities": [{"name": "Putting on socks", "score": 4}]},
}
PROFILE = {"pain": 4, "level": "beginner", "days_per_week": 4, "equipment": ["band"]}


@dataclass(frozen=True)
class Cast:
    client_a: Principal
    client_b: Principal
    coach: Principal  # A's coach, in the practice
    colleague: Principal  # a coach of the same practice
    other_coach: Principal  # a coach of no practice
    admin: Principal
    link_id: int  # A's link to their coach

    def everyone(self) -> dict[str, Principal]:
        return {
            "client A": self.client_a,
            "client B": self.client_b,
            "A's coach": self.coach,
            "a colleague of A's coach": self.colleague,
            "another coach": self.other_coach,
            "admin": self.admin,
        }


def person(app: App, email: str, role: Role = Role.PERSON) -> Principal:
    """An account with this role, straight from sign-up."""
    with app.database.unit_of_work() as uow:
        assert accounts.sign_up(uow=uow, email=email, password=PASSWORD, now=app.clock.at)
        user = uow.session.scalars(select(User).where(User.email == email)).one()
        user.role = role.value  # there is no command for an admin: it is set in the database
        uow.commit()
        return Principal(user.id, role)


def client(app: App, email: str) -> Principal:
    """A person through screening and measures to a program."""
    me = person(app, email)
    now, today = app.clock.at, app.clock.today()
    with app.database.unit_of_work() as uow:
        mine: dict[str, Any] = {"uow": uow, "principal": me, "person_id": me.user_id, "now": now}
        onboarding.record_screening(**mine, answers=all_clear(age=44), today=today)
        onboarding.record_measures(**mine, answers=MEASURES, today=today)
        onboarding.start_program(**mine, profile=PROFILE, today=today)
    return me


def coach(app: App, email: str) -> Principal:
    with app.database.unit_of_work() as uow:
        made = coaching.add_coach(
            uow=uow,
            principal=OPERATOR,
            email=email,
            password_hash=accounts.hash_password(PASSWORD),
            now=app.clock.at,
        )
        assert made
        coach_id = uow.session.scalars(select(User.id).where(User.email == email)).one()
    return Principal(coach_id, Role.COACH)


def invite(app: App, by: Principal) -> str:
    with app.database.unit_of_work() as uow:
        return coaching.create_invite(uow=uow, principal=by, now=app.clock.at).token


def accept(app: App, who: Principal, token: str) -> coaching.Link:
    with app.database.unit_of_work() as uow:
        return coaching.accept_invite(
            uow=uow, principal=who, person_id=who.user_id, token=token, now=app.clock.at
        )


def cast(app: App) -> Cast:
    """Everyone, with A linked to their coach, who shares a practice with a colleague."""
    client_a, client_b = client(app, "ana@example.com"), client(app, "bo@example.com")
    mine, colleague = coach(app, "coach@example.com"), coach(app, "colleague@example.com")
    other = coach(app, "other@example.com")
    admin = person(app, "admin@example.com", Role.ADMIN)
    with app.database.unit_of_work() as uow:
        practice = coaching.create_practice(
            uow=uow, principal=OPERATOR, name="Back Clinic", now=app.clock.at
        )
        for email in ("coach@example.com", "colleague@example.com"):
            coaching.join_practice(
                uow=uow,
                principal=OPERATOR,
                coach_email=email,
                code_or_name=practice.join_code,
                now=app.clock.at,
            )
    link = accept(app, client_a, invite(app, mine))
    return Cast(client_a, client_b, mine, colleague, other, admin, link.id)
