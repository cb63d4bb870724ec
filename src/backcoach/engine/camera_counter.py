"""The camera counter: a small interpreter of a motion reference over MediaPipe landmarks.

Frames go in (time in ms and 33 landmarks x, y, z, visibility); the reference
(engine/camera_reference.py, as its JSON) says which measure tracks a repetition and which
measures reveal a fault. Out come the repetitions, the half repetitions and the faults, as codes
with the frame and repetition they happened at. It reads plain numbers and lists only, so the
browser's JavaScript copy can follow it line by line (docs/camera.md).

The rules, each tested in tests/unit/test_camera_counter.py:
- Each measure is read through the median of its last three readings (a single wild frame is
  dropped), then a time-constant filter, so 10 and 30 frames a second agree.
- A repetition starts when the count measure's progress (0 at the demonstration's rest, 1 at
  its far end) rises `start` above the person's rest level, and ends when it falls back below
  `release` above it (hysteresis: noise around one threshold cannot count twice; a pause
  anywhere adds nothing). The set starts at rest: for its first `warmup_ms` the rest level is
  the progress; then it follows the progress at rest slowly (`rest_ms`), never above
  `rest_cap`: a camera placed a little off sees the rest a little off. An attempt that stays
  still (within `still_band`) for `settle_ms` short of `full` is dropped and that is the rest
  now (the phone or the person moved).
- It was a full rep when its peak rose `full` above the rest level (times the travel of the
  person's earlier full reps, once there are some), else a half rep (flagged, not counted).
- A fault measure is compared with its value at rest plus the change the demonstration makes
  at the same progress (its path); a gap beyond its threshold for `hold_ms` flags the fault
  once in that repetition.
- A frame where a needed landmark is missing or hardly visible is skipped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

LANDMARK_COUNT = 33
#: The measures the interpreter knows, with how many landmark groups each reads.
MEASURE_POINTS = {"angle": 3, "elevation": 2, "twist": 8, "inward": 6}
#: A pair of shoulders is about twice as wide as a pair of hips (engine/figure.py's widths).
HIPS_OVER_SHOULDERS = 0.5

Point = tuple[float, float]


class LandmarkError(ValueError):
    """Frames that are not a list of {t, landmarks: 33 x [x, y, z, visibility]}."""


@dataclass(frozen=True, slots=True)
class Event:
    """Something the counter saw: a half rep or a fault code, where it happened."""

    code: str
    rep: int  # the repetition attempt (1-based) under way
    frame: int  # index of the frame in the input
    time_ms: float

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "rep": self.rep, "frame": self.frame, "t": self.time_ms}


@dataclass(frozen=True, slots=True)
class CountResult:
    """The set as the camera saw it."""

    exercise_id: str
    reps: int
    half_reps: tuple[Event, ...]
    faults: tuple[Event, ...]
    frames: int
    skipped: int  # frames without the landmarks the count needs

    def to_json(self) -> dict[str, object]:
        return {
            "exercise": self.exercise_id,
            "reps": self.reps,
            "half_reps": [event.to_json() for event in self.half_reps],
            "faults": [event.to_json() for event in self.faults],
            "frames": self.frames,
            "skipped": self.skipped,
        }


def measure(
    spec: Mapping[str, Any], landmarks: Sequence[Sequence[float]], aspect: float
) -> float | None:
    """A measure's value on one frame (degrees or a ratio), or None when it cannot be read."""
    groups: Sequence[Sequence[int]] = spec["points"]
    minimum: float = spec.get("min_visibility", 0.5)
    points: list[Point] = []
    for group in groups:
        x = y = 0.0
        for index in group:
            landmark = landmarks[index]
            if landmark[3] < minimum:
                return None
            x += landmark[0] * aspect  # back to square image units
            y += landmark[1]
        points.append((x / len(group), y / len(group)))
    kind = spec["kind"]
    if kind == "angle":
        return _angle(points[0], points[1], points[2])
    if kind == "elevation":
        (ax, ay), (bx, by) = points
        return math.degrees(math.atan2(ay - by, abs(bx - ax)))
    if kind == "twist":
        # Seen from the side, a pair of hips (a, b) and of shoulders (c, d) sit one behind the
        # other; the pelvis turning against the trunk sets the hips off the trunk's line (e to
        # f) more than the shoulders. Over the trunk's length, signed by the way the person
        # faces (nose g ahead of the ears h) so a mirrored picture reads the same.
        a, b, c, d, e, f, nose, ears = points
        line = (f[0] - e[0], f[1] - e[1])
        size = line[0] * line[0] + line[1] * line[1]
        facing = line[0] * (nose[1] - ears[1]) - line[1] * (nose[0] - ears[0])
        if size == 0 or facing == 0:
            return None
        hips = line[0] * (b[1] - a[1]) - line[1] * (b[0] - a[0])
        shoulders = line[0] * (d[1] - c[1]) - line[1] * (d[0] - c[0])
        twist = (hips - HIPS_OVER_SHOULDERS * shoulders) / size
        return twist if facing > 0 else -twist
    if kind == "inward":
        knee_l, ankle_l, knee_r, ankle_r, hip_l, hip_r = points
        scale = (_distance(hip_l, ankle_l) + _distance(hip_r, ankle_r)) / 2
        if scale == 0:
            return None
        toward_l = 1.0 if ankle_r[0] > ankle_l[0] else -1.0
        inward = (knee_l[0] - ankle_l[0]) * toward_l - (knee_r[0] - ankle_r[0]) * toward_l
        return inward / 2 / scale
    raise LandmarkError(f"unknown measure kind {kind!r}")


