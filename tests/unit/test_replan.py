"""Re-prescribing a program for a changed profile (engine/replan.py): what still fits keeps its
progress, what does not is replaced on the nearest rung, a coach's choice stays while it fits,
and every change is a code the wording layer can say."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from string import Formatter

import pytest

from backcoach.catalogue import default_catalogue
from backcoach.engine.ladder import no_harder
from backcoach.engine.plan import MIN_SETS, Plan
from backcoach.engine.prescription import prescribe
from backcoach.engine.profile import Profile
from backcoach.engine.reasons import Reason
from backcoach.engine.replan import CHANGE_PARAMS, replan
from backcoach.engine.schedule import around_pause, build_schedule
from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.engine.stops import SESSIONS_AFTER_STOP, Stop, StopReason
from backcoach.engine.vocabulary import Decision, Equipment, Level, Pregnancy
from backcoach.wording.account_words import PROFILE_CHANGE_CODES, say_profile_change

CATALOGUE = default_catalogue()
START, LATER = date(2026, 11, 23), date(2026, 12, 7)
BAND = frozenset({Equipment.BAND})


def _person(level: Level = Level.INTERMEDIATE, kit: frozenset[Equipment] = BAND) -> Profile:
    return Profile(
        age=44,
        pain=3,
        level=level,
        days_per_week=4,
        equipment=kit,
        red_flags=dict.fromkeys(RED_FLAG_IDS, False),
        pregnancy=Pregnancy.NONE,
    )


def _plan(profile: Profile) -> Plan:
    made = prescribe(profile, CATALOGUE, START)
    assert isinstance(made, Plan)
    return made


def test_without_the_band_each_band_exercise_moves_to_a_rung_no_higher_and_the_rest_stay() -> None:
    before = _plan(_person())
    trained = before.exercises[0].with_changes(sets=3, decision=Decision.PROGRESS, since=START)
    before = replace(before, exercises=(trained, *before.exercises[1:]))

    result = replan(before, _person(kit=frozenset()), CATALOGUE, LATER)

    assert result.plan.exercises[0] == trained  # its dose, decision and "since" kept
    assert all(item.exercise.fits(frozenset()) for item in result.plan.exercises)
    for change in result.changes:
        if change.code == "profile.swap.kit_gone":
            out = CATALOGUE.get(str(change.values["exercise"]))
            to = CATALOGUE.get(str(change.values["to_exercise"]))
            assert (to.category, change.values["kit"]) == (out.category, "band")
            assert to.level <= out.level
    assert "profile.exercises_kept" in result.codes


def test_a_coachs_choice_stays_at_a_new_level_and_a_swapped_out_one_never_comes_back() -> None:
    before = _plan(_person(Level.BEGINNER))
    chosen = before.exercises[2].exercise.id
    never = frozenset({"heel_slide"})

    result = replan(
        before, _person(Level.ADVANCED), CATALOGUE, LATER, pinned=frozenset({chosen}), never=never
    )

    ids = [item.exercise.id for item in result.plan.exercises]
    assert chosen in ids and "heel_slide" not in ids
    assert Reason("profile.coach_kept", (("exercise", chosen),)) in result.changes
    assert "profile.swap.level_up" in result.codes and "profile.added.level" in result.codes


def test_new_days_rebuild_the_schedule_unless_a_coach_set_them() -> None:
    before = _plan(_person())
    fewer = replace(_person(), days_per_week=2, weekdays=(0, 3))
    mine = replan(before, fewer, CATALOGUE, LATER, last_session=LATER)
    assert mine.plan.schedule[0] > LATER and {d.weekday() for d in mine.plan.schedule} == {0, 3}
    assert mine.plan.exercises == before.exercises
    coach = replan(before, fewer, CATALOGUE, LATER, coach_days=True)
    assert coach.plan.schedule == before.schedule and coach.codes == ("profile.coach_days_kept",)


@pytest.mark.parametrize("code", sorted(CHANGE_PARAMS))
def test_every_change_has_words_filled_from_its_params(code: str) -> None:
    assert code in PROFILE_CHANGE_CODES
    params = tuple((name, "band" if name == "kit" else 2) for name in CHANGE_PARAMS[code])
    said = say_profile_change(Reason(code, params), lambda exercise_id: f"<{exercise_id}>")
    assert said != code and "{" not in said
    assert not {name for _, name, _, _ in Formatter().parse(said) if name}


def test_a_pause_plans_nothing_inside_it_and_starts_again_the_day_after() -> None:
    schedule = build_schedule(START, 4)
    last = START + timedelta(days=9)
    paused = around_pause(schedule, START + timedelta(days=2), last, 4)
    assert all(not (date(2026, 11, 25) <= day <= last) for day in paused)
    assert paused[0] == START and paused[1] == last + timedelta(days=1)
    assert around_pause(schedule, START, None, 4) == ()


NONE: frozenset[Equipment] = frozenset()
SWAPS = ("profile.swap.kit_added", "profile.swap.level_up", "profile.swap.kit_gone")


@pytest.mark.parametrize(
    ("was", "now"),
    [
        ((Level.ADVANCED, NONE), (Level.ADVANCED, BAND)),  # new kit: a banded rung up
        ((Level.BEGINNER, NONE), (Level.ADVANCED, NONE)),  # a level's start, rungs up
        ((Level.INTERMEDIATE, BAND), (Level.INTERMEDIATE, NONE)),  # the kit gone
    ],
)
def test_an_exercise_stopped_in_the_player_is_never_made_harder_by_a_change_of_profile(
    was: tuple[Level, frozenset[Equipment]], now: tuple[Level, frozenset[Equipment]]
) -> None:
    before = _plan(_person(*was))
    unstopped = replan(before, _person(*now), CATALOGUE, LATER)
    assert set(unstopped.codes) & set(SWAPS), (
        "the change must swap something, or this proves nothing"
    )
    stops = {
        item.exercise.id: Stop(item.exercise.id, StopReason.PAIN, START)
        for item in before.exercises
    }

    result = replan(before, _person(*now), CATALOGUE, LATER, stops=stops)

    by_id = {item.exercise.id: item for item in result.plan.exercises}
    for item in before.exercises:
        if item.exercise.id in by_id:
            continue  # kept as it was
        swap = next(c for c in result.changes if c.values.get("exercise") == item.exercise.id)
        to = by_id[str(swap.values["to_exercise"])]
        assert no_harder(to.exercise, item.exercise), swap
        assert to.sets == MIN_SETS
    assert all(item.exercise.fits(now[1]) for item in result.plan.exercises)


def test_new_kit_keeps_a_stopped_exercise_until_two_sessions_follow_the_stop() -> None:
    before = _plan(_person(Level.ADVANCED, NONE))
    stopped = "side_lying_hip_abduction"
    assert stopped in [item.exercise.id for item in before.exercises]

    def ids_after(sessions_since: int) -> list[str]:
        stops = {stopped: Stop(stopped, StopReason.PAIN, START, sessions_since)}
        made = replan(before, _person(Level.ADVANCED, BAND), CATALOGUE, LATER, stops=stops)
        return [item.exercise.id for item in made.plan.exercises]

    assert stopped in ids_after(0) and stopped in ids_after(SESSIONS_AFTER_STOP - 1)
    assert "banded_fire_hydrant" not in ids_after(0)
    assert stopped not in ids_after(SESSIONS_AFTER_STOP)  # the rule has run its course
