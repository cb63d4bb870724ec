"""The camera test bed: a demonstration's motion as MediaPipe would report it from a phone.

A phone at the side or in front of the person films the figure of engine/figure.py moving
through a demonstration (engine/motion.py); each frame becomes MediaPipe Pose's 33 landmarks
(x, y normalised to the image's width and height, y down; z depth about the hips, in the
image's width; visibility 0-1). A sequence can change the tempo, add noise, pause mid-set,
make some repetitions half ones and put a named fault into others, so the counter
(engine/camera_counter.py) can be measured on motion whose truth is known. It tests counting
and form logic, not the pose detector's accuracy.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from backcoach.engine.demo import Demo
from backcoach.engine.figure import Vector, place
from backcoach.engine.motion import interpolate, pose_at

#: MediaPipe Pose's 33 landmarks, in its order (the index is the position in this tuple).
LANDMARK_NAMES = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
LANDMARK = {name: index for index, name in enumerate(LANDMARK_NAMES)}
LANDMARK_COUNT = len(LANDMARK_NAMES)
#: Camera placements: beside the person (their left or right side nearer) or facing them.
CAMERA_SIDES = ("left", "right", "front")
#: Landmarks whose figure point has the same name: ("left_knee", "knee_left").
_SAME_POINT = {
    f"{side}_{part}": f"{part}_{side}"
    for side in ("left", "right")
    for part in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel")
}

Landmark = tuple[float, float, float, float]  # x, y, z, visibility


@dataclass(frozen=True, slots=True)
class Camera:
    """Where the phone stands: its side, how far it turns and looks down, its distance (m)."""

    side: str
    turn: float = 0.0  # degrees walked around the person from the named side
    elevation: float = 5.0  # degrees looking down (a phone on a low stand)
    distance: float = 3.0
    aspect: float = 1.0  # image width / height


@dataclass(frozen=True, slots=True)
class Frame:
    """One camera frame: its time in milliseconds and the 33 landmarks."""

    time_ms: float
    landmarks: tuple[Landmark, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "t": round(self.time_ms, 1),
            "landmarks": [[round(v, 5) for v in landmark] for landmark in self.landmarks],
        }


# --- injected faults: how the figure's motion is spoiled -------------------------------------

#: Degrees of each injected fault at the repetition's far end (scaled by the rep's progress).
FAULT_DEGREES: Mapping[str, float] = {
    "low_back.arch": 16.0,  # the trunk line tips about the pelvis
    "pelvis.rotation": 20.0,  # the pelvis (and the legs) roll about the trunk's long axis
    "pelvis.drop": 15.0,  # the pelvis tips sideways about its forward axis
    "knee.inward": 22.0,  # the knees turn in toward each other (hip internal rotation)
}
_LOWER_BODY = tuple(
    f"{part}_{side}"
    for side in ("left", "right")
    for part in ("hip", "knee", "ankle", "heel", "toe")
)
_UPPER_BODY = (
    "mid_back",
    "neck",
    "head",
    *(
        f"{part}_{side}"
        for side in ("left", "right")
        for part in ("shoulder", "elbow", "wrist", "hand")
    ),
)


def spoil(points: dict[str, Vector], fault: str, amount: float) -> dict[str, Vector]:
    """The figure's points with a fault put in, `amount` of the way (0-1) to its full size."""
    degrees = FAULT_DEGREES[fault] * amount
    if degrees == 0:
        return points
    pelvis = points["pelvis"]
    trunk_axis = _unit(_sub(points["mid_back"], pelvis))
    left_axis = _unit(_sub(points["hip_left"], points["hip_right"]))
    spoiled = dict(points)
    if fault == "low_back.arch":
        # The trunk line tips about the pelvis (the lumbar spine extending, the pelvis tilting);
        # the legs tip with it, so the hip's angle, and with it the rep's count, is unchanged.
        for name in (*_UPPER_BODY, *_LOWER_BODY):
            spoiled[name] = _turn(points[name], pelvis, left_axis, -degrees)
    elif fault == "pelvis.rotation":
        for name in _LOWER_BODY:
            spoiled[name] = _turn(points[name], pelvis, trunk_axis, degrees)
    elif fault == "pelvis.drop":
        forward = _unit(_cross(trunk_axis, left_axis))
        for name in ("hip_left", "hip_right"):
            spoiled[name] = _turn(points[name], pelvis, forward, degrees)
    elif fault == "knee.inward":
        for side, sign in (("left", 1.0), ("right", -1.0)):
            hip = points[f"hip_{side}"]
            thigh = _unit(_sub(points[f"knee_{side}"], hip))
            # The knee swings toward the midline about the vertical through the hip.
            axis = _unit(_cross(thigh, left_axis))
            for part in ("knee", "ankle", "heel", "toe"):
                name = f"{part}_{side}"
                spoiled[name] = _turn(points[name], hip, axis, sign * degrees)
            # The foot stays planted: shift the shank back so the ankle is where it was.
            back = _sub(points[f"ankle_{side}"], spoiled[f"ankle_{side}"])
            for part in ("ankle", "heel", "toe"):
                spoiled[f"{part}_{side}"] = _add(spoiled[f"{part}_{side}"], back)
    else:
        raise ValueError(f"unknown fault {fault!r}")
    return spoiled


