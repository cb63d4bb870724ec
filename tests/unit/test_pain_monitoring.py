"""The day's pain decides what may move up (pain-monitoring model: Silbernagel et al. 2007).

Rules 1-5 of the clinical review: the next-morning answer, a morning worse than before, high but
stable pain, very high pain before a session, and leg symptoms. Tests assert codes, not words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.log import SessionLog
from backcoach.engine.plan import Plan, PlannedExercise, Referral
from backcoach.engine.progression import decide_next
from backcoach.engine.reasons import reason
from backcoach.engine.vocabulary import Decision, LegSymptoms, Level
from backcoach.formats.documents import InputError
from backcoach.formats.log import read_log
from tests.builders import full_session, plan_for

START = date(2026, 11, 2)
SECOND = START + timedelta(days=2)
TODAY = START + timedelta(days=3)


def _plan(catalogue: Catalogue) -> Plan:
    return plan_for(catalogue, START, level=Level.BEGINNER)


def _decide(
    catalogue: Catalogue, plan: Plan, latest: SessionLog, first: SessionLog | None = None
) -> Plan:
    """Two sessions at the top of every range: without the latest's pain, each would move up."""
    log = [first or full_session(plan, START, before=3, morning=3), latest]
    result = decide_next(plan, log, TODAY, catalogue)
    assert isinstance(result, Plan)
    return result


def _kept(before: PlannedExercise, after: PlannedExercise) -> bool:
    """Same exercise, sets, range and load: a hold that is not an ease-off."""
    return (after.exercise, after.sets, after.dose_min, after.dose_max, after.load_kg) == (
        before.exercise,
        before.sets,
        before.dose_min,
        before.dose_max,
        before.load_kg,
    )


def test_the_same_two_sessions_with_the_morning_answered_move_up(catalogue: Catalogue) -> None:
    # The control for this file: what the pain rules below hold back.
    plan = _plan(catalogue)
    result = _decide(catalogue, plan, full_session(plan, SECOND, before=3, morning=3))
    assert {i.decision for i in result.exercises} == {Decision.PROGRESS}
    assert result.day_codes == ()


# Rule 1: nothing moves up until the next morning of the latest session is known.


