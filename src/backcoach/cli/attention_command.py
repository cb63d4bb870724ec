"""`backcoach attention refresh`: work out again the caseload's rows that time has made stale.

Each client's row is kept on write (services/attention.py); time alone changes some items (a
planned day missed, a morning left unanswered, the questionnaires due), and the caseload redoes
those rows when a coach opens it. Run nightly (cron, a systemd timer), this command does it
before anyone opens a page, so the first view of the day stays quick. Only Typer is imported at
start (tests/integration/test_cli_startup.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from backcoach.store.db import UnitOfWork

attention_app = typer.Typer(help="The caseload's attention, kept for each coached client.")


@attention_app.command("refresh")
def attention_refresh(
    every: Annotated[
        bool, typer.Option("--all", help="Every coached client, not only the stale rows.")
    ] = False,
) -> None:
    """Work out again the rows of coached clients that are stale (or missing); with --all,
    every coached client's."""
    from zoneinfo import ZoneInfo

    from backcoach.cli.app import _settings
    from backcoach.cli.coach_command import _in_database
    from backcoach.services import caseload

    def refresh(uow: UnitOfWork) -> str:
        count = caseload.refresh_all(
            uow=uow,
            now=dt.datetime.now(dt.UTC),  # the CLI is an edge: it may read the clock
            server_zone=ZoneInfo(_settings().timezone),
            stale_only=not every,
        )
        return f"{count} client{'s' if count != 1 else ''} worked out again"

    typer.echo(_in_database(refresh))
