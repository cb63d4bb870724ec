"""Motion references: what the camera checks in each exercise, made from its demonstration.

An exercise's demonstration (engine/demo.py) is filmed, in the model, by a phone placed where the
person should put theirs (engine/camera_landmarks.py): beside them for the movements seen from
the side, facing them for the ones seen from the front. From those landmarks come, as plain data
the counter (engine/camera_counter.py) and the browser interpret (the measures and the fault
tests themselves are in engine/camera_faults.py):

- the count: one measure on MediaPipe's landmarks (the hip's angle in a bridge, the knee's
  opening in a clam), its value at rest and at the demonstration's far end, and the progress
  thresholds for a full rep, a half rep and the return to rest;
- the angles that matter: every measure of a moving joint with its range in one repetition;
- the phases: the demonstration's keyframes, where each sits on the rep's progress;
- the faults: the catalogue's faults the camera can test, above all the low back taking over
  (the trunk leaving its line: the lumbar spine arching; the pelvis rotating or dropping), each
  with its measure, the change the demonstration itself makes (its path), and the threshold;
- or "cannot judge" with a reason code, for holds, spine-only drills and motion too small to see.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backcoach.engine.camera_counter import measure
from backcoach.engine.camera_faults import (
    FAULT_NOT_VISIBLE,
    FaultCheck,
    Measure,
    both,
    fault_checks,
    fault_json,
    group,
    read_loop,
)
from backcoach.engine.camera_landmarks import (
    Camera,
    Landmark,
    landmarks_of,
    view_of,
)
from backcoach.engine.catalogue import Exercise
from backcoach.engine.demo import Demo, rep_ranges
from backcoach.engine.figure import TRUNK_JOINTS, place
from backcoach.engine.motion import interpolate, pose_at
from backcoach.engine.vocabulary import DoseType

REFERENCE_VERSION = 1
#: Progress of a repetition (0 at rest, 1 at the demonstration's far end): it starts past START,
#: is a full rep when its peak passes FULL, ends when it falls back below RELEASE.
START, FULL, RELEASE = 0.25, 0.7, 0.15
#: The highest progress the counter takes for the person's rest (a camera a little off).
REST_CAP = 0.1
#: How slowly the person's rest level follows them (slower than a slow rep's start).
REST_MS = 2000.0
#: The set starts at rest: its first half second says where rest is, and no rep starts in it.
WARMUP_MS = 500.0
#: Mid-rep, still within STILL_BAND of progress for SETTLE_MS short of a full rep: the person
#: has settled somewhere new (moved the phone or themselves), which is their rest from then on.
SETTLE_MS = 8000.0
STILL_BAND = 0.05
SMOOTHING_MS = 100.0
#: How slowly a fault measure's value at rest follows the person's own posture.
BASELINE_MS = 400.0
#: Degrees the count measure must travel in the picture for the camera to count it.
MIN_VISIBLE_RANGE = 18.0
#: Angles that move less than this in the picture are not listed as "angles that matter".
MIN_LISTED_RANGE = 5.0
_LOOP_SAMPLES = 24
#: Phones placed a little differently from the reference's (turn, elevation in degrees): a
#: measure is used only when it reads alike from each.
_MOVED = ((10.0, 5.0), (-10.0, 5.0), (0.0, 15.0), (0.0, 0.0))
#: ... keeping at least this share of its travel.
SAME_TRAVEL = 0.6
#: The pose half way through a rep (every joint half way) must read within this share of the
#: count measure's travel, or a half rep could not be told from a full one or from rest.
HALF_WAY = (0.3, 0.7)
CANNOT_JUDGE_NO_DEMO = "camera.no_demonstration"
CANNOT_JUDGE_HOLD = "camera.hold"
CANNOT_JUDGE_SPINE = "camera.spine_only"
CANNOT_JUDGE_SMALL = "camera.motion_too_small"
CANNOT_JUDGE_CYCLE = "camera.no_single_cycle"
CANNOT_JUDGE_PLACEMENT = "camera.placement_sensitive"
CANNOT_JUDGE_PROPORTION = "camera.not_in_proportion"
REASONS = (
    CANNOT_JUDGE_NO_DEMO,
    CANNOT_JUDGE_HOLD,
    CANNOT_JUDGE_SPINE,
    CANNOT_JUDGE_SMALL,
    CANNOT_JUDGE_CYCLE,
    CANNOT_JUDGE_PLACEMENT,
    CANNOT_JUDGE_PROPORTION,
    FAULT_NOT_VISIBLE,
)


@dataclass(frozen=True, slots=True)
class TrackedAngle:
    """An angle that matters, with its range over one repetition in the picture."""

    name: str
    measure: Measure
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Phase:
    """A keyframe of the demonstration: where it sits on the rep's progress, and its timing."""

    name: str
    progress: float
    hold: float
    move: float


