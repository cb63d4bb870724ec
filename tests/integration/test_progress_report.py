"""GET /progress/report.pdf: a person's clinical progress report, over HTTP and as a service."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from backcoach.engine.vocabulary import Decision
from backcoach.reports.progress_report import progress_report_pdf
from backcoach.services.access import Principal
from backcoach.services.errors import Forbidden
from backcoach.services.report import report_data
from backcoach.store.tables import AuditEvent, User
from backcoach.wording.change_words import say_change
from backcoach.wording.reasons import say
from tests.integration.onboarded import Onboarded
from tests.integration.test_query_counts import statements_run
from tests.training_app import (
    App,
    checkin,
    do_every_set,
    finish,
    onboard,
    save,
    sign_up,
    start,
    token,
)

ANA, BOB = "ana@example.com", "bob@example.com"
SECTIONS = (
    "Progress report",
    "Measures and their change",
    "Questionnaire answers",
    "Sessions and pain",
    "Current program",
    "Changes to the program",
    "Red flags and clearances",
)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def words(text: str) -> str:
    return " ".join(text.split())


def train_two_sessions_and_reassess(app: App, client: TestClient) -> None:
    """Two sessions two days apart, every set done and a calm next morning, then the
    two-weekly answers: pain 4 -> 2."""
    for _ in range(2):
        session_id = start(client)
        do_every_set(app, client, session_id)
        finish(client, session_id)
        app.clock.at += dt.timedelta(days=1)
        checkin(client, session_id, morning=2)
        app.clock.at += dt.timedelta(days=1)
    app.clock.at += dt.timedelta(days=10)
    page = client.get("/progress/reassess")
    data = {
        "nprs": "2",
        "psfs_name_1": "Putting on socks",
        "psfs_score_1": "7",
        "csrftoken": token(page.text),
    }
    saved = client.post("/progress/reassess", data=data)
    assert saved.url.path == "/progress", saved.text


def person_id(app: App, email: str) -> int:
    user = app.query(select(User).where(User.email == email))
    assert user is not None
    return int(user.id)


#: What the PDF says is the same on either database: SQLite only (the suite's time). Whose
#: data a report reads, its refusals and its statements are checked on PostgreSQL too. The
#: ``ana`` fixture's tests are on SQLite too (Ana onboarded, copied from once per worker).
PDF_ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_a_person_who_trained_downloads_a_report_of_measures_program_and_decisions(
    ana: Onboarded,
) -> None:
    app, client = ana.app, ana.client  # ANA, onboarded
    train_two_sessions_and_reassess(app, client)
    response = client.get("/progress/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="backcoach-progress-report-2026-12-07.pdf"'
    )
    assert response.headers["cache-control"] == "no-store"
    text = pdf_text(response.content)
    for section in SECTIONS:
        assert section in text
    assert ANA in text and "23 Nov 2026 to 7 Dec 2026" in text
    assert "Page 1 of" in text
    with app.database.unit_of_work() as uow:
        data = report_data(
            uow=uow,
            principal=Principal(person_id(app, ANA)),
            person_id=person_id(app, ANA),
            today=app.clock.today(),
            zone=dt.UTC,
            now=app.clock.at,
        )
    pain = data.outcomes.changes["nprs"]
    assert pain.mcid_reached
    assert words(say_change(pain)) in text
    assert "MCID 2 points" in text
    assert "STarT Back (0-9)" in text and "low risk" in text
    assert "planned sessions done since 23 Nov 2026" in text
    assert "2 sessions done in all since the start." in text
    program = app.program(ANA)
    for item in program.plan.exercises:
        assert item.exercise.name in text
        assert words(say(item.reason)) in text
    assert "backcoach's rules (automatic)" in text
    moved = [entry for entry in data.decisions if entry.decision is Decision.PROGRESS]
    assert moved, "two sessions with every set at the top move something up"
    assert words(say(moved[0].reason)) in text
    assert "Latest safety check:" in text and "no red flag raised." in text
    assert "Coach's summary" not in text


def test_the_progress_page_links_to_the_report(ana: Onboarded) -> None:
    page = ana.client.get("/progress").text
    assert '<a href="/progress/report.pdf">Progress report for your doctor (PDF)</a>' in page


@PDF_ON_SQLITE
def test_the_report_needs_a_login(app: App) -> None:
    response = app.client().get("/progress/report.pdf", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_a_report_shows_only_its_own_persons_data_whatever_is_asked(app: App) -> None:
    ana = onboard(app, ANA)
    train_two_sessions_and_reassess(app, ana)
    bob = onboard(app, BOB)
    asked_for_ana = f"/progress/report.pdf?person_id={person_id(app, ANA)}"
    text = pdf_text(bob.get(asked_for_ana).content)
    assert BOB in text and ANA not in text
    # Bob has trained nothing: none of Ana's sessions, changes or decisions are his.
    assert "0 sessions done in all since the start." in text
    assert "No exercise has moved up, stepped back or been swapped yet." in text
    assert "Your pain has dropped" not in text
    assert BOB not in pdf_text(ana.get("/progress/report.pdf").content)


def test_the_report_service_refuses_someone_elses_data_and_logs_it(app: App) -> None:
    onboard(app, ANA)
    onboard(app, BOB)
    ana, bob = person_id(app, ANA), person_id(app, BOB)
    with app.database.unit_of_work() as uow, pytest.raises(Forbidden):
        report_data(
            uow=uow,
            principal=Principal(bob),
            person_id=ana,
            today=app.clock.today(),
            zone=dt.UTC,
            now=app.clock.at,
        )
    refused = app.query(
        select(AuditEvent).where(AuditEvent.subject_id == ana, AuditEvent.what == "report")
    )
    assert refused is not None and refused.actor_id == bob and not refused.allowed


@PDF_ON_SQLITE
def test_someone_with_nothing_entered_yet_gets_a_report_that_says_so(app: App) -> None:
    client = sign_up(app, ANA)
    response = client.get("/progress/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "No questionnaire answered yet." in text
    assert "Latest safety check: none answered yet." in text
    assert "Referrals: none." in text


def test_a_coachs_summary_is_printed_when_given(ana: Onboarded) -> None:
    app = ana.app
    ana_id = person_id(app, ANA)
    with app.database.unit_of_work() as uow:
        data = report_data(
            uow=uow,
            principal=Principal(ana_id),
            person_id=ana_id,
            today=app.clock.today(),
            zone=dt.UTC,
            now=app.clock.at,
        )
    summary = "Training twice a week; pain settling. Happy to continue."
    text = pdf_text(progress_report_pdf(data, summary=summary))
    assert "Coach's summary" in text and summary in text
    assert "Coach's summary" not in pdf_text(progress_report_pdf(data, summary="  "))


def test_a_referral_and_the_clearance_after_it_are_reported_with_its_note(
    ana: Onboarded,
) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    finish(client, session_id)
    app.clock.at += dt.timedelta(days=1)
    checkin(client, session_id, morning=3, night_pain="yes")
    text = pdf_text(client.get("/progress/report.pdf").content)
    assert "Latest referral: 24 Nov 2026" in text
    assert "Clearance: not yet; the program is paused until a clinician clears it." in text
    assert "None: the program is paused until a clinician clears the red flag." in text
    page = client.get("/start")
    note = "Seen by my GP, who found no sign of anything serious."
    data = {"confirm": "yes", "note": note, "csrftoken": token(page.text)}
    assert client.post("/onboarding/cleared", data=data).status_code == 200
    text = pdf_text(client.get("/progress/report.pdf").content)
    assert "Latest referral: 24 Nov 2026" in text
    assert "Clearance: 24 Nov 2026, confirmed by the person that a clinician cleared them." in text
    assert f"Note: {note}" in text


def test_the_report_reads_as_many_statements_after_8_sessions_as_after_3(app: App) -> None:
    client = onboard(app, ANA)
    counts = []
    for sessions in range(1, 9):
        session_id = start(client)
        # One set a session: the history's length is what is measured, not its sets' number.
        item = app.program(ANA).plan.exercises[0]
        save(client, session_id, item.exercise.id, 1, item.dose_max, kind=item.exercise.dose.value)
        finish(client, session_id)
        app.clock.at += dt.timedelta(days=1)
        checkin(client, session_id, morning=2)
        app.clock.at += dt.timedelta(days=1)
        if sessions in (3, 8):
            with statements_run(app.database.engine) as sent:
                assert client.get("/progress/report.pdf").status_code == 200
            counts.append(len(sent))
    assert counts[0] == counts[1]
