"""`backcoach user` and `backcoach token`: accounts, password reset links and API tokens made from
the command line, so that a script can set up without a browser (an admin's commands, run by
whoever holds the server).

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


@user_app.command("reset-link")
def user_reset_link(
    email: Annotated[str, typer.Argument(help="The email of the account.")],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Where people reach backcoach, e.g. https://backcoach.example.org "
            "(default: BACKCOACH_BASE_URL).",
        ),
    ] = None,
) -> None:
    """Print a link that lets EMAIL choose a new password (for a server that sends no email):
    it works once, for an hour. Give it to the person by a way you trust."""
    from backcoach.cli.app import _settings
    from backcoach.formats.documents import InputError
    from backcoach.services import password_reset
    from backcoach.services.coaching import OPERATOR
    from backcoach.services.errors import Invalid
    from backcoach.settings import checked_base_url

    origin = base_url or _settings().base_url

    def make(uow: UnitOfWork) -> str:
        if origin is None:
            raise Invalid("password_reset.no_base_url", field="--base-url")
        try:
            checked = checked_base_url(origin)
        except ValueError as error:
            raise InputError(f"--base-url: {error}") from None
        link = password_reset.make_link(uow=uow, principal=OPERATOR, email=email, now=_now())
        return link.address(checked)

    typer.echo(_in_database(make))
    typer.echo("it works once, for an hour", err=True)


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
