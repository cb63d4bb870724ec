"""A coach's overrides through the services: each kind applies at once (the client's program
changes, decided by the coach) and the engine's next decisions (a session finished and checked
in on) keep it; impossible ones are refused naming the field; undo restores; the history keeps
who, when and the note; Today says "Set by your coach" with the note."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backcoach.engine.overrides import SAFETY_CODES
from backcoach.engine.screening import all_clear
from backcoach.engine.vocabulary import Category, Decision
from backcoach.services import coaching, onboarding, override_choices, overrides, safety
from backcoach.services.errors import Invalid
from backcoach.services.programs import ProgramView
from backcoach.services.safety import Gate
from backcoach.store.tables import CoachLink, Screening
from tests.integration.coaching_steps import Cast, cast
from tests.integration.override_steps import flare, log_in, override, train, undo
from tests.training_app import App, checkin, do_every_set, finish, start

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

ANA = "ana@example.com"


def _ids(program: ProgramView) -> list[str]:
    return [item.exercise.id for item in program.plan.exercises]


def _swap(program: ProgramView) -> tuple[str, str]:
    """A swap the engine accepts: (the exercise taken out, the one put in)."""
    choice = override_choices.swap_choices(program.plan)[0]
    return choice.replaces[0], choice.exercise.id


@pytest.fixture
def people(app: App) -> Cast:
    return cast(app)


def test_a_swap_applies_at_once_and_the_next_decisions_keep_it(app: App, people: Cast) -> None:
    out, put_in = _swap(app.program(ANA))
    override(
        app,
        people.coach,
        people.client_a,
        "swap",
        "Kinder on your knee",
        exercise=out,
        to_exercise=put_in,
    )
    now = app.program(ANA)
    assert put_in in _ids(now) and out not in _ids(now)
    step = now.next_steps[put_in]
    assert (step.code, step.decision, step.decided_by.id) == (
        "coach.swapped",
        Decision.SWAP,
        people.coach.user_id,
    )
    client = log_in(app, ANA)
    for _ in range(2):
        train(app, client)
        app.clock.at += dt.timedelta(days=2)
    after = app.program(ANA)
    assert now.plan.decided_on is None and after.plan.decided_on is not None  # the engine's
    assert put_in in _ids(after) and out not in _ids(after)


def test_a_locked_dose_is_kept_by_the_next_decision(app: App, people: Cast) -> None:
    item = app.program(ANA).plan.exercises[0]
    low, high = item.exercise.dose_min, item.exercise.dose_min + 1
    override(
        app,
        people.coach,
        people.client_a,
        "dose",
        exercise=item.exercise.id,
        sets="2",
        dose_min=str(low),
        dose_max=str(high),
        locked="yes",
    )
    client = log_in(app, ANA)
    now = app.program(ANA)
    dosed = next(i for i in now.plan.exercises if i.exercise.id == item.exercise.id)
    assert (dosed.sets, dosed.dose_min, dosed.dose_max, dosed.code) == (
        2,
        low,
        high,
        "coach.locked",
    )
    train(app, client)
    after = next(i for i in app.program(ANA).plan.exercises if i.exercise.id == item.exercise.id)
    assert (after.sets, after.dose_min, after.dose_max) == (2, low, high)
    assert after.code == "coach.locked"


def test_a_held_program_makes_no_progress(app: App, people: Cast) -> None:
    override(app, people.coach, people.client_a, "hold", "Hold while you travel")
    now = app.program(ANA)
    assert {step.code for step in now.next_steps.values()} == {"coach.held"}
    client = log_in(app, ANA)
    for _ in range(3):
        train(app, client)
        app.clock.at += dt.timedelta(days=2)
    assert all(s.decision is not Decision.PROGRESS for s in app.program(ANA).next_steps.values())


def test_an_added_exercise_joins_at_once_and_stays(app: App, people: Cast) -> None:
    extra = override_choices.addable(app.program(ANA).plan)[0]
    override(app, people.coach, people.client_a, "add", exercise=extra.id, sets="3")
    now = app.program(ANA)
    added = next(i for i in now.plan.exercises if i.exercise.id == extra.id)
    assert (added.sets, added.code) == (3, "coach.added")
    train(app, log_in(app, ANA))
    assert extra.id in _ids(app.program(ANA))


def test_the_days_change_at_once_and_stay(app: App, people: Cast) -> None:
    override(app, people.coach, people.client_a, "schedule", days_per_week="2", weekdays=["0", "3"])
    days = app.program(ANA).plan.schedule
    assert days and {day.weekday() for day in days} == {0, 3}
    train(app, log_in(app, ANA))
    after = app.program(ANA).plan
    assert {day.weekday() for day in after.schedule} == {0, 3}
    assert after.sessions_per_week == 2
    (made,) = _history(app, people)
    undo(app, people.coach, people.client_a, made.id)
    own = app.program(ANA).plan
    assert (own.profile.days_per_week, own.sessions_per_week) == (4, 3.5)
    assert {day.weekday() for day in own.schedule} != {0, 3}


@pytest.mark.parametrize(
    ("kind", "values", "field", "code"),
    [
        ("dose", {"sets": "4", "dose_min": "8", "dose_max": "10"}, "sets", "override.number"),
        (
            "dose",
            {"sets": "2", "dose_min": "1", "dose_max": "3000"},
            "dose_min",
            "override.dose_out_of_range",
        ),
        (
            "dose",
            {"sets": "2", "dose_min": "9", "dose_max": "8"},
            "dose_max",
            "override.dose_reversed",
        ),
        ("hold", {"exercise": "no_such_exercise"}, "exercise", "override.not_in_plan"),
        ("schedule", {"days_per_week": "0"}, "days_per_week", "override.number"),
        (
            "schedule",
            {"days_per_week": "3", "weekdays": ["0"]},
            "weekdays",
            "override.weekdays_count",
        ),
        ("juggle", {}, "kind", "override.kind_unknown"),
    ],
)
def test_an_impossible_override_is_refused_naming_the_field(
    app: App, people: Cast, kind: str, values: dict[str, Any], field: str, code: str
) -> None:
    before = app.program(ANA)
    if kind == "dose":
        values = {"exercise": before.plan.exercises[0].exercise.id, **values}
    with pytest.raises(Invalid) as refused:
        override(app, people.coach, people.client_a, kind, **values)
    assert (refused.value.field, refused.value.code) in {
        (p.field, p.code) for p in refused.value.problems
    }
    assert app.program(ANA).plan_id == before.plan_id
    assert _history(app, people) == ()


def test_a_swap_to_another_category_names_the_exercise_put_in(app: App, people: Cast) -> None:
    plan = app.program(ANA).plan
    out = plan.exercises[0].exercise
    other = next(
        c.exercise
        for c in override_choices.swap_choices(plan)
        if c.exercise.category is not out.category
    )
    assert other.category is not Category.MOBILITY
    with pytest.raises(Invalid) as refused:
        override(app, people.coach, people.client_a, "swap", exercise=out.id, to_exercise=other.id)
    assert (refused.value.code, refused.value.field) == ("override.wrong_category", "to_exercise")


def _history(app: App, people: Cast) -> tuple[overrides.OverrideView, ...]:
    with app.database.unit_of_work() as uow:
        return overrides.overrides(
            uow=uow, principal=people.coach, client_id=people.client_a.user_id, now=app.clock.at
        )


def test_undo_restores_the_program_and_the_history_keeps_who_and_when(
    app: App, people: Cast
) -> None:
    before = app.program(ANA)
    out, put_in = _swap(before)
    made = override(
        app, people.coach, people.client_a, "swap", "Try this", exercise=out, to_exercise=put_in
    )
    app.clock.at += dt.timedelta(hours=1)
    undone = undo(app, people.colleague, people.client_a, made.id)
    restored = app.program(ANA)
    assert _ids(restored) == _ids(before)
    assert restored.next_steps[out].code == before.next_steps[out].code
    assert restored.next_steps[out].decided_by.kind == "engine"
    (kept,) = _history(app, people)
    assert (kept.note, kept.coach_name, kept.at) == ("Try this", "coach@example.com", made.at)
    assert (kept.undone_by_name, kept.undone_at, kept.active) == (
        "colleague@example.com",
        undone.undone_at,
        False,
    )


def test_a_newer_dose_replaces_the_older_in_the_history(app: App, people: Cast) -> None:
    item = app.program(ANA).plan.exercises[0].exercise
    common = {"exercise": item.id, "sets": "2", "dose_min": str(item.dose_min)}
    first = override(
        app, people.coach, people.client_a, "dose", dose_max=str(item.dose_min), **common
    )
    second = override(
        app, people.coach, people.client_a, "dose", dose_max=str(item.dose_min + 1), **common
    )
    history = {view.id: view.active for view in _history(app, people)}
    assert history == {first.id: False, second.id: True}


def test_today_says_set_by_your_coach_with_the_note(app: App, people: Cast) -> None:
    out, put_in = _swap(app.program(ANA))
    override(
        app,
        people.coach,
        people.client_a,
        "swap",
        "Easier on your knee for now",
        exercise=out,
        to_exercise=put_in,
    )
    override(
        app,
        people.coach,
        people.client_a,
        "schedule",
        "Two days while you travel",
        days_per_week="2",
    )
    page = log_in(app, ANA).get("/today").text
    assert "Set by your coach" in page
    assert "Easier on your knee for now" in page
    assert "Two days while you travel" in page


def test_an_override_made_between_finish_and_check_in_is_kept_by_the_check_in(
    app: App, people: Cast
) -> None:
    client = log_in(app, ANA)
    session_id = start(client)
    do_every_set(app, client, session_id)
    assert finish(client, session_id).status_code == 200
    out, put_in = _swap(app.program(ANA))
    override(app, people.coach, people.client_a, "swap", exercise=out, to_exercise=put_in)
    override(app, people.coach, people.client_a, "schedule", days_per_week="2", weekdays=["1", "4"])
    app.clock.at += dt.timedelta(days=1)
    assert checkin(client, session_id, morning=2).status_code == 200
    after = app.program(ANA)
    assert after.plan.decided_on == app.clock.today()  # the check-in decided
    assert put_in in _ids(after) and out not in _ids(after)
    assert {day.weekday() for day in after.plan.schedule} == {1, 4}
    assert after.plan.sessions_per_week == 2


# --- safety over the coach's overrides (docs/progression.md, "Coach overrides") -------------


def _eased(program: ProgramView) -> dict[str, tuple[int, int, str]]:
    """Each exercise's sets, top of the range and code."""
    return {i.exercise.id: (i.sets, i.dose_max, i.code) for i in program.plan.exercises}


