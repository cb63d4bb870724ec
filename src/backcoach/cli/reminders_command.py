"""`backcoach reminders send`: the training-day reminder emails that are due, each sent once, for
cron or a systemd timer to run every few minutes (docs/sign-in.md#email-reminders).

Only Typer is imported at start (tests/integration/test_cli_startup.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

from backcoach.cli.coach_command import _in_database

if TYPE_CHECKING:
    from backcoach.store.db import UnitOfWork

reminders_app = typer.Typer(help="Training-day reminders by email (an admin's commands).")


@reminders_app.command("send")
def reminders_send() -> None:
    """Email every reminder that is due now and not yet sent today (run it every 5-15 minutes:
    a reminder goes at the first run after its time, once). Needs BACKCOACH_SMTP_HOST."""
    from zoneinfo import ZoneInfo

    from backcoach.cli.app import _settings
    from backcoach.formats.documents import InputError
    from backcoach.services import reminders
    from backcoach.services.mail import SmtpSender

    settings = _settings()
    if not settings.sends_email:
        from backcoach.cli.app import _clean_errors

        with _clean_errors():
            raise InputError("no email is sent: set BACKCOACH_SMTP_HOST and BACKCOACH_SMTP_FROM")

    def send(uow: UnitOfWork) -> reminders.SendReport:
        return reminders.send_due(
            uow=uow,
            now=dt.datetime.now(dt.UTC),  # the CLI is an edge: it may read the clock
            server_zone=ZoneInfo(settings.timezone),
            send=SmtpSender(settings),
            base_url=settings.base_url,
        )

    report = _in_database(send)
    typer.echo(f"{report.sent} sent, {report.failed} not sent (tried again at the next run)")
    if report.failed:
        raise typer.Exit(1)
