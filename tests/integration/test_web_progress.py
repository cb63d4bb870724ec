"""Progress, the two-weekly re-assessment, the schedule and the calendar feed, over HTTP, on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import func, select

from backcoach.engine.vocabulary import Felt
from backcoach.services import calendar, training
from backcoach.services.access import principal_of
from backcoach.services.progress import reassessment_due
from backcoach.services.sets import SetInput
from backcoach.settings import Settings
from backcoach.store.tables import Measure, PlanRecord, TightMoment, User
from backcoach.web.app import create_app
from tests.integration.onboarded import OnboardedFile
from tests.unit.test_charts_on_a_phone import smallest_text_on_a_phone, y_tick_labels
from tests.web import onboard, post, with_db

#: Pages and forms over the services: the same on either database, so on SQLite only (the
#: services, the store and the query-count tests run on PostgreSQL too; the suite stays under
#: its 6 minutes).
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday
SVG = re.compile(r"<svg[^>]*role=\"img\".*?</svg>", re.S)
CHART_ID = re.compile(r'<figure class="chart" id="chart-([a-z]+)"')


class FakeClock:
    """The app's clock, moved by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current

    def today(self) -> dt.date:
        return self.current.date()

    def advance(self, days: int) -> None:
        self.current += dt.timedelta(days=days)


@dataclass
class Site:
    app: Any
    clock: FakeClock
    database_url: str
    #: Of the person logged in already (``sam_site``), for every client.
    cookies: dict[str, str] = field(default_factory=dict)

    def client(self) -> TestClient:
        client = TestClient(self.app)
        for name, value in self.cookies.items():
            client.cookies.set(name, value)
        return client


@pytest.fixture
def site(database_url: str) -> Iterator[Site]:
    app: Any = create_app(Settings(database_url=database_url))  # the app's state is reachable
    clock = FakeClock(START)
    app.state.clock = clock
    yield Site(app, clock, database_url)
    app.state.database.dispose()


@pytest.fixture(scope="module")
def sam_onboarded_file(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path
) -> OnboardedFile:
    """Sam onboarded through the pages (tests.web.onboard, at START) once for this module:
    onboarding cost about 0.7 s of CPU, most of many tests here."""
    path = tmp_path_factory.mktemp("sam") / "sam.db"
    shutil.copy(migrated_sqlite_template, path)
    app: Any = create_app(Settings(database_url=f"sqlite:///{path}"))
    app.state.clock = FakeClock(START)
    try:
        client = TestClient(app)
        onboard(client)
        cookies = dict(client.cookies.items())
    finally:
        app.state.database.dispose()  # SQLite folds its write-ahead log into the file
    return OnboardedFile(path, cookies)


@pytest.fixture
def sam_site(database_url: str, sam_onboarded_file: OnboardedFile) -> Iterator[Site]:
    """The site on a copy of Sam's onboarded database (this test's own), Sam logged in."""
    assert database_url.startswith("sqlite:///"), "pages are tested on SQLite"
    shutil.copy(sam_onboarded_file.path, database_url.removeprefix("sqlite:///"))
    app: Any = create_app(Settings(database_url=database_url))
    clock = FakeClock(START)
    app.state.clock = clock
    yield Site(app, clock, database_url, sam_onboarded_file.cookies)
    app.state.database.dispose()


def _user(uow: Any, email: str = "sam@example.com") -> User:
    user: User = uow.session.scalars(select(User).where(User.email == email)).one()
    return user


def train(database_url: str, day: dt.date, *, pain_before: int = 5, pain_after: int = 3) -> None:
    """A finished session on ``day`` with every planned set felt in the target muscle."""

    def work(uow: Any) -> None:
        user = _user(uow)
        now = dt.datetime.combine(day, dt.time(18), tzinfo=dt.UTC)
        session = training.start_session(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            pain_before=pain_before,
            today=day,
            now=now,
        )
        plan = uow.session.get(PlanRecord, session.plan_id)
        for item in plan.data["exercises"]:
            amount = item["dose_max"]  # the stored form (formats/stored_plan.py)
            for number in range(1, item["sets"] + 1):
                entry = SetInput(item["id"], number, amount, Felt.TARGET)
                training.log_set(
                    uow=uow,
                    principal=principal_of(user),
                    person_id=user.id,
                    session_id=session.id,
                    entry=entry,
                    now=now,
                )
        training.finish_session(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            session_id=session.id,
            pain_during=4,
            pain_after=pain_after,
            today=day,
            now=now,
        )

    with_db(database_url, work)


def feel_tight(database_url: str, at: dt.datetime) -> None:
    def work(uow: Any) -> None:
        uow.session.add(TightMoment(user_id=_user(uow).id, at=at, drills=["cat_camel"]))
        uow.commit()

    with_db(database_url, work)


def active_schedule(database_url: str) -> list[dt.date]:
    def work(uow: Any) -> list[dt.date]:
        plan = uow.session.scalars(select(PlanRecord).where(PlanRecord.active)).one()
        return [dt.date.fromisoformat(day) for day in plan.data["schedule"]]

    result: list[dt.date] = with_db(database_url, work)
    return result


