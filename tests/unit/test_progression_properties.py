"""Invariants of progression under any log: pain flare or low-back feel never progresses."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan
from backcoach.engine.progression import decide_next
from backcoach.engine.vocabulary import Decision, Equipment, Felt, Level
from tests.builders import plan_for

START = date(2026, 11, 2)
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
            )
        )
    return sessions


@given(
    data=st.data(),
    level=st.sampled_from(list(Level)),
    kit=st.frozensets(st.sampled_from(list(Equipment))),
)
def test_no_progress_after_a_flare_or_a_set_felt_in_the_low_back(
    data: st.DataObject, level: Level, kit: frozenset[Equipment], catalogue: Catalogue
) -> None:
    plan = plan_for(catalogue, START, level=level, equipment=kit)
    ids = [i.exercise.id for i in plan.exercises]
    sessions = data.draw(logs(ids))
    today = sessions[-1].day + timedelta(days=data.draw(st.integers(0, 3)))
    result = decide_next(plan, sessions, today, catalogue)
    assert isinstance(result, Plan)
    latest = sessions[-1]
    flared = bool(latest.flare_reasons())
    for before, after in zip(plan.exercises, result.exercises, strict=True):
        logged = [s.exercise(before.exercise.id) for s in sessions]
        last = next((x for x in reversed(logged) if x is not None and x.sets), None)
        if flared or (last is not None and last.felt_in_low_back):
            assert after.decision is not Decision.PROGRESS
        assert MIN_SETS <= after.sets <= MAX_SETS
        assert after.exercise.category is before.exercise.category
        assert after.exercise.equipment <= kit
        assert after.reason
    assert len({i.exercise.id for i in result.exercises}) == len(result.exercises)