@dataclass(frozen=True, slots=True)
class MotionReference:
    """Everything the camera needs to count and check one exercise, as JSON-able data."""

    exercise_id: str
    judgeable: bool
    reason: str | None
    camera_side: str | None = None
    count_name: str = ""
    count_measure: Measure | None = None
    rest: float = 0.0
    far: float = 0.0
    angles: tuple[TrackedAngle, ...] = ()
    phases: tuple[Phase, ...] = ()
    faults: tuple[FaultCheck, ...] = ()

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "version": REFERENCE_VERSION,
            "exercise": self.exercise_id,
            "judgeable": self.judgeable,
            "reason": self.reason,
        }
        if not self.judgeable or self.count_measure is None:
            return data
        data["camera"] = {"side": self.camera_side, "whole_body": True}
        data["count"] = {
            "name": self.count_name,
            "measure": self.count_measure.to_json(),
            "rest": round(self.rest, 3),
            "far": round(self.far, 3),
            "start": START,
            "full": FULL,
            "release": RELEASE,
            "rest_cap": REST_CAP,
            "rest_ms": REST_MS,
            "warmup_ms": WARMUP_MS,
            "settle_ms": SETTLE_MS,
            "still_band": STILL_BAND,
            "smoothing_ms": SMOOTHING_MS,
            "baseline_ms": BASELINE_MS,
        }
        data["angles"] = [
            {
                "name": a.name,
                "measure": a.measure.to_json(),
                "low": round(a.low, 1),
                "high": round(a.high, 1),
            }
            for a in self.angles
        ]
        data["phases"] = [
            {"name": p.name, "progress": round(p.progress, 2), "hold": p.hold, "move": p.move}
            for p in self.phases
        ]
        data["faults"] = [fault_json(f) for f in self.faults]
        return data


def cannot_judge(exercise_id: str, reason: str) -> MotionReference:
    return MotionReference(exercise_id, False, reason)


def reference_for(exercise: Exercise, demo: Demo | None) -> MotionReference:
    """The motion reference of one exercise from its demonstration (or why there is none)."""
    if demo is None:
        return cannot_judge(exercise.id, CANNOT_JUDGE_NO_DEMO)
    if exercise.dose is DoseType.SECONDS:
        return cannot_judge(exercise.id, CANNOT_JUDGE_HOLD)
    joint, side = _joint_and_side(demo.rep_angle)
    if joint in TRUNK_JOINTS:
        return cannot_judge(exercise.id, CANNOT_JUDGE_SPINE)
    camera = Camera(camera_side(demo))
    loops = _filmed_loops(demo, camera.side)
    loop = loops[0]
    best: tuple[float, str, Measure, list[float]] | None = None
    visible = cycling = proportionate = False
    for name, candidate in _count_candidates(joint, side):
        readings = read_loop(candidate, loop)
        if readings is None or not _single_cycle(readings):
            continue
        cycling = True
        travel = max(abs(v - readings[0]) for v in readings)
        if travel < MIN_VISIBLE_RANGE:
            continue
        visible = True
        if not _in_proportion(candidate, demo, camera, readings):
            continue
        proportionate = True
        if not all(_reads_alike(candidate, moved, readings) for moved in loops[1:]):
            continue
        # An angle between short arms in the picture is noisy: prefer travel the noise spares.
        score = travel * _shortest_arm(candidate, loop)
        if best is None or score > best[0]:
            best = (score, name, candidate, readings)
    if best is None:
        reason = CANNOT_JUDGE_PLACEMENT if proportionate else CANNOT_JUDGE_PROPORTION
        reason = reason if visible else CANNOT_JUDGE_SMALL
        return cannot_judge(exercise.id, reason if cycling else CANNOT_JUDGE_CYCLE)
    _, name, chosen, readings = best
    rest = readings[0]
    far = max(readings, key=lambda v: abs(v - rest))
    counts = [read_loop(chosen, each) or readings for each in loops]
    return MotionReference(
        exercise.id,
        True,
        None,
        camera.side,
        name,
        chosen,
        rest,
        far,
        _tracked_angles(demo, loop),
        _phases(demo, camera, chosen, rest, far),
        fault_checks(exercise, demo, camera, loops, counts),
    )