def reassess(client: TestClient, **fields: str) -> Any:
    data = {"nprs": "3", "psfs_name_1": "Putting on socks", "psfs_score_1": "6", **fields}
    return post(client, "/progress/reassess", data)


def feed_address(client: TestClient) -> str:
    found = re.search(
        r"http://testserver(/calendar/[A-Za-z0-9_-]+\.ics)", client.get("/schedule").text
    )
    assert found, "no calendar address on /schedule"
    return found.group(1)


def feed_dates(response: Any) -> list[dt.date]:
    calendar = Calendar.from_ical(response.content)
    return sorted(event.decoded("dtstart") for event in calendar.walk("VEVENT"))


# --- progress ----------------------------------------------------------------------------------


def test_progress_greets_a_new_person_without_charts(sam_site: Site) -> None:
    client = sam_site.client()
    page = client.get("/progress")
    assert page.status_code == 200
    assert "Your starting point is saved" in page.text
    assert "nothing to compare yet" in page.text
    assert not SVG.search(page.text)
    assert "Time for your two-weekly check" not in page.text


def test_progress_needs_a_login(site: Site) -> None:
    assert site.client().get("/progress").url.path == "/login"


def test_progress_draws_accessible_charts_that_fetch_nothing(sam_site: Site) -> None:
    site, client = sam_site, sam_site.client()
    for offset, pain in ((0, 6), (2, 5), (4, 5), (7, 4), (9, 3)):
        train(site.database_url, START.date() + dt.timedelta(days=offset), pain_before=pain)
        feel_tight(site.database_url, START + dt.timedelta(days=offset, hours=2))
    site.clock.advance(10)
    page = client.get("/progress")
    assert page.status_code == 200
    charts = SVG.findall(page.text)
    ids = set(re.findall(r'<figure class="chart" id="chart-([a-z]+)"', page.text))
    assert {"pain", "adherence", "tight", "volume"} <= ids
    assert len(charts) == len(ids)
    for svg in charts:
        assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) == {"http://www.w3.org/2000/svg"}
        assert "<script" not in svg and "<!--" not in svg
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title><desc id=\"[^\"]+\">[^<]+</desc>", svg)
    assert page.text.count("Show the numbers as a table") == len(charts)
    for kind, svg in zip(CHART_ID.findall(page.text), charts, strict=True):
        assert smallest_text_on_a_phone(svg) >= 12, kind  # read on a 360 px phone
        if kind in ("adherence", "volume"):  # counts: whole numbers up the axis
            assert all(tick.isdigit() for tick in y_tick_labels(svg)), kind
    assert "You have done <strong>5</strong>" in page.text
    # No inline style anywhere (the content policy allows none): the rules are one file.
    assert "<style" not in page.text and " style=" not in page.text
    assert '<link rel="stylesheet" href="/progress/charts.css">' in page.text
    sheet = client.get("/progress/charts.css")
    assert sheet.status_code == 200
    assert sheet.headers["content-type"].startswith("text/css")
    assert ".pygal-chart .tooltip{opacity:0}" in sheet.text.splitlines()


def test_an_nprs_drop_from_6_to_3_is_stated_as_a_change_that_matters(sam_site: Site) -> None:
    site, client = sam_site, sam_site.client()  # NPRS 6 at the start
    site.clock.advance(14)
    saved = reassess(client, nprs="3")
    assert saved.url.path == "/progress"
    assert "Your pain has dropped by 3 points (50%): a change large enough to matter." in saved.text


def test_a_small_drop_is_not_yet_a_change_that_matters(sam_site: Site) -> None:
    site, client = sam_site, sam_site.client()
    site.clock.advance(14)
    saved = reassess(client, nprs="5")
    assert "not yet a change large enough to matter" in saved.text


def test_a_30_percent_drop_of_fewer_points_is_not_yet_a_change_that_matters(sam_site: Site) -> None:
    site, client = sam_site, sam_site.client()
    site.clock.advance(14)
    reassess(client, rmdq="10")
    site.clock.advance(14)
    page = reassess(client, rmdq="7")  # 30% better, but 3 points of the 5 that matter
    statement = (
        "(RMDQ) has dropped by 3 points (30%): a start, though not yet a change large enough to "
        "matter."
    )
    assert statement in page.text
    item = re.search(r'<li class="([^"]*)">\s*<strong>Daily life \(RMDQ\)', page.text)
    assert item and item.group(1) == "statement"  # not highlighted as "reached"


# --- re-assessment -----------------------------------------------------------------------------


