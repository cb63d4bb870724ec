"""A client's days are the client's own, whoever reads or changes them: their coach's pages put
the timeline, a referral, a clearance and an override on the client's day (their time zone,
else the server's), never on the coach's. At 20:00 UTC the coach (in UTC) is still on the 23rd
while a client in Auckland is on the morning of the 24th; at 03:00 UTC a client in Los Angeles
is still on the evening before."""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from backcoach.services import clearance, override_choices
from backcoach.services.access import Principal
from backcoach.store.care_tables import ClientAttention, CoachOverride
from backcoach.store.tables import User
from tests.integration.coaching_steps import cast
from tests.integration.override_steps import log_in, refer, train
from tests.training_app import App, token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def _lives_in(app: App, who: Principal, zone: str | None) -> None:
    with app.database.unit_of_work() as uow:
        uow.session.execute(update(User).where(User.id == who.user_id).values(time_zone=zone))
        uow.commit()


def _said(day: dt.date) -> str:
    """A day as the client's page says it."""
    return f"{day.day} {day:%b %Y}"


def _evening_in_utc(app: App) -> dt.date:
    """20:00 UTC: the coach's day is still the 23rd; Auckland's is the 24th (the client's)."""
    app.clock.at = app.clock.at.replace(hour=20, minute=0)
    client_day = app.clock.at.astimezone(AUCKLAND).date()
    assert client_day == app.clock.today() + dt.timedelta(days=1)
    return client_day


def _client_page(coach: TestClient, client: Principal) -> str:
    page = coach.get(f"/coach/clients/{client.user_id}")
    assert page.status_code == 200
    return html.unescape(page.text)


def test_the_timeline_ends_on_the_clients_today_with_their_session(app: App) -> None:
    people = cast(app)
    _lives_in(app, people.client_a, "Pacific/Auckland")
    _lives_in(app, people.coach, "UTC")
    client_day = _evening_in_utc(app)
    train(app, log_in(app, "ana@example.com"))
    text = _client_page(log_in(app, "coach@example.com"), people.client_a)
    assert f"to {_said(client_day)}:" in text
    assert f"Session, {_said(client_day)}" in text
    # Times are in the client's zone too, and say so: 20:00 UTC is 09:00 in Auckland.
    assert f"{_said(client_day)}, 09:00 NZDT" in text


def test_without_a_zone_of_their_own_the_clients_day_is_the_servers(app: App) -> None:
    people = cast(app)
    app.state.settings = app.state.settings.model_copy(update={"timezone": "Pacific/Auckland"})
    _lives_in(app, people.client_a, None)
    _lives_in(app, people.coach, "UTC")
    client_day = _evening_in_utc(app)
    text = _client_page(log_in(app, "coach@example.com"), people.client_a)
    assert f"to {_said(client_day)}:" in text


def test_a_clearance_on_the_clients_day_of_the_referral_is_kept(app: App) -> None:
    people = cast(app)
    _lives_in(app, people.client_a, "America/Los_Angeles")
    app.clock.at = app.clock.at.replace(hour=3)  # 19:00 the evening before in Los Angeles
    refer(app, people.client_a)
    client_day = app.clock.at.astimezone(LOS_ANGELES).date()
    assert client_day == app.clock.today() - dt.timedelta(days=1)
    with app.database.unit_of_work() as uow:
        kept = clearance.record_by_coach(
            uow=uow,
            principal=people.coach,
            client_id=people.client_a.user_id,
            clinician="Dr Lee, GP",
            cleared_on=client_day.isoformat(),
            note="",
            today=client_day,
            now=app.clock.at,
        )
    assert kept.note.startswith(f"Dr Lee, GP ({client_day.isoformat()})")


def test_the_clearance_form_takes_the_clients_today(app: App) -> None:
    people = cast(app)
    _lives_in(app, people.client_a, "Pacific/Auckland")
    _lives_in(app, people.coach, "UTC")
    client_day = _evening_in_utc(app)
    refer(app, people.client_a)
    coach = log_in(app, "coach@example.com")
    address = f"/coach/clients/{people.client_a.user_id}"
    page = coach.get(f"{address}/program")
    assert f'max="{client_day.isoformat()}"' in page.text
    form = {
        "clinician": "Dr Lee, GP",
        "cleared_on": client_day.isoformat(),
        "note": "",
        "csrftoken": token(page.text),
    }
    cleared = coach.post(f"{address}/clearance", data=form)
    assert cleared.status_code == 200 and "The clearance is recorded" in cleared.text
    assert _attention_day(app, people.client_a) == client_day


def test_an_override_and_its_undo_are_made_on_the_clients_day(app: App) -> None:
    people = cast(app)
    _lives_in(app, people.client_a, "Pacific/Auckland")
    _lives_in(app, people.coach, "UTC")
    client_day = _evening_in_utc(app)
    coach = log_in(app, "coach@example.com")
    address = f"/coach/clients/{people.client_a.user_id}"
    page = coach.get(f"{address}/program")
    choice = override_choices.swap_choices(app.program("ana@example.com").plan)[0]
    form = {
        "kind": "swap",
        "exercise": choice.replaces[0],
        "to_exercise": choice.exercise.id,
        "note": "",
        "csrftoken": token(page.text),
    }
    done = coach.post(f"{address}/overrides", data=form)
    assert done.status_code == 200
    assert _attention_day(app, people.client_a) == client_day
    # The history's times are the coach's, and say which zone.
    assert f"{app.clock.at:%-d %b %Y, %H:%M} UTC" in done.text
    with app.database.unit_of_work() as uow:
        made = uow.session.scalars(select(CoachOverride.id)).one()
        uow.session.execute(update(ClientAttention).values(computed_on=dt.date(2000, 1, 1)))
        uow.commit()
    undone = coach.post(f"{address}/overrides/{made}/undo", data={"csrftoken": token(done.text)})
    assert undone.status_code == 200
    assert _attention_day(app, people.client_a) == client_day


def _attention_day(app: App, client: Principal) -> dt.date:
    """The day the client's attention was last worked out for (the `today` a write passed)."""
    day: dt.date = app.query(
        select(ClientAttention.computed_on).where(ClientAttention.client_id == client.user_id)
    )
    return day
