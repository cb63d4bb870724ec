"""Motion between keyframes: contacts planted in both keyframes of a move stay where they are."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from backcoach.catalogue import default_demos
from backcoach.engine.demo import Contact, Demo, Keyframe, Prop, demo_duration
from backcoach.engine.demo_checks import check_demo
from backcoach.engine.figure import Pose, place
from backcoach.engine.motion import (
    ease,
    interpolate,
    interpolate_keyframes,
    loop_samples,
    passes_through,
    planted_contacts,
    planted_problems,
    pose_at,
    transit_problems,
)

FEET = tuple(Contact(f"{part}_{side}") for side in ("left", "right") for part in ("heel", "toe"))


def legs(hip: float, knee: float, ankle: float) -> dict[str, float]:
    return {
        f"{joint}_{side}": value
        for side in ("left", "right")
        for joint, value in (("hip_flexion", hip), ("knee_flexion", knee), ("ankle_flexion", ankle))
    }


def standing_on(pose: Pose, point: str = "heel_left", x: float = 0.0) -> Pose:
    """The pose moved so that point is on the floor at x."""
    at = place(pose)[point]
    px, py, pz = pose.pelvis
    return replace(pose, pelvis=(px + x - at[0], py - at[1], pz))


STAND = standing_on(Pose((0.0, 0.0, 0.0), angles=legs(0, 0, 0)))
# Feet flat: pitch + hip - knee + ankle = 0, shins tilted 30 degrees forward.
SQUAT = standing_on(Pose((0.0, 0.0, 0.0), pitch=-20, angles=legs(90, 100, 30)))
STANDING = Keyframe("standing", 0.0, 2.0, STAND, FEET)
SQUATTING = Keyframe("squat", 1.0, 2.0, SQUAT, FEET)


def demo_of(*keyframes: Keyframe) -> Demo:
    return Demo("squat", "side", "both", "hip_flexion_left", (), keyframes)


def test_the_squat_keyframes_are_sound_with_the_heels_on_the_same_spot() -> None:
    assert check_demo(demo_of(STANDING, SQUATTING)) == []
    assert place(STAND)["heel_left"] == pytest.approx(place(SQUAT)["heel_left"], abs=1e-9)


def test_plain_interpolation_lets_a_planted_foot_skate_and_sink() -> None:
    heel = place(interpolate(STAND, SQUAT, 0.5))["heel_left"]
    assert heel[0] > 0.03  # 4 cm forward
    assert heel[1] < -0.05  # 8 cm into the floor


@pytest.mark.parametrize("fraction", [0.1, 0.25, 0.5, 0.75, 0.9])
def test_a_planted_foot_stays_still_between_keyframes(fraction: float) -> None:
    pose = interpolate_keyframes(STANDING, SQUATTING, fraction)
    points = place(pose)
    for contact in FEET:
        assert points[contact.point] == pytest.approx(place(STAND)[contact.point], abs=1e-6)
    plain = interpolate(STAND, SQUAT, fraction)
    assert pose.angles == plain.angles  # only the figure's position changes, never an angle
    assert (pose.yaw, pose.pitch, pose.roll) == (plain.yaw, plain.pitch, plain.roll)


def test_the_animation_keeps_the_feet_planted() -> None:
    demo = demo_of(STANDING, SQUATTING)
    half_way = pose_at(demo, STANDING.hold + STANDING.move / 2)
    assert half_way == interpolate_keyframes(STANDING, SQUATTING, ease(0.5))
    assert place(half_way)["toe_right"] == pytest.approx(place(STAND)["toe_right"], abs=1e-6)
    assert planted_problems(demo) == []
    assert transit_problems(demo) == []


@pytest.mark.parametrize(
    ("start", "end"),
    [(STANDING, SQUATTING), tuple(default_demos()["hip_thrust"].keyframes[:2])],
)
def test_the_keyframes_themselves_are_reached_exactly(start: Keyframe, end: Keyframe) -> None:
    for fraction, keyframe in ((0.0, start), (1.0, end)):
        pose = interpolate_keyframes(start, end, fraction)
        assert pose.pelvis == pytest.approx(keyframe.pose.pelvis, abs=1e-9)
        for name, value in keyframe.pose.angles.items():
            assert pose.angle(name) == pytest.approx(value, abs=1e-9)
        placed, wanted = place(pose), place(keyframe.pose)
        for name in wanted:
            assert placed[name] == pytest.approx(wanted[name], abs=1e-9)


def test_without_shared_contacts_the_motion_is_plain_interpolation() -> None:
    lifted = replace(SQUATTING, contacts=())  # nothing touches in one of the two keyframes
    assert planted_contacts(STANDING, lifted) == ()
    for fraction in (0.0, 0.3, 0.5, 1.0):
        assert interpolate_keyframes(STANDING, lifted, fraction) == interpolate(
            STAND, SQUAT, fraction
        )
    demo = demo_of(STANDING, lifted)
    assert pose_at(demo, 1.0) == interpolate(STAND, SQUAT, ease(0.5))
    assert planted_problems(demo) == []


def test_a_contact_is_planted_only_on_the_same_surface_in_both_keyframes() -> None:
    on_floor = replace(STANDING, contacts=(Contact("hand_left"), Contact("heel_left")))
    on_bench = replace(SQUATTING, contacts=(Contact("hand_left", "bench"), Contact("heel_left")))
    assert planted_contacts(on_floor, on_bench) == (Contact("heel_left"),)


def test_the_check_reports_a_hand_that_sweeps_along_the_floor() -> None:
    # A snow angel: the hand sweeps a quarter circle on the floor; listing it as planted in both
    # keyframes is wrong, and one shift of the figure cannot keep it on the straight line.
    lying = tuple(map(Contact, ("pelvis", "shoulder_left", "shoulder_right", "head", "hand_left")))
    side = Keyframe("side", 0.0, 1.0, Pose((0.0, 0.1, 0.0), pitch=90), lying)
    arm_up = Pose((0.0, 0.1, 0.0), pitch=90, angles={"shoulder_abduction_left": 170})
    overhead = Keyframe("overhead", 0.0, 1.0, arm_up, lying)
    problems = planted_problems(demo_of(side, overhead))
    prefix = "moving from 'side' to 'overhead': hand_left slides "
    slides = [p for p in problems if p.startswith(prefix)]
    assert len(slides) == 1
    assert slides[0].endswith(" cm")
    assert float(slides[0].removeprefix(prefix).removesuffix(" cm")) > 40


def test_the_check_reports_a_heel_that_lifts_off_the_floor() -> None:
    # Rising onto the toes with the heels (wrongly) listed as planted in the top keyframe too.
    tiptoe = standing_on(Pose((0.0, 0.0, 0.0), angles=legs(0, 0, -40)), "toe_left", 0.2275)
    top = Keyframe("top", 1.0, 1.0, tiptoe, FEET)
    problems = planted_problems(demo_of(STANDING, top))
    assert any(
        p.startswith("moving from 'standing' to 'top': heel_left lifts to ")
        and p.endswith("cm above the floor (touching is -1 to 3 cm)")
        for p in problems
    )


def test_the_check_measures_a_wall_contact_from_the_wall() -> None:
    # A hand pressed on a wall in front (arm forward), then raised overhead: it leaves the wall.
    reach = replace(STAND, angles={**STAND.angles, "shoulder_flexion_right": 90})
    raised = replace(STAND, angles={**STAND.angles, "shoulder_flexion_right": 170})
    wall = place(reach)["hand_right"][0]
    hand = (Contact("hand_right", "wall"),)
    on_wall = Keyframe("on_wall", 0.0, 1.0, reach, FEET + hand)
    overhead = Keyframe("overhead", 0.0, 1.0, raised, FEET + hand)
    demo = replace(demo_of(on_wall, overhead), props=(Prop("wall", (wall,)),))
    problems = planted_problems(demo)
    assert any(
        p.startswith("moving from 'on_wall' to 'overhead': hand_right@wall lifts to ")
        and "cm from the wall" in p
        for p in problems
    )


def test_a_planted_contact_may_slide_along_the_straight_line_between_its_spots() -> None:
    slide = default_demos()["heel_slide"]
    start, out = slide.keyframes[0], slide.keyframes[1]
    assert Contact("heel_left") in planted_contacts(start, out)
    travel = math.dist(place(start.pose)["heel_left"], place(out.pose)["heel_left"])
    assert travel > 0.3  # the heel slides 34 cm along the floor, as the exercise says
    assert planted_problems(slide) == []


def test_a_half_way_keyframe_is_passed_through_without_a_stop() -> None:
    demo = default_demos()["hip_thrust"]
    names = [k.name for k in demo.keyframes]
    half_way = names.index("half_way_up")
    assert passes_through(demo, half_way)
    at = sum(k.hold + k.move for k in demo.keyframes[:half_way])  # the via point's time
    before, after = pose_at(demo, at - 0.05), pose_at(demo, at + 0.05)
    speed = abs(after.angle("hip_flexion_left") - before.angle("hip_flexion_left")) / 0.1
    assert speed > 20  # degrees a second: still moving, not easing to a stop


def test_a_turning_point_without_a_hold_is_still_a_stop() -> None:
    demo = default_demos()["kneeling_pallof_press"]  # chest (no hold) -> pressed -> back
    assert not passes_through(demo, 0)
    assert not passes_through(demo, 1)  # pressed is held
    squat = demo_of(STANDING, SQUATTING, replace(STANDING, name="up"))
    assert not passes_through(squat, 2)  # up, then down again: a reversal


def test_the_loop_samples_start_and_end_at_the_first_keyframe() -> None:
    demo = default_demos()["hip_thrust"]
    samples = loop_samples(demo, 8)
    assert samples[0] == (0.0, demo.keyframes[0].pose)
    assert samples[-1] == (demo_duration(demo), demo.keyframes[0].pose)
    times = [t for t, _ in samples]
    assert times == sorted(times)
