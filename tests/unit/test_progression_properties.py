"""Invariants of progression under any log: what holds progress back never lets anything move up."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.ladder import no_harder
from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan
from backcoach.engine.progression import HELD_BACK_BY_THE_DAY, decide_next
from backcoach.engine.vocabulary import Decision, Equipment, Felt, LegSymptoms, Level
from tests.builders import plan_for

START = date(2026, 11, 2)
#: The clinical review's pace: at most one rung up every two weeks (written out, not imported).
TWO_WEEKS = timedelta(days=14)
HELD_BACK = {
    "hold.very_high_pain_before",
    "hold.morning_worse",
    "hold.high_stable_pain",
    "hold.morning_missing",
}
EASED_OFF = {"ease_off.pain_flare", "ease_off.leg_symptoms_spreading", "hold.pain_rising"}
pain = st.integers(0, 10)


@st.composite
def logs(draw: st.DrawFn, ids: list[str]) -> list[SessionLog]:
    count = draw(st.integers(1, 5))
    offsets = sorted(
        draw(st.lists(st.integers(0, 30), min_size=count, max_size=count, unique=True))
    )
    sessions = []
    for offset in offsets:
        exercises = tuple(
            ExerciseLog(
                exercise_id,
                tuple(
                    SetLog(draw(st.integers(0, 20)), draw(st.sampled_from(list(Felt))))
                    for _ in range(draw(st.integers(1, 3)))
                ),
            )
            for exercise_id in draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        )
        sessions.append(
            SessionLog(
                day=START + timedelta(days=offset),
                pain_before=draw(pain),
                pain_during=draw(pain),
                pain_after=draw(pain),
                pain_next_morning=draw(st.none() | pain),
                exercises=exercises,
                leg_symptoms=draw(st.none() | st.sampled_from(list(LegSymptoms))),
            )
        )
    return sessions


def _progress_allowed_by(latest: SessionLog) -> bool:
    """The latest session's pain lets something move up (rules 1-5 of the clinical review)."""
    morning = latest.pain_next_morning
    return (
        not latest.flare
        and morning is not None
        and morning <= latest.pain_before
        and latest.pain_before < 8
        and latest.pain_during <= 5
        and latest.pain_after <= 5
        and latest.leg_symptoms is not LegSymptoms.FURTHER_DOWN
    )


@given(
    data=st.data(),
    level=st.sampled_from(list(Level)),
    kit=st.frozensets(st.sampled_from(list(Equipment))),
)
def test_no_progress_after_a_flare_a_held_back_day_or_a_set_felt_in_the_low_back(
    data: st.DataObject, level: Level, kit: frozenset[Equipment], catalogue: Catalogue
) -> None:
    plan = plan_for(catalogue, START, level=level, equipment=kit)
    ids = [i.exercise.id for i in plan.exercises]
    sessions = data.draw(logs(ids))
    # Each exercise entered the plan on some day, up to a month before the log starts, or it
    # does not say (a plan from before `since`).
    plan = replace(
        plan,
        exercises=tuple(
            item.with_changes(
                since=data.draw(st.none() | st.dates(START - timedelta(30), START + timedelta(30)))
            )
            for item in plan.exercises
        ),
    )
    today = sessions[-1].day + timedelta(days=data.draw(st.integers(0, 3)))
    result = decide_next(plan, sessions, today, catalogue)
    assert isinstance(result, Plan)
    latest = sessions[-1]
    allowed = _progress_allowed_by(latest)
    for before, after in zip(plan.exercises, result.exercises, strict=True):
        logged = [s.exercise(before.exercise.id) for s in sessions]
        last = next((x for x in reversed(logged) if x is not None and x.sets), None)
        if not allowed or (last is not None and last.felt_in_low_back):
            assert after.decision is not Decision.PROGRESS
        if after.decision is Decision.PROGRESS and after.exercise is not before.exercise:
            # One rung at a time, at most one every two weeks.
            assert before.since is None or today - before.since >= TWO_WEEKS
            assert after.sets == MIN_SETS
        if after.exercise is before.exercise:
            assert after.since == before.since
        else:
            assert after.since == today
        if after.code == "swap.low_back":
            assert no_harder(after.exercise, before.exercise)
        assert MIN_SETS <= after.sets <= MAX_SETS
        assert after.exercise.category is before.exercise.category
        assert after.exercise.equipment <= kit
        assert after.reason and after.code
    assert len({i.exercise.id for i in result.exercises}) == len(result.exercises)
    assert len(result.day_codes) == len(result.day_notes)
    if HELD_BACK & set(result.day_codes) and not EASED_OFF & set(result.day_codes):
        # A day the latest session's pain holds back: nothing moves up or merely keeps going.
        assert not {i.code for i in result.exercises} & HELD_BACK_BY_THE_DAY
    assert result.high_pain_day is (latest.pain_before >= 8 and today - latest.day < timedelta(14))


@given(
    data=st.data(),
    level=st.sampled_from(list(Level)),
    kit=st.frozensets(st.sampled_from(list(Equipment))),
    sessions=st.integers(2, 12),
    sets_now=st.sampled_from([MIN_SETS, MAX_SETS]),
)
def test_with_perfect_logs_an_exercise_moves_up_a_rung_only_two_weeks_after_it_began(
    data: st.DataObject,
    level: Level,
    kit: frozenset[Equipment],
    sessions: int,
    sets_now: int,
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START, level=level, equipment=kit)
    plan = replace(
        plan,
        exercises=tuple(
            item.with_changes(
                sets=sets_now,
                since=data.draw(st.none() | st.dates(START - timedelta(30), START + timedelta(30))),
            )
            for item in plan.exercises
        ),
    )
    log = [
        SessionLog(
            START + timedelta(days=2 * n),
            2,
            2,
            2,
            tuple(
                ExerciseLog(i.exercise.id, (SetLog(i.dose_max, Felt.TARGET, i.load_kg),) * i.sets)
                for i in plan.exercises
            ),
            pain_next_morning=2,
        )
        for n in range(sessions)
    ]
    today = log[-1].day + timedelta(days=1)
    result = decide_next(plan, log, today, catalogue)
    assert isinstance(result, Plan)
    for before, after in zip(plan.exercises, result.exercises, strict=True):
        if before.sets < MAX_SETS:  # reps first, then sets, then the rung
            assert after.exercise is before.exercise
            assert after.code == "progress.add_set"
        elif after.exercise is not before.exercise:
            assert after.code == "progress.next_rung"
            began = before.since or log[0].day  # without `since`: the first session with it
            assert today - began >= TWO_WEEKS