# --- the camera -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    origin: Vector
    right: Vector
    up: Vector
    forward: Vector
    focal: float
    aspect: float


def view_of(demo: Demo, camera: Camera) -> _View:
    """The camera's position and lens for a demo, framed so the whole motion fills ~80% of it."""
    if camera.side not in CAMERA_SIDES:
        raise ValueError(f"camera side {camera.side!r} is not one of {', '.join(CAMERA_SIDES)}")
    clouds = [list(place(k.pose).values()) for k in demo.keyframes]
    every = [p for cloud in clouds for p in cloud]
    centre = tuple((min(p[i] for p in every) + max(p[i] for p in every)) / 2 for i in range(3))
    target: Vector = (centre[0], centre[1], centre[2])
    base = {"left": 90.0, "right": -90.0, "front": 0.0}[camera.side]
    heading = math.radians(base + camera.turn)
    look_down = math.radians(camera.elevation)
    away = (
        math.cos(look_down) * math.cos(heading),
        math.sin(look_down),
        math.cos(look_down) * math.sin(heading),
    )
    origin = _add(target, _scale(away, camera.distance))
    forward = _unit(_sub(target, origin))
    right = _unit(_cross(forward, (0.0, 1.0, 0.0)))
    up = _cross(right, forward)
    spread = 0.0
    for point in every:
        offset = _sub(point, origin)
        depth = _dot(offset, forward)
        spread = max(
            spread,
            abs(_dot(offset, right)) / depth / camera.aspect,
            abs(_dot(offset, up)) / depth,
        )
    return _View(origin, right, up, forward, 0.4 / spread, camera.aspect)


def landmarks_of(points: Mapping[str, Vector], view: _View, side: str) -> tuple[Landmark, ...]:
    """The 33 landmarks of the figure's points, seen by the camera (visibility without noise)."""
    world = _landmark_points(points)
    hips = _between(world["left_hip"], world["right_hip"], 0.5)
    hip_depth = _dot(_sub(hips, view.origin), view.forward)
    near_side = side if side in ("left", "right") else ""
    result: list[Landmark] = []
    for name in LANDMARK_NAMES:
        offset = _sub(world[name], view.origin)
        depth = _dot(offset, view.forward)
        x = 0.5 + view.focal * _dot(offset, view.right) / depth / view.aspect
        y = 0.5 - view.focal * _dot(offset, view.up) / depth
        z = view.focal * (depth - hip_depth) / hip_depth / view.aspect
        # The body hides the far side's joints from a side camera: MediaPipe still guesses them.
        far = (
            near_side != ""
            and not name.startswith(near_side)
            and name.split("_")[0]
            in (
                "left",
                "right",
            )
        )
        visibility = 0.7 if far else 0.97
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            visibility = 0.1
        result.append((x, y, z, visibility))
    return tuple(result)


