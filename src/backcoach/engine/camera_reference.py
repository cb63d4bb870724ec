"""Motion references: what the camera checks in each exercise, made from its demonstration.

An exercise's demonstration (engine/demo.py) is filmed, in the model, by a phone placed where the
person should put theirs (engine/camera_landmarks.py): beside them for the movements seen from
the side, facing them for the ones seen from the front. From those landmarks come, as plain data
the counter (engine/camera_counter.py) and the browser interpret:

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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backcoach.engine.camera_counter import measure
from backcoach.engine.camera_landmarks import (
    LANDMARK,
    Camera,
    Landmark,
    landmarks_of,
    spoil,
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
#: Faults are sustained, so their measures are smoothed more than the count's.
FAULT_SMOOTHING_MS = 200.0
#: How long a fault must last before it is flagged (a noisy frame or two is not a fault).
HOLD_MS = 200.0
MIN_VISIBILITY = 0.5
#: Degrees the count measure must travel in the picture for the camera to count it.
MIN_VISIBLE_RANGE = 18.0
#: Angles that move less than this in the picture are not listed as "angles that matter".
MIN_LISTED_RANGE = 5.0
#: Gap from the demonstration's path that flags a fault, per kind of measure.
THRESHOLDS = {"elevation": 6.0, "twist": 0.07, "inward": 0.08}
#: ... but the hip line seen from the front is short (a hip's width), so its slope is noisier.
HIP_LINE_THRESHOLD = 8.0
#: A fault is judged when the model's fault moves its measure at least this many thresholds.
VISIBLE_MARGIN = 1.5
_LOOP_SAMPLES = 24
#: Phones placed a little differently from the reference's (turn, elevation in degrees): a
#: measure is used only when it reads alike from each.
_MOVED = ((10.0, 5.0), (-10.0, 5.0), (0.0, 15.0), (0.0, 0.0))
#: ... keeping at least this share of its travel, and a fault's path within this share of its
#: threshold.
SAME_TRAVEL = 0.6
#: The pose half way through a rep (every joint half way) must read within this share of the
#: count measure's travel, or a half rep could not be told from a full one or from rest.
HALF_WAY = (0.3, 0.7)
SAME_PATH = 1.0
#: The fault paths' steps of progress (0, 0.1 ... 1).
_PATH_STEPS = 10

CANNOT_JUDGE_NO_DEMO = "camera.no_demonstration"
CANNOT_JUDGE_HOLD = "camera.hold"
CANNOT_JUDGE_SPINE = "camera.spine_only"
CANNOT_JUDGE_SMALL = "camera.motion_too_small"
CANNOT_JUDGE_CYCLE = "camera.no_single_cycle"
CANNOT_JUDGE_PLACEMENT = "camera.placement_sensitive"
CANNOT_JUDGE_PROPORTION = "camera.not_in_proportion"
FAULT_NOT_VISIBLE = "camera.fault_not_visible"
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
FAULT_CODES = ("low_back.arch", "pelvis.rotation", "pelvis.drop", "knee.inward")
#: Which catalogue faults each test evidences, read from the fault's sign (besides the low-back
#: fault, which every low-back test answers).
_FAULT_SIGNS = {
    "low_back.arch": re.compile(r"\barch"),
    "pelvis.rotation": re.compile(
        r"hips? (rock|twists?|tip|sway)|twists? open|roll(s)? back|pelvis tips|waddle"
    ),
    "pelvis.drop": re.compile(r"hips? (drops?|sag|sink)|waddle"),
    "knee.inward": re.compile(r"knees? (caves?|falls?) in|knees fall in"),
}


@dataclass(frozen=True, slots=True)
class Measure:
    """A measure on landmarks: its kind (camera_counter.MEASURE_POINTS) and landmark groups,
    each group's landmarks averaged into one point."""

    kind: str
    points: tuple[tuple[int, ...], ...]

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "points": [list(group) for group in self.points],
            "min_visibility": MIN_VISIBILITY,
        }


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
class FaultCheck:
    """A fault the camera tests (or says it cannot see), and the catalogue faults it answers."""

    code: str
    catalogue_faults: tuple[int, ...]
    low_back: bool
    judged: bool
    reason: str | None = None
    measure: Measure | None = None
    #: The change the demonstration makes in the measure from rest, at progress 0, 0.1 ... 1.
    path: tuple[float, ...] = ()
    threshold: float = 0.0


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
        data["faults"] = [_fault_json(f) for f in self.faults]
        return data


