"""The use cases driven without HTTP: who acts (a principal) on whose data (a person id), plain
results, refusals with a code and a field, and someone else refused and written down. SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from backcoach.engine.plan import Plan
from backcoach.engine.screening import CHECK_IN_IDS, all_clear
from backcoach.engine.vocabulary import Felt
from backcoach.services import accounts, calendar, onboarding, progress, tight, training
from backcoach.services.access import Action, Principal
from backcoach.services.errors import Forbidden, Invalid, NotFound
from backcoach.services.onboarding import Step
from backcoach.services.programs import ProgramView
from backcoach.services.safety import ProgramClosed
from backcoach.services.sets import SetInput, SetView
from backcoach.services.training import SessionFinished, SessionView
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import AuditEvent, SetRecord, TrainingSession, User
from tests.training_app import PASSWORD, App

ANA, SAM = "ana@example.com", "sam@example.com"
MEASURES: dict[str, dict[str, Any]] = {
    "nprs": {"score": 4},
    "psfs": {"activities": [{"name": "Putting on socks", "score": 4}]},
}
PROFILE = {"pain": 4, "level": "beginner", "days_per_week": 4, "equipment": ["band"]}


def _person(app: App, email: str) -> Principal:
    with app.database.unit_of_work() as uow:
        assert accounts.sign_up(uow=uow, email=email, password=PASSWORD, now=app.clock.at)
        person_id = uow.session.scalars(select(User.id).where(User.email == email)).one()
    return Principal(person_id)


def _screened(app: App, email: str = ANA) -> Principal:
    me = _person(app, email)
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(**_as(me, uow, app), answers=all_clear(age=44), today=_day(app))
    return me


def _onboarded(app: App, email: str = ANA) -> Principal:
    me = _screened(app, email)
    with app.database.unit_of_work() as uow:
        onboarding.record_measures(**_as(me, uow, app), answers=MEASURES, today=_day(app))
        onboarding.start_program(**_as(me, uow, app), profile=PROFILE, today=_day(app))
    return me


def _as(me: Principal, uow: UnitOfWork, app: App) -> dict[str, Any]:
    """The arguments every use case takes: the unit of work, who acts, on whose data, when."""
    return {"uow": uow, "principal": me, "person_id": me.user_id, "now": app.clock.at}


def _day(app: App) -> dt.date:
    return app.clock.today()


def _started(app: App, me: Principal) -> SessionView:
    with app.database.unit_of_work() as uow:
        return training.start_session(**_as(me, uow, app), pain_before=3, today=_day(app))


def _program(app: App, me: Principal) -> ProgramView:
    with app.database.unit_of_work() as uow:
        found = training.current_program(**_as(me, uow, app))
    assert found is not None
    return found


def _first_set(app: App, me: Principal, **change: Any) -> SetInput:
    item = _program(app, me).plan.exercises[0]
    given = SetInput(item.exercise.id, 1, item.dose_max, Felt.TARGET.value)
    return replace(given, **change)


def _log(app: App, me: Principal, session_id: int, entry: SetInput) -> SetView:
    with app.database.unit_of_work() as uow:
        return training.log_set(
            **_as(me, uow, app), session_id=session_id, entry=entry, today=_day(app)
        )


def _finish(app: App, me: Principal, session_id: int) -> Plan | None:
    with app.database.unit_of_work() as uow:
        return training.finish_session(
            **_as(me, uow, app),
            session_id=session_id,
            pain_during=2,
            pain_after=2,
            today=_day(app),
        )


def _audit(app: App) -> list[tuple[int | None, int, str, str, bool]]:
    with app.database.unit_of_work() as uow:
        rows = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(r.actor_id, r.subject_id, r.action, r.what, r.allowed) for r in rows]


def test_a_screening_with_no_red_flag_leads_on_to_the_questionnaires(app: App) -> None:
    me = _screened(app)
    with app.database.unit_of_work() as uow:
        journey = onboarding.journey(**_as(me, uow, app))
    assert (journey.step, journey.plan_id) == (Step.MEASURES, None)
    assert journey.outcome is not None and not journey.outcome.refer


def test_a_red_flag_refers_and_no_program_is_made(app: App) -> None:
    me = _person(app, ANA)
    flagged = all_clear(age=44) | {"saddle_numbness": True}
    with app.database.unit_of_work() as uow:
        outcome = onboarding.record_screening(**_as(me, uow, app), answers=flagged, today=_day(app))
    assert outcome.refer
    with app.database.unit_of_work() as uow:
        assert onboarding.journey(**_as(me, uow, app)).step is Step.REFERRED
        assert onboarding.referral(**_as(me, uow, app)) is not None
        with pytest.raises(ProgramClosed) as closed:
            onboarding.start_program(**_as(me, uow, app), profile=PROFILE, today=_day(app))
    assert closed.value.code == "program.referred"


def test_the_questionnaires_are_scored_and_kept(app: App) -> None:
    me = _screened(app)
    with app.database.unit_of_work() as uow:
        scored = onboarding.record_measures(**_as(me, uow, app), answers=MEASURES, today=_day(app))
    assert scored["nprs"]["score"] == 4
    with app.database.unit_of_work() as uow:
        point = progress.starting_point(**_as(me, uow, app))
        assert onboarding.journey(**_as(me, uow, app)).step is Step.PROFILE
    assert point is not None
    assert (point.pain, point.activities) == (4, (("Putting on socks", 4),))


def test_a_program_is_handed_out_as_a_view_not_a_row(app: App) -> None:
    me = _screened(app)
    with app.database.unit_of_work() as uow:
        onboarding.record_measures(**_as(me, uow, app), answers=MEASURES, today=_day(app))
        made = onboarding.start_program(**_as(me, uow, app), profile=PROFILE, today=_day(app))
    assert isinstance(made, ProgramView) and made.plan.exercises
    assert _program(app, me).plan_id == made.plan_id
    assert made.at == app.clock.at


def test_starting_a_session_answers_a_plain_view_and_comes_back_to_the_open_one(
    app: App,
) -> None:
    me = _onboarded(app)
    started = _started(app, me)
    assert isinstance(started, SessionView)
    assert (started.pain_before, started.sets, started.finished_at) == (3, (), None)
    assert started.plan_id == _program(app, me).plan_id
    assert _started(app, me).id == started.id  # a closed tab comes back to it


def test_a_logged_set_is_answered_with_the_set_as_saved(app: App) -> None:
    me = _onboarded(app)
    session = _started(app, me)
    saved = _log(app, me, session.id, _first_set(app, me, load_kg=2.504, rir=2))
    assert isinstance(saved, SetView)
    assert (saved.number, saved.felt, saved.load_kg, saved.rir) == (1, Felt.TARGET, 2.5, 2)
    corrected = _log(app, me, session.id, _first_set(app, me, amount=3))
    with app.database.unit_of_work() as uow:
        again = training.get_session(**_as(me, uow, app), session_id=session.id)
    assert again.sets == (corrected,)  # the same number again corrects the set


def test_a_bad_set_is_refused_naming_every_field_with_a_problem(app: App) -> None:
    me = _onboarded(app)
    session = _started(app, me)
    item = _program(app, me).plan.exercises[0]
    kind = item.exercise.dose.value
    bad = _first_set(app, me, number=9, amount=100_000, load_kg=float("nan"), rir=11, felt="knees")
    with pytest.raises(Invalid) as refused:
        _log(app, me, session.id, bad)
    found = {(problem.code, problem.field) for problem in refused.value.problems}
    assert found == {
        ("set.number_out_of_range", "number"),
        ("set.amount_out_of_range", kind),
        ("set.load_out_of_range", "load_kg"),
        ("set.rir_out_of_range", "rir"),
        ("set.felt_unknown", "felt"),
    }
    assert app.query(select(func.count(SetRecord.id))) == 0


def test_a_set_of_an_exercise_outside_the_program_is_refused_for_that_alone(app: App) -> None:
    me = _onboarded(app)
    session = _started(app, me)
    with pytest.raises(Invalid) as refused:
        _log(app, me, session.id, _first_set(app, me, exercise_id="crunch"))
    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("set.exercise_not_in_program", "exercise_id")
    ]


def test_a_pain_outside_0_to_10_is_refused_naming_its_field(app: App) -> None:
    me = _onboarded(app)
    with app.database.unit_of_work() as uow, pytest.raises(Invalid) as refused:
        training.start_session(**_as(me, uow, app), pain_before=11, today=_day(app))
    assert [(p.code, p.field, p.params) for p in refused.value.problems] == [
        ("pain.out_of_range", "pain_before", {"min": 0, "max": 10})
    ]
    assert app.query(select(func.count(TrainingSession.id))) == 0
    session = _started(app, me)
    with app.database.unit_of_work() as uow, pytest.raises(Invalid) as refused:
        training.finish_session(
            **_as(me, uow, app),
            session_id=session.id,
            pain_during=-1,
            pain_after=12,
            today=_day(app),
        )
    assert [p.field for p in refused.value.problems] == ["pain_during", "pain_after"]
    assert app.query(select(TrainingSession.finished_at)) is None


def test_finishing_decides_the_next_session_and_closes_this_one(app: App) -> None:
    me = _onboarded(app)
    session = _started(app, me)
    _log(app, me, session.id, _first_set(app, me))
    before = _program(app, me).plan_id
    decided = _finish(app, me, session.id)
    assert isinstance(decided, Plan)
    assert _program(app, me).plan_id != before
    with app.database.unit_of_work() as uow:
        finished = training.last_finished(**_as(me, uow, app))
    assert finished is not None and finished.id == session.id and finished.finished_at
    with pytest.raises(SessionFinished):
        _log(app, me, session.id, _first_set(app, me))


def test_the_morning_check_in_keeps_the_pain_and_settles_the_decision(app: App) -> None:
    me = _onboarded(app)
    session = _started(app, me)
    _finish(app, me, session.id)
    app.clock.at += dt.timedelta(days=1)
    with app.database.unit_of_work() as uow:
        outcome, decided = training.check_in(
            **_as(me, uow, app),
            session_id=session.id,
            pain_next_morning=2,
            red_flags=dict.fromkeys(CHECK_IN_IDS, False),
            today=_day(app),
        )
    assert not outcome.refer and isinstance(decided, Plan)
    with app.database.unit_of_work() as uow:
        checked = training.get_session(**_as(me, uow, app), session_id=session.id)
    assert (checked.pain_next_morning, checked.checked_in_at) == (2, app.clock.at)


def test_a_tight_moment_is_kept_with_the_drills_offered(app: App) -> None:
    me = _onboarded(app)
    with app.database.unit_of_work() as uow:
        drills = tight.mobility_drills(**_as(me, uow, app))
        moment = tight.log_tight_moment(**_as(me, uow, app))
    assert moment.drills == tuple(d.exercise.id for d in drills) and moment.drills
    with app.database.unit_of_work() as uow:
        count = tight.tight_moments_on(**_as(me, uow, app), day=_day(app), zone=dt.UTC)
    assert count == 1


def test_progress_counts_the_sessions_done(app: App) -> None:
    me = _onboarded(app)
    session = _started(app, me)
    _log(app, me, session.id, _first_set(app, me))
    _finish(app, me, session.id)
    with app.database.unit_of_work() as uow:
        found = progress.progress(**_as(me, uow, app), today=_day(app), zone=dt.UTC)
    assert found.has_plan and [s.day for s in found.sessions] == [_day(app)]
    assert _audit(app) == []  # a person's own everyday reads and writes are not logged


def test_someone_elses_session_is_not_found_even_by_its_id(app: App) -> None:
    me, other = _onboarded(app), _onboarded(app, SAM)
    theirs = _started(app, other)
    with app.database.unit_of_work() as uow, pytest.raises(NotFound) as missing:
        training.get_session(**_as(me, uow, app), session_id=theirs.id)
    assert (missing.value.code, missing.value.field) == ("session.not_found", "session")


#: Use cases someone else may not run on Ana's data: what the audit line says, the action, and
#: the call, given the arguments of Sam acting on Ana's data and Ana's open session id.
UseCase = Callable[[dict[str, Any], int], object]
REFUSED: list[Any] = [
    pytest.param(
        "progress",
        Action.READ,
        lambda sam, _: progress.progress(**sam, today=dt.date(2026, 11, 23), zone=dt.UTC),
        id="progress",
    ),
    pytest.param(
        "program", Action.READ, lambda sam, _: training.current_program(**sam), id="program"
    ),
    pytest.param(
        "session",
        Action.WRITE,
        lambda sam, _: training.start_session(**sam, pain_before=3, today=dt.date(2026, 11, 23)),
        id="start",
    ),
    pytest.param(
        "set",
        Action.WRITE,
        lambda sam, session_id: training.log_set(
            **sam, session_id=session_id, entry=SetInput("clam", 1, 10, Felt.TARGET.value)
        ),
        id="log-a-set",
    ),
    pytest.param(
        "session",
        Action.WRITE,
        lambda sam, session_id: training.finish_session(
            **sam,
            session_id=session_id,
            pain_during=2,
            pain_after=2,
            today=dt.date(2026, 11, 23),
        ),
        id="finish",
    ),
    pytest.param(
        "check_in",
        Action.WRITE,
        lambda sam, session_id: training.check_in(
            **sam,
            session_id=session_id,
            pain_next_morning=2,
            red_flags={},
            today=dt.date(2026, 11, 24),
        ),
        id="check-in",
    ),
    pytest.param(
        "tight_moment", Action.WRITE, lambda sam, _: tight.log_tight_moment(**sam), id="tight"
    ),
    pytest.param(
        "screening",
        Action.WRITE,
        lambda sam, _: onboarding.record_screening(
            **sam, answers=all_clear(), today=dt.date(2026, 11, 23)
        ),
        id="screening",
    ),
    pytest.param(
        "measures",
        Action.WRITE,
        lambda sam, _: onboarding.record_measures(
            **sam, answers=MEASURES, today=dt.date(2026, 11, 23)
        ),
        id="measures",
    ),
    pytest.param(
        "schedule",
        Action.READ,
        lambda sam, _: calendar.month_view(
            **sam, month=dt.date(2026, 11, 1), today=dt.date(2026, 11, 23), zone=dt.UTC
        ),
        id="schedule",
    ),
]


@pytest.mark.parametrize(("what", "action", "use_case"), REFUSED)
def test_someone_else_is_refused_and_written_down(
    app: App, what: str, action: Action, use_case: UseCase
) -> None:
    ana, sam = _onboarded(app), _onboarded(app, SAM)
    session_id = _started(app, ana).id
    before = app.query(select(func.count(TrainingSession.id)))
    with app.database.unit_of_work() as uow, pytest.raises(Forbidden) as refused:
        as_sam_on_anas = _as(sam, uow, app) | {"person_id": ana.user_id}
        use_case(as_sam_on_anas, session_id)
    assert (refused.value.code, refused.value.params) == ("access.forbidden", {"what": what})
    assert _audit(app) == [(sam.user_id, ana.user_id, action.value, what, False)]
    assert app.query(select(func.count(TrainingSession.id))) == before