def references(
    exercises: Sequence[Exercise], demos: Mapping[str, Demo]
) -> dict[str, MotionReference]:
    """Every exercise's reference, by exercise id."""
    return {e.id: reference_for(e, demos.get(e.id)) for e in exercises}


def camera_side(demo: Demo) -> str:
    """Where the phone goes: beside the moving limb for side views, else facing the person."""
    if demo.view != "side":
        return "front"
    _, side = _joint_and_side(demo.rep_angle)
    if side:
        return side
    return demo.working_side if demo.working_side != "both" else "left"


def _joint_and_side(angle: str) -> tuple[str, str]:
    for side in ("left", "right"):
        if angle.endswith(f"_{side}"):
            return angle.removesuffix(f"_{side}"), side
    return angle, ""


def _filmed_loops(demo: Demo, side: str) -> list[list[tuple[Landmark, ...]]]:
    """The demonstration's loop without noise, filmed from the reference's place (first) and
    from each of the places a phone is as likely to stand (_MOVED)."""
    seconds = sum(k.hold + k.move for k in demo.keyframes)
    points = [place(pose_at(demo, seconds * i / _LOOP_SAMPLES)) for i in range(_LOOP_SAMPLES + 1)]
    cameras = [Camera(side)] + [Camera(side, turn=t, elevation=e) for t, e in _MOVED]
    views = [view_of(demo, each) for each in cameras]
    return [[landmarks_of(p, view, side) for p in points] for view in views]


def _in_proportion(spec: Measure, demo: Demo, camera: Camera, readings: Sequence[float]) -> bool:
    """True when the measure moves in step with the joints: the pose half way from rest to the
    far end (every angle half way) reads near half way, so a half rep can be told."""
    start = demo.keyframes[0].pose
    far_pose = max(
        (k.pose for k in demo.keyframes),
        key=lambda pose: abs(pose.angle(demo.rep_angle) - start.angle(demo.rep_angle)),
    )
    halfway = place(interpolate(start, far_pose, 0.5))
    value = measure(spec.to_json(), landmarks_of(halfway, view_of(demo, camera), camera.side), 1.0)
    rest = readings[0]
    far = max(readings, key=lambda v: abs(v - rest))
    return value is not None and HALF_WAY[0] <= (value - rest) / (far - rest) <= HALF_WAY[1]


def _reads_alike(
    spec: Measure, moved: Sequence[tuple[Landmark, ...]], readings: Sequence[float]
) -> bool:
    """True when the measure, seen from a phone placed a little differently, still leaves rest
    once per loop the same way and keeps most of its travel."""
    other = read_loop(spec, moved)
    if other is None or not _single_cycle(other):
        return False
    far = max(readings, key=lambda v: abs(v - readings[0])) - readings[0]
    moved_far = max(other, key=lambda v: abs(v - other[0])) - other[0]
    return far * moved_far > 0 and abs(moved_far) >= SAME_TRAVEL * abs(far)


