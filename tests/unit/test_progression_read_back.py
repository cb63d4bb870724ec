"""The engine reads four weeks of sets and pain (`READS_BACK_DAYS`), so a caller may load only
those: the same plan, the last four weeks and today decide exactly as the whole log does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.plan import Plan
from backcoach.engine.progression import decide_next, read_back
from backcoach.engine.screening import AGE, RED_FLAG_IDS, screen
from backcoach.engine.vocabulary import Decision, Felt, LegSymptoms, Level
from tests.builders import full_session, plan_for, session, sets

START = date(2026, 6, 1)
#: Written out rather than imported: the rule is "four weeks", whatever the constant says.
FOUR_WEEKS = timedelta(days=28)
pain = st.integers(0, 10)


@st.composite
def long_logs(draw: st.DrawFn, ids: list[str]) -> list[SessionLog]:
    """Up to 30 sessions over four months, with gaps, any sets and any pain (no red flags)."""
    offsets = sorted(draw(st.lists(st.integers(0, 120), min_size=1, max_size=30, unique=True)))
    return [
        SessionLog(
            day=START + timedelta(days=offset),
            pain_before=draw(pain),
            pain_during=draw(pain),
            pain_after=draw(pain),
            pain_next_morning=draw(st.none() | pain),
            leg_symptoms=draw(st.none() | st.sampled_from(list(LegSymptoms))),
            exercises=tuple(
                ExerciseLog(
                    exercise_id,
                    tuple(
                        SetLog(draw(st.integers(0, 20)), draw(st.sampled_from(list(Felt))))
                        for _ in range(draw(st.integers(1, 3)))
                    ),
                )
                for exercise_id in draw(
                    st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))
                )
            ),
        )
        for offset in offsets
    ]


def _last_four_weeks(log: list[SessionLog], today: date) -> list[SessionLog]:
    kept = [s for s in log if s.day <= today]
    recent = [s for s in kept if s.day > today - FOUR_WEEKS]
    return recent or kept[-1:]


def _decisions(result: object) -> tuple[object, ...]:
    assert isinstance(result, Plan)
    return (
        tuple(
            (i.exercise.id, i.code, i.reason, i.sets, i.dose_min, i.dose_max, i.load_kg, i.since)
            for i in result.exercises
        ),
        result.day_codes,
        result.schedule,
    )


@given(data=st.data(), level=st.sampled_from(list(Level)), extra=st.integers(0, 40))
def test_four_weeks_of_the_log_decide_exactly_as_the_whole_log(
    data: st.DataObject, level: Level, extra: int, catalogue: Catalogue
) -> None:
    plan = plan_for(catalogue, START, level=level)
    log = data.draw(long_logs([i.exercise.id for i in plan.exercises]))
    today = log[-1].day + timedelta(days=extra % 35)
    whole = decide_next(plan, log, today, catalogue)
    cut = decide_next(plan, _last_four_weeks(log, today), today, catalogue)
    assert _decisions(whole) == _decisions(cut)


def test_read_back_keeps_the_last_four_weeks_or_the_latest_session() -> None:
    log = [session(START + timedelta(days=d)) for d in (0, 10, 20, 40)]
    today = START + timedelta(days=45)
    # Day 20 is 25 days back: read; day 10 is 35 days back: not.
    assert [s.day for s in read_back(log, today)] == [START + timedelta(20), START + timedelta(40)]
    long_after = START + timedelta(days=200)
    assert [s.day for s in read_back(log, long_after)] == [START + timedelta(40)]
    assert list(read_back([], today)) == []


def test_a_top_set_older_than_four_weeks_does_not_count_towards_progress(
    catalogue: Catalogue,
) -> None:
    """Two sessions at the top progress; when the first of them is five weeks old, they don't."""
    plan = plan_for(catalogue, START)
    bridge = next(i for i in plan.exercises if i.exercise.id == "glute_bridge")
    others = {i.exercise.id: sets(i.dose_min, i.sets) for i in plan.exercises if i is not bridge}
    today = START + timedelta(days=40)
    recent_top = full_session(plan, today - timedelta(days=1), morning=3)
    in_between = session(today - timedelta(days=10), others, morning=3)

    def bridge_after(first_top: date) -> tuple[Decision, str]:
        log = [full_session(plan, first_top, morning=3), in_between, recent_top]
        log.sort(key=lambda s: s.day)
        result = decide_next(plan, log, today, catalogue)
        assert isinstance(result, Plan)
        decided = next(
            i for i in result.exercises if i.exercise.category is bridge.exercise.category
        )
        return decided.decision, decided.code

    assert bridge_after(today - timedelta(days=20)) == (Decision.PROGRESS, "progress.add_set")
    assert bridge_after(today - timedelta(days=35)) == (Decision.HOLD, "hold.building")


#: The warning signs that refer on their own at screening; `recent_onset` refers only with age
#: (docs/clinical-rules.md), so it is not one of them. Sorted: a set's order changes per run.
REFERRING_ALONE = sorted(
    flag
    for flag in RED_FLAG_IDS
    if screen({flag: True, AGE: 40}, asked=(), cleared=frozenset()).refer
)


def test_every_warning_sign_but_the_age_weighed_one_refers_alone() -> None:
    assert set(RED_FLAG_IDS) - set(REFERRING_ALONE) == {"recent_onset"}


@pytest.mark.parametrize("flag", REFERRING_ALONE)
def test_a_red_flag_at_any_check_in_still_refers_however_old(
    flag: str, catalogue: Catalogue
) -> None:
    """Rule 1 reads every check-in: the four-week window never forgets a red flag."""
    plan = plan_for(catalogue, START)
    log = [
        session(START, red_flags={flag: True}),
        *(full_session(plan, START + timedelta(days=d), morning=3) for d in (60, 62, 64)),
    ]
    result = decide_next(plan, log, START + timedelta(days=65), catalogue)
    assert not isinstance(result, Plan)
