"""Who reaches a client's page (/coach/clients/{id}) and its service: A's coach and a colleague
of their practice; client A, client B, another coach and an admin are refused, and over HTTP
each of them gets the same "not found" as an account that does not exist or an address that
is not a client's. Every refusal and every view is in the client's audit log, and the client's
account page says the view in words. SQLite and PostgreSQL (the audit log's rows name the
client, so an unknown client must be refused before anything is written)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from backcoach.services.access import Principal
from backcoach.services.client_record import client_record
from backcoach.services.errors import Forbidden, NotFound
from backcoach.store.tables import AuditEvent
from backcoach.wording.i18n import translations_in
from tests.integration.client_record_steps import feel_tight, log_in, on_day, rate_pain, train
from tests.integration.coaching_steps import cast
from tests.integration.test_i18n_pages import _data_strings, unmarked_words
from tests.support.messages import OPEN, pseudo_translations
from tests.training_app import MONDAY, App

# Pages: SQLite only (the services' own matrices and tests run on both databases).
DATABASES = ("sqlite",)

EMAILS = {
    "client A": "ana@example.com",
    "client B": "bo@example.com",
    "A's coach": "coach@example.com",
    "a colleague of A's coach": "colleague@example.com",
    "another coach": "other@example.com",
    "admin": "admin@example.com",
}
SEES_A = {"A's coach", "a colleague of A's coach"}


def _read(app: App, who: Principal, client_id: int) -> str:
    with app.database.unit_of_work() as uow:
        try:
            client_record(
                uow=uow,
                principal=who,
                client_id=client_id,
                today=app.clock.today(),
                zone=dt.UTC,
                now=app.clock.at,
            )
        except Forbidden:
            return "refused"
        except NotFound:
            return "not found"
        return "read"


def test_only_the_clients_coach_and_a_colleague_read_the_record(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    found = {name: _read(app, who, a) for name, who in people.everyone().items()}
    assert found == {name: "read" if name in SEES_A else "refused" for name in EMAILS}
    assert _read(app, people.coach, 99_999) == "not found"
    with app.database.unit_of_work() as uow:
        audited = [
            tuple(row)
            for row in uow.session.execute(
                select(AuditEvent.actor_id, AuditEvent.allowed).where(
                    AuditEvent.subject_id == a, AuditEvent.what == "client_record"
                )
            )
        ]
    everyone = people.everyone()
    # Each coach's read, and each refusal of someone else; A's own refusal is of no one else.
    assert sorted(audited) == sorted(
        (who.user_id, name in SEES_A) for name, who in everyone.items() if name != "client A"
    )


def test_the_page_answers_not_found_to_everyone_else(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    for name, email in EMAILS.items():
        page = log_in(app, email).get(f"/coach/clients/{a}")
        assert page.status_code == (200 if name in SEES_A else 404), name
        if page.status_code == 404:
            assert "You have no client at this address." in page.text
            assert "ana@example.com" not in page.text
    anonymous = app.client().get(f"/coach/clients/{a}", follow_redirects=False)
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["location"]


def test_addresses_that_name_no_client_are_not_found_never_an_error(app: App) -> None:
    people = cast(app)
    coach = log_in(app, EMAILS["A's coach"])
    refused = coach.get(f"/coach/clients/{people.client_b.user_id}")
    assert refused.status_code == 404
    for address in ("abc", "0", "-1", "1.5", "1e3", "%20", "٣", "2147483648", "9" * 40, "99999"):
        page = coach.get(f"/coach/clients/{address}")
        assert page.status_code == 404, address
        assert "You have no client at this address." in page.text, address
    a = people.client_a.user_id
    for before in ("yesterday", "2026-13-01", "0001-01-01", "2026-1-1", "9999-12-31"):
        page = coach.get(f"/coach/clients/{a}", params={"before": before})
        assert page.status_code == 400, before
        assert "before: give a day as YYYY-MM-DD" in page.text
    older = coach.get(f"/coach/clients/{a}", params={"before": "2026-11-01"})
    assert older.status_code == 200  # weeks before anything: nothing older, a way back
    assert f'<a href="/coach/clients/{a}">Newest entries</a>' in older.text
    assert "Older entries" not in older.text


def test_the_client_sees_the_view_on_their_account_page(app: App) -> None:
    people = cast(app)
    on_day(app, MONDAY.date() + dt.timedelta(days=1))
    assert log_in(app, EMAILS["A's coach"]).get(f"/coach/clients/{people.client_a.user_id}")
    account = log_in(app, EMAILS["client A"]).get("/account").text
    assert "coach@example.com" in account
    assert "looked at your record: sessions, answers, program and charts" in account


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_word_of_the_clients_page_is_marked(app: App) -> None:
    people = cast(app)
    a = people.client_a
    start = MONDAY.date()
    train(app, a, start + dt.timedelta(days=1), felt="low_back")
    feel_tight(app, a, start + dt.timedelta(days=4))
    rate_pain(app, a, start + dt.timedelta(days=14), 1)
    day = start + dt.timedelta(days=15)
    train(app, a, day, during=8, after=7, morning=6, saddle_numbness=True)
    coach = log_in(app, EMAILS["A's coach"])
    with translations_in(pseudo_translations()):
        page = coach.get(f"/coach/clients/{a.user_id}")
    html = page.text
    assert page.status_code == 200 and OPEN in html
    for shown in ('id="referral-heading"', 'id="flare-heading"', "timeline-tight", "<svg"):
        assert shown in html, shown
    data = ["ana@example.com", "coach@example.com", *_data_strings()]
    assert not unmarked_words(html, data), unmarked_words(html, data)
