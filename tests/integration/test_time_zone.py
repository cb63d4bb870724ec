"""Each person's own time zone decides their "today": the Today page, tight moments, the calendar
feed and the account page's times; without one, the server's BACKCOACH_TIMEZONE does. Setting it
is checked, audited, and carried by an export. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select

from backcoach.services import accounts, export, importer
from backcoach.services.access import Principal, principal_of
from backcoach.services.errors import Forbidden, Invalid
from backcoach.store.db import Database
from backcoach.store.tables import AuditEvent, TrainingSession, User
from backcoach.wording.errors import error_words
from tests.integration.by_services import onboarded_and_logged_in
from tests.integration.safety_steps import answer_screening
from tests.training_app import App, finish, onboard, running_app, sign_up, start, token

# The pages' days run on SQLite; the tests of the stored zone itself (export, import, who
# may set it) run on both databases, as they name.
DATABASES = ("sqlite",)

AUCKLAND, LOS_ANGELES = "Pacific/Auckland", "America/Los_Angeles"
ANA, BO = "ana@example.com", "bo@example.com"
#: Monday 23 November 2026, 20:00 UTC: already Tuesday 09:00 in Auckland, Monday noon in LA.
EVENING = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)
#: The same Monday, 10:30 UTC: Monday 23:30 in Auckland, Monday 02:30 in Los Angeles.
MORNING = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)


def people(app: App) -> tuple[TestClient, TestClient]:
    """Ana and Bo onboarded at the app's clock (by the services the onboarding pages call; the
    days those pages give are tested below, with a server zone), and logged in."""
    return onboarded_and_logged_in(app, ANA), onboarded_and_logged_in(app, BO)


def set_zone(client: TestClient, time_zone: str) -> Any:
    page = client.get("/account")
    return client.post(
        "/account/time-zone", data={"time_zone": time_zone, "csrftoken": token(page.text)}
    )


def stored_zone(app: App, email: str) -> str | None:
    user: User = app.query(select(User).where(User.email == email))
    return user.time_zone


def tight_count(client: TestClient) -> str:
    found = re.search(
        r'<p class="tight-count" role="status">([^<]+)</p>', client.get("/tight").text
    )
    assert found, "no count on /tight"
    return found.group(1)


def log_tight_moment(client: TestClient) -> None:
    page = client.get("/tight")
    assert client.post("/tight", data={"csrftoken": token(page.text)}).status_code == 200


def feed_days(client: TestClient) -> list[dt.date]:
    address = re.search(
        r"http://testserver(/calendar/[A-Za-z0-9_-]+\.ics)", client.get("/schedule").text
    )
    assert address, "no calendar address on /schedule"
    response = client.get(address.group(1))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return sorted(event.decoded("dtstart") for event in calendar.walk("VEVENT"))


@pytest.fixture
def auckland_server(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """The app of a server whose BACKCOACH_TIMEZONE is Auckland's."""
    monkeypatch.setenv("BACKCOACH_TIMEZONE", AUCKLAND)
    with running_app(database_url) as under_test:
        yield under_test


# --- the same instant, two days ----------------------------------------------------------------


def test_two_people_at_the_same_instant_start_sessions_on_their_own_day(app: App) -> None:
    ana, bo = people(app)
    assert set_zone(ana, AUCKLAND).url.path == "/account"
    assert set_zone(bo, LOS_ANGELES).url.path == "/account"
    app.clock.at = EVENING

    start(ana), start(bo)

    def day_of(email: str) -> dt.date:
        found: dt.date = app.query(
            select(TrainingSession.day).join(User).where(User.email == email)
        )
        return found

    assert (day_of(ANA), day_of(BO)) == (dt.date(2026, 11, 24), dt.date(2026, 11, 23))


