"""The referral gate and the safety questions over HTTP: one test per path and per rule.

A referral is a gate no ordinary request can get around: every path that builds, shows or
extends a program checks it (docs/clinical-rules.md, "The referral gate").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.store.tables import PlanRecord, Screening, TrainingSession, User
from tests.training_app import (
    MONDAY,
    App,
    checkin,
    csrf_of,
    do_every_set,
    finish,
    onboard,
    save,
    sign_up,
    start,
    token,
)

EMAIL = "ana@example.com"


def answer_screening(
    client: TestClient, *, age: str = "44", pregnancy: str = "none", **yes: str
) -> Any:
    page = client.get("/onboarding/screening")
    answers = {key: yes.get(key, "no") for key in RED_FLAG_IDS}
    data = {**answers, "age": age, "pregnancy": pregnancy, "csrftoken": token(page.text)}
    return client.post("/onboarding/screening", data=data)


def measures_and_profile(client: TestClient, *, nprs: str = "4") -> Any:
    page = client.get("/onboarding/measures")
    measures = {
        "nprs": nprs,
        "psfs_name_1": "Putting on socks",
        "psfs_score_1": "4",
        "startback_score": "2",
        "startback_psychosocial": "1",
    }
    client.post("/onboarding/measures", data={**measures, "csrftoken": token(page.text)})
    profile = {"level": "beginner", "days_per_week": "4", "equipment[]": ["band"]}
    return client.post("/onboarding/profile", data={**profile, "csrftoken": csrf_of_start(client)})


def csrf_of_start(client: TestClient) -> str:
    return token(client.get("/onboarding/screening").text)


def clear(client: TestClient) -> Any:
    page = client.get("/onboarding/referral")
    data = {"confirm": "yes", "note": "GP saw me", "csrftoken": token(page.text)}
    return client.post("/onboarding/cleared", data=data)


def active_plans(app: App) -> int:
    return int(app.query(select(func.count(PlanRecord.id)).where(PlanRecord.active)) or 0)


def referred_after_a_session(app: App) -> tuple[TestClient, int]:
    """A person with a program, one finished session, then a red flag at its check-in."""
    client = onboard(app)
    session_id = start(client)
    finish(client, session_id)
    result = checkin(client, session_id, morning=3, worsening_weakness="yes")
    assert result.url.path == "/onboarding/referral"
    return client, session_id


# --- Unanswered is not "no" ---------------------------------------------------------------------


def test_the_screening_page_needs_age_pregnancy_and_every_answer(app: App) -> None:
    client = sign_up(app, EMAIL)
    page = client.get("/onboarding/screening")
    result = client.post(
        "/onboarding/screening", data={"saddle_numbness": "no", "csrftoken": token(page.text)}
    )
    assert result.status_code == 422
    assert "Please give your age in whole years" in result.text
    assert "Please choose one answer." in result.text
    # Each message shows twice: in the summary at the top and beside its question.
    assert result.text.count("please answer yes or no.") == 2 * (len(RED_FLAG_IDS) - 1)
    assert "Both legs, new or worse: please answer yes or no." in result.text
    assert app.query(select(func.count(Screening.id))) == 0


def test_the_age_question_comes_before_the_program_not_on_the_profile(app: App) -> None:
    client = sign_up(app, EMAIL)
    assert 'name="age"' in client.get("/onboarding/screening").text
    answer_screening(client, age="61")
    page = client.get("/onboarding/profile").text
    assert 'name="age"' not in page
    measures_and_profile(client)
    plan = app.query(select(PlanRecord).where(PlanRecord.active))
    assert plan.data["profile"]["age"] == 61


def test_a_screening_stored_before_new_questions_is_asked_again(app: App) -> None:
    client = onboard(app)
    with app.database.unit_of_work() as uow:
        user = uow.session.scalars(select(User)).one()
        old = dict.fromkeys(["saddle_numbness", "both_legs", "trauma"], False)
        uow.session.add(
            Screening(
                user_id=user.id,
                at=app.clock.now(),
                context="onboarding",
                answers=old,
                refer=False,
                urgency=None,
            )
        )
        uow.commit()
    assert client.get("/start").url.path == "/onboarding/screening"
    assert client.get("/today").url.path == "/onboarding/screening"


# --- Urgency on the web -------------------------------------------------------------------------


def test_new_pain_after_50_with_night_pain_sends_to_a_doctor_today(app: App) -> None:
    client = sign_up(app, EMAIL)
    result = answer_screening(client, age="63", recent_onset="yes", night_pain="yes")
    assert result.url.path == "/onboarding/referral"
    assert "See a doctor today" in result.text
    assert "within 24 hours" in result.text


def test_soon_after_birth_asks_for_a_go_ahead_and_no_program(app: App) -> None:
    client = sign_up(app, EMAIL)
    result = answer_screening(client, pregnancy="postpartum_under_12_weeks")
    assert result.url.path == "/onboarding/referral"
    assert "Ask for a go-ahead first" in result.text
    assert "midwife" in result.text
    measures_and_profile(client)
    assert active_plans(app) == 0


def test_after_a_go_ahead_postpartum_gets_a_program(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, pregnancy="postpartum_under_12_weeks")
    clear(client)
    assert measures_and_profile(client).url.path == "/today"
    assert active_plans(app) == 1


def test_late_pregnancy_gets_a_program_with_nothing_lying_on_the_back(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, pregnancy="after_12_weeks")
    today = measures_and_profile(client)
    assert today.url.path == "/today"
    program = app.program(EMAIL)
    positions = {item.exercise.position for item in program.plan.exercises + program.plan.mobility}
    assert "supine" not in positions
    assert "After 12 weeks of pregnancy" in today.text


def test_very_high_pain_at_onboarding_gets_the_drills_first_advice(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client)
    today = measures_and_profile(client, nprs="9")
    assert "do only the mobility drills" in today.text


# --- The gate, path by path ---------------------------------------------------------------------


def test_a_referred_person_submitting_the_profile_form_gets_no_program(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, saddle_numbness="yes")
    result = measures_and_profile(client)
    assert result.url.path == "/onboarding/referral"
    assert app.query(select(func.count(PlanRecord.id))) == 0


def test_a_referral_closes_today_the_handout_and_the_drills(app: App) -> None:
    client, _ = referred_after_a_session(app)
    assert client.get("/today").url.path == "/onboarding/referral"
    pdf = client.get("/program.pdf")
    assert pdf.status_code == 404
    assert pdf.headers["content-type"].startswith("text/html")
    assert client.get("/tight").url.path == "/onboarding/referral"


def test_no_session_starts_while_referred(app: App) -> None:
    client, _ = referred_after_a_session(app)
    sessions = app.query(select(func.count(TrainingSession.id)))
    result = client.post("/session", data={"pain_before": "3", "csrftoken": csrf_of_start(client)})
    assert result.url.path == "/onboarding/referral"
    assert app.query(select(func.count(TrainingSession.id))) == sessions


def test_finishing_a_session_left_open_does_not_reopen_the_program(app: App) -> None:
    client = onboard(app)
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


def test_the_calendar_plans_no_day_ahead_while_referred(app: App) -> None:
    client, _ = referred_after_a_session(app)
    user = app.query(select(User))
    feed = client.get(f"/calendar/{user.calendar_token}.ics").text
    future = (MONDAY + dt.timedelta(days=3)).strftime("%Y%m%d")
    assert f"DTSTART;VALUE=DATE:{future}" not in feed


def test_a_later_check_in_answered_no_does_not_clear_a_referral(app: App) -> None:
    client, session_id = referred_after_a_session(app)
    checkin(client, session_id, morning=2)
    assert client.get("/today").url.path == "/onboarding/referral"
    assert client.get("/onboarding/referral").status_code == 200


def test_answering_the_screening_again_with_no_does_not_clear_a_referral(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, fever_unwell="yes")
    result = answer_screening(client)
    assert result.url.path == "/onboarding/referral"


# --- Check-ins and clearance --------------------------------------------------------------------


def test_the_check_in_asks_only_what_can_newly_change(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    finish(client, session_id)
    page = client.get(f"/session/{session_id}/checkin").text
    assert 'name="night_pain"' in page and 'name="both_legs"' in page
    assert 'name="cancer_history"' not in page
    assert 'name="iv_drug_use"' not in page
    assert 'name="age"' not in page


def test_a_cleared_person_answering_as_at_clearance_keeps_their_program(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, night_pain="yes", cancer_history="yes")
    clear(client)
    assert measures_and_profile(client).url.path == "/today"
    session_id = start(client)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=1)
    same = checkin(client, session_id, morning=3, night_pain="yes")
    assert same.url.path == f"/session/{session_id}/done"
    assert active_plans(app) == 1


def test_a_newly_raised_sign_after_clearance_refers_again(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, cancer_history="yes")
    clear(client)
    measures_and_profile(client)
    session_id = start(client)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=1)
    result = checkin(client, session_id, morning=3, weight_loss="yes")
    assert result.url.path == "/onboarding/referral"
    assert "See a doctor today" in result.text  # cancer history with weight loss
    assert active_plans(app) == 0


def test_after_four_weeks_away_the_questions_come_before_the_next_session(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=28)
    today = client.get("/today").text
    assert "answer the safety questions again" in today
    result = client.post("/session", data={"pain_before": "3", "csrftoken": csrf_of(client)})
    assert result.url.path == "/onboarding/screening"
    assert "Safety questions again" in result.text
    answer_screening(client)
    assert start(client) > session_id


def test_a_late_check_in_for_an_older_session_never_rewrites_the_program(app: App) -> None:
    client = onboard(app)
    first = start(client)
    do_every_set(app, client, first)
    finish(client, first)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    second = start(client)
    do_every_set(app, client, second)
    finish(client, second)
    app.clock.at = MONDAY + dt.timedelta(days=3)
    checkin(client, second, morning=2)
    current = app.program(EMAIL).record.id
    checkin(client, first, morning=9)
    assert app.program(EMAIL).record.id == current
    row = app.query(select(TrainingSession).where(TrainingSession.id == first))
    assert row.pain_next_morning == 9  # kept in the log all the same


# --- The session page ---------------------------------------------------------------------------


def test_pain_of_8_before_a_session_advises_the_drills_only(app: App) -> None:
    client = onboard(app)
    high = client.get(f"/session/{start(client, pain_before=8)}").text
    assert "Your pain is high today (8 out of 10)" in high
    assert "do only the" in high and "see a doctor or physiotherapist" in high


def test_pain_below_8_gets_no_such_advice(app: App) -> None:
    client = onboard(app)
    assert "Your pain is high today" not in client.get(f"/session/{start(client, 7)}").text


def test_leg_symptoms_are_asked_at_finish_and_kept(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    data = {"pain_during": "2", "pain_after": "2", "csrftoken": csrf_of(client)}
    missing = client.post(f"/session/{session_id}/finish", data=data)
    assert missing.status_code == 422
    assert "Leg symptoms: please choose one of the options." in missing.text
    finish(client, session_id, legs="further_down")
    row = app.query(select(TrainingSession).where(TrainingSession.id == session_id))
    assert row.leg_symptoms == "further_down"


def test_pregnancy_reported_when_asked_again_reshapes_the_program(app: App) -> None:
    client = onboard(app)
    assert any(i.exercise.position == "supine" for i in app.program(EMAIL).plan.exercises)
    session_id = start(client)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=28)
    answer_screening(client, pregnancy="after_12_weeks")
    program = app.program(EMAIL)
    assert all(i.exercise.position != "supine" for i in program.plan.exercises)
    assert "After 12 weeks of pregnancy" in client.get("/today").text


def test_asked_again_with_the_same_answers_the_program_goes_on(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    finish(client, session_id)
    before = app.program(EMAIL).record.id
    app.clock.at = MONDAY + dt.timedelta(days=28)
    answer_screening(client)
    assert app.program(EMAIL).record.id == before


# --- Found in review: stale sessions, clearance limits, odd input -------------------------------


def test_a_session_left_open_is_closed_when_the_program_is_built_anew(app: App) -> None:
    client = onboard(app)
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
    assert app.program(EMAIL).record.id == rebuilt.record.id


def test_after_a_clearance_a_session_from_before_the_referral_is_not_resumed(app: App) -> None:
    client = onboard(app)
    first = start(client)
    finish(client, first)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    before_referral = start(client)
    checkin(client, first, morning=2, fever_unwell="yes")
    app.clock.at = MONDAY + dt.timedelta(days=3)
    clear(client)
    assert measures_and_profile(client).url.path == "/today"
    fresh = start(client)
    assert fresh != before_referral


def test_the_questions_come_again_after_four_weeks_even_with_a_session_open(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    app.clock.at = MONDAY + dt.timedelta(days=28)
    assert client.get(f"/session/{session_id}").url.path == "/onboarding/screening"
    late = save(client, session_id, "glute_bridge", 1, 12, as_json=True)
    assert late.status_code == 409


def test_while_pregnant_the_questions_come_again_every_two_weeks(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, pregnancy="up_to_12_weeks")
    measures_and_profile(client)
    for day in (0, 2, 4, 6, 8, 10, 12):
        app.clock.at = MONDAY + dt.timedelta(days=day)
        session_id = start(client)
        finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=14)
    assert "answer the safety questions again" in client.get("/today").text


def test_a_cleared_sign_that_went_away_and_came_back_refers_again(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, night_pain="yes")
    app.clock.at = MONDAY + dt.timedelta(hours=1)
    clear(client)
    measures_and_profile(client)
    session_id = start(client)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=1)
    assert checkin(client, session_id, morning=2).url.path.endswith("/done")  # gone
    back = checkin(client, session_id, morning=2, night_pain="yes")  # back again
    assert back.url.path == "/onboarding/referral"


def test_new_or_worsening_symptoms_in_both_legs_refer_again_after_a_clearance(app: App) -> None:
    client, session_id = referred_after_a_session(app)  # weakness getting worse
    app.clock.at = MONDAY + dt.timedelta(days=1)
    clear(client)
    measures_and_profile(client)
    result = checkin(client, session_id, morning=2, worsening_weakness="yes")
    assert result.url.path == "/onboarding/referral"
    assert "Get help now" in result.text


def test_a_referral_written_in_the_same_instant_as_a_clearance_still_refers(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, trauma="yes")
    clear(client)  # the test clock stands still: same instant
    measures_and_profile(client)
    session_id = start(client)
    finish(client, session_id)
    result = checkin(client, session_id, morning=2, saddle_numbness="yes")
    assert result.url.path == "/onboarding/referral"
    assert "Get help now" in result.text


def test_a_refused_set_while_referred_shows_no_program(app: App) -> None:
    client = onboard(app)
    first = start(client)
    finish(client, first)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    open_one = start(client)
    checkin(client, first, morning=2, fever_unwell="yes")
    bad = save(client, open_one, "nope", 1, 12)
    assert bad.status_code == 303 and bad.headers["location"] == "/start"
    data = {"pain_during": "x", "csrftoken": csrf_of_start(client)}
    bad_finish = client.post(f"/session/{open_one}/finish", data=data, follow_redirects=False)
    assert bad_finish.headers["location"] == "/start"


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
    odd = save(client, session_id, "glute_bridge", 1, 12, felt=None, **{"felt[]": "target"})
    assert odd.status_code == 422


def test_a_check_in_for_a_session_of_an_old_program_decides_nothing(app: App) -> None:
    client = onboard(app)
    first = start(client)
    finish(client, first)
    app.clock.at = MONDAY + dt.timedelta(days=2)
    left_open = start(client)
    answer_screening(client, pregnancy="after_12_weeks")  # rebuilt; the open session closed
    rebuilt = app.program(EMAIL).record.id
    app.clock.at = MONDAY + dt.timedelta(days=3)
    checkin(client, left_open, morning=2)
    assert app.program(EMAIL).record.id == rebuilt
    assert all(i.exercise.position != "supine" for i in app.program(EMAIL).plan.exercises)


# --- Found by a tester: cautions in view, one consistent word, clear fields ----------------------


def test_the_cautions_stay_beside_the_program_on_every_visit(app: App) -> None:
    client = sign_up(app, EMAIL)
    answer_screening(client, pregnancy="after_12_weeks")
    measures_and_profile(client)
    later = client.get("/today").text  # not the first-visit welcome
    assert 'id="cautions-heading"' in later
    assert "call your midwife" in later
    player = client.get(f"/session/{start(client)}").text
    assert "call your midwife" in player


def test_a_high_pain_day_folds_the_strength_exercises_away(app: App) -> None:
    client = onboard(app)
    high = start(client, pain_before=8)
    page = client.get(f"/session/{high}").text
    assert '<details class="not-today">' in page
    assert page.index('<details class="not-today">') < page.index('class="card exercise player"')
    finish(client, high)
    calm = client.get(f"/session/{start(client, pain_before=3)}").text
    assert '<details class="not-today">' not in calm


def test_an_eased_off_exercise_says_so_rather_than_stays_the_same(app: App) -> None:
    client = onboard(app)
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


def test_opening_the_start_address_goes_to_today_not_an_error(app: App) -> None:
    client = onboard(app)
    response = client.get("/session", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/today"


def test_progress_before_any_answers_does_not_say_they_are_saved(app: App) -> None:
    client = sign_up(app, EMAIL)
    page = client.get("/progress").text
    assert "Your starting point is saved" not in page