def test_reassessment_is_due_fourteen_days_after_the_last_answers(sam_site: Site) -> None:
    site, client = sam_site, sam_site.client()

    def due(uow: Any) -> bool:
        person = _user(uow)
        return reassessment_due(
            uow=uow,
            principal=principal_of(person),
            person_id=person.id,
            today=site.clock.today(),
            now=site.clock.now(),
        )

    site.clock.advance(13)
    assert not with_db(site.database_url, due)
    assert "Time for your two-weekly check" not in client.get("/progress").text
    site.clock.advance(1)
    assert with_db(site.database_url, due)
    assert "Time for your two-weekly check" in client.get("/progress").text
    reassess(client)
    assert not with_db(site.database_url, due)
    assert "Time for your two-weekly check" not in client.get("/progress").text


def test_the_reassessment_form_asks_about_the_same_activities(sam_site: Site) -> None:
    client = sam_site.client()
    form = client.get("/progress/reassess")
    assert form.status_code == 200
    assert 'name="psfs_name_1" maxlength="100" value="Putting on socks"' in form.text
    assert 'name="nprs"' in form.text and 'name="rmdq"' in form.text


def test_optional_disability_scores_are_saved_and_charted(sam_site: Site) -> None:
    site, client = sam_site, sam_site.client()
    site.clock.advance(14)
    reassess(client, rmdq="12")
    site.clock.advance(14)
    page = reassess(client, rmdq="6")
    assert 'id="chart-rmdq"' in page.text
    assert "(RMDQ) has dropped by 6 points (50%)" in page.text


def test_bad_reassessment_answers_get_messages_and_save_nothing(sam_site: Site) -> None:
    site, client = sam_site, sam_site.client()

    def count(uow: Any) -> int:
        return uow.session.scalar(select(func.count()).select_from(Measure)) or 0

    before = with_db(site.database_url, count)
    refused = post(
        client,
        "/progress/reassess",
        {"nprs": "11", "psfs_name_1": "", "psfs_score_1": "x", "odi_3": "9", "rmdq": "-1"},
    )
    assert refused.status_code == 422
    assert "Please enter a whole number from 0 to 10." in refused.text
    assert "Please name activity 1" not in refused.text  # "x" is not a score
    assert "from 0 to 5" in refused.text and "from 0 to 24" in refused.text
    assert with_db(site.database_url, count) == before
    assert post(client, "/progress/reassess", {}).status_code == 422


# --- schedule and calendar feed ----------------------------------------------------------------


def test_the_schedule_lists_every_planned_date(sam_site: Site) -> None:
    site, client = sam_site, sam_site.client()
    train(site.database_url, START.date())
    schedule = active_schedule(site.database_url)
    months = {day.strftime("%Y-%m") for day in schedule}
    pages = {month: client.get(f"/schedule?month={month}").text for month in months}
    for day in schedule:
        page = pages[day.strftime("%Y-%m")]
        assert re.search(rf'<td class="planned[^"]*"[^>]*>\s*<time datetime="{day}">', page), day
        assert f'<li><time datetime="{day}">' in page
    first = client.get("/schedule").text
    assert re.search(rf'<td class="[^"]*done[^"]*"[^>]*>\s*<time datetime="{START.date()}">', first)
    assert "<caption>March 2026: training days</caption>" in first


def test_a_bad_month_gets_a_message_not_an_error(sam_site: Site) -> None:
    client = sam_site.client()
    for month in ("2026-13", "soon", "99999-01"):
        page = client.get(f"/schedule?month={month}")
        assert page.status_code == 422 and "That month is not right" in page.text


def test_the_calendar_feed_has_one_event_per_planned_day_and_follows_the_plan(
    sam_site: Site,
) -> None:
    site, client = sam_site, sam_site.client()
    address = feed_address(client)
    stranger = site.client()  # calendar apps send no cookies
    first = stranger.get(address)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/calendar")
    schedule = active_schedule(site.database_url)
    assert feed_dates(first) == schedule
    events = Calendar.from_ical(first.content).walk("VEVENT")
    assert {str(e["summary"]) for e in events} == {"backcoach: strength session"}
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert "Glute bridge" in str(events[0]["description"])

    train(site.database_url, START.date())  # the engine decides the next plan
    changed = stranger.get(address)
    assert changed.content != first.content
    assert feed_dates(changed) == sorted({START.date(), *active_schedule(site.database_url)})
    same_day = {str(e["uid"]) for e in Calendar.from_ical(changed.content).walk("VEVENT")}
    token = address.removeprefix("/calendar/").removesuffix(".ics")
    assert calendar.event_uid(token, START.date()) in same_day


def test_an_unknown_calendar_address_is_not_found(sam_site: Site) -> None:
    client = sam_site.client()
    for token in ("A" * 43, "nope", "..%2F..%2Fetc", "x" * 200):
        assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_new_calendar_address_stops_the_old_one(sam_site: Site) -> None:
    client = sam_site.client()
    old = feed_address(client)
    moved = post(client, "/schedule/calendar-address", {}, page="/schedule")
    assert "Here is your new address" in moved.text
    new = feed_address(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_making_a_new_address_needs_the_csrf_token(sam_site: Site) -> None:
    client = sam_site.client()
    assert client.post("/schedule/calendar-address").status_code == 403