def test_undoing_a_swap_after_a_flare_keeps_the_easing_off(app: App, people: Cast) -> None:
    client = log_in(app, ANA)
    for _ in range(3):
        train(app, client)
        app.clock.at += dt.timedelta(days=1)
    assert {sets for sets, _, _ in _eased(app.program(ANA)).values()} == {3}
    out, put_in = _swap(app.program(ANA))
    made = override(app, people.coach, people.client_a, "swap", exercise=out, to_exercise=put_in)
    flare(app, client)
    eased = _eased(app.program(ANA))
    assert eased[put_in][0] == 2 and eased[put_in][2] in SAFETY_CODES
    undo(app, people.coach, people.client_a, made.id)
    after = _eased(app.program(ANA))
    assert out in after and put_in not in after  # the swap is undone at once
    assert {sets for sets, _, _ in after.values()} == {2}  # and nothing is eased any less
    assert {code for _, _, code in after.values()} <= SAFETY_CODES


def test_undoing_a_dose_after_a_flare_keeps_the_easing_off(app: App, people: Cast) -> None:
    item = app.program(ANA).plan.exercises[0].exercise
    low, high = str(item.dose_min), str(item.dose_max)
    made = override(
        app,
        people.coach,
        people.client_a,
        "dose",
        exercise=item.id,
        sets="3",
        dose_min=low,
        dose_max=high,
    )
    flare(app, log_in(app, ANA))
    eased = _eased(app.program(ANA))[item.id]
    undo(app, people.coach, people.client_a, made.id)
    sets, top, code = _eased(app.program(ANA))[item.id]
    assert sets <= eased[0] and top <= eased[1] and code in SAFETY_CODES


