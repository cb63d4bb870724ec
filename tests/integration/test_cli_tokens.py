"""`backcoach user add` and `backcoach token create`, in process: an account from standard
input, a token printed alone that works as a Bearer token, and every refusal one line with exit
code 2."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.store.db import Database
from backcoach.store.tables import User
from tests.integration.api_steps import api_client
from tests.training_app import PASSWORD, running_app

DATABASES = ("sqlite",)


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return CliRunner()


def test_user_add_reads_the_password_from_standard_input(
    run: CliRunner, database: Database
) -> None:
    made = run.invoke(app, ["user", "add", " New@Example.com"], input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert made.stdout == "new@example.com has an account\n"
    with database.unit_of_work() as uow:
        role = uow.session.scalars(select(User.role).where(User.email == "new@example.com"))
        assert role.one() == "person"


def test_token_create_prints_only_a_token_that_works(
    run: CliRunner, database: Database, database_url: str
) -> None:
    assert run.invoke(app, ["user", "add", "ana@example.com"], input=PASSWORD).exit_code == 0
    made = run.invoke(
        app,
        [
            "token",
            "create",
            "ana@example.com",
            "--scope",
            "read,write",
            "--name",
            "sync",
            "--days",
            "30",
        ],
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip()
    assert made.stdout == secret + "\n" and secret.startswith("bc_")
    with running_app(database_url) as server:
        listed = api_client(server, secret).get("/api/v1/tokens")
    assert listed.status_code == 200, listed.text
    (token,) = listed.json()["items"]
    assert (token["name"], token["scopes"], token["state"]) == ("sync", ["read", "write"], "active")


#: What is run, what is typed on standard input, and the one line of its refusal.
REFUSALS = [
    (["user", "add", "not-an-email"], PASSWORD, "email: Please enter an email address like name@"),
    (["user", "add", "new@example.com"], "short\n", "password: Use at least 10 characters."),
    (["user", "add", "new@example.com"], "", "password: give the password on the first line"),
    (["user", "add", "taken@example.com"], PASSWORD, "email: This email already has an account."),
    (["token", "create", "nobody@example.com", "--scope", "read"], "", "email: There is no"),
    (["token", "create", "taken@example.com", "--scope", "admin"], "", "--scope: Choose the"),
    (["token", "create", "taken@example.com", "--scope", "read", "--days", "0"], "", "--days:"),
]


def test_a_refusal_is_one_line_and_exit_code_2(run: CliRunner, database: Database) -> None:
    assert run.invoke(app, ["user", "add", "taken@example.com"], input=PASSWORD).exit_code == 0
    for args, typed, line in REFUSALS:
        refused = run.invoke(app, args, input=typed)
        assert refused.exit_code == 2, (args, refused.output)
        assert refused.stderr.startswith("error: " + line), (args, refused.stderr)
        assert refused.stderr.count("\n") == 1 and refused.stdout == "", args
    with database.unit_of_work() as uow:
        assert uow.session.scalars(select(User.email)).all() == ["taken@example.com"]
