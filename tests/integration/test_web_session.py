"""Today and the session player over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from backcoach.store.tables import SetRecord
from backcoach.wording.reasons import say
from tests.integration.onboarded import Onboarded
from tests.training_app import (
    MONDAY,
    App,
    checkin,
    do_every_set,
    finish,
    save,
    sign_up,
    start,
    value_of,
)

#: Pages and forms over the services: the same on either database, so on SQLite only (the
#: services, the store and the query-count tests run on PostgreSQL too; the suite stays under
#: its 6 minutes).
DATABASES = ("sqlite",)


def test_today_explains_the_program_once_and_offers_a_start(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    welcome = client.get("/today?welcome=1")
    assert "Your program is ready" in welcome.text
    assert "Stretching a tight low back brings relief for a short while" in welcome.text
    for item in app.program("ana@example.com").plan.exercises:
        assert item.exercise.name in welcome.text
        assert item.exercise.summary in welcome.text or say(item.reason) in welcome.text
    assert "Next session: <strong>today</strong>" in welcome.text
    assert "a rest day between sessions lets the muscles recover and grow." in welcome.text
    assert 'name="pain_before"' in welcome.text
    later = client.get("/today")
    assert "Your program is ready" not in later.text
    assert "<summary>Why strengthening, not stretching</summary>" in later.text


def test_today_without_a_program_sends_to_start(app: App) -> None:
    client = sign_up(app, "new@example.com")
    response = client.get("/today", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/start"


def test_today_asks_to_log_in(app: App) -> None:
    response = app.client().get("/today", follow_redirects=False)
    assert response.headers["location"] == "/login"


# --- Saving sets --------------------------------------------------------------------------------


def test_sets_are_saved_one_by_one_by_form_and_by_fetch(ana: Onboarded) -> None:
    client = ana.client
    session_id = start(client)
    by_form = save(client, session_id, "glute_bridge", 1, 12, load_kg="7,5", rir="2")
    assert by_form.status_code == 303
    assert by_form.headers["location"] == f"/session/{session_id}#exercise-glute_bridge"
    by_fetch = save(client, session_id, "glute_bridge", 2, 11, felt="elsewhere", as_json=True)
    assert by_fetch.status_code == 200
    assert by_fetch.json() == {
        "saved": True,
        "set": {
            "exercise_id": "glute_bridge",
            "number": 2,
            "amount": 11,
            "load_kg": None,
            "rir": None,
            "camera_reps": None,
            "felt": "elsewhere",
        },
    }
    page = client.get(f"/session/{session_id}").text
    assert value_of(page, "s-glute_bridge-1-reps") == "12"
    assert value_of(page, "s-glute_bridge-1-load_kg") == "7.5"
    assert value_of(page, "s-glute_bridge-1-rir") == "2"
    assert value_of(page, "s-glute_bridge-2-reps") == "11"
    assert page.count(">Saved</span>") == 2


def test_saving_a_set_again_corrects_it(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    save(client, session_id, "clam", 1, 10)
    save(client, session_id, "clam", 1, 14, felt="low_back", as_json=True)
    count = app.query(select(func.count(SetRecord.id)).where(SetRecord.session_id == session_id))
    assert count == 1
    corrected = app.query(select(SetRecord).where(SetRecord.session_id == session_id))
    assert (corrected.amount, corrected.felt) == (14, "low_back")


def test_closing_the_tab_loses_no_saved_set(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    save(client, session_id, "heel_slide", 1, 9)
    save(client, session_id, "heel_slide", 2, 8, as_json=True)
    client.close()
    reopened = app.client(**dict(client.cookies.items()))
    today = reopened.get("/today").text
    assert "Continue your session" in today
    assert f'href="/session/{session_id}"' in today
    player = reopened.get(f"/session/{session_id}").text
    assert value_of(player, "s-heel_slide-1-reps") == "9"
    assert value_of(player, "s-heel_slide-2-reps") == "8"
    assert "2 of 2 sets saved" in player


def test_the_player_shows_cues_set_up_faults_and_the_target(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    page = client.get(f"/session/{session_id}").text
    bridge = next(
        i for i in app.program("ana@example.com").plan.exercises if i.exercise.id == "clam"
    )
    exercise = bridge.exercise
    assert f"{bridge.sets} sets × {bridge.dose_min}-{bridge.dose_max} reps each side" in page
    assert "Reps (each side)" in page
    assert exercise.cues[0] in page and exercise.setup[0] in page
    fault = exercise.low_back_fix
    assert fault is not None
    assert (
        f'<p class="low-back-fix"><strong>Feel it mostly in your low back?</strong> {fault.fix}'
        in page
    )
    assert "In the target muscles" in page and "Mostly in my low back" in page
    assert 'id="rest-timer"' in page and 'aria-live="polite"' in page
    assert re.search(r'<script src="/static/player\.js\?v=\w{12}" defer></script>', page)


# --- Finishing and the decisions ----------------------------------------------------------------


def test_finishing_shows_each_decision_for_next_time_with_its_reason(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    do_every_set(app, client, session_id)
    done = finish(client, session_id)
    assert done.url.path == f"/session/{session_id}/done"
    assert "Session done" in done.text and "Next time" in done.text
    program = app.program("ana@example.com")
    for item in program.plan.exercises:
        assert f"{item.exercise.name}: Stays the same for now" in done.text
        assert say(item.reason) in done.text
        # Provisional: nothing moves until the next-morning answer is in.
        assert item.code == "hold.morning_missing"
    assert f'href="/session/{session_id}/checkin"' in done.text
    again = client.get(f"/session/{session_id}", follow_redirects=False)
    assert again.headers["location"] == f"/session/{session_id}/done"


def test_the_morning_check_in_settles_the_decision_made_at_finish(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    do_every_set(app, client, session_id)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=1)
    checkin(client, session_id, morning=2)
    for item in app.program("ana@example.com").plan.exercises:
        assert item.code == "hold.building"
        assert "When every set reaches" in say(item.reason)


def test_two_sessions_at_the_top_with_settled_mornings_move_up_on_today(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    for day in (0, 2):
        app.clock.at = MONDAY + dt.timedelta(days=day)
        session_id = start(client)
        do_every_set(app, client, session_id)
        finish(client, session_id)
        app.clock.at = MONDAY + dt.timedelta(days=day + 1)
        checkin(client, session_id, morning=2)
    today = client.get("/today").text
    assert today.count("<strong>Moves up.</strong>") == 4
    assert "Every set reached" in today
    assert "Next session: <strong>Friday 27 November</strong>" in today


def test_without_the_morning_answer_nothing_moves_up(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    for day in (0, 2):
        app.clock.at = MONDAY + dt.timedelta(days=day)
        session_id = start(client)
        do_every_set(app, client, session_id)
        finish(client, session_id)
    today = client.get("/today").text
    assert "<strong>Moves up.</strong>" not in today
    assert "morning answer" in today


def test_a_set_felt_in_the_low_back_holds_the_exercise_with_a_cue(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    save(client, session_id, "glute_bridge", 1, 15, felt="low_back")
    done = finish(client, session_id).text
    fault = app.program("ana@example.com").plan.exercises[2].exercise.low_back_fix
    assert fault is not None
    assert "Glute bridge: Stays the same for now" in done
    assert "You felt it in your low back" in done
    assert f"Cue for next time:</span> {fault.fix}" in done
    today = client.get("/today").text
    assert f'<span class="label">Cue:</span> {fault.fix}' in today


def test_a_second_finish_does_not_decide_again(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    finish(client, session_id)
    plans_before = app.program("ana@example.com").plan_id
    again = finish(client, session_id, during=9, after=9)
    assert again.url.path == f"/session/{session_id}/done"
    assert app.program("ana@example.com").plan_id == plans_before
    late = save(client, session_id, "clam", 1, 10, as_json=True)
    assert late.status_code == 409
    assert "finished" in late.json()["errors"]["session"]


# --- The morning check-in -----------------------------------------------------------------------