def test_a_dose_or_an_addition_during_a_flare_does_not_replace_the_easing_off(
    app: App, people: Cast
) -> None:
    flare(app, log_in(app, ANA))
    before = _eased(app.program(ANA))
    first = app.program(ANA).plan.exercises[0].exercise
    override(
        app,
        people.coach,
        people.client_a,
        "dose",
        exercise=first.id,
        sets="3",
        dose_min=str(first.dose_min),
        dose_max=str(first.dose_max),
    )
    sets, top, code = _eased(app.program(ANA))[first.id]
    assert (sets, top, code) == before[first.id]  # the flare's easing stands
    extra = override_choices.addable(app.program(ANA).plan)[0]
    override(app, people.coach, people.client_a, "add", exercise=extra.id, sets="3")
    sets, _, code = _eased(app.program(ANA))[extra.id]
    assert sets == 2 and code in SAFETY_CODES
    # A dose lower than the easing is safer still: it is the coach's, at once.
    second = app.program(ANA).plan.exercises[1].exercise
    override(
        app,
        people.coach,
        people.client_a,
        "dose",
        exercise=second.id,
        sets="2",
        dose_min=str(second.dose_min),
        dose_max=str(second.dose_min),
    )
    assert _eased(app.program(ANA))[second.id] == (2, second.dose_min, "coach.dose_set")


