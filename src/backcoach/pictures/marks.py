"""Where the target muscles are: a "Feel it here" mark on the body region each target names."""

from __future__ import annotations

import math
from collections.abc import Mapping

from backcoach.engine.catalogue import Exercise
from backcoach.engine.demo import Demo
from backcoach.engine.figure import LENGTHS, Vector
from backcoach.pictures.projection import camera_for

#: Catalogue targets -> the body region marked with a "Feel it here" dot.
REGIONS: Mapping[str, str] = {
    "abdominals": "belly",
    "deep_abdominals": "belly",
    "obliques": "belly",
    "glutes": "buttocks",
    "glute_max": "buttocks",
    "glute_med": "side_of_hip",
    "glute_min": "side_of_hip",
    "hips": "hips",
    "pelvis": "hips",
    "hip_flexors": "front_of_hip",
    "hamstrings": "back_of_thigh",
    "adductors": "inner_thigh",
    "thoracic_spine": "upper_back",
    "lumbar_spine": "lower_back",
    "shoulders": "shoulders",
}


_SPECIFIC_GLUTES = frozenset({"glute_max", "glute_med", "glute_min"})


def target_points(
    exercise: Exercise, demo: Demo, points: Mapping[str, Vector]
) -> list[tuple[str, Vector]]:
    """One (key, world point) per marked region of the exercise's targets, in target order."""
    pelvis, mid_back, neck = points["pelvis"], points["mid_back"], points["neck"]
    up = _unit(_sub(mid_back, pelvis))  # along the lumbar part of the spine
    lateral = _unit(_sub(points["hip_left"], points["hip_right"]))
    front = _cross(up, lateral)
    upper_up = _unit(_sub(neck, mid_back))  # along the thoracic part
    upper_front = _cross(upper_up, lateral)
    side = demo.working_side if demo.working_side != "both" else _near_side(demo, points)
    outward = lateral if side == "left" else _scale(lateral, -1.0)
    trunk = LENGTHS["trunk"]
    hip = points[f"hip_{side}"]
    knee = points[f"knee_{side}"]
    thigh_mid = _mix(hip, knee, 0.45)
    where = {
        "belly": _along(pelvis, (up, 0.35 * trunk), (front, 0.1)),
        "buttocks": _along(pelvis, (up, -0.02), (front, -0.07)),
        "side_of_hip": _along(hip, (up, 0.06), (outward, 0.06)),
        "hips": _along(hip, (front, 0.03)),
        "front_of_hip": _along(hip, (front, 0.07), (up, 0.02)),
        "back_of_thigh": _along(thigh_mid, (front, -0.06)),
        "inner_thigh": _along(thigh_mid, (outward, -0.05)),
        "upper_back": _along(
            mid_back, (upper_up, 0.75 * trunk - LENGTHS["lower_trunk"]), (upper_front, -0.09)
        ),
        "lower_back": _along(pelvis, (up, 0.25 * trunk), (front, -0.09)),
        "shoulders": points[f"shoulder_{side}"],
    }
    marks: list[tuple[str, Vector]] = []
    named = set(exercise.targets)
    for target in exercise.targets:
        region = REGIONS.get(target)
        if target == "glutes" and named & _SPECIFIC_GLUTES:
            continue  # "glutes" alongside a named glute muscle: mark only where that one is
        if region is not None and all(key != f"mark_{region}" for key, _ in marks):
            marks.append((f"mark_{region}", where[region]))
    return marks


def _near_side(demo: Demo, points: Mapping[str, Vector]) -> str:
    camera = camera_for(demo)
    left = camera.project(points["hip_left"])[2]
    right = camera.project(points["hip_right"])[2]
    return "left" if left >= right else "right"


def _along(origin: Vector, *steps: tuple[Vector, float]) -> Vector:
    x, y, z = origin
    for (dx, dy, dz), amount in steps:
        x, y, z = x + dx * amount, y + dy * amount, z + dz * amount
    return (x, y, z)


def _sub(a: Vector, b: Vector) -> Vector:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _scale(a: Vector, k: float) -> Vector:
    return (a[0] * k, a[1] * k, a[2] * k)


def _mix(a: Vector, b: Vector, f: float) -> Vector:
    return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f)


def _unit(a: Vector) -> Vector:
    length = math.hypot(*a) or 1.0
    return _scale(a, 1.0 / length)


def _cross(a: Vector, b: Vector) -> Vector:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])
