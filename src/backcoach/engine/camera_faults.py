"""The measures on MediaPipe's landmarks and the faults the camera tests with them.

A measure names a kind (engine/camera_counter.py's MEASURE_POINTS) and landmark groups. A
fault test (a `FaultCheck`) answers catalogue faults, above all the low back taking over: the
trunk line leaving its path (the lumbar spine arching, `low_back.arch`), the pelvis rotating or
dropping, the knees caving in. It is judged only when the camera can see it (the model's fault
moves its measure well past the threshold) and reads the demonstration alike from a phone placed
a little differently; else it says `camera.fault_not_visible`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
from backcoach.engine.demo import Demo
from backcoach.engine.figure import place

MIN_VISIBILITY = 0.5
#: Faults are sustained, so their measures are smoothed more than the count's.
FAULT_SMOOTHING_MS = 200.0
#: How long a fault must last before it is flagged (a noisy frame or two is not a fault).
HOLD_MS = 200.0
#: Gap from the demonstration's path that flags a fault, per kind of measure.
THRESHOLDS = {"elevation": 6.0, "twist": 0.07, "inward": 0.08}
#: ... but the hip line seen from the front is short (a hip's width), so its slope is noisier.
HIP_LINE_THRESHOLD = 8.0
#: A fault is judged when the model's fault moves its measure at least this many thresholds.
VISIBLE_MARGIN = 1.5
#: A fault is read alike from a phone placed a little differently when the demonstration's own
#: path moves by at most this share of its threshold.
SAME_PATH = 1.0
#: The fault paths' steps of progress (0, 0.1 ... 1).
_PATH_STEPS = 10

FAULT_NOT_VISIBLE = "camera.fault_not_visible"
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


def fault_json(fault: FaultCheck) -> dict[str, object]:
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


def read_loop(spec: Measure, loop: Sequence[tuple[Landmark, ...]]) -> list[float] | None:
    """A measure over a filmed loop, or None when a frame cannot be read."""
    values = [measure(spec.to_json(), frame, 1.0) for frame in loop]
    readings = [v for v in values if v is not None]
    return readings if len(readings) == len(values) else None


def group(side: str, part: str) -> tuple[int, ...]:
    return (LANDMARK[f"{side}_{part}"],)


def both(part: str) -> tuple[int, ...]:
    return (LANDMARK[f"left_{part}"], LANDMARK[f"right_{part}"])


def _fault_measures(camera: Camera) -> dict[str, tuple[Measure, float]]:
    """The measure each fault is read on from where the camera stands, and its threshold."""
    shoulders, hips = both("shoulder"), both("hip")
    left_hip, right_hip = group("left", "hip"), group("right", "hip")
    if camera.side == "front":
        hip_line = Measure("elevation", (right_hip, left_hip))
        knees_and_feet = (
            group("left", "knee"),
            group("left", "ankle"),
            group("right", "knee"),
            group("right", "ankle"),
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
    pairs = (right_hip, left_hip, group("right", "shoulder"), group("left", "shoulder"))
    face = ((LANDMARK["nose"],), both("ear"))
    twist = Measure("twist", (*pairs, hips, shoulders, *face))
    return {
        "low_back.arch": (arch, THRESHOLDS["elevation"]),
        "pelvis.rotation": (twist, THRESHOLDS["twist"]),
        "pelvis.drop": (twist, THRESHOLDS["twist"]),
    }


def fault_checks(
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
            readings = read_loop(spec, loop)
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
