"""Every shipped demonstration is physically sound, and says what one repetition is."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.catalogue import Catalogue
from backcoach.engine.demo import (
    Contact,
    Demo,
    Keyframe,
    Prop,
    demo_duration,
    rep_ranges,
)
from backcoach.engine.demo_checks import check_demo
from backcoach.engine.figure import LENGTHS, Pose, place
from backcoach.engine.motion import interpolate, planted_problems, pose_at, transit_problems
from backcoach.engine.vocabulary import Laterality

DEMOS = default_demos()
IDS = sorted(DEMOS)
EXEMPLARS = ("glute_bridge", "clam", "dead_bug", "front_plank")


def test_the_exemplars_are_shipped() -> None:
    assert set(EXEMPLARS) <= set(DEMOS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_each_demonstration_is_physically_sound(exercise_id: str) -> None:
    demo = DEMOS[exercise_id]
    unilateral = default_catalogue().get(exercise_id).laterality is Laterality.UNILATERAL
    assert check_demo(demo, unilateral=unilateral) == []


@pytest.mark.parametrize("exercise_id", IDS)
def test_no_point_passes_through_the_floor_between_keyframes(exercise_id: str) -> None:
    assert transit_problems(DEMOS[exercise_id]) == []


@pytest.mark.parametrize("exercise_id", IDS)
def test_planted_contacts_stay_put_between_keyframes(exercise_id: str) -> None:
    assert planted_problems(DEMOS[exercise_id]) == []


def test_the_transit_check_finds_a_body_sinking_through_the_floor() -> None:
    bridge = DEMOS["glute_bridge"]
    start = bridge.keyframes[0]
    x, y, z = start.pose.pelvis
    sunk = replace(start, name="sunk", pose=replace(start.pose, pelvis=(x, y - 0.3, z)))
    problems = transit_problems(replace(bridge, keyframes=(start, sunk)))
    assert any("below the floor" in problem for problem in problems)


@pytest.mark.parametrize("exercise_id", IDS)
def test_each_demonstration_defines_a_repetition_around_its_rep_angle(exercise_id: str) -> None:
    demo = DEMOS[exercise_id]
    ranges = rep_ranges(demo)
    assert ranges
    low, high = ranges[demo.rep_angle]
    assert high - low >= 15
    assert demo_duration(demo) > 0


def test_every_prescribable_exercise_has_a_demonstration(catalogue: Catalogue) -> None:
    missing = [e.id for e in catalogue.exercises if e.prescribable and e.id not in DEMOS]
    assert missing == [], f"no demonstration yet: {', '.join(missing)}"


def test_the_curl_up_lifts_head_and_shoulders_a_few_centimetres_over_hands_under_the_back() -> None:
    demo = DEMOS["mcgill_curl_up"]
    start, top = (place(k.pose) for k in demo.keyframes)
    for keyframe in demo.keyframes:
        # the low back and the neck stay still: only the upper back turns, a little
        assert keyframe.pose.angle("trunk_flexion") == 0
        assert keyframe.pose.angle("neck_flexion") == 0
        assert {"hand_left", "hand_right", "pelvis"} <= {c.point for c in keyframe.contacts}
        points = place(keyframe.pose)
        for side in ("left", "right"):
            x, y, z = points[f"hand_{side}"]
            assert points["mid_back"][0] < x < points["pelvis"][0]  # under the lumbar spine
            assert abs(z) < LENGTHS["hip_half_width"] and y < 0.03
    assert top["mid_back"] == pytest.approx(start["mid_back"])
    assert 0.03 <= top["neck"][1] - start["neck"][1] <= 0.08  # shoulders: a few centimetres
    assert top["head"][1] - start["head"][1] <= 0.15


def test_the_side_lying_hip_lift_raises_the_hips_part_way_from_the_floor() -> None:
    resting, lifted = DEMOS["side_lying_hip_lift"].keyframes
    assert "pelvis" in {c.point for c in resting.contacts}  # the hips start on the floor
    for keyframe in (resting, lifted):
        assert {"elbow_left", "knee_left"} <= {c.point for c in keyframe.contacts}
    full_side_plank = DEMOS["knee_side_plank"].keyframes[-1]
    assert resting.pose.pelvis[1] < lifted.pose.pelvis[1] < full_side_plank.pose.pelvis[1]


# --- the checks catch what they should ---------------------------------------------------------


def bridge() -> Demo:
    return default_demos()["glute_bridge"]


def with_first_pose(demo: Demo, pose: Pose) -> Demo:
    first = replace(demo.keyframes[0], pose=pose)
    return replace(demo, keyframes=(first, *demo.keyframes[1:]))


def test_an_angle_beyond_its_limit_is_a_problem() -> None:
    pose = bridge().keyframes[0].pose
    bent = replace(pose, angles=MappingProxyType({**pose.angles, "knee_flexion_left": 170}))
    problems = check_demo(with_first_pose(bridge(), bent))
    assert any("knee_flexion_left = 170 is outside its limit" in p for p in problems)


def test_a_body_below_the_floor_is_a_problem() -> None:
    pose = bridge().keyframes[0].pose
    sunk = replace(pose, pelvis=(0.0, -0.05, 0.0))
    problems = check_demo(with_first_pose(bridge(), sunk))
    assert any("below the floor" in p for p in problems)
    assert any("trunk sinks into the floor" in p for p in problems)


def test_a_contact_that_floats_is_a_problem() -> None:
    pose = bridge().keyframes[0].pose
    floating = replace(pose, pelvis=(0.0, 0.4, 0.0))
    problems = check_demo(with_first_pose(bridge(), floating))
    assert any("heel_left does not touch the floor" in p for p in problems)


def test_a_point_inside_a_bench_is_a_problem_unless_it_rests_on_it() -> None:
    demo = replace(bridge(), props=(Prop("bench", (-0.3, 0.3), 0.42),))
    assert any("inside the bench" in p for p in check_demo(demo))
    first = demo.keyframes[0]
    on_bench = replace(first, contacts=(Contact("hand_left", "bench"),))
    problems = check_demo(replace(demo, keyframes=(on_bench, *demo.keyframes[1:])))
    assert any("hand_left@bench does not touch the bench" in p for p in problems)


def test_a_rep_angle_that_hardly_moves_is_a_problem() -> None:
    still = replace(bridge(), rep_angle="trunk_twist")
    assert any("rep angle trunk_twist changes 0 degrees" in p for p in check_demo(still))


def test_a_unilateral_demo_without_a_working_side_is_a_problem() -> None:
    demo = replace(DEMOS["clam"], working_side="both")
    assert any("working side" in p for p in check_demo(demo, unilateral=True))


# --- what one repetition is, and the motion between keyframes ---------------------------------


def test_the_bridge_repetition_is_hip_extension_from_55_to_0_degrees() -> None:
    ranges = rep_ranges(bridge())
    assert ranges["hip_flexion_left"] == (0.0, 55.0)
    assert "trunk_twist" not in ranges  # angles that do not move are not part of the rep


def test_the_motion_holds_at_keyframes_and_passes_between_them() -> None:
    demo = bridge()
    start, top = demo.keyframes[0], demo.keyframes[1]
    assert pose_at(demo, 0.0) == start.pose
    assert pose_at(demo, start.hold + start.move + 0.1) == top.pose
    middle = pose_at(demo, start.hold + start.move / 2)
    assert 0 < middle.angle("hip_flexion_left") < 55
    assert demo_duration(demo) == sum(k.hold + k.move for k in demo.keyframes)


def test_interpolation_is_in_angle_space() -> None:
    a = Pose((0.0, 0.1, 0.0), pitch=90, angles={"knee_flexion_left": 0})
    b = Pose((0.2, 0.3, 0.0), pitch=110, angles={"knee_flexion_left": 100})
    half = interpolate(a, b, 0.5)
    assert half.pelvis == pytest.approx((0.1, 0.2, 0.0))
    assert half.pitch == 100 and half.angle("knee_flexion_left") == 50


def test_keyframe_is_a_plain_record() -> None:
    keyframe = Keyframe("x", 0.0, 1.0, Pose((0.0, 0.9, 0.0)))
    assert keyframe.contacts == ()