def test_the_today_page_knows_each_persons_day(app: App) -> None:
    ana, bo = people(app)
    set_zone(ana, AUCKLAND), set_zone(bo, LOS_ANGELES)
    for client in (ana, bo):  # Monday 09:00 UTC: Monday 22:00 in Auckland, 01:00 in LA
        finish(client, start(client))
    app.clock.at = EVENING

    # Ana's Monday session is yesterday's: the check-in is due now. Bo trained today.
    assert "How is your back this morning?" in ana.get("/today").text
    bo_today = bo.get("/today").text
    assert "Tomorrow morning: a quick check-in" in bo_today
    assert "How is your back this morning?" not in bo_today


def test_tight_moments_are_counted_on_each_persons_own_day(app: App) -> None:
    ana, bo = people(app)
    set_zone(ana, AUCKLAND), set_zone(bo, LOS_ANGELES)
    app.clock.at = MORNING
    log_tight_moment(ana)
    log_tight_moment(bo)
    assert tight_count(ana) == tight_count(bo) == "1 tight moment logged today."

    app.clock.at = EVENING  # a new day in Auckland, the same one in Los Angeles

    assert tight_count(ana) == "No tight moments logged today."
    assert tight_count(bo) == "1 tight moment logged today."


def test_the_calendar_feed_keeps_the_days_of_its_owners_zone(app: App) -> None:
    ana, bo = people(app)
    set_zone(ana, AUCKLAND), set_zone(bo, LOS_ANGELES)
    schedule = app.program(ANA).plan.schedule
    assert schedule == app.program(BO).plan.schedule
    day = schedule[1]  # a training day after the first
    # Noon UTC on that day: the day after in Auckland, its early morning in Los Angeles. A red
    # flag now keeps only the days already gone, in each owner's own zone.
    app.clock.at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    for client in (ana, bo):
        assert answer_screening(client, saddle_numbness="yes").url.path == "/onboarding/referral"

    assert day in feed_days(ana)
    assert day not in feed_days(bo)
    assert max(feed_days(bo)) < day


# --- the server's zone, for whoever chose none -------------------------------------------------


def test_a_person_without_a_zone_follows_the_servers(auckland_server: App) -> None:
    app = auckland_server
    client = onboard(app, ANA)
    assert stored_zone(app, ANA) is None
    assert f"the server's is used: <strong>{AUCKLAND}</strong>" in client.get("/account").text
    app.clock.at = MORNING
    log_tight_moment(client)

    app.clock.at = EVENING  # Tuesday in Auckland, still Monday in UTC

    assert tight_count(client) == "No tight moments logged today."
    set_zone(client, LOS_ANGELES)
    assert tight_count(client) == "1 tight moment logged today."
    set_zone(client, "")  # empty: the server's again
    assert stored_zone(app, ANA) is None
    assert tight_count(client) == "No tight moments logged today."


# --- setting it ----------------------------------------------------------------------------------


def test_the_account_page_offers_every_zone_and_says_which_is_used(app: App) -> None:
    client = sign_up(app, ANA)
    page = client.get("/account").text
    assert '<datalist id="time-zone-names">' in page
    assert f'<option value="{AUCKLAND}">' in page and f'<option value="{LOS_ANGELES}">' in page
    assert "the server's is used: <strong>UTC</strong>" in page

    saved = set_zone(client, "pacific/auckland")  # any spelling of its case

    assert saved.status_code == 200 and "Your time zone is saved" in saved.text
    assert stored_zone(app, ANA) == AUCKLAND
    assert f"You chose <strong>{AUCKLAND}</strong>" in saved.text
    assert f'value="{AUCKLAND}"' in saved.text


@pytest.mark.parametrize("typed", ["Mars/Olympus_Mons", "../../etc/passwd", "x" * 65])
def test_an_unknown_zone_is_refused_naming_the_field_and_keeps_what_was_typed(
    app: App, typed: str
) -> None:
    client = sign_up(app, ANA)
    set_zone(client, LOS_ANGELES)

    refused = set_zone(client, typed)

    assert refused.status_code == 422
    assert 'id="time_zone-error"' in refused.text
    assert 'id="time_zone" name="time_zone"' in refused.text
    assert f'value="{typed}"' in refused.text
    if len(typed) <= 64:  # a longer one is refused at the form, with the form's words
        words = error_words("time_zone.unknown", {}).replace("'", "&#39;")
        assert words in refused.text
    assert stored_zone(app, ANA) == LOS_ANGELES


