"""`backcoach user` and `backcoach token`: accounts and API tokens made from the command line, so
that a script can set up without a browser (an admin's commands, run by whoever holds the server).

Only Typer is imported here at start (tests/integration/test_cli_startup.py): the database, the
services and the password hasher are imported inside each command.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from backcoach.cli.coach_command import _in_database

if TYPE_CHECKING:
    from backcoach.store.db import UnitOfWork

user_app = typer.Typer(help="Accounts (an admin's commands).")
token_app = typer.Typer(help="Personal access tokens for the JSON API (an admin's commands).")


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The new person's email.")],
) -> None:
    """Make a person's account: its password is asked twice at a terminal (hidden), else read
    from the first line of standard input."""
    from backcoach.services import accounts, operator_accounts
    from backcoach.services.coaching import OPERATOR

    def add(uow: UnitOfWork) -> str:
        # A bad or taken email is said before anyone types a password.
        operator_accounts.check_new_email(uow=uow, principal=OPERATOR, email=email)
        password_hash = accounts.hash_password(_new_password())
        made = operator_accounts.add_person(
            uow=uow, principal=OPERATOR, email=email, password_hash=password_hash, now=_now()
        )
        return f"{made} has an account"

    typer.echo(_in_database(add))


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Argument(help="The account the token acts as.")],
    scope: Annotated[
        str, typer.Option("--scope", help="read, or read,write (write also changes data).")
    ],
    name: Annotated[
        str, typer.Option("--name", help="What uses it, shown on the account page.")
    ] = "command line",
    days: Annotated[
        int | None, typer.Option("--days", help="It expires after this many days (default never).")
    ] = None,
) -> None:
    """Make a personal access token for EMAIL and print it (only it, on standard output): it is
    shown this once."""
    from backcoach.services import operator_accounts
    from backcoach.services.coaching import OPERATOR
    from backcoach.services.errors import ServiceError

    def create(uow: UnitOfWork) -> str:
        try:
            made = operator_accounts.create_token_for(
                uow=uow,
                principal=OPERATOR,
                email=email,
                name=name,
                scopes=scope.split(","),
                expires_in_days=days,
                now=_now(),
            )
        except ServiceError as error:  # named as this command names it
            error.field = _OPTION_OF.get(error.field or "", error.field)
            raise
        return made.secret

    secret = _in_database(create)
    typer.echo(secret)
    typer.echo("keep it now: it is not shown again", err=True)


#: The service's fields, as `token create` names them.
_OPTION_OF = {"name": "--name", "scopes": "--scope", "expires_in_days": "--days"}


def _new_password() -> str:
    """Asked twice at a terminal (hidden); otherwise the first line of standard input."""
    from backcoach.formats.documents import InputError

    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError("password: give the password on the first line of standard input")
    return line


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # the CLI is an edge: it may read the clock