def _landmark_points(points: Mapping[str, Vector]) -> dict[str, Vector]:
    """World positions of the 33 landmarks: joints as they are, face and hands from the head
    and hand points (a face looks where the head's up and the shoulders' left say)."""
    world = {name: points[point] for name, point in _SAME_POINT.items()}
    head = points["head"]
    up = _unit(_sub(head, points["neck"]))
    across = _sub(points["shoulder_left"], points["shoulder_right"])
    left = _unit(_sub(across, _scale(up, _dot(across, up))))
    front = _cross(up, left)
    radius = 0.11

    def face(f: float, u: float, s: float) -> Vector:
        return _add(
            head,
            _add(_scale(front, f * radius), _add(_scale(up, u * radius), _scale(left, s * radius))),
        )

    world["nose"] = face(1.0, 0.0, 0.0)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        world[f"{side}_eye_inner"] = face(0.85, 0.35, 0.15 * sign)
        world[f"{side}_eye"] = face(0.8, 0.35, 0.3 * sign)
        world[f"{side}_eye_outer"] = face(0.7, 0.35, 0.45 * sign)
        world[f"{side}_ear"] = face(0.0, 0.2, 0.95 * sign)
        world[f"mouth_{side}"] = face(0.85, -0.45, 0.2 * sign)
        wrist, hand = points[f"wrist_{side}"], points[f"hand_{side}"]
        world[f"{side}_index"] = hand
        world[f"{side}_pinky"] = _add(_between(wrist, hand, 0.8), _scale(left, -0.02 * sign))
        world[f"{side}_thumb"] = _add(_between(wrist, hand, 0.5), _scale(left, 0.02 * sign))
        world[f"{side}_foot_index"] = points[f"toe_{side}"]
    return world


# --- sequences --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """What a generated set holds: its repetitions, and which are half ones or faulty."""

    reps: int
    fps: float = 15.0
    tempo: float = 1.0  # > 1 is slower: every hold and move takes this many times as long
    noise: float = 0.004  # standard deviation of x and y, in image units
    #: Share of frames where the detector loses the person (every landmark barely visible).
    dropouts: float = 0.0
    #: Share of landmarks thrown off by 0.03-0.08 of the image in a frame (a wrong guess).
    outliers: float = 0.0
    pause_after: int = 0  # a pause at rest after this many repetitions (0: none)
    pause_seconds: float = 4.0
    half_reps: frozenset[int] = frozenset()  # 1-based repetitions that stop half way
    half_depth: float = 0.45
    faults: Mapping[int, str] = field(default_factory=dict)  # 1-based repetition -> fault code
    lead_seconds: float = 1.5  # still at the start position before the first and after the last
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Span:
    """One generated repetition's time span (ms) and what it truly was."""

    number: int
    start_ms: float
    end_ms: float
    half: bool
    fault: str | None


@dataclass(frozen=True, slots=True)
class FilmedLoop:
    """A demonstration's loop sampled finely in 3D, full and half-depth, with each sample's
    progress through the rep (0 at the start keyframe, 1 at the rep angle's far end); a set is
    made from it by interpolating between samples, many times faster than placing each frame."""

    seconds: float
    full: tuple[dict[str, Vector], ...]
    half: tuple[dict[str, Vector], ...]
    progress_full: tuple[float, ...]
    progress_half: tuple[float, ...]


def film_loop(demo: Demo, *, half_depth: float = 0.45, per_loop: int = 160) -> FilmedLoop:
    """Sample a demonstration's loop (its rep angle says how far through a rep each sample is)."""
    seconds = sum(k.hold + k.move for k in demo.keyframes)
    start_pose = demo.keyframes[0].pose
    start = start_pose.angle(demo.rep_angle)
    far = max((k.pose.angle(demo.rep_angle) for k in demo.keyframes), key=lambda v: abs(v - start))
    full: list[dict[str, Vector]] = []
    half: list[dict[str, Vector]] = []
    progress_full: list[float] = []
    progress_half: list[float] = []
    for step in range(per_loop + 1):
        pose = pose_at(demo, seconds * step / per_loop)
        shallow = interpolate(start_pose, pose, half_depth)
        full.append(place(pose))
        half.append(place(shallow))
        for target, sample in ((progress_full, pose), (progress_half, shallow)):
            target.append(
                (sample.angle(demo.rep_angle) - start) / (far - start) if far != start else 0.0
            )
    return FilmedLoop(seconds, tuple(full), tuple(half), tuple(progress_full), tuple(progress_half))