def _single_cycle(readings: Sequence[float]) -> bool:
    """True when the loop leaves rest and comes back exactly once, as the counter would see,
    and never swings the other way past the start threshold (the counter would take that swing
    for the person's rest moving: the 90/90 switch's other side)."""
    rest = readings[0]
    far = max(readings, key=lambda v: abs(v - rest))
    if far == rest or min((v - rest) / (far - rest) for v in readings) < -START:
        return False
    cycles, moving, peak = 0, False, 0.0
    for value in [*readings, rest]:
        progress = (value - rest) / (far - rest)
        if not moving and progress > START:
            moving, peak = True, progress
        elif moving:
            peak = max(peak, progress)
            if progress < RELEASE:
                moving = False
                cycles += 1 if peak >= FULL else 10  # a half cycle in the demo: ambiguous
    return cycles == 1


def _shortest_arm(angle: Measure, loop: Sequence[tuple[Landmark, ...]]) -> float:
    """The shortest arm of an angle measure in the picture across the loop (image heights)."""

    def at(frame: tuple[Landmark, ...], group: tuple[int, ...]) -> tuple[float, float]:
        return (
            sum(frame[i][0] for i in group) / len(group),
            sum(frame[i][1] for i in group) / len(group),
        )

    shortest = math.inf
    for frame in loop:
        a, b, c = (at(frame, group) for group in angle.points)
        shortest = min(shortest, math.dist(a, b), math.dist(c, b))
    return shortest


def _count_candidates(joint: str, side: str) -> list[tuple[str, Measure]]:
    """Measures that can follow a joint's motion, named for what they are."""
    if not side:
        return []
    other = "right" if side == "left" else "left"

    def angle(a: str, b: str, c: str) -> Measure:
        return Measure("angle", (group(side, a), group(side, b), group(side, c)))

    if joint == "hip_flexion":
        return [(f"hip_angle_{side}", angle("shoulder", "hip", "knee"))]
    if joint == "knee_flexion":
        return [(f"knee_angle_{side}", angle("hip", "knee", "ankle"))]
    if joint == "ankle_flexion":
        return [(f"ankle_angle_{side}", angle("knee", "ankle", "foot_index"))]
    if joint in ("shoulder_flexion", "shoulder_abduction", "shoulder_rotation"):
        return [(f"shoulder_angle_{side}", angle("hip", "shoulder", "elbow"))]
    if joint == "elbow_flexion":
        return [(f"elbow_angle_{side}", angle("shoulder", "elbow", "wrist"))]
    if joint in ("hip_abduction", "hip_rotation"):
        return [
            (
                f"leg_opening_{side}",
                Measure("angle", (group(other, "hip"), group(side, "hip"), group(side, "knee"))),
            ),
            (
                f"knee_opening_{side}",
                Measure("angle", (group(other, "knee"), both("hip"), group(side, "knee"))),
            ),
            (
                f"foot_opening_{side}",
                Measure("angle", (group(other, "ankle"), both("hip"), group(side, "ankle"))),
            ),
            (f"hip_angle_{side}", angle("shoulder", "hip", "knee")),
        ]
    return []


def _tracked_angles(demo: Demo, loop: Sequence[tuple[Landmark, ...]]) -> tuple[TrackedAngle, ...]:
    """Every measure of a joint that moves in the demonstration, with its range in the picture."""
    tracked: dict[str, TrackedAngle] = {}
    for angle in rep_ranges(demo):
        joint, side = _joint_and_side(angle)
        for name, candidate in _count_candidates(joint, side):
            values = [measure(candidate.to_json(), frame, 1.0) for frame in loop]
            readings = [v for v in values if v is not None]
            if name in tracked or len(readings) < len(values):
                continue
            if max(readings) - min(readings) >= MIN_LISTED_RANGE:
                tracked[name] = TrackedAngle(name, candidate, min(readings), max(readings))
    return tuple(tracked[name] for name in sorted(tracked))


def _phases(
    demo: Demo, camera: Camera, chosen: Measure, rest: float, far: float
) -> tuple[Phase, ...]:
    view = view_of(demo, camera)
    phases = []
    for keyframe in demo.keyframes:
        value = measure(
            chosen.to_json(), landmarks_of(place(keyframe.pose), view, camera.side), 1.0
        )
        progress = 0.0 if value is None else (value - rest) / (far - rest)
        phases.append(Phase(keyframe.name, progress, keyframe.hold, keyframe.move))
    return tuple(phases)
