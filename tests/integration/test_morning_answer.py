"""The next-morning answer opens the morning after (engine/morning.py; docs/clinical-rules.md,
"The next morning"): a check-in the same evening keeps no pain and settles nothing, while a
warning sign is taken at any time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backcoach.engine.morning import MORNING_GAP, is_morning_after
from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.store.tables import TrainingSession
from tests.training_app import (
    MONDAY,
    App,
    checkin,
    do_every_set,
    finish,
    onboard,
    start,
    token,
)

DATABASES = ("sqlite",)
EVENING = "The pain question opens tomorrow morning"


def _session(app: App, session_id: int) -> TrainingSession:
    found: TrainingSession = app.query(
        select(TrainingSession).where(TrainingSession.id == session_id)
    )
    return found


def test_the_engine_opens_the_answer_on_a_later_day_and_after_a_nights_gap() -> None:
    finished = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC)
    day = finished.date()

    def opens(now: dt.datetime) -> bool:
        return is_morning_after(session_day=day, finished_at=finished, today=now.date(), now=now)

    assert not opens(finished + dt.timedelta(minutes=10))  # the same evening
    assert not opens(finished + dt.timedelta(hours=1))  # past midnight, but no night's gap
    assert opens(finished + MORNING_GAP)
    morning = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    assert not is_morning_after(
        session_day=day, finished_at=morning - MORNING_GAP * 3, today=day, now=morning
    )  # a long gap on the same day is still the same day


def test_a_pain_sent_the_same_evening_is_refused_keeps_nothing_and_decides_nothing(
    app: App,
) -> None:
    client = onboard(app)
    session_id = start(client)
    do_every_set(app, client, session_id)
    assert finish(client, session_id).status_code == 200
    decided = app.program("ana@example.com").plan_id
    assert "Tomorrow morning" in client.get("/today").text  # not yet "how is your back"
    page = client.get(f"/session/{session_id}/checkin")
    assert EVENING in page.text and 'name="pain_next_morning"' not in page.text

    early = checkin(client, session_id, morning=0, next_morning=False)

    assert early.status_code == 422 and "opens tomorrow morning" in early.text
    kept = _session(app, session_id)
    assert (kept.pain_next_morning, kept.checked_in_at) == (None, None)
    assert app.program("ana@example.com").plan_id == decided  # the provisional decision holds
    # The check-in stays open and counts the next morning.
    app.clock.at += dt.timedelta(days=1)
    assert "How is your back this morning?" in client.get("/today").text
    assert checkin(client, session_id, morning=2).status_code == 200
    assert _session(app, session_id).pain_next_morning == 2
    assert app.program("ana@example.com").plan_id != decided  # the morning settled it


def test_the_warning_signs_alone_are_taken_the_same_evening(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    assert finish(client, session_id).status_code == 200

    form = client.get(f"/session/{session_id}/checkin").text
    signs = dict.fromkeys(CHECK_IN_IDS, "no") | {"csrftoken": token(form)}
    sent = client.post(f"/session/{session_id}/checkin", data=signs)

    assert sent.status_code == 200 and "answers are recorded" in sent.text
    assert _session(app, session_id).checked_in_at is None  # still open for the morning

    referred = checkin(client, session_id, morning=3, next_morning=False, saddle_numbness="yes")

    assert referred.url.path == "/onboarding/referral"
    assert _session(app, session_id).pain_next_morning is None


def test_just_after_midnight_is_not_yet_the_morning_after(app: App) -> None:
    app.clock.at = MONDAY.replace(hour=23, minute=30)
    client = onboard(app)
    session_id = start(client)
    assert finish(client, session_id).status_code == 200
    app.clock.at += dt.timedelta(hours=1)  # Tuesday 00:30

    assert checkin(client, session_id, morning=2, next_morning=False).status_code == 422
    app.clock.at += MORNING_GAP  # Tuesday 06:30
    assert checkin(client, session_id, morning=2, next_morning=False).status_code == 200