def sequence(
    demo: Demo, camera: Camera, plan: Plan, *, filmed: FilmedLoop | None = None
) -> tuple[list[Frame], list[Span]]:
    """Frames of a set done as planned, and the truth about each repetition.

    An injected fault grows with the rep's progress, so it is full at the rep's far end.
    """
    rng = random.Random(plan.seed)
    view = view_of(demo, camera)
    filmed = filmed or film_loop(demo, half_depth=plan.half_depth)
    rest = filmed.full[0]
    spans: list[Span] = []
    # The timeline: (seconds of real time, the repetition under way or 0 at rest) pieces.
    pieces: list[tuple[float, int]] = [(plan.lead_seconds, 0)]
    for number in range(1, plan.reps + 1):
        pieces.append((filmed.seconds * plan.tempo, number))
        if number == plan.pause_after:
            pieces.append((plan.pause_seconds, 0))
    pieces.append((plan.lead_seconds, 0))
    clock = 0.0
    for length, number in pieces:
        if number:
            half, fault = number in plan.half_reps, plan.faults.get(number)
            spans.append(Span(number, clock * 1000, (clock + length) * 1000, half, fault))
        clock += length
    frames: list[Frame] = []
    t, piece, piece_start = 0.0, 0, 0.0
    while t < clock:
        while t >= piece_start + pieces[piece][0]:
            piece_start += pieces[piece][0]
            piece += 1
        number = pieces[piece][1]
        points, progress = rest, 0.0
        if number:
            samples = filmed.half if number in plan.half_reps else filmed.full
            done = filmed.progress_half if number in plan.half_reps else filmed.progress_full
            at = (t - piece_start) / plan.tempo / filmed.seconds * (len(samples) - 1)
            step = min(int(at), len(samples) - 2)
            points = _lerp_points(samples[step], samples[step + 1], at - step)
            progress = done[step] + (done[step + 1] - done[step]) * (at - step)
            fault = plan.faults.get(number)
            if fault is not None:
                points = spoil(points, fault, min(max(progress, 0.0), 1.0))
        clean = landmarks_of(points, view, camera.side)
        jitter = rng.uniform(-0.002, 0.002)  # frame times are never exact
        frames.append(Frame(max(0.0, (t + jitter) * 1000), _noisy(clean, plan, rng)))
        t += 1.0 / plan.fps
    return frames, spans


def _lerp_points(
    a: Mapping[str, Vector], b: Mapping[str, Vector], fraction: float
) -> dict[str, Vector]:
    return {name: _between(a[name], b[name], fraction) for name in a}


def _noisy(clean: Sequence[Landmark], plan: Plan, rng: random.Random) -> tuple[Landmark, ...]:
    """Landmarks as a detector reports them: jittered, now and then one thrown off, and in a
    lost frame all of them barely visible."""
    lost = rng.random() < plan.dropouts
    noisy: list[Landmark] = []
    for x, y, z, visibility in clean:
        dx, dy = rng.gauss(0.0, plan.noise), rng.gauss(0.0, plan.noise)
        if rng.random() < plan.outliers:
            reach, angle = rng.uniform(0.03, 0.08), rng.uniform(0.0, 2 * math.pi)
            dx, dy = dx + reach * math.cos(angle), dy + reach * math.sin(angle)
        seen = rng.uniform(0.0, 0.3) if lost else visibility + rng.gauss(0.0, 0.03)
        noisy.append((x + dx, y + dy, z + rng.gauss(0.0, plan.noise * 3), min(1.0, max(0.0, seen))))
    return tuple(noisy)


# --- small vector helpers ---------------------------------------------------------------------


def _add(a: Vector, b: Vector) -> Vector:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _sub(a: Vector, b: Vector) -> Vector:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _scale(a: Vector, k: float) -> Vector:
    return (a[0] * k, a[1] * k, a[2] * k)


def _dot(a: Vector, b: Vector) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Vector, b: Vector) -> Vector:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(a: Vector) -> Vector:
    length = math.sqrt(_dot(a, a))
    return (1.0, 0.0, 0.0) if length == 0 else _scale(a, 1.0 / length)


def _between(a: Vector, b: Vector, fraction: float) -> Vector:
    return _add(a, _scale(_sub(b, a), fraction))


def _turn(point: Vector, centre: Vector, axis: Vector, degrees: float) -> Vector:
    """A point turned about an axis through a centre (Rodrigues' rotation)."""
    angle = math.radians(degrees)
    v = _sub(point, centre)
    cos, sin = math.cos(angle), math.sin(angle)
    turned = _add(
        _add(_scale(v, cos), _scale(_cross(axis, v), sin)),
        _scale(axis, _dot(axis, v) * (1 - cos)),
    )
    return _add(centre, turned)