@dataclass(slots=True)
class _FaultState:
    spec: Mapping[str, Any]
    recent: list[float] = field(default_factory=list)  # the last three readings
    smoothed: float | None = None
    progress: float = 0.0
    baseline: float | None = None
    over_since: float | None = None  # when the gap last went over the threshold
    flagged: bool = False


@dataclass(slots=True)
class Counter:
    """The interpreter's state for one set; feed it frames with `push`, then read `result`."""

    reference: Mapping[str, Any]
    aspect: float = 1.0
    reps: int = 0
    attempt: int = 0
    moving: bool = False
    peak: float = 0.0
    recent: list[float] = field(default_factory=list)  # the last three readings
    smoothed: float | None = None
    rest_level: float | None = None  # progress at the person's rest, as this camera sees it
    rest_ceiling: float = 0.0  # the highest the rest level may follow
    span: float | None = None  # the travel of the person's full reps, learnt from them
    first_ms: float | None = None  # the time of the first frame the count could read
    still_at: float = 0.0  # the progress the current attempt has stayed near ...
    still_since: float = 0.0  # ... since this time
    last_ms: float | None = None
    frames: int = 0
    skipped: int = 0
    half_reps: list[Event] = field(default_factory=list)
    faults: list[Event] = field(default_factory=list)
    checks: list[_FaultState] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.reference.get("judgeable"):
            raise ValueError(f"the camera cannot judge {self.reference.get('exercise')!r}")
        self.checks = [_FaultState(spec) for spec in self.reference["faults"] if spec["judged"]]

    def push(self, time_ms: float, landmarks: Sequence[Sequence[float]]) -> None:
        """One frame: update the smoothed measures, the repetition state and the faults."""
        index = self.frames
        self.frames += 1
        rule = self.reference["count"]
        value = measure(rule["measure"], landmarks, self.aspect)
        if value is None:
            self.skipped += 1
            return
        gap = 0.0 if self.last_ms is None else max(0.0, time_ms - self.last_ms)
        self.last_ms = time_ms
        self.recent = [*self.recent[-2:], value]
        value = _median(self.recent)  # one wild frame (a landmark mistaken) is dropped
        # A time-constant filter: the same smoothing at any frame rate.
        weight = 1.0 - math.exp(-gap / rule["smoothing_ms"]) if self.smoothed is not None else 1.0
        self.smoothed = (
            value if self.smoothed is None else self.smoothed + weight * (value - self.smoothed)
        )
        progress = (self.smoothed - rule["rest"]) / (rule["far"] - rule["rest"])
        raw_progress = (value - rule["rest"]) / (rule["far"] - rule["rest"])
        for check in self.checks:
            reading = measure(check.spec["measure"], landmarks, self.aspect)
            if reading is None:
                continue
            check.recent = [*check.recent[-2:], reading]
            reading = _median(check.recent)
            if check.smoothed is None:
                check.smoothed, check.progress = reading, raw_progress
            else:
                # The progress is smoothed alike, so the two stay in step.
                slow = 1.0 - math.exp(-gap / check.spec["smoothing_ms"])
                check.smoothed += slow * (reading - check.smoothed)
                check.progress += slow * (raw_progress - check.progress)
        if self.first_ms is None:
            self.first_ms = time_ms
        if time_ms - self.first_ms < rule["warmup_ms"] or self.rest_level is None:
            # The set starts at rest: its first moments say where rest is, as this camera sees
            # it (taken whole, not learnt slowly, so one wild first frame cannot stay).
            self.rest_ceiling = rule["rest_cap"]
            self.rest_level = min(progress, self.rest_ceiling)
            self._learn_rest(gap, rule["baseline_ms"])
            return
        above = progress - self.rest_level
        if not self.moving:
            if above > rule["start"]:
                self.moving, self.peak, self.attempt = True, progress, self.attempt + 1
                self.still_at, self.still_since = progress, time_ms
                for check in self.checks:
                    check.over_since, check.flagged = None, False
            else:
                # The person's own rest, as this camera sees it, learnt slowly and capped so a
                # rep's slow start cannot lift it.
                still = 1.0 - math.exp(-gap / rule["rest_ms"])
                self.rest_level += still * (min(progress, self.rest_ceiling) - self.rest_level)
                self._learn_rest(gap, rule["baseline_ms"])
                return
        self.peak = max(self.peak, progress)
        self._check_faults(index, time_ms)
        if abs(progress - self.still_at) > rule["still_band"]:
            self.still_at, self.still_since = progress, time_ms
        elif time_ms - self.still_since >= rule["settle_ms"] and above < rule["full"]:
            # Still for long short of the far end: the person has settled somewhere new (the
            # phone or their position moved). That is their rest now; the attempt is dropped.
            self.moving, self.rest_level = False, progress
            self.rest_ceiling = progress + rule["rest_cap"]
            return
        if above < rule["release"]:
            self.moving = False
            travel = self.peak - self.rest_level
            if travel >= rule["full"] * (self.span or 1.0):
                self.reps += 1
                # Full reps teach the person's range as this camera sees it (a camera a little
                # off reads it larger or smaller); half reps are judged against it.
                self.span = travel if self.span is None else self.span + 0.3 * (travel - self.span)
            else:
                self.half_reps.append(Event("rep.half", self.attempt, index, time_ms))

    def _learn_rest(self, gap: float, baseline_ms: float) -> None:
        """At rest each fault measure's baseline follows it slowly (the person's own posture),
        less the demonstration's change at the progress already made (a rep about to start)."""
        weight = 1.0 - math.exp(-gap / baseline_ms)
        for check in self.checks:
            if check.smoothed is None:
                continue
            offset = check.smoothed - _along(check.spec["path"], check.progress)
            if check.baseline is None:
                check.baseline = offset
            else:
                check.baseline += weight * (offset - check.baseline)

    def _check_faults(self, index: int, time_ms: float) -> None:
        for check in self.checks:
            spec = check.spec
            if check.flagged or check.smoothed is None or check.baseline is None:
                continue
            gap = abs(check.smoothed - check.baseline - _along(spec["path"], check.progress))
            if gap <= spec["threshold"]:
                check.over_since = None
                continue
            if check.over_since is None:
                check.over_since = time_ms
            if time_ms - check.over_since >= spec["hold_ms"]:
                check.flagged = True
                self.faults.append(Event(spec["code"], self.attempt, index, time_ms))

    def result(self) -> CountResult:
        return CountResult(
            str(self.reference["exercise"]),
            self.reps,
            tuple(self.half_reps),
            tuple(self.faults),
            self.frames,
            self.skipped,
        )


