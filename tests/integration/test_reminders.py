"""Reminders (issue 13, item 5): the person's time of day, an alarm on each training day of the
calendar feed, today's reminder for the open app, and training-day emails sent once each."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select
from typer.testing import CliRunner

from backcoach.cli import app as cli
from backcoach.services import accounts, calendar, reminders
from backcoach.services.access import Principal
from backcoach.services.mail import Email
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import ReminderSent, User
from tests.integration.onboarded import Onboarded
from tests.support.smtp_stub import smtp_stub
from tests.training_app import App, onboard, token
from tests.web import onboard as web_onboard
from tests.web import with_db

DATABASES = ("sqlite",)
UTC = ZoneInfo("UTC")


def _save(client: TestClient, **form: str) -> object:
    page = client.get("/reminders")
    return client.post("/reminders", data={**form, "csrftoken": token(page.text)})


def _person(app: App, email: str = "ana@example.com") -> int:
    found: int = app.query(select(User.id).where(User.email == email))
    return found


def _training_days(app: App, person_id: int) -> list[dt.date]:
    with app.database.unit_of_work() as uow:
        planned = calendar.planned_days(
            uow=uow, person_id=person_id, today=app.clock.at.date(), zone=UTC,
            first_day=app.clock.at.date(), with_exercises=False,
        )  # fmt: skip
    return [day.day for day in planned]


def _feed(client: TestClient) -> Calendar:
    address = re.search(
        r"http://testserver(/calendar/[A-Za-z0-9_-]+\.ics)", client.get("/schedule").text
    )
    assert address
    return Calendar.from_ical(client.get(address.group(1)).content)


def test_the_person_chooses_a_time_and_the_page_keeps_it(ana: Onboarded) -> None:
    client = ana.client
    page = client.get("/reminders")
    assert 'id="enabled" name="enabled" value="yes">' in page.text  # off until chosen
    assert 'value="08:00"' in page.text
    assert 'href="/reminders"' in client.get("/account").text
    saved = _save(client, enabled="yes", at="7:30")
    assert saved.url.path == "/reminders" and "Your reminders are saved" in saved.text  # type: ignore[attr-defined]
    assert 'value="yes" checked' in saved.text and 'value="07:30"' in saved.text  # type: ignore[attr-defined]
    wrong = _save(client, enabled="yes", at="25:00")
    assert wrong.status_code == 422 and "like 08:30" in wrong.text  # type: ignore[attr-defined]
    # This server sends no email: email reminders cannot be chosen.
    no_email = _save(client, enabled="yes", at="07:30", by_email="yes")
    assert no_email.status_code == 422 and "sends no email" in no_email.text  # type: ignore[attr-defined]


def test_the_calendar_feed_rings_at_the_chosen_time_on_each_training_day_ahead(
    ana: Onboarded,
) -> None:
    app, client = ana.app, ana.client
    assert not _feed(client).walk("VALARM")
    _save(client, enabled="yes", at="07:30")
    events = _feed(client).walk("VEVENT")
    ahead = [e for e in events if e.decoded("dtstart") >= app.clock.at.date()]
    assert ahead
    for event in ahead:
        (alarm,) = event.walk("VALARM")
        assert alarm["action"] == "DISPLAY" and alarm["description"]
        assert alarm.decoded("trigger") == dt.timedelta(hours=7, minutes=30)
    _save(client, at="07:30")  # turned off again
    assert not _feed(client).walk("VALARM")


def test_the_open_app_learns_todays_reminder(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    assert client.get("/reminders/today.json").json() == {"enabled": False}
    _save(client, enabled="yes", at="10:15")
    days = _training_days(app, _person(app))
    due = client.get("/reminders/today.json").json()
    assert due["training_day"] is (app.clock.at.date() in days)
    assert due["at"] == "10:15" and due["day"] == app.clock.at.date().isoformat()
    at = dt.datetime.combine(app.clock.at.date(), dt.time(10, 15), UTC)
    assert due["at_ms"] == int(at.timestamp() * 1000)


def test_email_reminders_go_once_a_training_day_after_their_time(app: App) -> None:
    onboard(app)
    person = _person(app)
    with app.database.unit_of_work() as uow:
        accounts.set_time_zone(
            uow=uow, principal=Principal(person), person_id=person, time_zone="Europe/Berlin",
            now=app.clock.at,
        )  # fmt: skip
        reminders.set_reminders(
            uow=uow, principal=Principal(person), person_id=person, enabled=True, at="10:00",
            by_email=True, email_possible=True, now=app.clock.at,
        )  # fmt: skip
    day = _training_days(app, person)[0]
    rest_day = next(
        d
        for d in (day + dt.timedelta(n) for n in range(1, 8))
        if d not in _training_days(app, person)
    )
    outbox: list[Email] = []

    def run(at: dt.datetime, send: object = outbox.append) -> reminders.SendReport:
        with app.database.unit_of_work() as uow:
            return reminders.send_due(
                uow=uow, now=at, server_zone=UTC, send=send,  # type: ignore[arg-type]
                base_url="https://bc.example.org",
            )  # fmt: skip

    berlin_nine_thirty = dt.datetime.combine(day, dt.time(8, 30), UTC)  # 09:30 in Berlin
    assert run(berlin_nine_thirty) == reminders.SendReport(0, 0)

    def refuse(email: Email) -> None:
        raise OSError("the mail server is down")

    assert run(berlin_nine_thirty + dt.timedelta(hours=1), refuse) == reminders.SendReport(0, 1)
    assert run(berlin_nine_thirty + dt.timedelta(hours=1, minutes=5)) == reminders.SendReport(1, 0)
    assert run(berlin_nine_thirty + dt.timedelta(hours=2)) == reminders.SendReport(0, 0)
    (sent,) = outbox
    assert sent.to == "ana@example.com" and "https://bc.example.org/today" in sent.body
    assert run(dt.datetime.combine(rest_day, dt.time(12), UTC)) == reminders.SendReport(0, 0)
    assert app.query(select(ReminderSent.day)) == day


def test_the_send_command_needs_an_smtp_server(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("BACKCOACH_SMTP_HOST", raising=False)
    result = CliRunner().invoke(cli, ["reminders", "send"])
    assert result.exit_code == 2 and "BACKCOACH_SMTP_HOST" in result.stderr


def test_the_send_command_emails_todays_reminder_once(
    make_client: Callable[..., TestClient], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command reads the real clock: a person who starts today trains today (their first
    # day), with reminders at midnight, so theirs is due whenever this runs.
    web_onboard(make_client())

    def turn_on(uow: UnitOfWork) -> None:
        person = uow.session.scalar(select(User.id).where(User.email == "sam@example.com"))
        assert person is not None
        reminders.set_reminders(
            uow=uow, principal=Principal(person), person_id=person, enabled=True, at="00:00",
            by_email=True, email_possible=True, now=dt.datetime.now(dt.UTC),
        )  # fmt: skip

    with_db(database_url, turn_on)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BACKCOACH_SMTP_TLS", "none")
    monkeypatch.setenv("BACKCOACH_SMTP_FROM", "bc@example.org")
    monkeypatch.setenv("BACKCOACH_BASE_URL", "https://bc.example.org")
    with smtp_stub() as (port, mailbox):
        monkeypatch.setenv("BACKCOACH_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("BACKCOACH_SMTP_PORT", str(port))
        first = CliRunner().invoke(cli, ["reminders", "send"])
        again = CliRunner().invoke(cli, ["reminders", "send"])
    assert first.exit_code == 0 and first.stdout.startswith("1 sent"), first.output
    assert again.exit_code == 0 and again.stdout.startswith("0 sent"), again.output
    (message,) = mailbox
    assert message["To"] == "sam@example.com" and message["Subject"] == "Training day today"
    assert "https://bc.example.org/today" in message.get_content()