def _fault_json(fault: FaultCheck) -> dict[str, object]:
    data: dict[str, object] = {
        "code": fault.code,
        "catalogue_faults": list(fault.catalogue_faults),
        "low_back": fault.low_back,
        "judged": fault.judged,
        "reason": fault.reason,
    }
    if fault.judged and fault.measure is not None:
        data.update(
            measure=fault.measure.to_json(),
            path=[round(change, 4) for change in fault.path],
            threshold=fault.threshold,
            smoothing_ms=FAULT_SMOOTHING_MS,
            hold_ms=HOLD_MS,
        )
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
        readings = _readings(candidate, loop)
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
    counts = [_readings(chosen, each) or readings for each in loops]
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
        _fault_checks(exercise, demo, camera, loops, counts),
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


def _readings(spec: Measure, loop: Sequence[tuple[Landmark, ...]]) -> list[float] | None:
    """A measure over a filmed loop, or None when a frame cannot be read."""
    values = [measure(spec.to_json(), frame, 1.0) for frame in loop]
    readings = [v for v in values if v is not None]
    return readings if len(readings) == len(values) else None


def _reads_alike(
    spec: Measure, moved: Sequence[tuple[Landmark, ...]], readings: Sequence[float]
) -> bool:
    """True when the measure, seen from a phone placed a little differently, still leaves rest
    once per loop the same way and keeps most of its travel."""
    other = _readings(spec, moved)
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


def _group(side: str, part: str) -> tuple[int, ...]:
    return (LANDMARK[f"{side}_{part}"],)


def _both(part: str) -> tuple[int, ...]:
    return (LANDMARK[f"left_{part}"], LANDMARK[f"right_{part}"])


