"""The safety questions and the referral gate over HTTP: one test per path and per rule.

A referral is a gate no ordinary request can get around: every path that builds, shows or
extends a program checks it (docs/clinical-rules.md, "The referral gate"). Unanswered is never
"no"; a clearance covers the signs it was given for, and the questions come again in time.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.store.tables import PlanRecord, Screening, TrainingSession, User
from tests.integration.onboarded import Onboarded
from tests.integration.safety_steps import (
    EMAIL,
    active_plans,
    answer_screening,
    clear,
    csrf_of_start,
    measures_and_profile,
    referred_after_a_session,
)
from tests.training_app import (
    MONDAY,
    App,
    checkin,
    csrf_of,
    finish,
    save,
    sign_up,
    start,
    token,
)

#: Pages and forms over the services: the same on either database, so on SQLite only (the
#: services, the store and the query-count tests run on PostgreSQL too; the suite stays under
#: its 6 minutes).
DATABASES = ("sqlite",)


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


def test_a_screening_stored_before_new_questions_is_asked_again(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
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


def test_the_check_in_asks_only_what_can_newly_change(ana: Onboarded) -> None:
    client = ana.client
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


def test_after_four_weeks_away_the_questions_come_before_the_next_session(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
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


def test_after_a_clearance_a_session_from_before_the_referral_is_not_resumed(
    ana: Onboarded,
) -> None:
    app, client = ana.app, ana.client
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


def test_the_questions_come_again_after_four_weeks_even_with_a_session_open(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
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


def test_a_refused_set_while_referred_shows_no_program(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
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
