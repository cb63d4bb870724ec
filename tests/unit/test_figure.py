"""The figure's forward kinematics: feet on the floor, lengths that never change, lying poses."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.figure import ANGLES, LENGTHS, LIMITS, Pose, limit_of, place

STANDING_PELVIS = LENGTHS["thigh"] + LENGTHS["shank"] + LENGTHS["heel"]


def test_standing_puts_both_feet_flat_on_the_floor() -> None:
    points = place(Pose((0.0, STANDING_PELVIS, 0.0)))
    for side in ("left", "right"):
        assert abs(points[f"heel_{side}"][1]) < 1e-9
        assert abs(points[f"toe_{side}"][1]) < 1e-9
        assert points[f"toe_{side}"][0] > points[f"heel_{side}"][0]  # toes point forward
    assert points["head"][1] > points["neck"][1] > points["pelvis"][1]
    assert points["hip_left"][2] > 0 > points["hip_right"][2]  # z is to the person's left


def test_lying_on_the_back_puts_the_body_along_x_with_the_head_toward_minus_x() -> None:
    points = place(Pose((0.0, 0.1, 0.0), pitch=90))
    for name in ("pelvis", "neck", "head", "knee_left", "ankle_right"):
        assert abs(points[name][1] - 0.1) < 1e-9, name
    assert points["head"][0] < points["neck"][0] < 0 < points["knee_left"][0]


def test_lying_on_the_left_side_puts_the_left_hip_below_the_right() -> None:
    points = place(Pose((0.0, 0.15, 0.0), roll=90))
    assert points["hip_left"][1] < points["pelvis"][1] < points["hip_right"][1]
    assert points["head"][2] > 0.5  # the head toward +z


def test_every_angle_has_sane_limits_that_include_standing() -> None:
    for name in ANGLES:
        low, high = limit_of(name)
        assert low <= 0 <= high, name
        assert high - low >= 30, name
    assert set(LIMITS) <= {name.removesuffix("_left").removesuffix("_right") for name in ANGLES}


SEGMENTS = (
    ("pelvis", "mid_back", "lower_trunk"),
    ("mid_back", "neck", "upper_trunk"),
    ("hip_left", "knee_left", "thigh"),
    ("knee_right", "ankle_right", "shank"),
    ("shoulder_left", "elbow_left", "upper_arm"),
    ("elbow_right", "wrist_right", "forearm"),
    ("heel_left", "toe_left", "foot"),
)
angle_values = st.fixed_dictionaries(
    {name: st.floats(*limit_of(name), allow_nan=False) for name in ANGLES}
)
degrees = st.floats(-180, 180, allow_nan=False)


@given(angles=angle_values, yaw=degrees, pitch=degrees, roll=degrees)
def test_segment_lengths_stay_the_same_in_any_pose(
    angles: dict[str, float], yaw: float, pitch: float, roll: float
) -> None:
    points = place(Pose((0.3, 0.5, -0.2), yaw=yaw, pitch=pitch, roll=roll, angles=angles))
    for start, end, segment in SEGMENTS:
        assert math.isclose(math.dist(points[start], points[end]), LENGTHS[segment], abs_tol=1e-9)


def test_the_spine_is_straight_until_the_upper_angles_bend_it() -> None:
    angles = {"trunk_flexion": 20.0, "trunk_twist": 10.0}
    straight = place(Pose((0.0, 0.5, 0.0), angles=angles))
    assert math.isclose(
        math.dist(straight["pelvis"], straight["neck"]), LENGTHS["trunk"], abs_tol=1e-9
    )
    bent = place(Pose((0.0, 0.5, 0.0), angles={**angles, "upper_flexion": 30.0}))
    assert bent["mid_back"] == straight["mid_back"]
    assert math.dist(bent["pelvis"], bent["neck"]) < LENGTHS["trunk"] - 0.01
    assert bent["neck"][0] > straight["neck"][0]  # the upper back rounds forward
