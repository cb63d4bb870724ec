"""Who reaches the cohort figures and the coach's progress report of client A: client A,
client B, A's coach, a colleague of A's coach's practice, another coach and an admin (and
anyone not logged in); the whole matrix is compared, so a leak names its cell. SQLite only: the
rule is access.can's, run on both databases by test_authorization_matrix.py."""

from __future__ import annotations

import datetime as dt

import pytest

from backcoach.services import client_report, cohort
from backcoach.services.errors import Forbidden
from tests.integration.coaching_steps import cast
from tests.training_app import App

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

REFUSED = "refused"


def test_who_sees_which_cohort_and_whose_report(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    found: dict[tuple[str, str], object] = {}
    for name, who in people.everyone().items():
        for scope in cohort.SCOPES:
            with app.database.unit_of_work() as uow:
                try:
                    view = cohort.cohort(
                        uow=uow,
                        principal=who,
                        scope=scope,
                        today=app.clock.today(),
                        now=app.clock.at,
                    )
                    found[(name, f"cohort {scope}")] = view.outcomes.clients
                except Forbidden:
                    found[(name, f"cohort {scope}")] = REFUSED
        with app.database.unit_of_work() as uow:
            try:
                client_report.coach_report(
                    uow=uow,
                    principal=who,
                    client_id=a,
                    summary="",
                    today=app.clock.today(),
                    zone=dt.UTC,
                    now=app.clock.at,
                )
                found[(name, "report of A")] = "made"
            except Forbidden:
                found[(name, "report of A")] = REFUSED
    expected = {
        ("client A", "cohort mine"): REFUSED,
        ("client A", "cohort practice"): REFUSED,
        ("client A", "report of A"): REFUSED,  # their own report is /progress/report.pdf
        ("client B", "cohort mine"): REFUSED,
        ("client B", "cohort practice"): REFUSED,
        ("client B", "report of A"): REFUSED,
        ("A's coach", "cohort mine"): 1,
        ("A's coach", "cohort practice"): 1,
        ("A's coach", "report of A"): "made",
        ("a colleague of A's coach", "cohort mine"): 0,
        ("a colleague of A's coach", "cohort practice"): 1,
        ("a colleague of A's coach", "report of A"): "made",
        ("another coach", "cohort mine"): 0,
        ("another coach", "cohort practice"): 0,
        ("another coach", "report of A"): REFUSED,
        ("admin", "cohort mine"): REFUSED,
        ("admin", "cohort practice"): REFUSED,
        ("admin", "report of A"): REFUSED,
    }
    assert found == expected


def test_no_page_opens_to_someone_not_logged_in(app: App) -> None:
    people = cast(app)
    anonymous = app.client()
    base = f"/coach/clients/{people.client_a.user_id}"
    for path in ("/coach/cohort", "/coach/cohort.csv", f"{base}/report", f"{base}/report.pdf"):
        reply = anonymous.get(path, follow_redirects=False)
        assert reply.status_code == 303 and reply.headers["location"] == "/login", path
    refused = anonymous.post(f"{base}/report.pdf", data={"summary": "x"}, follow_redirects=False)
    assert refused.status_code in (303, 403)
    assert "application/pdf" not in refused.headers.get("content-type", "")