@pytest.mark.parametrize("ended_by", ["client", "move"])
def test_the_overrides_end_with_the_coach_link(app: App, people: Cast, ended_by: str) -> None:
    override(app, people.coach, people.client_a, "hold", "Hold while you travel")
    app.clock.at += dt.timedelta(hours=1)
    with app.database.unit_of_work() as uow:
        started = uow.session.get_one(CoachLink, people.link_id).started_at
        if ended_by == "client":
            coaching.end_link(
                uow=uow, principal=people.client_a, link_id=people.link_id, now=app.clock.at
            )
        else:
            coaching.move_client(
                uow=uow,
                principal=people.admin,
                client_email=ANA,
                coach_email="other@example.com",
                now=app.clock.at,
            )
        assert not overrides.active_overrides(uow=uow, client_id=people.client_a.user_id)
        # What coaching.end_link and move_client call as the link ends: the plan is freed now.
        overrides.release_overrides(
            uow=uow, client_id=people.client_a.user_id, since=started, now=app.clock.at
        )
        uow.commit()
    now = app.program(ANA)
    assert not any(step.code.startswith("coach.") for step in now.next_steps.values())
    client = log_in(app, ANA)
    page = client.get("/today").text
    assert "Set by your coach" not in page and "Hold while you travel" not in page
    with app.database.unit_of_work() as uow:
        (kept,) = overrides.history(uow=uow, client_id=people.client_a.user_id)
    assert not kept.active
    for _ in range(3):
        train(app, client)
        app.clock.at += dt.timedelta(days=2)
    steps = app.program(ANA).next_steps.values()
    assert not any(step.code.startswith("coach.") for step in steps)


def test_an_undo_while_the_program_is_closed_holds_when_it_opens(app: App, people: Cast) -> None:
    out, put_in = _swap(app.program(ANA))
    made = override(app, people.coach, people.client_a, "swap", exercise=out, to_exercise=put_in)
    # A safety question added since the person last answered: the gate shuts (their plan is
    # kept) until they answer it.
    answers = all_clear(age=44)
    del answers["fever_unwell"]
    with app.database.unit_of_work() as uow:
        row = Screening(
            user_id=people.client_a.user_id,
            at=app.clock.at,
            context="onboarding",
            answers=answers,
            refer=False,
            urgency=None,
        )
        uow.session.add(row)
        uow.commit()
        assert safety.gate(uow=uow, person_id=people.client_a.user_id) is Gate.SCREENING
    app.clock.at += dt.timedelta(minutes=5)
    undo(app, people.coach, people.client_a, made.id)
    app.clock.at += dt.timedelta(minutes=5)
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(
            uow=uow,
            principal=people.client_a,
            person_id=people.client_a.user_id,
            answers=all_clear(age=44),
            today=app.clock.today(),
            now=app.clock.at,
        )
    after = app.program(ANA)
    assert out in _ids(after) and put_in not in _ids(after)
    assert not any(step.code.startswith("coach.") for step in after.next_steps.values())


def test_a_coachs_note_reaches_today_even_while_a_flare_holds_their_dose(
    app: App, people: Cast
) -> None:
    """The flare decides today's dose (the safer rule), yet the client reads their coach's note
    on that exercise, said as the coach's, with why today's dose is not the coach's yet."""
    client = log_in(app, ANA)
    flare(app, client)
    first = app.program(ANA).plan.exercises[0].exercise
    override(
        app,
        people.coach,
        people.client_a,
        "dose",
        note="Three easy sets once it settles",
        exercise=first.id,
        sets="3",
        dose_min=str(first.dose_min),
        dose_max=str(first.dose_max),
    )
    today = client.get("/today").text
    assert "Three easy sets once it settles" in today
    assert "Your coach&#39;s note" in today or "Your coach's note" in today
    assert "Today&#39;s dose follows the method while your back settles." in today or (
        "Today's dose follows the method while your back settles." in today
    )
