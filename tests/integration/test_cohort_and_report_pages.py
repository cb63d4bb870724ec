"""The coach's Outcomes page and its CSV, and the coach's progress report of a client (the
summary form and the PDF), in process over HTTP. SQLite only: the reads are the services',
tested on both databases in test_cohort_service.py."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import event, func, select
from starlette.testclient import TestClient

from backcoach.engine.screening import RED_FLAG_IDS, all_clear, screen
from backcoach.services.client_report import MAX_SUMMARY
from backcoach.store.care_tables import CoachOverride
from backcoach.store.tables import AuditEvent, Screening, User
from tests.integration.coaching_steps import Cast, cast
from tests.integration.cohort_steps import client
from tests.training_app import PASSWORD, App, token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def log_in(app: App, email: str) -> TestClient:
    client = app.client()
    page = client.get("/login")
    client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    )
    return client


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_outcomes_page_says_each_figure_and_too_few_below_five(app: App) -> None:
    cast(app)
    app.clock.at += dt.timedelta(days=8)  # A's first training days are behind: none done
    coach = log_in(app, "coach@example.com")
    page = coach.get("/coach/cohort")
    assert page.status_code == 200, page.text
    html = page.text
    assert "0 of 1 client active" in html
    assert "Too few clients to say: this rests on 1 client" in html  # the adherence of one
    assert 'href="/coach/cohort?scope=practice"' in html  # the coach has a practice
    assert 'href="/progress/charts.css"' in html and "style=" not in html
    practice = coach.get("/coach/cohort", params={"scope": "practice"})
    assert 'aria-current="page">My practice' in practice.text


def test_the_csv_has_one_row_per_figure_and_no_clients(app: App) -> None:
    cast(app)
    app.clock.at += dt.timedelta(days=8)
    reply = log_in(app, "coach@example.com").get("/coach/cohort.csv")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(reply.text)))
    assert rows[0] == [
        "Figure",
        "Measure",
        "Program week",
        "Clients it rests on",
        "Count",
        "Out of",
        "Value",
        "Note",
    ]
    figures = [row[0] for row in rows[1:]]
    assert figures[:2] == ["active_clients", "median_adherence"]
    assert figures.count("mcid_reached") == 5 * 2  # NPRS, ODI, RMDQ, PSFS, disability x 2
    assert rows[1][3] == "1"  # A is the coach's one client
    adherence = rows[2]
    assert adherence[6] == "" and adherence[7] == "too few clients to say"
    assert "ana@example.com" not in reply.text and "bo@example.com" not in reply.text


def test_the_csv_counts_only_the_coachs_or_practices_clients(app: App) -> None:
    cast(app)

    def clients(email: str, scope: str = "mine") -> str:
        reply = log_in(app, email).get("/coach/cohort.csv", params={"scope": scope})
        return list(csv.reader(io.StringIO(reply.text)))[1][3]

    assert clients("coach@example.com") == "1"
    assert clients("colleague@example.com") == "0"
    assert clients("colleague@example.com", "practice") == "1"
    assert clients("other@example.com", "practice") == "0"  # no practice: B is no one's


def _override(app: App, people: Cast) -> None:
    with app.database.unit_of_work() as uow:
        uow.session.add(
            CoachOverride(
                client_id=people.client_a.user_id,
                coach_id=people.coach.user_id,
                at=app.clock.at - dt.timedelta(days=2),
                kind="hold",
                data={},
                note="Let the flare settle first",
            )
        )
        answers = {**all_clear(age=44), sorted(RED_FLAG_IDS)[0]: True}
        referral = Screening(
            user_id=people.client_a.user_id,
            at=app.clock.at - dt.timedelta(days=1),
            context="check_in",
            answers=answers,
            refer=True,
            urgency=screen(answers).urgency,
        )
        uow.session.add(referral)
        uow.session.flush()
        user = uow.session.get_one(User, people.client_a.user_id)
        user.cleared_at, user.cleared_note = app.clock.at, "Seen by Dr Patel: no red flag now"
        user.cleared_by_id, user.cleared_screening_id = people.coach.user_id, referral.id
        uow.commit()


def test_the_coachs_report_carries_the_summary_overrides_and_clearance(app: App) -> None:
    people = cast(app)
    _override(app, people)
    coach = log_in(app, "colleague@example.com")  # a colleague of the practice may too
    base = f"/coach/clients/{people.client_a.user_id}"
    form = coach.get(f"{base}/report")
    assert form.status_code == 200 and 'name="summary"' in form.text
    summary = "Ana has trained steadily and her pain has eased; she lifts her child again."
    reply = coach.post(
        f"{base}/report.pdf", data={"summary": summary, "csrftoken": token(form.text)}
    )
    assert reply.status_code == 200, reply.text[:500]
    assert reply.headers["content-type"] == "application/pdf"
    text = _pdf_text(reply.content)
    assert "Coach's summary" in text and "lifts her child again" in text
    assert "Changes made by a coach" in text and "Progression held: the whole program" in text
    assert "Let the flare settle first" in text
    assert "Red flags and clearances" in text and "Latest referral" in text
    assert "a clinician's clearance recorded by coach@example.com" in text
    assert "Seen by Dr Patel" in text
    plain = coach.get(f"{base}/report.pdf")
    assert plain.status_code == 200 and "Coach's summary" not in _pdf_text(plain.content)
    with app.database.unit_of_work() as uow:
        audited = uow.session.scalar(
            select(func.count()).where(
                AuditEvent.subject_id == people.client_a.user_id,
                AuditEvent.actor_id == people.colleague.user_id,
                AuditEvent.what == "report",
            )
        )
    assert audited == 3  # the form, the report with a summary, the one without


def test_a_summary_too_long_is_named_and_kept(app: App) -> None:
    people = cast(app)
    coach = log_in(app, "coach@example.com")
    base = f"/coach/clients/{people.client_a.user_id}"
    form = coach.get(f"{base}/report")
    typed = "é" * (MAX_SUMMARY + 30)  # non-ASCII: the body is about 12 bytes a character
    reply = coach.post(f"{base}/report.pdf", data={"summary": typed, "csrftoken": token(form.text)})
    assert reply.status_code == 422
    assert f"Use at most {MAX_SUMMARY} characters: this has {MAX_SUMMARY + 30}." in reply.text
    assert typed in reply.text and 'aria-invalid="true"' in reply.text


def test_no_report_of_someone_elses_client(app: App) -> None:
    people = cast(app)
    for email in ("other@example.com", "bo@example.com"):
        client = log_in(app, email)
        base = f"/coach/clients/{people.client_a.user_id}"
        # The same "no such client" as an address that names nobody: it tells no one who exists.
        assert client.get(f"{base}/report").status_code == 404
        assert client.get(f"{base}/report.pdf").status_code == 404
    assert (
        log_in(app, "coach@example.com")
        .get(f"/coach/clients/{people.client_b.user_id}/report.pdf")
        .status_code
        == 404
    )


def test_the_outcomes_page_costs_the_same_statements_for_one_client_or_seven(app: App) -> None:
    people = cast(app)
    coach = log_in(app, "coach@example.com")

    def statements() -> int:
        counted = 0

        def count(*_: object) -> None:
            nonlocal counted
            counted += 1

        event.listen(app.database.engine, "before_cursor_execute", count)
        try:
            assert coach.get("/coach/cohort").status_code == 200
        finally:
            event.remove(app.database.engine, "before_cursor_execute", count)
        return counted

    one = statements()
    for index in range(6):
        client(app.database, people.coach.user_id, f"c{index}@example.com", sessions=24)
    assert statements() == one
