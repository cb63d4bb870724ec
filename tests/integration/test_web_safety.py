"""Safety inside training over HTTP: pain before and after, leg symptoms, late check-ins, a
program rebuilt when the answers change, and bad input on the safety forms.

The questions themselves and the referral gate are in test_web_triage.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.store.tables import TrainingSession
from tests.integration.onboarded import Onboarded
from tests.integration.safety_steps import (
    EMAIL,
    active_plans,
    answer_screening,
    csrf_of_start,
    measures_and_profile,
)
from tests.training_app import (
    MONDAY,
    App,
    checkin,
    csrf_of,
    do_every_set,
    finish,
    save,
    sign_up,
    start,
    token,
)

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)


def test_finishing_a_session_left_open_does_not_reopen_the_program(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    first = start(client)
    finish(client, first)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    second = start(client)
    save(client, second, "glute_bridge", 1, 12)
    checkin(client, first, morning=2, saddle_numbness="yes")
    assert client.get(f"/session/{second}").url.path == "/onboarding/referral"
    late = save(client, second, "glute_bridge", 2, 12, as_json=True)
    assert late.status_code == 409
    data = {"pain_during": "2", "pain_after": "2", "leg_symptoms": "none"}
    result = client.post(
        f"/session/{second}/finish", data={**data, "csrftoken": csrf_of_start(client)}
    )
    assert result.url.path == "/onboarding/referral"
    assert active_plans(app) == 0
    row = app.query(select(TrainingSession).where(TrainingSession.id == second))
    assert row.finished_at is not None and row.pain_after == 2  # nothing entered is lost


def test_a_late_check_in_for_an_older_session_never_rewrites_the_program(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    first = start(client)
    do_every_set(app, client, first)
    finish(client, first)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    second = start(client)
    do_every_set(app, client, second)
    finish(client, second)
    app.clock.at = MONDAY + dt.timedelta(days=3)
    checkin(client, second, morning=2)
    current = app.program(EMAIL).plan_id
    checkin(client, first, morning=9)
    assert app.program(EMAIL).plan_id == current
    row = app.query(select(TrainingSession).where(TrainingSession.id == first))
    assert row.pain_next_morning == 9  # kept in the log all the same


def test_pain_of_8_before_a_session_advises_the_drills_only(ana: Onboarded) -> None:
    client = ana.client
    high = client.get(f"/session/{start(client, pain_before=8)}").text
    assert "Your pain is high today (8 out of 10)" in high
    assert "do only the" in high and "see a doctor or physiotherapist" in high


def test_pain_below_8_gets_no_such_advice(ana: Onboarded) -> None:
    client = ana.client
    assert "Your pain is high today" not in client.get(f"/session/{start(client, 7)}").text


def test_leg_symptoms_are_asked_at_finish_and_kept(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    data = {"pain_during": "2", "pain_after": "2", "csrftoken": csrf_of(client)}
    missing = client.post(f"/session/{session_id}/finish", data=data)
    assert missing.status_code == 422
    assert "Leg symptoms: please choose one of the options." in missing.text
    finish(client, session_id, legs="further_down")
    row = app.query(select(TrainingSession).where(TrainingSession.id == session_id))
    assert row.leg_symptoms == "further_down"


def test_pregnancy_reported_when_asked_again_reshapes_the_program(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    assert any(i.exercise.position == "supine" for i in app.program(EMAIL).plan.exercises)
    session_id = start(client)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=28)
    answer_screening(client, pregnancy="after_12_weeks")
    program = app.program(EMAIL)
    assert all(i.exercise.position != "supine" for i in program.plan.exercises)
    assert "After 12 weeks of pregnancy" in client.get("/today").text


def test_asked_again_with_the_same_answers_the_program_goes_on(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    finish(client, session_id)
    before = app.program(EMAIL).plan_id
    app.clock.at = MONDAY + dt.timedelta(days=28)
    answer_screening(client)
    assert app.program(EMAIL).plan_id == before


def test_a_session_left_open_is_closed_when_the_program_is_built_anew(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    first = start(client)
    finish(client, first)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    left_open = start(client)
    save(client, left_open, "glute_bridge", 1, 12)
    answer_screening(client, pregnancy="after_12_weeks")  # the program is rebuilt
    rebuilt = app.program(EMAIL)
    assert all(i.exercise.position != "supine" for i in rebuilt.plan.exercises)
    row = app.query(select(TrainingSession).where(TrainingSession.id == left_open))
    assert row.finished_at is not None  # closed, its set kept
    assert app.query(select(func.count()).select_from(TrainingSession)) == 2
    again = finish(client, left_open)  # a second tab: nothing decides on the old plan
    assert again.url.path == f"/session/{left_open}/done"
    assert app.program(EMAIL).plan_id == rebuilt.plan_id


def test_a_field_sent_twice_as_a_list_is_a_message_not_a_server_error(app: App) -> None:
    client = sign_up(app, EMAIL)
    page = client.get("/onboarding/screening")
    answers = dict.fromkeys(RED_FLAG_IDS, "no")
    data = {**answers, "age": "40", "pregnancy[]": ["none", "none"], "csrftoken": token(page.text)}
    assert client.post("/onboarding/screening", data=data).status_code == 422
    answer_screening(client)
    measures_and_profile(client)
    session_id = start(client)
    data = {"pain_during": "2", "pain_after": "2", "leg_symptoms[]": ["none", "same"]}
    finished = client.post(
        f"/session/{session_id}/finish", data={**data, "csrftoken": csrf_of(client)}
    )
    assert finished.status_code == 422
    both: dict[str, Any] = {"felt[]": "target"}  # a field and its list form at once
    odd = save(client, session_id, "glute_bridge", 1, 12, felt=None, **both)
    assert odd.status_code == 422


def test_a_check_in_for_a_session_of_an_old_program_decides_nothing(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    first = start(client)
    finish(client, first)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    left_open = start(client)
    answer_screening(client, pregnancy="after_12_weeks")  # rebuilt; the open session closed
    rebuilt = app.program(EMAIL).plan_id
    app.clock.at = MONDAY + dt.timedelta(days=3)
    checkin(client, left_open, morning=2)
    assert app.program(EMAIL).plan_id == rebuilt
    assert all(i.exercise.position != "supine" for i in app.program(EMAIL).plan.exercises)


def test_the_cautions_stay_beside_the_program_on_every_visit(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, pregnancy="after_12_weeks")
    measures_and_profile(client)
    later = client.get("/today").text  # not the first-visit welcome
    assert 'id="cautions-heading"' in later
    assert "call your midwife" in later
    player = client.get(f"/session/{start(client)}").text
    assert "call your midwife" in player


def test_a_high_pain_day_folds_the_strength_exercises_away(ana: Onboarded) -> None:
    client = ana.client
    high = start(client, pain_before=8)
    page = client.get(f"/session/{high}").text
    assert '<details class="not-today">' in page
    assert page.index('<details class="not-today">') < page.index('class="card exercise player"')
    finish(client, high)
    calm = client.get(f"/session/{start(client, pain_before=3)}").text
    assert '<details class="not-today">' not in calm


def test_an_eased_off_exercise_says_so_rather_than_stays_the_same(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client, pain_before=2)
    do_every_set(app, client, session_id)
    finish(client, session_id, legs="further_down")
    app.clock.at = MONDAY + dt.timedelta(days=1)
    done = checkin(client, session_id, morning=2).text
    assert "Eases off: fewer sets while your back settles" in done
    assert "Stays the same for now" not in done


def test_form_fields_keep_their_attributes_apart(app: App) -> None:
    client = sign_up(app, EMAIL)
    page = client.get("/onboarding/screening").text
    assert 'required min="16" max="110"' in page
    assert "requiredmin" not in page and "requiredaria" not in page


def test_opening_the_start_address_goes_to_today_not_an_error(ana: Onboarded) -> None:
    client = ana.client
    response = client.get("/session", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/today"


def test_progress_before_any_answers_does_not_say_they_are_saved(app: App) -> None:
    client = sign_up(app, EMAIL)
    page = client.get("/progress").text
    assert "Your starting point is saved" not in page
