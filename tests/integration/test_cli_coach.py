"""The admin's commands: `backcoach coach add|move` and `backcoach practice add|join`, in
process, on SQLite and PostgreSQL; a refusal is one line and exit code 2."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.services import accounts, coaching
from backcoach.services.access import Principal, Role
from backcoach.store.db import Database
from backcoach.store.tables import CoachLink, Practice, User
from tests.training_app import PASSWORD

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return CliRunner()


def _sign_up(database: Database, email: str) -> int:
    with database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email=email, password=PASSWORD, now=NOW)
        return int(uow.session.scalars(select(User.id).where(User.email == email)).one())


def _role(database: Database, email: str) -> str:
    with database.unit_of_work() as uow:
        return str(uow.session.scalars(select(User.role).where(User.email == email)).one())


def test_coach_add_makes_a_new_account_or_promotes_a_person(
    run: CliRunner, database: Database
) -> None:
    made = run.invoke(app, ["coach", "add", "New@Example.com"], input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert made.stdout.strip() == "new@example.com is a coach (new account)"
    _sign_up(database, "ana@example.com")
    promoted = run.invoke(app, ["coach", "add", "ana@example.com"])
    assert promoted.stdout.strip() == "ana@example.com is a coach"
    assert _role(database, "ana@example.com") == _role(database, "new@example.com") == "coach"


def test_a_short_password_or_none_is_one_line(run: CliRunner) -> None:
    short = run.invoke(app, ["coach", "add", "new@example.com"], input="short\n")
    assert short.exit_code == 2
    assert short.stderr.strip() == "error: password: Use at least 10 characters."
    none = run.invoke(app, ["coach", "add", "new@example.com"], input="")
    assert none.exit_code == 2 and "first line of standard input" in none.stderr


def test_practice_add_and_join_then_move_a_client(run: CliRunner, database: Database) -> None:
    for email in ("coach@example.com", "other@example.com"):
        assert run.invoke(app, ["coach", "add", email], input=PASSWORD + "\n").exit_code == 0
    added = run.invoke(app, ["practice", "add", "Back Clinic"])
    assert added.exit_code == 0, added.output
    with database.unit_of_work() as uow:
        code = uow.session.scalars(select(Practice.join_code)).one()
    assert added.stdout.strip() == f"practice 'Back Clinic' made; its code is {code}"
    joined = run.invoke(app, ["practice", "join", "coach@example.com", code])
    assert joined.stdout.strip() == "coach@example.com is in practice 'Back Clinic'"
    by_name = run.invoke(app, ["practice", "join", "other@example.com", "Back Clinic"])
    assert by_name.exit_code == 0, by_name.output
    ana = _sign_up(database, "ana@example.com")
    with database.unit_of_work() as uow:
        coach_id = uow.session.scalars(select(User.id).where(User.email == "coach@example.com"))
        token = coaching.create_invite(
            uow=uow, principal=Principal(coach_id.one(), Role.COACH), now=NOW
        ).token
        coaching.accept_invite(
            uow=uow, principal=Principal(ana), person_id=ana, token=token, now=NOW
        )
    moved = run.invoke(app, ["coach", "move", "ana@example.com", "other@example.com"])
    assert moved.stdout.strip() == "ana@example.com is now coached by other@example.com"
    with database.unit_of_work() as uow:
        open_links = uow.session.scalars(select(CoachLink).where(CoachLink.ended_at.is_(None)))
        assert [link.client_id for link in open_links] == [ana]


def test_refusals_name_the_field(run: CliRunner, database: Database) -> None:
    _sign_up(database, "ana@example.com")
    unknown = run.invoke(app, ["coach", "move", "ana@example.com", "nobody@example.com"])
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == "error: coach_email: There is no coach with that email."
    no_practice = run.invoke(app, ["practice", "add", "  "])
    assert no_practice.stderr.strip() == "error: name: Please give the practice a name."
