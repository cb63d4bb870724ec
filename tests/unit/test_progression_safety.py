"""What `decide_next` owes to the safety rules: flags remembered, bodies respected."""

from __future__ import annotations

from datetime import date, timedelta

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.plan import Plan, Referral
from backcoach.engine.progression import decide_next
from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.engine.vocabulary import Decision, Felt, Pregnancy, Urgency
from tests.builders import full_session, plan_for, session, sets

START = date(2026, 11, 2)


def test_a_flag_in_an_earlier_session_keeps_referring_when_later_ones_carry_no_answers(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START)
    log = [
        full_session(plan, START, morning=2, red_flags={"fever_unwell": True}),
        full_session(plan, START + timedelta(days=2), morning=2),
        full_session(plan, START + timedelta(days=4), morning=2),
    ]

    result = decide_next(plan, log, START + timedelta(days=5), catalogue)

    assert isinstance(result, Referral)
    assert result.screening.urgency is Urgency.URGENT


def test_a_clearance_after_the_flag_lets_the_program_go_on(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START)
    log = [
        full_session(plan, START, morning=2, red_flags={"fever_unwell": True}),
        full_session(plan, START + timedelta(days=4), morning=2),
    ]

    before = decide_next(
        plan, log, START + timedelta(days=5), catalogue, cleared_on=START + timedelta(days=1)
    )
    too_early = decide_next(plan, log, START + timedelta(days=5), catalogue, cleared_on=START)

    assert isinstance(before, Plan)
    assert isinstance(too_early, Referral)


def test_a_cleared_sign_answered_the_same_later_does_not_refer_again(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START)
    log = [
        full_session(plan, START, morning=2, red_flags={"night_pain": True}),
        full_session(plan, START + timedelta(days=4), morning=2, red_flags={"night_pain": True}),
    ]

    result = decide_next(
        plan, log, START + timedelta(days=5), catalogue, cleared_on=START + timedelta(days=1)
    )

    assert isinstance(result, Plan)


def test_after_12_weeks_of_pregnancy_no_decision_moves_to_lying_on_the_back(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START, pregnancy=Pregnancy.AFTER_12_WEEKS)
    log = []
    # Felt in the low back every session: the engine looks for easier and other exercises.
    for offset in range(0, 60, 2):
        day = START + timedelta(days=offset)
        log.append(
            session(
                day,
                {
                    item.exercise.id: sets(item.dose_max, item.sets, Felt.LOW_BACK)
                    for item in plan.exercises
                },
                morning=3,
            )
        )
        result = decide_next(plan, log, day + timedelta(days=1), catalogue)
        assert isinstance(result, Plan)
        for item in result.exercises:
            assert item.exercise.position != "supine", item.exercise.id
        if any(item.decision in (Decision.REGRESS, Decision.SWAP) for item in result.exercises):
            plan = result


def test_a_check_in_sign_is_weighed_with_the_age_and_answers_the_plan_was_made_with(
    catalogue: Catalogue,
) -> None:
    """The CLI agrees with the web app: new pain after 50 with night pain is urgent."""
    plan = plan_for(
        catalogue,
        START,
        age=62,
        red_flags={**dict.fromkeys(RED_FLAG_IDS, False), "recent_onset": True},
    )
    document = plan.to_dict()
    assert document["profile"]["red_flags"]["recent_onset"] is True
    log = [full_session(plan, START, morning=2, red_flags={"night_pain": True})]

    result = decide_next(plan, log, START + timedelta(days=1), catalogue)

    assert isinstance(result, Referral)
    assert result.screening.urgency is Urgency.URGENT


def test_after_four_weeks_away_the_plan_says_to_answer_the_safety_questions_again(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START)
    log = [full_session(plan, START, morning=2)]

    away = decide_next(plan, log, START + timedelta(days=28), catalogue)
    soon = decide_next(plan, log, START + timedelta(days=27), catalogue)

    assert isinstance(away, Plan) and isinstance(soon, Plan)
    assert "screen.ask_again" in away.day_codes
    assert "screen.ask_again" not in soon.day_codes
