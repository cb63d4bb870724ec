"""The measures a person enters, checked by the services without HTTP: each rule refuses with a
code and the field it concerns (never a sentence), every problem at once, and nothing is kept
from a refused entry."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from backcoach.engine.screening import all_clear
from backcoach.services import accounts, onboarding
from backcoach.services.access import Principal
from backcoach.services.errors import Invalid
from backcoach.services.measure_input import (
    ActivityInput,
    MeasuresInput,
    StartBackInput,
    checked,
)
from backcoach.store.tables import Measure, User
from backcoach.wording.errors import ERRORS
from backcoach.wording.form_errors import FORM_ERRORS
from tests.training_app import PASSWORD, App

SOCKS = ActivityInput("Putting on socks", "4")
GOOD = MeasuresInput(nprs="6", activities=(SOCKS, ActivityInput(), ActivityInput()))
NO_STARTBACK = StartBackInput(none=True)


def _refused(entry: MeasuresInput) -> list[tuple[str, str | None, dict[str, Any]]]:
    with pytest.raises(Invalid) as refused:
        checked(entry)
    return [(p.code, p.field, dict(p.params)) for p in refused.value.problems]


def _codes(entry: MeasuresInput) -> list[tuple[str, str | None]]:
    return [(code, field) for code, field, _ in _refused(entry)]


def _with_startback(score: str | int = "", psychosocial: str | int = "") -> MeasuresInput:
    return replace(GOOD, startback=StartBackInput(score, psychosocial))


def test_a_good_entry_gives_the_engines_shapes() -> None:
    entry = replace(
        GOOD,
        startback=StartBackInput("5", "3"),
        odi_sections=("2", "1", "", "3", "2", "1", "0", "2", "1", "1"),
        rmdq=" 7 ",
    )
    assert checked(entry) == {
        "nprs": {"score": 6},
        "psfs": {"activities": [{"name": "Putting on socks", "score": 4}]},
        "startback": {"score": 5, "psychosocial": 3},
        "odi": {"sections": [2, 1, None, 3, 2, 1, 0, 2, 1, 1]},
        "rmdq": {"score": 7},
    }


def test_numbers_may_be_given_as_numbers() -> None:
    entry = MeasuresInput(nprs=3, activities=(ActivityInput("Walking", 7),), rmdq=0)
    assert checked(entry)["rmdq"] == {"score": 0}


def test_ticking_no_startback_score_leaves_it_out() -> None:
    assert "startback" not in checked(replace(GOOD, startback=NO_STARTBACK))


@pytest.mark.parametrize(("given", "code"), [("", "nprs.missing"), ("11", "nprs.out_of_range")])
def test_pain_now_is_a_whole_number_0_to_10(given: str, code: str) -> None:
    assert _codes(replace(GOOD, nprs=given)) == [(code, "nprs")]


@pytest.mark.parametrize("rating", ["6.5", "6,5", "5.0", "-1", "11", "x", True])
def test_psfs_ratings_are_whole_numbers_named_by_activity(rating: str | bool) -> None:
    entry = replace(GOOD, activities=(ActivityInput("Putting on socks", rating),))
    assert _refused(entry) == [
        ("psfs.rating_out_of_range", "psfs_score_1", {"slot": 1, "min": 0, "max": 10})
    ]


def test_a_named_activity_needs_its_rating() -> None:
    entry = replace(GOOD, activities=(SOCKS, ActivityInput("Lifting", "")))
    assert _codes(entry) == [("psfs.rating_missing", "psfs_score_2")]


def test_a_rating_needs_its_activity_named() -> None:
    entry = replace(GOOD, activities=(SOCKS, ActivityInput("  ", "5")))
    assert _refused(entry) == [("psfs.name_missing", "psfs_name_2", {"slot": 2})]


def test_at_least_one_activity_is_named() -> None:
    entry = replace(GOOD, activities=(ActivityInput(), ActivityInput()))
    assert _codes(entry) == [("psfs.no_activity", "psfs_name_1")]


def test_at_most_five_activities() -> None:
    entry = replace(GOOD, activities=tuple(ActivityInput(f"Task {n}", "5") for n in range(6)))
    assert _codes(entry) == [("psfs.too_many_activities", "psfs_name_6")]


def test_a_long_activity_name_is_cut_to_what_the_engine_keeps() -> None:
    entry = replace(GOOD, activities=(ActivityInput("x" * 150, "5"),))
    assert checked(entry)["psfs"]["activities"][0]["name"] == "x" * 100


def test_startback_is_entered_or_said_to_be_missing() -> None:
    assert _codes(_with_startback()) == [("startback.missing", "startback_score")]


def test_startback_is_not_both_ticked_and_entered() -> None:
    entry = replace(GOOD, startback=StartBackInput("4", "", none=True))
    assert _codes(entry) == [("startback.none_but_entered", "startback_none")]


@pytest.mark.parametrize(
    ("score", "psychosocial", "expected"),
    [
        ("10", "3", [("startback.score_out_of_range", "startback_score")]),
        ("4.5", "3", [("startback.score_out_of_range", "startback_score")]),
        ("4", "6", [("startback.psychosocial_out_of_range", "startback_psychosocial")]),
        ("", "3", [("startback.score_missing", "startback_score")]),
        ("4", "", [("startback.psychosocial_missing", "startback_psychosocial")]),
    ],
)
def test_startback_totals_are_in_range_and_both_given(
    score: str, psychosocial: str, expected: list[tuple[str, str]]
) -> None:
    assert _codes(_with_startback(score, psychosocial)) == expected


def test_the_subscore_is_part_of_the_total() -> None:
    assert _refused(_with_startback("2", "3")) == [
        ("startback.subscore_above_total", "startback_psychosocial", {"total": 2, "subscore": 3})
    ]


def test_items_1_to_4_add_at_most_4_points() -> None:
    assert _refused(_with_startback("7", "1")) == [
        (
            "startback.subscore_below_least",
            "startback_psychosocial",
            {"total": 7, "subscore": 1, "least": 3, "first_items": 4},
        )
    ]


def test_keeles_extremes_fit() -> None:
    assert checked(_with_startback("9", "5"))["startback"] == {"score": 9, "psychosocial": 5}
    assert checked(_with_startback("4", "0"))["startback"] == {"score": 4, "psychosocial": 0}


def test_odi_sections_are_whole_numbers_0_to_5() -> None:
    sections = ("2",) * 8 + ("6", "")
    assert _refused(replace(GOOD, odi_sections=sections)) == [
        ("odi.section_out_of_range", "odi_9", {"min": 0, "max": 5})
    ]


def test_odi_needs_8_sections_once_one_is_given() -> None:
    sections = ("2", "3", "1") + ("",) * 7
    assert _refused(replace(GOOD, odi_sections=sections)) == [
        ("odi.too_few_sections", None, {"least": 8, "sections": 10, "answered": 3})
    ]


def test_rmdq_is_a_whole_number_0_to_24() -> None:
    assert _codes(replace(GOOD, rmdq="25")) == [("rmdq.out_of_range", "rmdq")]


def test_every_problem_is_named_at_once() -> None:
    entry = MeasuresInput(
        nprs="",
        activities=(ActivityInput("Walking", "6.5"),),
        startback=StartBackInput("12", ""),
        odi_sections=("9",) + ("",) * 9,
        rmdq="-1",
    )
    assert _codes(entry) == [
        ("nprs.missing", "nprs"),
        ("psfs.rating_out_of_range", "psfs_score_1"),
        ("startback.score_out_of_range", "startback_score"),
        ("startback.psychosocial_missing", "startback_psychosocial"),
        ("odi.section_out_of_range", "odi_1"),
        ("rmdq.out_of_range", "rmdq"),
    ]


def test_each_code_has_words_its_params_fill() -> None:
    entry = MeasuresInput(
        nprs="",
        activities=(ActivityInput("Walking", "6.5"), ActivityInput("", "3")),
        startback=StartBackInput("7", "1"),
        odi_sections=("1", "1"),
    )
    for code, _, params in _refused(entry):
        assert ERRORS[code].format_map(params)


def _screened_person(app: App) -> Principal:
    with app.database.unit_of_work() as uow:
        assert accounts.sign_up(
            uow=uow, email="ana@example.com", password=PASSWORD, now=app.clock.at
        )
        person = Principal(uow.session.scalars(select(User.id)).one())
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(
            uow=uow,
            principal=person,
            person_id=person.user_id,
            answers=all_clear(age=44),
            today=app.clock.today(),
            now=app.clock.at,
        )
    return person


def _record(app: App, person: Principal, entry: MeasuresInput) -> dict[str, dict[str, Any]]:
    with app.database.unit_of_work() as uow:
        return onboarding.record_measures(
            uow=uow,
            principal=person,
            person_id=person.user_id,
            answers=entry,
            today=app.clock.today(),
            now=app.clock.at,
        )


def _kept(app: App) -> int:
    with app.database.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(Measure)) or 0


def test_the_use_case_checks_the_entry_and_keeps_nothing_refused(app: App) -> None:
    person = _screened_person(app)
    with pytest.raises(Invalid) as refused:
        _record(app, person, _with_startback("2", "3"))

    assert refused.value.code == "startback.subscore_above_total"
    assert _kept(app) == 0
    scored = _record(app, person, replace(GOOD, startback=NO_STARTBACK))
    assert set(scored) == {"nprs", "psfs"} and _kept(app) == 2


def test_every_code_of_a_refused_answer_is_listed_in_the_docs() -> None:
    listed = (Path(__file__).parents[2] / "docs" / "clinical-rules.md").read_text()
    assert [code for code in FORM_ERRORS if f"`{code}`" not in listed] == []