def test_without_the_morning_answer_every_exercise_holds_as_it_is(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    result = _decide(catalogue, plan, full_session(plan, SECOND, before=3, morning=None))
    for before, after in zip(plan.exercises, result.exercises, strict=True):
        assert after.decision is Decision.HOLD
        assert after.reason == reason("hold.morning_missing")
        assert _kept(before, after)  # not an ease-off
    assert reason("hold.morning_missing") in result.day_notes


def test_the_provisional_decision_and_the_check_in_repeat_for_the_same_inputs(
    catalogue: Catalogue,
) -> None:
    plan = _plan(catalogue)
    first = full_session(plan, START, before=3, morning=3)
    at_finish = [first, full_session(plan, SECOND, before=3)]
    once = decide_next(plan, at_finish, SECOND, catalogue)
    again = decide_next(plan, tuple(reversed(at_finish)), SECOND, catalogue)
    assert once.to_dict() == again.to_dict()
    at_check_in = [first, full_session(plan, SECOND, before=3, morning=3)]
    checked = decide_next(plan, at_check_in, TODAY, catalogue)
    assert checked.to_dict() == decide_next(plan, at_check_in, TODAY, catalogue).to_dict()
    assert isinstance(checked, Plan)
    assert {i.decision for i in checked.exercises} == {Decision.PROGRESS}


# Rule 2: a morning worse than before holds; two points or more worse eases off.


def test_a_morning_one_point_above_the_pain_before_holds(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    result = _decide(catalogue, plan, full_session(plan, SECOND, before=3, morning=4))
    for before, after in zip(plan.exercises, result.exercises, strict=True):
        assert after.decision is Decision.HOLD
        assert after.reason == reason("hold.morning_worse", morning=4, before=3)
        assert _kept(before, after)
    assert reason("hold.morning_worse", morning=4, before=3) in result.day_notes


def test_a_morning_two_points_above_the_pain_before_eases_off(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    result = _decide(catalogue, plan, full_session(plan, SECOND, before=3, morning=5))
    assert {i.code for i in result.exercises} == {"ease_off.pain_flare"}
    assert all(i.decision in (Decision.REGRESS, Decision.HOLD) for i in result.exercises)
    assert all(i.sets == 2 for i in result.exercises)
    assert "ease_off.pain_flare" in result.day_codes
    assert "hold.morning_worse" not in result.day_codes


# Rule 3: a flare is pain that rose with the session; high stable pain only holds.


@pytest.mark.parametrize(
    ("before", "during", "after", "flare"),
    [
        (6, 6, 6, False),  # high but stable
        (7, 6, 6, False),
        (3, 6, 3, True),  # rose during the session, above 5
        (3, 3, 6, True),  # rose after the session, above 5
        (6, 7, 6, True),  # above 5 and above the pain before
        (4, 5, 5, False),  # rose, but within 5
    ],
)
def test_a_flare_is_pain_above_five_that_is_also_above_the_pain_before(
    before: int, during: int, after: int, flare: bool
) -> None:
    logged = SessionLog(START, before, during, after, pain_next_morning=before)
    assert bool(logged.flare) is flare


def test_high_but_stable_pain_holds_without_easing_off(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    first = full_session(plan, START, before=6, during=6, after=6, morning=6)
    latest = full_session(plan, SECOND, before=6, during=6, after=6, morning=6)
    result = _decide(catalogue, plan, latest, first)
    for before, after in zip(plan.exercises, result.exercises, strict=True):
        assert after.decision is Decision.HOLD
        assert after.reason == reason("hold.high_stable_pain", before=6, during=6, after=6)
        assert _kept(before, after)
    assert "hold.high_stable_pain" in result.day_codes
    assert "ease_off.pain_flare" not in result.day_codes


# Rule 4: pain of 8 or more before the session: hold, mobility drills only, a clinician.


def test_very_high_pain_before_the_session_holds_and_marks_the_plan(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    first = full_session(plan, START, before=8, during=8, after=8, morning=8)
    latest = full_session(plan, SECOND, before=8, during=8, after=8, morning=8)
    result = _decide(catalogue, plan, latest, first)
    for before, after in zip(plan.exercises, result.exercises, strict=True):
        assert after.decision is Decision.HOLD
        assert after.reason == reason("hold.very_high_pain_before", before=8)
        assert _kept(before, after)
    assert result.high_pain_day
    assert result.day_notes[0] == reason("hold.very_high_pain_before", before=8)
    assert result.to_dict()["high_pain_day"] is True


def test_pain_of_seven_before_is_no_high_pain_day(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    result = _decide(catalogue, plan, full_session(plan, SECOND, before=7, during=4, morning=6))
    assert not result.high_pain_day
    assert result.to_dict()["high_pain_day"] is False


def test_very_high_pain_before_a_flare_still_marks_the_plan(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    result = _decide(catalogue, plan, full_session(plan, SECOND, before=8, during=9, morning=8))
    assert {i.code for i in result.exercises} == {"ease_off.pain_flare"}
    assert result.high_pain_day


# Rule 5: leg symptoms spreading further down the leg ease off and ask for a clinician.


def test_leg_symptoms_spreading_further_down_ease_off_and_ask_for_a_review(
    catalogue: Catalogue,
) -> None:
    plan = _plan(catalogue)
    latest = replace(full_session(plan, SECOND, morning=3), leg_symptoms=LegSymptoms.FURTHER_DOWN)
    result = _decide(catalogue, plan, latest)
    for after in result.exercises:
        # Held with less, or one rung easier (which names the easier exercise by its id).
        if after.decision is Decision.REGRESS:
            easier = reason("ease_off.leg_symptoms_spreading.easier", to_exercise=after.exercise.id)
            assert after.reason == easier
        else:
            assert after.decision is Decision.HOLD
            assert after.reason == reason("ease_off.leg_symptoms_spreading")
        assert after.sets == 2
    assert reason("ease_off.leg_symptoms_spreading") in result.day_notes


def test_leg_symptoms_spreading_with_a_flare_say_both(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    latest = replace(
        full_session(plan, SECOND, before=3, after=7, morning=3),
        leg_symptoms=LegSymptoms.FURTHER_DOWN,
    )
    result = _decide(catalogue, plan, latest)
    flare = (reason("flare.after", after=7, acceptable=5, before=3),)
    for after in result.exercises:
        assert after.code.startswith("ease_off.leg_symptoms_spreading.with_flare")
        assert after.reason.values["flare"] == flare
    assert result.day_codes[:2] == ("ease_off.leg_symptoms_spreading", "ease_off.pain_flare")


@pytest.mark.parametrize("legs", [LegSymptoms.LESS_FAR, LegSymptoms.SAME, LegSymptoms.NONE, None])
def test_leg_symptoms_that_do_not_spread_change_no_decision(
    catalogue: Catalogue, legs: LegSymptoms | None
) -> None:
    plan = _plan(catalogue)
    latest = replace(full_session(plan, SECOND, morning=3), leg_symptoms=legs)
    result = _decide(catalogue, plan, latest)
    assert {i.decision for i in result.exercises} == {Decision.PROGRESS}
    centralising = "note.leg_symptoms_centralising" in result.day_codes
    assert centralising is (legs is LegSymptoms.LESS_FAR)
    if centralising:
        assert result.day_notes == (reason("note.leg_symptoms_centralising"),)


def test_a_log_reads_leg_symptoms_and_leaves_them_out_when_not_asked(
    catalogue: Catalogue,
) -> None:
    base = {"date": "2026-11-02", "pain_before": 3, "pain_during": 3, "pain_after": 3}
    sessions = read_log([{**base, "leg_symptoms": "further_down"}, base], catalogue)
    assert [s.leg_symptoms for s in sessions] == [LegSymptoms.FURTHER_DOWN, None]
    with pytest.raises(InputError, match="leg_symptoms"):
        read_log([{**base, "leg_symptoms": "both_legs"}], catalogue)


def test_a_red_flag_still_refers_first(catalogue: Catalogue) -> None:
    plan = _plan(catalogue)
    latest = full_session(plan, SECOND, morning=None, red_flags={"saddle_numbness": True})
    assert isinstance(decide_next(plan, [latest], TODAY, catalogue), Referral)
