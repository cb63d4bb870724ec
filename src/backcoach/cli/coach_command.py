"""`backcoach coach` and `backcoach practice`: the admin's commands for coaches, practices and
moving a client, run by whoever holds the server (services/coaching.py `OPERATOR`).

Only Typer is imported here at start: the database, the services and the password hasher are
imported inside each command, so `backcoach --help` stays quick (tests/integration/
test_cli_startup.py).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from backcoach.store.db import UnitOfWork

coach_app = typer.Typer(help="Coach accounts and their clients (an admin's commands).")
practice_app = typer.Typer(help="Practices: groups of coaches who share their clients.")
Result = TypeVar("Result")


@coach_app.command("add")
def coach_add(
    email: Annotated[str, typer.Argument(help="The coach's email: a new account or a person's.")],
) -> None:
    """Make EMAIL a coach: a person's account is promoted; a new one asks for its password
    (twice at a terminal, else the first line of standard input)."""
    from backcoach.services import accounts, coaching

    def add(uow: UnitOfWork) -> str:
        password_hash = None
        if not coaching.account_exists(uow=uow, principal=coaching.OPERATOR, email=email):
            password_hash = accounts.hash_password(_new_password())
        made = coaching.add_coach(
            uow=uow,
            principal=coaching.OPERATOR,
            email=email,
            password_hash=password_hash,
            now=_now(),
        )
        return f"{email.strip().lower()} is a coach" + (" (new account)" if made else "")

    typer.echo(_in_database(add))


@coach_app.command("move")
def coach_move(
    client_email: Annotated[str, typer.Argument(help="The client's email.")],
    coach_email: Annotated[str, typer.Argument(help="The email of their new coach.")],
) -> None:
    """Move a client to another coach: their link ends and a new one opens, sharing what they
    agreed to share; both are written to the client's audit log."""
    from backcoach.services import coaching

    def move(uow: UnitOfWork) -> str:
        link = coaching.move_client(
            uow=uow,
            principal=coaching.OPERATOR,
            client_email=client_email,
            coach_email=coach_email,
            now=_now(),
        )
        return f"{link.client_email} is now coached by {link.coach_email}"

    typer.echo(_in_database(move))


@practice_app.command("add")
def practice_add(name: Annotated[str, typer.Argument(help="The practice's name.")]) -> None:
    """Make a practice; prints the code its coaches join it with."""
    from backcoach.services import coaching

    def add(uow: UnitOfWork) -> str:
        practice = coaching.create_practice(
            uow=uow, principal=coaching.OPERATOR, name=name, now=_now()
        )
        return f"practice {practice.name!r} made; its code is {practice.join_code}"

    typer.echo(_in_database(add))


@practice_app.command("join")
def practice_join(
    coach_email: Annotated[str, typer.Argument(help="The coach's email.")],
    code_or_name: Annotated[str, typer.Argument(help="The practice's code or name.")],
) -> None:
    """Put a coach in a practice: its coaches then reach each other's clients."""
    from backcoach.services import coaching

    def join(uow: UnitOfWork) -> str:
        practice = coaching.join_practice(
            uow=uow,
            principal=coaching.OPERATOR,
            coach_email=coach_email,
            code_or_name=code_or_name,
            now=_now(),
        )
        return f"{coach_email.strip().lower()} is in practice {practice.name!r}"

    typer.echo(_in_database(join))


def _in_database(work: Callable[[UnitOfWork], Result]) -> Result:
    """Run ``work`` in a unit of work on the migrated database; a refusal is one line (exit 2)."""
    from backcoach.cli.app import _clean_errors, _settings
    from backcoach.store.db import Database
    from backcoach.store.migrate import upgrade

    with _clean_errors(), _refusals_as_input_errors():
        database_url = _settings().database_url
        upgrade(database_url)
        database = Database(database_url)
        try:
            with database.unit_of_work() as uow:
                return work(uow)
        finally:
            database.dispose()


@contextmanager
def _refusals_as_input_errors() -> Iterator[None]:
    from backcoach.formats.documents import InputError
    from backcoach.services.errors import ServiceError
    from backcoach.wording.errors import error_words

    try:
        yield
    except ServiceError as error:
        field = f"{error.field}: " if error.field else ""
        raise InputError(field + error_words(error.code, error.params)) from None


def _new_password() -> str:
    """Asked twice at a terminal; otherwise the first line of standard input (for scripts)."""
    from backcoach.formats.documents import InputError

    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError(
            "password: give the new coach's password on the first line of standard input"
        )
    return line


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # the CLI is an edge: it may read the clock
