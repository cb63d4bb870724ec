"""Nothing passes through a prop: a bench (joints and the limbs between them) or a wall."""

from __future__ import annotations

from dataclasses import replace

from backcoach.catalogue import default_demos
from backcoach.engine.demo import Contact, Demo, Prop
from backcoach.engine.demo_checks import check_demo
from backcoach.engine.figure import place

DEMOS = default_demos()


def moved(demo: Demo, dx: float) -> Demo:
    """The demo with the figure shifted forward by dx metres in every keyframe."""
    frames = tuple(
        replace(k, pose=replace(k.pose, pelvis=(k.pose.pelvis[0] + dx, *k.pose.pelvis[1:])))
        for k in demo.keyframes
    )
    return replace(demo, keyframes=frames)


def test_the_shipped_wall_demos_touch_the_wall_where_they_should() -> None:
    hinge = DEMOS["wall_hip_hinge"].keyframes[1]
    assert Contact("pelvis", "wall") in hinge.contacts  # the hips reach back to the wall
    circle = DEMOS["standing_hip_circle"]
    assert all(Contact("hand_right", "wall") in k.contacts for k in circle.keyframes)


def test_a_figure_through_the_wall_is_a_problem() -> None:
    demo = moved(DEMOS["wall_hip_hinge"], -0.25)  # hips pushed 25 cm back, past the wall
    problems = check_demo(demo)
    assert any("through the wall" in p for p in problems)


def test_a_hand_that_leaves_the_wall_is_a_problem() -> None:
    demo = replace(DEMOS["standing_hip_circle"], props=(Prop("wall", (-0.7,)),))
    problems = check_demo(demo)
    assert any("hand_right@wall does not touch the wall" in p for p in problems)


def test_a_wall_contact_without_a_wall_is_a_problem() -> None:
    demo = replace(DEMOS["standing_hip_circle"], props=())
    assert any("names a wall but the demo has none" in p for p in check_demo(demo))


def test_a_limb_crossing_a_bench_between_its_joints_is_a_problem() -> None:
    # A narrow bench under the middle of the lying figure's shin: no joint is inside it, but
    # the shank passes through it.
    bridge = DEMOS["glute_bridge"]
    start = bridge.keyframes[0]
    points = place(start.pose)
    knee, ankle = points["knee_left"], points["ankle_left"]
    middle, height = (knee[0] + ankle[0]) / 2, (knee[1] + ankle[1]) / 2 + 0.05
    bench = Prop("bench", (middle - 0.03, middle + 0.03), height=height)
    demo = replace(bridge, props=(bench,), keyframes=(start, bridge.keyframes[1]))
    problems = check_demo(demo)
    assert any(p.endswith("shank_left is inside the bench") for p in problems)
    assert not any("knee_left is inside" in p or "ankle_left is inside" in p for p in problems)


def test_a_weight_through_the_floor_is_a_problem() -> None:
    deadlift = DEMOS["kettlebell_deadlift"]
    assert check_demo(deadlift) == []  # the bell hangs under the hands, clear of the floor
    on_the_toes = replace(deadlift, props=(Prop("kettlebell", at="toe_left"),))
    problems = check_demo(on_the_toes)
    assert any("the kettlebell is 16 cm through the floor" in p for p in problems)
