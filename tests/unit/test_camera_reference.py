"""Motion references: one for every exercise, judgeable where the demonstration moves a limb
the camera can see, "cannot judge" with a reason for holds and spine-only drills, plain JSON,
and every code has words."""

from __future__ import annotations

import json
from functools import cache

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.camera_counter import MEASURE_POINTS
from backcoach.engine.camera_faults import FAULT_CODES
from backcoach.engine.camera_landmarks import LANDMARK, LANDMARK_COUNT
from backcoach.engine.camera_reference import (
    CANNOT_JUDGE_HOLD,
    CANNOT_JUDGE_NO_DEMO,
    CANNOT_JUDGE_PLACEMENT,
    CANNOT_JUDGE_SPINE,
    REASONS,
    MotionReference,
    references,
)
from backcoach.engine.vocabulary import Category
from backcoach.wording.camera_words import CANNOT_JUDGE, FAULT_CUES, PLACEMENT


@cache
def _references() -> dict[str, MotionReference]:
    return references(default_catalogue().exercises, default_demos())


def test_every_exercise_has_a_reference_and_the_strength_ones_with_reps_are_judged() -> None:
    catalogue = default_catalogue()
    refs = _references()
    assert set(refs) == {e.id for e in catalogue.exercises}
    judged = {i for i, r in refs.items() if r.judgeable}
    # Every glute bridge and hip thrust, every dead bug and leg lower is counted.
    hip_extension = {e.id for e in catalogue.by_category[Category.HIP_EXTENSION]}
    assert hip_extension <= judged
    assert {"dead_bug", "active_leg_raise", "double_leg_lowering", "clam"} <= judged
    assert len(judged) >= 35


def test_holds_spine_drills_and_undemonstrated_exercises_say_why_not() -> None:
    refs = _references()
    assert refs["cat_camel"].reason == CANNOT_JUDGE_SPINE
    assert refs["pelvic_tilt"].reason == CANNOT_JUDGE_SPINE
    assert refs["front_plank"].reason == CANNOT_JUDGE_HOLD
    assert refs["crunch"].reason == CANNOT_JUDGE_NO_DEMO
    # Its rotation reads differently as soon as the phone stands a little differently.
    assert refs["hip_airplane"].reason == CANNOT_JUDGE_PLACEMENT
    assert json.loads(json.dumps(refs["cat_camel"].to_json()))["judgeable"] is False


def test_a_bridge_counts_the_hip_angle_from_the_side_and_checks_the_low_back() -> None:
    bridge = _references()["glute_bridge"]
    data = bridge.to_json()
    assert data["camera"] == {"side": "left", "whole_body": True}
    count = data["count"]
    assert isinstance(count, dict)
    assert count["name"] == "hip_angle_left"
    assert count["measure"]["points"] == [
        [LANDMARK["left_shoulder"]],
        [LANDMARK["left_hip"]],
        [LANDMARK["left_knee"]],
    ]
    # The demonstration goes from a bent hip to a straight line shoulder-hip-knee.
    assert 115 < count["rest"] < 135 and count["far"] > 170
    arch = next(f for f in bridge.faults if f.code == "low_back.arch")
    low_back = default_catalogue().get("glute_bridge").low_back_fix
    assert arch.judged and arch.low_back
    assert low_back is not None
    assert default_catalogue().get("glute_bridge").faults[arch.catalogue_faults[0]] == low_back
    assert [p.name for p in bridge.phases] == ["start", "top"]
    assert bridge.phases[0].progress == 0 and bridge.phases[1].progress > 0.9


def test_a_band_walk_checks_the_knees_over_the_feet_from_the_front() -> None:
    walk = _references()["lateral_band_walk"]
    assert walk.camera_side == "front"
    knees = next(f for f in walk.faults if f.code == "knee.inward")
    assert knees.judged and not knees.low_back


def test_references_are_plain_json_with_landmarks_in_range() -> None:
    for reference in _references().values():
        data = json.loads(json.dumps(reference.to_json()))
        if not data["judgeable"]:
            assert data["reason"] in REASONS
            continue
        measures = [data["count"]["measure"]] + [
            f["measure"] for f in data["faults"] if f["judged"]
        ]
        for spec in measures:
            assert len(spec["points"]) == MEASURE_POINTS[spec["kind"]]
            assert all(0 <= i < LANDMARK_COUNT for group in spec["points"] for i in group)
        for fault in data["faults"]:
            assert fault["code"] in FAULT_CODES
            assert fault["judged"] or fault["reason"] in REASONS


def test_every_code_has_words() -> None:
    assert set(FAULT_CODES) | {"rep.half"} == set(FAULT_CUES)
    assert set(REASONS) == set(CANNOT_JUDGE)
    assert {r.camera_side for r in _references().values() if r.judgeable} <= set(PLACEMENT)
