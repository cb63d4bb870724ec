"""A program changed after onboarding, through the services: a new kit or level re-prescribes
with reasons, keeps each staying exercise's progress and the coach's overrides; a pause plans no
day (so none is missed, for the calendar and the coach's list); resuming plans days again, and
the safety questions still come back after four weeks without a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from backcoach.engine.screening import all_clear
from backcoach.engine.vocabulary import Decision, Equipment, Level, Pregnancy
from backcoach.services import (
    calendar,
    onboarding,
    own_account,
    password_reset,
    profile_change,
    program_pause,
    safety,
    stops,
    training,
)
from backcoach.services.access import Principal
from backcoach.services.errors import Invalid
from backcoach.services.profile_change import ProfileChoice
from backcoach.services.programs import stored_plan
from backcoach.services.safety import Gate
from tests.integration.attention_steps import at, coached, codes, train
from tests.integration.coaching_steps import client, person
from tests.integration.override_steps import log_in, override
from tests.training_app import PASSWORD, App

# Services over plain rows (the calendar's JSON read runs on both databases in its own tests).
DATABASES = ("sqlite",)
BAND = frozenset({Equipment.BAND})


def _change(
    app: App,
    who: Principal,
    *,
    level: Level = Level.BEGINNER,
    days_per_week: int = 4,
    equipment: frozenset[Equipment] = BAND,
    weekdays: tuple[int, ...] = (),
) -> profile_change.ChangeView:
    with app.database.unit_of_work() as uow:
        return profile_change.change_profile(
            uow=uow,
            principal=who,
            person_id=who.user_id,
            choice=ProfileChoice(level, days_per_week, equipment, weekdays),
            today=app.clock.today(),
            now=app.clock.at,
        )


def _plan(app: App, who: Principal) -> Any:
    with app.database.unit_of_work() as uow:
        record = onboarding.active_plan(uow=uow, person_id=who.user_id)
        assert record is not None
        return stored_plan(record)


def _progressed(app: App, who: Principal, exercise_id: str) -> None:
    """The program as training has taken it: this exercise at 3 sets of a higher range."""
    plan = _plan(app, who).plan
    moved = tuple(
        item.with_changes(sets=3, dose_min=item.dose_max, decision=Decision.PROGRESS)
        if item.exercise.id == exercise_id
        else item
        for item in plan.exercises
    )
    with app.database.unit_of_work() as uow:
        onboarding.add_plan(
            uow=uow, person_id=who.user_id, plan=replace(plan, exercises=moved), now=app.clock.at
        )
        uow.commit()


def test_less_kit_swaps_what_needs_it_with_reasons_and_keeps_the_rest_as_trained(
    app: App,
) -> None:
    ana = client(app, "ana@example.com")
    _change(app, ana, level=Level.INTERMEDIATE)  # band exercises on the second rung
    before = _plan(app, ana).plan
    kept = next(item for item in before.exercises if not item.exercise.equipment)
    _progressed(app, ana, kept.exercise.id)
    progressed = next(
        i for i in _plan(app, ana).plan.exercises if i.exercise.id == kept.exercise.id
    )
    app.clock.at += dt.timedelta(days=3)

    made = _change(app, ana, level=Level.INTERMEDIATE, equipment=frozenset())

    after = _plan(app, ana).plan
    assert all(not item.exercise.equipment for item in after.exercises)
    assert progressed in after.exercises  # the same dose, sets, decision and "since"
    swaps = [change for change in made.changes if change.code == "profile.swap.kit_gone"]
    assert swaps and all(change.values["kit"] == "band" for change in swaps)
    for change in swaps:
        out = next(i for i in before.exercises if i.exercise.id == change.values["exercise"])
        now_in = next(i for i in after.exercises if i.exercise.id == change.values["to_exercise"])
        assert now_in.exercise.level <= out.exercise.level  # the nearest rung the kit allows
        assert now_in.since == app.clock.today()
    assert made.plan_id is not None


def test_a_new_level_never_makes_an_exercise_stopped_in_the_player_harder(app: App) -> None:
    ana = client(app, "ana@example.com")
    before = _plan(app, ana).plan
    stopped = before.exercises[0].exercise
    today, now = app.clock.today(), app.clock.at
    with app.database.unit_of_work() as uow:
        mine: dict[str, Any] = {"uow": uow, "principal": ana, "person_id": ana.user_id}
        session = training.start_session(**mine, pain_before=3, today=today, now=now)
        stops.record_stop(
            **mine,
            session_id=session.id,
            exercise_id=stopped.id,
            reason="pain",
            action="skip",
            now=now,
            today=today,
        )

    made = _change(app, ana, level=Level.ADVANCED)  # every beginner's exercise below the start

    # The others go to the new level's start; the stopped one stays, as a level's start is
    # harder (rule 7a settles it at the next decision).
    assert "profile.swap.level_up" in [change.code for change in made.changes]
    assert stopped.id in [item.exercise.id for item in _plan(app, ana).plan.exercises]
    assert not [c for c in made.changes if c.values.get("exercise") == stopped.id]


def test_the_same_answers_change_nothing_and_say_so(app: App) -> None:
    ana = client(app, "ana@example.com")
    before = _plan(app, ana)
    made = _change(app, ana)
    assert [change.code for change in made.changes] == ["profile.nothing_changed"]
    assert made.plan_id is None and _plan(app, ana) == before


def test_a_coachs_swap_and_days_still_hold_after_a_change_of_level(app: App) -> None:
    coach, ana = coached(app)
    out = _plan(app, ana).plan.exercises[2].exercise.id  # the glute bridge (M4)
    override(app, coach, ana, "swap", exercise=out, to_exercise="band_bridge")
    override(app, coach, ana, "schedule", days_per_week="2", weekdays=["0", "3"])

    made = _change(app, ana, level=Level.INTERMEDIATE, days_per_week=5)

    stored = _plan(app, ana)
    ids = [item.exercise.id for item in stored.plan.exercises]
    assert "band_bridge" in ids and out not in ids
    assert stored.decider("band_bridge").kind == "coach"
    assert (stored.plan.profile.days_per_week, stored.plan.profile.weekdays) == (2, (0, 3))
    said = [change.code for change in made.changes]
    assert "profile.coach_kept" in said and "profile.coach_days_kept" in said
    assert "profile.swap.level_up" in said  # the engine's own exercises follow the new level

    # Without the band, the coach's choice cannot stay: it is swapped, and said why.
    made = _change(app, ana, level=Level.INTERMEDIATE, days_per_week=5, equipment=frozenset())
    assert "band_bridge" not in [item.exercise.id for item in _plan(app, ana).plan.exercises]
    assert any(c.values.get("exercise") == "band_bridge" for c in made.changes)


def test_more_weekdays_than_days_are_refused_naming_the_field(app: App) -> None:
    ana = client(app, "ana@example.com")
    with pytest.raises(Invalid) as refused:
        _change(app, ana, days_per_week=2, weekdays=(0, 2, 4))
    assert (refused.value.code, refused.value.field) == ("profile.weekdays_count", "weekdays")


def _pause(app: App, who: Principal, first: dt.date, last: dt.date | None) -> None:
    with app.database.unit_of_work() as uow:
        program_pause.pause_program(
            uow=uow,
            principal=who,
            person_id=who.user_id,
            starts_on=first,
            ends_on=last,
            today=app.clock.today(),
            now=app.clock.at,
        )


def _planned(app: App, who: Principal, first: dt.date, last: dt.date) -> list[dt.date]:
    with app.database.unit_of_work() as uow:
        found = calendar.planned_days(
            uow=uow,
            person_id=who.user_id,
            today=app.clock.today(),
            zone=dt.UTC,
            first_day=first,
            last_day=last,
        )
    return [day.day for day in found]


def _refresh_attention(app: App, who: Principal) -> list[str]:
    from backcoach.services import attention

    with app.database.unit_of_work() as uow:
        attention.refresh_if_coached(
            uow, person_id=who.user_id, today=app.clock.today(), now=app.clock.at
        )
        uow.commit()
    return codes(app, who)


def test_a_pause_plans_no_day_so_none_is_missed(app: App) -> None:
    coach, ana = coached(app)
    monday = app.clock.today()
    tomorrow, two_weeks = monday + dt.timedelta(days=1), monday + dt.timedelta(days=14)
    train(app, ana, monday)
    app.clock.at = at(monday, 12)  # after the session (train() keeps its own times)
    _pause(app, ana, tomorrow, two_weeks)

    assert _planned(app, ana, tomorrow, two_weeks) == []
    assert _planned(app, ana, two_weeks + dt.timedelta(days=1), two_weeks + dt.timedelta(days=7))
    schedule = log_in(app, "ana@example.com").get("/schedule").text  # and the page says so
    assert "Your program is paused from <strong>Tuesday 24 November</strong> to" in schedule
    app.clock.at = at(two_weeks + dt.timedelta(days=1))
    assert "attention.sessions_missed" not in _refresh_attention(app, ana)

    # The same two weeks without a pause are missed sessions for the coach.
    bo = client(app, "bo@example.com")
    from tests.integration.coaching_steps import accept, invite

    app.clock.at = at(monday)
    accept(app, bo, invite(app, coach))
    train(app, bo, monday)
    app.clock.at = at(two_weeks + dt.timedelta(days=1))
    assert "attention.sessions_missed" in _refresh_attention(app, bo)


def test_resuming_plans_days_from_today_and_a_long_pause_asks_the_safety_questions_again(
    app: App,
) -> None:
    ana = client(app, "ana@example.com")
    monday = app.clock.today()
    train(app, ana, monday)
    app.clock.at = at(monday, 12)
    _pause(app, ana, monday + dt.timedelta(days=1), None)
    mine: dict[str, Any] = {"uow": None, "principal": ana, "person_id": ana.user_id}
    app.clock.at = at(monday + dt.timedelta(days=30))
    today = app.clock.today()
    with app.database.unit_of_work() as uow:
        mine["uow"] = uow
        paused = program_pause.current_pause(**mine, today=today, now=app.clock.at)
        assert paused is not None and paused.ends_on is None
        program_pause.resume_program(**mine, today=today, now=app.clock.at)
        assert program_pause.current_pause(**mine, today=today, now=app.clock.at) is None
        # Safer wins: four weeks without a session ask the safety questions again.
        assert safety.gate(uow=uow, person_id=ana.user_id, today=today) is Gate.RESCREEN
    assert _planned(app, ana, monday + dt.timedelta(days=1), today - dt.timedelta(days=1)) == []
    assert _planned(app, ana, today, today) == [today]


def test_training_during_a_pause_ends_it(app: App) -> None:
    ana = client(app, "ana@example.com")
    monday = app.clock.today()
    _pause(app, ana, monday, monday + dt.timedelta(days=10))
    app.clock.at = at(monday + dt.timedelta(days=2))
    train(app, ana, app.clock.today())
    with app.database.unit_of_work() as uow:
        found = program_pause.current_pause(
            uow=uow,
            principal=ana,
            person_id=ana.user_id,
            today=app.clock.today(),
            now=app.clock.at,
        )
    assert found is None


def test_a_pause_that_cannot_be_is_refused_naming_each_date(app: App) -> None:
    ana = client(app, "ana@example.com")
    monday = app.clock.today()
    with pytest.raises(Invalid) as refused:
        _pause(app, ana, monday - dt.timedelta(days=1), monday - dt.timedelta(days=3))
    assert {(p.code, p.field) for p in refused.value.problems} == {
        ("pause.starts_in_past", "starts_on"),
        ("pause.ends_before_start", "ends_on"),
    }


def test_a_decision_before_a_pause_ahead_keeps_its_days_out(app: App) -> None:
    ana = client(app, "ana@example.com")
    monday = app.clock.today()
    first, last = monday + dt.timedelta(days=7), monday + dt.timedelta(days=13)
    _pause(app, ana, first, last)
    app.clock.at = at(monday + dt.timedelta(days=2), 12)
    train(app, ana, monday + dt.timedelta(days=2))  # its decision makes a new plan

    assert _planned(app, ana, first, last) == []
    assert _planned(app, ana, last + dt.timedelta(days=1), last + dt.timedelta(days=7))


def test_a_pregnancy_told_later_swaps_what_lies_on_the_back_and_keeps_the_rest_as_trained(
    app: App,
) -> None:
    ana = client(app, "ana@example.com")
    standing = next(
        item for item in _plan(app, ana).plan.exercises if item.exercise.position != "supine"
    )
    _progressed(app, ana, standing.exercise.id)
    trained = next(
        i for i in _plan(app, ana).plan.exercises if i.exercise.id == standing.exercise.id
    )
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(
            uow=uow,
            principal=ana,
            person_id=ana.user_id,
            answers=all_clear(age=44, pregnancy=Pregnancy.AFTER_12_WEEKS),
            today=app.clock.today(),
            now=app.clock.at,
        )
        said = profile_change.recent_changes(
            uow=uow, principal=ana, person_id=ana.user_id, now=app.clock.at
        )

    after = _plan(app, ana).plan
    assert all(item.exercise.position != "supine" for item in after.exercises)
    assert trained in after.exercises
    assert {change.code for change in said[0].changes} >= {"profile.swap.not_suitable"}


def test_a_change_of_settings_when_the_safety_questions_are_due_again_asks_them_first(
    app: App,
) -> None:
    ana = client(app, "ana@example.com")
    train(app, ana, app.clock.today())
    app.clock.at = at(app.clock.today() + dt.timedelta(days=safety.RESCREEN_AFTER_DAYS))
    before = _plan(app, ana)
    with pytest.raises(safety.ProgramClosed) as closed:
        _change(app, ana, level=Level.INTERMEDIATE)
    assert closed.value.gate is Gate.RESCREEN
    assert _plan(app, ana) == before


def test_a_pause_may_start_at_most_a_year_ahead_and_far_dates_are_refused_not_a_failure(
    app: App,
) -> None:
    ana = client(app, "ana@example.com")
    monday = app.clock.today()
    with pytest.raises(Invalid) as refused:  # the last days a date can hold: no overflow
        _pause(app, ana, dt.date(9999, 12, 30), dt.date(9999, 12, 31))
    assert {(p.code, p.field) for p in refused.value.problems} == {
        ("pause.starts_too_late", "starts_on")
    }
    with pytest.raises(Invalid) as refused:
        _pause(app, ana, monday + dt.timedelta(days=program_pause.LATEST_START_DAYS + 1), None)
    assert refused.value.code == "pause.starts_too_late"
    latest = monday + dt.timedelta(days=program_pause.LATEST_START_DAYS)
    _pause(app, ana, latest, latest + dt.timedelta(days=program_pause.LONGEST_PAUSE_DAYS - 1))
    assert _planned(app, ana, latest, latest + dt.timedelta(days=30)) == []


def test_a_pause_is_over_on_the_persons_own_day_not_the_servers(app: App) -> None:
    from backcoach.services import accounts

    ana = client(app, "ana@example.com")
    with app.database.unit_of_work() as uow:  # 13 hours ahead of UTC in November
        accounts.set_time_zone(
            uow=uow,
            principal=ana,
            person_id=ana.user_id,
            time_zone="Pacific/Auckland",
            now=app.clock.at,
        )
    monday = app.clock.today()  # 22:00 on Monday in Auckland
    _pause(app, ana, monday + dt.timedelta(days=1), monday + dt.timedelta(days=3))
    app.clock.at = at(monday + dt.timedelta(days=3), 12)  # Thursday in UTC, Friday for Ana
    friday = monday + dt.timedelta(days=4)
    wanted = (friday + dt.timedelta(days=1), friday + dt.timedelta(days=4))
    plan = replace(_plan(app, ana).plan, schedule=wanted)
    with app.database.unit_of_work() as uow:  # e.g. a coach's change made now
        onboarding.add_plan(uow=uow, person_id=ana.user_id, plan=plan, now=app.clock.at)
        uow.commit()
    assert _plan(app, ana).plan.schedule == wanted  # the pause, over, no longer reshapes it


def _new_email(app: App, who: Principal, email: str) -> str:
    with app.database.unit_of_work() as uow:
        return own_account.change_email(
            uow=uow, principal=who, person_id=who.user_id, password=PASSWORD, new_email=email,
            now=app.clock.at,
        )  # fmt: skip


def test_a_new_email_voids_the_reset_links_sent_to_the_old_one(app: App) -> None:
    ana = person(app, "ana@example.com")
    with app.database.unit_of_work() as uow:
        link = password_reset.request_link(uow=uow, email="ana@example.com", now=app.clock.at)
    assert link is not None
    assert _new_email(app, ana, "ana.new@example.com") == "ana.new@example.com"
    with app.database.unit_of_work() as uow:
        assert not password_reset.link_works(uow=uow, token=link.token, now=app.clock.at)


@pytest.mark.parametrize(
    "typed",
    [
        "ana@example.com, eve@example.org",
        "ana@example.com;eve@example.org",
        "Ana <ana@example.com>",
        "ana @example.com",
        "ana@example.com\r\nBcc: eve@example.org",
        "ana@exa\tmple.com",
        "ana\x00@example.com",
        "ana@b@example.com",
        "@example.com",
    ],
)
def test_a_new_email_is_one_plain_address(app: App, typed: str) -> None:
    ana = person(app, "ana@example.com")
    with pytest.raises(Invalid) as refused:
        _new_email(app, ana, typed)
    assert (refused.value.code, refused.value.field) == ("email.invalid", "email")