def count(
    reference: Mapping[str, Any],
    frames: Sequence[tuple[float, Sequence[Sequence[float]]]],
    *,
    aspect: float = 1.0,
) -> CountResult:
    """Count a whole set: the reference's JSON, and (time ms, 33 landmarks) frames in order."""
    counter = Counter(reference, aspect)
    for time_ms, landmarks in frames:
        counter.push(time_ms, landmarks)
    return counter.result()


def read_frames(raw: Any) -> tuple[list[tuple[float, list[list[float]]]], float]:
    """Frames from parsed JSON: a list of {"t", "landmarks"}, or {"aspect", "frames"}; or raise.

    ``aspect`` is the image's width over its height (MediaPipe normalises x and y separately).
    """
    aspect = 1.0
    if isinstance(raw, Mapping):
        if "frames" not in raw:
            raise LandmarkError("expected a list of frames, or an object with 'frames'")
        aspect = raw.get("aspect", 1.0)
        if not _number(aspect) or aspect <= 0:
            raise LandmarkError("aspect must be a positive number (image width / height)")
        raw = raw["frames"]
    if not isinstance(raw, list):
        raise LandmarkError("expected a list of frames")
    frames: list[tuple[float, list[list[float]]]] = []
    last = -math.inf
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise LandmarkError(f"frame {number}: expected an object with 't' and 'landmarks'")
        stamp = item.get("t")
        if not _number(stamp):
            raise LandmarkError(f"frame {number}: 't' must be a time in milliseconds")
        time_ms = float(stamp)
        if time_ms < last:
            raise LandmarkError(f"frame {number}: time goes backwards ({time_ms} after {last})")
        last = time_ms
        landmarks = item.get("landmarks")
        if not isinstance(landmarks, list) or len(landmarks) != LANDMARK_COUNT:
            raise LandmarkError(f"frame {number}: 'landmarks' must be a list of {LANDMARK_COUNT}")
        rows: list[list[float]] = []
        for place, landmark in enumerate(landmarks):
            if not (
                isinstance(landmark, list)
                and len(landmark) == 4
                and all(_number(v) for v in landmark)
            ):
                raise LandmarkError(
                    f"frame {number}: landmark {place} must be [x, y, z, visibility]"
                )
            rows.append([float(v) for v in landmark])
        frames.append((time_ms, rows))
    return frames, float(aspect)


def _median(values: Sequence[float]) -> float:
    """The middle of up to three readings (the mean of two)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _along(path: Sequence[float], progress: float) -> float:
    """The demonstration's change at a progress: linear between the path's equal steps."""
    at = min(max(progress, 0.0), 1.0) * (len(path) - 1)
    step = min(int(at), len(path) - 2)
    return path[step] + (path[step + 1] - path[step]) * (at - step)


def _number(value: Any) -> TypeGuard[float]:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _angle(a: Point, b: Point, c: Point) -> float | None:
    first = (a[0] - b[0], a[1] - b[1])
    second = (c[0] - b[0], c[1] - b[1])
    size = math.hypot(*first) * math.hypot(*second)
    if size == 0:
        return None
    cosine = (first[0] * second[0] + first[1] * second[1]) / size
    return math.degrees(math.acos(min(1.0, max(-1.0, cosine))))


def _distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])
