"""/session/planned: today's session before it starts, for a start with no signal (issue 14)."""

from __future__ import annotations

import re

from tests.integration.onboarded import Onboarded
from tests.training_app import App, sign_up, start, token

#: A page over the services: SQLite only (the suite stays under its 6 minutes).
DATABASES = ("sqlite",)


def _offline_addresses(html: str) -> list[str]:
    found = re.search(r'<meta name="backcoach-offline" content="([^"]*)">', html)
    assert found, "the page names no addresses to keep for offline use"
    return found.group(1).split()


def test_the_planned_session_asks_the_pain_first_then_shows_every_exercise(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    page = client.get("/session/planned", follow_redirects=False)
    assert page.status_code == 200
    html = page.text
    # The pain question comes before the first exercise; the player waits behind it.
    assert html.index('name="pain_before"') < html.index("data-player-area")
    assert re.search(r"<div data-player-area hidden>", html)
    for item in app.program("ana@example.com").plan.exercises:
        for number in range(1, item.sets + 1):
            assert f'id="s-{item.exercise.id}-{number}"' in html
    # No session yet: nothing on the page names one, and no form stops an exercise.
    assert 'data-session=""' in html
    assert "/session/None" not in html
    assert 'name="reason"' not in html
    assert _offline_addresses(html) == ["/session/planned", "/tight"]


def test_today_keeps_the_planned_session_the_drills_and_the_pictures(ana: Onboarded) -> None:
    client = ana.client
    html = client.get("/today").text
    kept = _offline_addresses(html)
    assert kept[:3] == ["/today", "/session/planned", "/tight"]
    assert any(address.startswith("/pictures/") for address in kept[3:])
    assert 'data-outbox="start"' in html


def test_without_javascript_the_pain_answer_starts_the_session(ana: Onboarded) -> None:
    client = ana.client
    page = client.get("/session/planned")
    started = client.post("/session", data={"pain_before": "2", "csrftoken": token(page.text)})
    found = re.fullmatch(r"/session/(\d+)", started.url.path)
    assert found, started.url
    assert f'data-session="{found.group(1)}"' in started.text


def test_a_session_under_way_is_where_the_planned_page_leads(ana: Onboarded) -> None:
    client = ana.client
    session_id = start(client)
    response = client.get("/session/planned", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/session/{session_id}"
    player = client.get(f"/session/{session_id}").text
    assert _offline_addresses(player) == [f"/session/{session_id}", "/tight"]


def test_no_program_no_planned_session(app: App) -> None:
    client = sign_up(app, "new@example.com")
    response = client.get("/session/planned", follow_redirects=False)
    assert response.headers["location"] == "/start"
