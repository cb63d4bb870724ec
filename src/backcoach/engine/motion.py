"""Motion between keyframes: poses interpolated in angle space, so every limb keeps its length."""

from __future__ import annotations

import math
from types import MappingProxyType

from backcoach.engine.demo import Demo, demo_duration
from backcoach.engine.figure import Pose, place


def interpolate(start: Pose, end: Pose, fraction: float) -> Pose:
    """The pose a fraction of the way from start to end, in angle space (lengths stay true)."""

    def mix(a: float, b: float) -> float:
        return a + (b - a) * fraction

    pelvis = (
        mix(start.pelvis[0], end.pelvis[0]),
        mix(start.pelvis[1], end.pelvis[1]),
        mix(start.pelvis[2], end.pelvis[2]),
    )
    names = set(start.angles) | set(end.angles)
    angles = {name: mix(start.angle(name), end.angle(name)) for name in sorted(names)}
    return Pose(
        pelvis,
        yaw=mix(start.yaw, end.yaw),
        pitch=mix(start.pitch, end.pitch),
        roll=mix(start.roll, end.roll),
        angles=MappingProxyType(angles),
    )


def pose_at(demo: Demo, seconds: float) -> Pose:
    """The figure's pose at a time in the loop (holds, then smooth moves to the next keyframe)."""
    total = demo_duration(demo)
    t = seconds % total if total > 0 else 0.0
    frames = demo.keyframes
    for index, keyframe in enumerate(frames):
        if t <= keyframe.hold:
            return keyframe.pose
        t -= keyframe.hold
        if t <= keyframe.move:
            following = frames[(index + 1) % len(frames)]
            return interpolate(keyframe.pose, following.pose, ease(t / keyframe.move))
        t -= keyframe.move
    return frames[0].pose


def ease(fraction: float) -> float:
    """Smooth start and stop of a move (a cosine ease, 0 -> 0 and 1 -> 1)."""
    return 0.5 - 0.5 * math.cos(math.pi * min(max(fraction, 0.0), 1.0))


#: Between keyframes a point may pass this far below the floor (it is drawn, not checked as a pose).
TRANSIT_TOLERANCE = 0.03
TRANSIT_SAMPLES = 8


def transit_problems(demo: Demo, samples: int = TRANSIT_SAMPLES) -> list[str]:
    """Points that pass through the floor while the figure moves from keyframe to keyframe."""
    problems: list[str] = []
    frames = demo.keyframes
    for index, keyframe in enumerate(frames):
        following = frames[(index + 1) % len(frames)]
        deepest: dict[str, float] = {}
        for step in range(1, samples):
            pose = interpolate(keyframe.pose, following.pose, step / samples)
            for name, point in place(pose).items():
                if point[1] < -TRANSIT_TOLERANCE:
                    deepest[name] = min(deepest.get(name, 0.0), point[1])
        for name, depth in sorted(deepest.items()):
            problems.append(
                f"moving from {keyframe.name!r} to {following.name!r}: {name} passes "
                f"{-depth * 100:.0f} cm below the floor"
            )
    return problems
