"""The safety questions and the morning check-in, checked by the services without HTTP: a
blank is never a "no", the age is in whole years within the range, pregnancy has one answer;
each refusal is a code naming its question, all of them at once, and nothing is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from sqlalchemy import func, select

from backcoach.engine.red_flags import MAX_AGE, MIN_AGE
from backcoach.engine.screening import AGE, CHECK_IN_IDS, PREGNANCY, RED_FLAG_IDS, all_clear
from backcoach.services import accounts, onboarding, safety, training
from backcoach.services.access import Principal
from backcoach.services.errors import Invalid
from backcoach.store.tables import Screening, TrainingSession, User
from tests.training_app import PASSWORD, App

PROFILE = {"pain": 4, "level": "beginner", "days_per_week": 4, "equipment": ["band"]}
MEASURES: dict[str, dict[str, Any]] = {
    "nprs": {"score": 4},
    "psfs": {"activities": [{"name": "Putting on socks", "score": 4}]},
}


def _problems(answers: Mapping[str, object], *, check_in: bool = False) -> list[tuple[str, str]]:
    found = safety.answer_problems(answers, check_in=check_in)
    return [(problem.code, problem.field or "") for problem in found]


def test_a_complete_screening_has_no_problem() -> None:
    assert _problems(all_clear(age=44)) == []


@pytest.mark.parametrize("age", [MIN_AGE - 1, MAX_AGE + 1, "", "forty", "4.5", "1000", None, True])
def test_the_age_is_whole_years_within_the_range(age: object) -> None:
    found = safety.answer_problems(all_clear() | {AGE: age}, check_in=False)
    assert [(p.code, p.field, p.params) for p in found] == [
        ("screening.age_out_of_range", AGE, {"min": MIN_AGE, "max": MAX_AGE})
    ]


@pytest.mark.parametrize("age", [MIN_AGE, MAX_AGE, "44", " 44 "])
def test_an_age_in_range_is_taken_as_a_number_or_its_text(age: object) -> None:
    answers = safety.checked_answers(all_clear() | {AGE: age}, check_in=False)
    age = answers[AGE]
    assert isinstance(age, int) and MIN_AGE <= age <= MAX_AGE


@pytest.mark.parametrize("pregnancy", ["", "maybe", None, ["none"]])
def test_pregnancy_has_one_of_its_answers(pregnancy: object) -> None:
    answers = all_clear() | {PREGNANCY: pregnancy}
    assert _problems(answers) == [("screening.pregnancy_unanswered", PREGNANCY)]


@pytest.mark.parametrize("given", ["missing", "yes", "", None])
def test_each_yes_no_question_is_answered_with_a_yes_or_no(given: object) -> None:
    answers = all_clear()
    if given == "missing":
        del answers["night_pain"]
    else:
        answers["night_pain"] = given
    assert _problems(answers) == [("screening.unanswered", "night_pain")]


def test_every_problem_of_a_blank_screening_is_named_at_once() -> None:
    found = _problems({})
    assert found[:2] == [
        ("screening.age_out_of_range", AGE),
        ("screening.pregnancy_unanswered", PREGNANCY),
    ]
    assert {field for code, field in found[2:] if code == "screening.unanswered"} == RED_FLAG_IDS
    assert len(found) == 2 + len(RED_FLAG_IDS)


def test_a_check_in_asks_only_its_own_questions_every_one() -> None:
    answered = dict.fromkeys(CHECK_IN_IDS, False)
    assert _problems(answered, check_in=True) == []
    left = {**answered}
    del left[CHECK_IN_IDS[0]]
    assert _problems(left, check_in=True) == [("screening.unanswered", CHECK_IN_IDS[0])]
    lifetime = sorted(RED_FLAG_IDS - set(CHECK_IN_IDS))[0]  # sorted: a set's order changes per run
    assert _problems(answered | {lifetime: True}, check_in=True) == [
        ("check_in.unknown_question", lifetime)
    ]


def _person(app: App) -> Principal:
    with app.database.unit_of_work() as uow:
        assert accounts.sign_up(
            uow=uow, email="ana@example.com", password=PASSWORD, now=app.clock.at
        )
        return Principal(uow.session.scalars(select(User.id)).one())


def _as(person: Principal, uow: Any, app: App) -> dict[str, Any]:
    return {"uow": uow, "principal": person, "person_id": person.user_id, "now": app.clock.at}


def _screenings(app: App) -> int:
    with app.database.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(Screening)) or 0


def test_record_screening_refuses_an_unanswered_question_and_keeps_nothing(app: App) -> None:
    person = _person(app)
    answers = all_clear(age=44)
    del answers["fever_unwell"]
    with app.database.unit_of_work() as uow, pytest.raises(Invalid) as refused:
        onboarding.record_screening(
            **_as(person, uow, app), answers=answers, today=app.clock.today()
        )

    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("screening.unanswered", "fever_unwell")
    ]
    assert _screenings(app) == 0


def test_record_screening_keeps_the_age_typed_as_a_number(app: App) -> None:
    person = _person(app)
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(
            **_as(person, uow, app), answers=all_clear() | {AGE: "52"}, today=app.clock.today()
        )
    with app.database.unit_of_work() as uow:
        assert uow.session.scalars(select(Screening.answers)).one()[AGE] == 52


def test_a_check_in_with_a_question_left_is_refused_and_not_kept(app: App) -> None:
    person = _person(app)
    today = app.clock.today()
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(**_as(person, uow, app), answers=all_clear(age=44), today=today)
        onboarding.record_measures(**_as(person, uow, app), answers=MEASURES, today=today)
        onboarding.start_program(**_as(person, uow, app), profile=PROFILE, today=today)
        session = training.start_session(**_as(person, uow, app), pain_before=3, today=today)
        training.finish_session(
            **_as(person, uow, app), session_id=session.id, pain_during=2, pain_after=2, today=today
        )
    answers = dict.fromkeys(CHECK_IN_IDS[1:], False)
    with app.database.unit_of_work() as uow, pytest.raises(Invalid) as refused:
        training.check_in(
            **_as(person, uow, app),
            session_id=session.id,
            pain_next_morning=2,
            red_flags=answers,
            today=today + dt.timedelta(days=1),
        )

    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("screening.unanswered", CHECK_IN_IDS[0])
    ]
    assert _screenings(app) == 1
    with app.database.unit_of_work() as uow:
        kept = uow.session.get_one(TrainingSession, session.id)
        assert (kept.pain_next_morning, kept.checked_in_at) == (None, None)