def test_the_change_is_in_the_audit_log(app: App) -> None:
    client = sign_up(app, ANA)
    set_zone(client, AUCKLAND)

    page = client.get("/account").text

    assert "changed the time zone" in page
    user_id = app.query(select(User.id).where(User.email == ANA))
    line = app.query(select(AuditEvent).where(AuditEvent.subject_id == user_id))
    assert (line.action, line.what, line.actor_id, line.allowed) == (
        "account",
        "time_zone",
        user_id,
        True,
    )


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_only_the_person_sets_their_zone(database: Database) -> None:
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with database.unit_of_work() as uow:
        for email in (ANA, BO):
            accounts.sign_up(uow=uow, email=email, password="a long enough password", now=now)
        ana, bo = (
            uow.session.scalars(select(User).where(User.email == e)).one() for e in (ANA, BO)
        )
        ana_id, bo_id = ana.id, bo.id
        with pytest.raises(Forbidden):
            accounts.set_time_zone(
                uow=uow, principal=principal_of(bo), person_id=ana_id, time_zone=AUCKLAND, now=now
            )
    with database.unit_of_work() as uow:
        assert uow.session.get_one(User, ana_id).time_zone is None
        refused = uow.session.scalars(select(AuditEvent).where(AuditEvent.allowed.is_(False))).one()
        assert (refused.actor_id, refused.subject_id, refused.what) == (bo_id, ana_id, "time_zone")
        with pytest.raises(Invalid) as unknown:
            accounts.set_time_zone(
                uow=uow,
                principal=Principal(ana_id),
                person_id=ana_id,
                time_zone="Atlantis/Capital",
                now=now,
            )
        assert (unknown.value.code, unknown.value.field) == ("time_zone.unknown", "time_zone")


# --- export and import ---------------------------------------------------------------------------


def _export(database: Database, email: str, time_zone: str | None) -> dict[str, Any]:
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email=email, password="a long enough password", now=now)
        user = uow.session.scalars(select(User).where(User.email == email)).one()
        principal = principal_of(user)
        accounts.set_time_zone(
            uow=uow, principal=principal, person_id=user.id, time_zone=time_zone, now=now
        )
        return export.export_data(uow=uow, principal=principal, person_id=user.id, now=now)


def _import(database: Database, document: dict[str, Any], email: str) -> str | None:
    with database.unit_of_work() as uow:
        importer.import_export(
            uow=uow,
            document=document,
            email=email,
            password_hash=accounts.hash_password("a new long password"),
        )
    with database.unit_of_work() as uow:
        zone: str | None = uow.session.scalars(
            select(User.time_zone).where(User.email == email)
        ).one()
        return zone


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_an_export_carries_the_zone_and_an_import_keeps_it(database: Database) -> None:
    document = _export(database, ANA, AUCKLAND)
    assert document["version"] == 3 and document["account"]["time_zone"] == AUCKLAND
    assert _import(database, document, "ana.moved@example.com") == AUCKLAND


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_an_export_made_before_the_zone_imports_with_the_servers(database: Database) -> None:
    document = _export(database, ANA, None)
    assert document["account"]["time_zone"] is None
    del document["account"]["time_zone"]
    assert _import(database, document, "ana.moved@example.com") is None


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_an_import_refuses_an_unknown_zone_naming_the_field(database: Database) -> None:
    document = _export(database, ANA, AUCKLAND)
    document["account"]["time_zone"] = "Mars/Olympus_Mons"
    with pytest.raises(importer.DocumentError, match=r"^account\.time_zone: must be a time zone"):
        _import(database, document, "ana.moved@example.com")
