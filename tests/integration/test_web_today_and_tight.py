"""Today and "I feel tight" over HTTP: what to do now above the program with the safety notes
above it, a rest day's drills, and the tight routine's pictures, timings and weekly count."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select

from backcoach.engine.screening import all_clear
from backcoach.services import onboarding
from backcoach.services.access import Principal
from backcoach.store.tables import User
from backcoach.web.routes.pictures import picture_size
from tests.integration.onboarded import Onboarded
from tests.training_app import MONDAY, App, do_every_set, finish, sign_up, start, token

#: Pages and forms over the services: SQLite only (the suite's 6 minutes).
DATABASES = ("sqlite",)
DRILLS = '<a class="button primary" href="/tight">Your drills for tight moments</a>'


def _assert_in_order(page: str, *texts: str) -> None:
    """Each text is on the page, after the one before it."""
    places = [page.find(text) for text in texts]
    assert -1 not in places, [t for t, p in zip(texts, places, strict=True) if p == -1]
    assert places == sorted(places), list(zip(texts, places, strict=True))


def test_the_start_comes_before_the_program_and_a_caution_before_the_start(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    with app.database.unit_of_work() as uow:
        me = Principal(uow.session.scalars(select(User.id)).one())
        mine: dict[str, Any] = {
            "uow": uow,
            "principal": me,
            "person_id": me.user_id,
            "now": app.clock.at,
        }
        today = app.clock.today()
        onboarding.record_screening(**mine, answers=all_clear(age=44), today=today)
        onboarding.record_measures(**mine, answers={"nprs": {"score": 9}}, today=today)
        profile = {"pain": 9, "level": "beginner", "days_per_week": 4, "equipment": []}
        onboarding.start_program(**mine, profile=profile, today=today)
    page = client.get("/today?welcome=1").text
    _assert_in_order(
        page,
        "Take care",
        "Your pain is very high right now.",
        "How is your back pain right now?",
        "Start the session",
        "Your program is ready",
        'id="program-heading"',
    )


def test_a_rest_day_offers_the_drills_with_the_check_in_and_day_notes_first(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    do_every_set(app, client, session_id)
    finish(client, session_id)
    done = client.get("/today").text
    _assert_in_order(done, "You trained today", DRILLS, "start another anyway", "Tomorrow morning")
    app.clock.at = MONDAY + dt.timedelta(days=1)
    page = client.get("/today").text
    _assert_in_order(
        page,
        "Waiting for the morning after the last session",  # the engine's note on the day
        "How is your back this morning?",
        "Rest day",
        "Next session: <strong>Wednesday 25 November</strong>",
        DRILLS,
        "<summary>Train today anyway</summary>",
        "Start the session",
        'id="program-heading"',
    )
    assert '<details class="again">' in page  # folded on a rest day
    refused = client.post("/session", data={"pain_before": "11", "csrftoken": token(page)})
    assert refused.status_code == 422
    assert '<details class="again" open>' in refused.text  # the problem is in view


def test_after_a_very_high_pain_the_drills_come_before_the_start(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client, pain_before=8)
    do_every_set(app, client, session_id)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    page = client.get("/today").text
    _assert_in_order(page, "which is very high", "Start a session", DRILLS, "Start the session")


def test_todays_pictures_keep_their_room(ana: Onboarded) -> None:
    client = ana.client
    page = client.get("/today").text
    pictures = re.findall(r'<img src="/pictures/(\w+)\.svg[^"]*"[^>]*>', page)
    assert pictures
    for exercise_id in pictures:
        width, height = picture_size(exercise_id) or (0, 0)
        assert re.search(
            rf'<img src="/pictures/{exercise_id}\.svg[^"]*"[^>]*'
            rf'width="{width}" height="{height}"',
            page,
        ), exercise_id


def test_the_tight_routine_times_each_drill_and_counts_the_week(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    page = client.get("/tight").text
    assert "0 tight moments this week, 0 last week." in page
    drills = app.program("ana@example.com").plan.mobility
    seconds = [int(s) for s in re.findall(r'data-drill data-seconds="(\d+)"', page)]
    assert len(seconds) == len(drills) and all(s >= 10 for s in seconds)
    assert 120 <= sum(seconds) <= 240, seconds  # a routine of two to four minutes
    for drill, own in zip(drills, seconds, strict=True):
        assert f'data-name="{drill.exercise.name}"' in page
        assert f"about {own} seconds" in page
        assert f'<img src="/pictures/{drill.exercise.id}.svg' in page
    # The timer is there for the script to show; without it the page says each drill's time.
    assert "data-routine-timer hidden" in page

    logged = client.post("/tight", data={"csrftoken": token(page)})
    assert "1 tight moment this week, 0 last week." in logged.text
    assert "1 tight moments" not in logged.text
    app.clock.at = MONDAY + dt.timedelta(days=7)
    assert "0 tight moments this week, 1 last week." in client.get("/tight").text
