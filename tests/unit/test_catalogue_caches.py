"""Work cached per catalogue: each catalogue has its own, and a cached answer equals a fresh one."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from importlib import resources
from typing import Any

import pytest

from backcoach.engine.catalogue import Catalogue, parse_catalogue
from backcoach.engine.ladder import Ladder
from backcoach.engine.plan import Plan
from backcoach.engine.prescription import _choices, _choose, prescribe
from backcoach.engine.vocabulary import Equipment, Level
from backcoach.wording.reasons import say
from tests.builders import profile

START = date(2026, 11, 2)
EVERY_KIT = frozenset(Equipment)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    text = resources.files("backcoach.catalogue").joinpath("exercises.toml").read_text("utf-8")
    return tomllib.loads(text)


def _changed(raw: dict[str, Any], exercise_id: str, **fields: Any) -> Catalogue:
    data = copy.deepcopy(raw)
    for item in data["exercise"]:
        if item["id"] == exercise_id or exercise_id == "*":
            item.update(fields)
    return parse_catalogue(data)


def _plan(catalogue: Catalogue, **changes: Any) -> Plan:
    result = prescribe(profile(**changes), catalogue, START)
    assert isinstance(result, Plan)
    return result


def test_two_catalogues_with_the_same_ids_each_get_their_own_plan(raw: dict[str, Any]) -> None:
    first = parse_catalogue(raw)
    second = _changed(raw, "*", summary="Said another way.")
    for catalogue in (first, second, first):
        plan = _plan(catalogue, level=Level.INTERMEDIATE, equipment=EVERY_KIT)
        for item in plan.exercises + plan.mobility:
            assert item.exercise is catalogue.get(item.exercise.id)
            assert item.reason.values["exercise"] == item.exercise.id
            assert item.exercise.summary in say(item.reason, exercises=catalogue.get)
    assert "Said another way." not in say(_plan(first).exercises[0].reason, exercises=first.get)


def test_a_plan_made_with_every_cache_cleared_equals_the_cached_one(
    catalogue: Catalogue,
) -> None:
    kinds = [
        {"level": level, "pain": pain, "equipment": kit}
        for level in Level
        for pain in (2, 8)
        for kit in (frozenset(), frozenset({Equipment.BAND}), EVERY_KIT)
    ]
    for kind in kinds:
        _choose.cache_clear()
        _choices.cache_clear()
        fresh = _plan(catalogue, **kind)
        assert _plan(catalogue, **kind) == fresh


def test_the_ladder_follows_the_links_of_its_own_catalogue(raw: dict[str, Any]) -> None:
    shipped = parse_catalogue(raw)
    cut = _changed(raw, "active_leg_raise", regressions=[])
    ladders = {c: Ladder(c, EVERY_KIT, frozenset(), set()) for c in (shipped, cut)}
    easier = ladders[shipped].easier(shipped.get("active_leg_raise"))
    assert easier is shipped.get("supported_single_leg_lower")
    assert ladders[cut].easier(cut.get("active_leg_raise")) is None
    # An exercise of another catalogue object is walked by its own links, resolved here.
    assert ladders[cut].easier(shipped.get("active_leg_raise")) is cut.get(
        "supported_single_leg_lower"
    )


def test_a_cached_ladder_step_equals_a_step_walked_afresh(raw: dict[str, Any]) -> None:
    shipped, twin = parse_catalogue(raw), parse_catalogue(raw)
    for owned in (frozenset(), frozenset({Equipment.BAND}), EVERY_KIT):
        ladder = Ladder(shipped, owned, frozenset(), set())
        for exercise in shipped.exercises:
            # The twin's exercise is foreign to `shipped`, so its rungs are walked, not cached.
            foreign = twin.get(exercise.id)
            assert ladder.easier(exercise) is ladder.easier(foreign)
            assert ladder.harder(exercise) is ladder.harder(foreign)