def _count_candidates(joint: str, side: str) -> list[tuple[str, Measure]]:
    """Measures that can follow a joint's motion, named for what they are."""
    if not side:
        return []
    other = "right" if side == "left" else "left"

    def angle(a: str, b: str, c: str) -> Measure:
        return Measure("angle", (_group(side, a), _group(side, b), _group(side, c)))

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
                Measure("angle", (_group(other, "hip"), _group(side, "hip"), _group(side, "knee"))),
            ),
            (
                f"knee_opening_{side}",
                Measure("angle", (_group(other, "knee"), _both("hip"), _group(side, "knee"))),
            ),
            (
                f"foot_opening_{side}",
                Measure("angle", (_group(other, "ankle"), _both("hip"), _group(side, "ankle"))),
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


def _fault_measures(camera: Camera) -> dict[str, tuple[Measure, float]]:
    """The measure each fault is read on from where the camera stands, and its threshold."""
    shoulders, hips = _both("shoulder"), _both("hip")
    left_hip, right_hip = _group("left", "hip"), _group("right", "hip")
    if camera.side == "front":
        hip_line = Measure("elevation", (right_hip, left_hip))
        knees_and_feet = (
            _group("left", "knee"),
            _group("left", "ankle"),
            _group("right", "knee"),
            _group("right", "ankle"),
            left_hip,
            right_hip,
        )
        # No lumbar arch from the front: it bends the trunk toward or away from the phone.
        return {
            "pelvis.rotation": (hip_line, HIP_LINE_THRESHOLD),
            "pelvis.drop": (hip_line, HIP_LINE_THRESHOLD),
            "knee.inward": (Measure("inward", knees_and_feet), THRESHOLDS["inward"]),
        }
    # The trunk line leaving the path the demonstration takes: the lumbar spine arching.
    arch = Measure("elevation", (hips, shoulders))
    pairs = (right_hip, left_hip, _group("right", "shoulder"), _group("left", "shoulder"))
    face = ((LANDMARK["nose"],), _both("ear"))
    twist = Measure("twist", (*pairs, hips, shoulders, *face))
    return {
        "low_back.arch": (arch, THRESHOLDS["elevation"]),
        "pelvis.rotation": (twist, THRESHOLDS["twist"]),
        "pelvis.drop": (twist, THRESHOLDS["twist"]),
    }


def _fault_checks(
    exercise: Exercise,
    demo: Demo,
    camera: Camera,
    loops: Sequence[Sequence[tuple[Landmark, ...]]],
    counts: Sequence[Sequence[float]],
) -> tuple[FaultCheck, ...]:
    """The catalogue's faults the camera tests: each mapped test, judged when visible and read
    alike from a phone placed a little differently."""
    low_back = tuple(i for i, f in enumerate(exercise.faults) if f.low_back)
    measures = _fault_measures(camera)
    view = view_of(demo, camera)
    start_value = demo.keyframes[0].pose.angle(demo.rep_angle)
    far_pose = max(
        (k.pose for k in demo.keyframes),
        key=lambda pose: abs(pose.angle(demo.rep_angle) - start_value),
    )
    far_points = place(far_pose)
    checks: list[FaultCheck] = []
    for code in FAULT_CODES:
        named = tuple(
            i for i, f in enumerate(exercise.faults) if _FAULT_SIGNS[code].search(f.sign.lower())
        )
        answers = tuple(sorted(set(named) | (set(low_back) if code != "knee.inward" else set())))
        if not answers or code not in measures:
            continue
        spec, threshold = measures[code]
        is_low_back = bool(set(answers) & set(low_back))
        at_far = measure(spec.to_json(), landmarks_of(far_points, view, camera.side), 1.0)
        spoiled = landmarks_of(spoil(far_points, code, 1.0), view, camera.side)
        faulty = measure(spec.to_json(), spoiled, 1.0)
        paths = []
        for loop, count_values in zip(loops, counts, strict=True):
            readings = _readings(spec, loop)
            if readings is not None:
                paths.append(_path(_progress(count_values), [v - readings[0] for v in readings]))
        seen = (
            at_far is not None
            and faulty is not None
            and abs(faulty - at_far) >= VISIBLE_MARGIN * threshold
            and len(paths) == len(loops)
        )
        if not seen or any(
            abs(a - b) > SAME_PATH * threshold
            for moved in paths[1:]
            for a, b in zip(paths[0], moved, strict=True)
        ):
            checks.append(FaultCheck(code, answers, is_low_back, False, FAULT_NOT_VISIBLE))
            continue
        checks.append(FaultCheck(code, answers, is_low_back, True, None, spec, paths[0], threshold))
    return tuple(checks)


def _progress(values: Sequence[float]) -> list[float]:
    """A loop's count readings as progress: 0 at its rest, 1 at its far end."""
    rest = values[0]
    far = max(values, key=lambda v: abs(v - rest))
    return [(v - rest) / (far - rest) for v in values]


def _path(progress: Sequence[float], changes: Sequence[float]) -> tuple[float, ...]:
    """A measure's change from rest at progress 0, 0.1 ... 1 (the mean of the loop's samples
    near each step, out and back; steps no sample is near take their neighbours' line)."""
    steps: list[float | None] = []
    for step in range(_PATH_STEPS + 1):
        at = step / _PATH_STEPS
        near = [
            c
            for p, c in zip(progress, changes, strict=True)
            if abs(min(max(p, 0.0), 1.0) - at) <= 0.5 / _PATH_STEPS
        ]
        steps.append(sum(near) / len(near) if near else None)
    known = [(i, v) for i, v in enumerate(steps) if v is not None]
    filled: list[float] = []
    for i, value in enumerate(steps):
        if value is not None:
            filled.append(value)
            continue
        before = [(j, v) for j, v in known if j < i]
        after = [(j, v) for j, v in known if j > i]
        if before and after:
            (j0, v0), (j1, v1) = before[-1], after[0]
            filled.append(v0 + (v1 - v0) * (i - j0) / (j1 - j0))
        else:
            filled.append((before[-1] if before else after[0])[1])
    return tuple(filled)
