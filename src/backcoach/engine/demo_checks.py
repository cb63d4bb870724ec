"""The physical checks of a demonstration: limits, floor, props, contacts, lengths, the rep.

Every keyframe of every shipped demonstration passes them (tests/unit/test_demonstrations.py);
docs/demonstrations.md lists them with their tolerances. The motion between keyframes is checked
in motion.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from backcoach.engine.demo import CONTACT_BANDS, WEIGHTS, Demo, Keyframe, Prop, weight_centre
from backcoach.engine.figure import ANGLES, LENGTHS, RADII, SEGMENTS, SIDES, limit_of, place

FLOOR_TOLERANCE = 0.01  # a point may dip 1 cm below the floor (soft tissue, rounding)
SINK_TOLERANCE = 0.02  # a limb's centre line may come 2 cm closer to the floor than its radius
BENCH_TOLERANCE = 0.02
LENGTH_TOLERANCE = 0.001
MIN_REP_CHANGE = 15.0  # degrees the rep angle must move for a repetition to be visible
#: Segment lengths a keyframe must keep: (from point, to point, length).
_LENGTH_CHECKS: tuple[tuple[str, str, float], ...] = (
    ("pelvis", "mid_back", LENGTHS["lower_trunk"]),
    ("mid_back", "neck", LENGTHS["upper_trunk"]),
    ("neck", "head", LENGTHS["neck"] + LENGTHS["head"]),
    *(
        (f"{a}_{side}", f"{b}_{side}", LENGTHS[length])
        for side in SIDES
        for a, b, length in (
            ("hip", "knee", "thigh"),
            ("knee", "ankle", "shank"),
            ("heel", "toe", "foot"),
            ("shoulder", "elbow", "upper_arm"),
            ("elbow", "wrist", "forearm"),
            ("wrist", "hand", "hand"),
        )
    ),
    *(("pelvis", f"hip_{side}", LENGTHS["hip_half_width"]) for side in SIDES),
)


def check_demo(demo: Demo, *, unilateral: bool = False) -> list[str]:
    """Every physical problem of a demo as a readable line (an empty list: it is sound).

    ``unilateral`` says the exercise works one side at a time, so a working side must be named.
    """
    problems: list[str] = []
    if unilateral and demo.working_side == "both":
        problems.append("a unilateral exercise must name its working side (left or right)")
    for keyframe in demo.keyframes:
        where = f"keyframe {keyframe.name!r}"
        problems += [f"{where}: {p}" for p in _keyframe_problems(keyframe, demo.props)]
    values = [k.pose.angle(demo.rep_angle) for k in demo.keyframes]
    change = max(values) - min(values)
    if change < MIN_REP_CHANGE:
        problems.append(
            f"rep angle {demo.rep_angle} changes {change:.0f} degrees across the keyframes "
            f"(at least {MIN_REP_CHANGE:.0f} needed)"
        )
    return problems


def _keyframe_problems(keyframe: Keyframe, props: Sequence[Prop]) -> list[str]:
    problems: list[str] = []
    benches = [p for p in props if p.kind == "bench"]
    walls = [p for p in props if p.kind == "wall"]
    pose = keyframe.pose
    for name in ANGLES:
        value = pose.angle(name)
        low, high = limit_of(name)
        if not low <= value <= high:
            problems.append(f"{name} = {value:g} is outside its limit {low:g} to {high:g}")
    points = place(pose)
    for name, (_, y, _) in points.items():
        if y < -FLOOR_TOLERANCE:
            problems.append(f"{name} is {-y * 100:.0f} cm below the floor")
    for segment, start, end, radius_key in SEGMENTS:
        lowest = min(points[start][1], points[end][1])
        radius = RADII[radius_key]
        if lowest < radius - SINK_TOLERANCE:
            problems.append(
                f"{segment} sinks into the floor (centre line {lowest * 100:.0f} cm up, "
                f"thickness {radius * 100:.0f} cm)"
            )
    for start, end, length in _LENGTH_CHECKS:
        actual = math.dist(points[start], points[end])
        if abs(actual - length) > LENGTH_TOLERANCE:
            problems.append(f"{start}-{end} is {actual:.3f} m long, not {length:.3f} m")
    problems += _contact_problems(keyframe, points, benches, walls)
    problems += _bench_problems(keyframe, points, benches)
    for prop in props:
        if prop.kind in WEIGHTS:
            radius = WEIGHTS[prop.kind][0]
            bottom = weight_centre(prop, points)[1] - radius
            if bottom < -FLOOR_TOLERANCE:
                problems.append(f"the {prop.kind} is {-bottom * 100:.0f} cm through the floor")
    for wall in walls:
        problems += _wall_problems(points, wall.x[0])
    return problems


#: Points along each segment checked against a bench (a limb can cross a corner between joints).
_SEGMENT_SAMPLES = (0.25, 0.5, 0.75)


def _bench_problems(
    keyframe: Keyframe, points: Mapping[str, tuple[float, float, float]], benches: Sequence[Prop]
) -> list[str]:
    """Joints, and points along each limb, may not be inside a bench unless resting on it."""
    problems: list[str] = []
    on_bench = {c.point for c in keyframe.contacts if c.surface == "bench"}
    checked: list[tuple[str, tuple[float, float, float]]] = [
        (name, point) for name, point in points.items() if name not in on_bench
    ]
    for segment, start, end, _ in SEGMENTS:
        if start in on_bench or end in on_bench:
            continue  # a limb resting on the bench edge
        a, b = points[start], points[end]
        checked += [
            (
                segment,
                (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f),
            )
            for f in _SEGMENT_SAMPLES
        ]
    for bench in benches:
        left, right = bench.x
        inside = {
            name
            for name, (x, y, _) in checked
            if left + BENCH_TOLERANCE < x < right - BENCH_TOLERANCE
            and y < bench.height - BENCH_TOLERANCE
        }
        problems += [f"{name} is inside the bench" for name in sorted(inside)]
    return problems


def _wall_problems(points: Mapping[str, tuple[float, float, float]], wall: float) -> list[str]:
    """Nothing through the wall: joints stay on the figure's side of it, limbs keep their
    thickness away from it (like the floor check)."""
    side = 1.0 if points["pelvis"][0] >= wall else -1.0
    problems: list[str] = []
    for name, (x, _, _) in points.items():
        if (x - wall) * side < -FLOOR_TOLERANCE:
            problems.append(f"{name} is {abs(x - wall) * 100:.0f} cm through the wall")
    for segment, start, end, radius_key in SEGMENTS:
        nearest = min((points[start][0] - wall) * side, (points[end][0] - wall) * side)
        radius = RADII[radius_key]
        if -FLOOR_TOLERANCE <= nearest < radius - SINK_TOLERANCE:
            problems.append(
                f"{segment} presses into the wall (centre line {nearest * 100:.0f} cm from it, "
                f"thickness {radius * 100:.0f} cm)"
            )
    return problems


def _contact_problems(
    keyframe: Keyframe,
    points: Mapping[str, tuple[float, float, float]],
    benches: Sequence[Prop],
    walls: Sequence[Prop],
) -> list[str]:
    problems: list[str] = []
    for contact in keyframe.contacts:
        x, y, _ = points[contact.point]
        low, high = CONTACT_BANDS[contact.point.rsplit("_", 1)[0]]
        if contact.surface == "wall":
            if not walls:
                problems.append(f"{contact} names a wall but the demo has none")
                continue
            wall = walls[0].x[0]
            gap = abs(x - wall)
            if not low <= gap <= high:
                problems.append(
                    f"{contact} does not touch the wall: {gap * 100:.0f} cm from it "
                    f"(expected {low * 100:.0f} to {high * 100:.0f} cm)"
                )
            continue
        if contact.surface == "bench":
            under = [b for b in benches if b.x[0] - 0.05 <= x <= b.x[1] + 0.05]
            if not under:
                problems.append(f"{contact} is not over a bench")
                continue
            surface = under[0].height
        else:
            surface = 0.0
        gap = y - surface
        if not low <= gap <= high:
            what = "the bench" if contact.surface == "bench" else "the floor"
            problems.append(
                f"{contact} does not touch {what}: {gap * 100:.0f} cm above it "
                f"(expected {low * 100:.0f} to {high * 100:.0f} cm)"
            )
    return problems
