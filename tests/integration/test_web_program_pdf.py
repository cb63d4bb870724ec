"""GET /program.pdf: the logged-in person's program as a printable handout, over HTTP."""

from __future__ import annotations

import io

from pypdf import PdfReader

from backcoach.engine.vocabulary import Decision
from backcoach.wording.reasons import say
from tests.integration.onboarded import Onboarded
from tests.training_app import App, do_every_set, finish, onboard, sign_up, start

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_program_pdf_downloads_the_persons_program_dated_today(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    response = client.get("/program.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="backcoach-program-2026-11-23.pdf"'
    )
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Your backcoach program" in text and "Monday 23 November 2026" in text
    plan = app.program("ana@example.com").plan
    for item in (*plan.exercises, *plan.mobility):
        assert item.exercise.name in text


def test_program_pdf_follows_the_program_after_a_session(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    do_every_set(app, client, session_id)
    finish(client, session_id)
    program = app.program("ana@example.com")
    changed = [step for step in program.next_steps.values() if step.decision is not Decision.START]
    assert changed, "a finished session decides the next one"
    text = pdf_text(client.get("/program.pdf").content)
    assert "Last change:" in text
    for item in program.plan.exercises:
        assert " ".join(say(item.reason).split()) in text


def test_program_pdf_needs_a_login(app: App) -> None:
    response = app.client().get("/program.pdf", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_program_pdf_without_a_program_is_a_friendly_not_found_page(app: App) -> None:
    client = sign_up(app, "new@example.com")
    response = client.get("/program.pdf")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "No program to print yet" in response.text
    assert 'href="/"' in response.text


def test_today_links_to_the_printable_program(app: App) -> None:
    page = onboard(app).get("/today").text
    assert '<a href="/program.pdf">Print my program (PDF)</a>' in page
