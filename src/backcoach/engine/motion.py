"""Motion between keyframes: poses interpolated in angle space, so every limb keeps its length.

Contacts planted in both keyframes of a move (a foot in a squat, the shoulders in a bridge) stay
put: after the angles are interpolated the whole figure is shifted so they land where they belong.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType

# The same contact bands as the keyframe checks, so a move and its keyframes agree on "touching".
from backcoach.engine.demo import CONTACT_BANDS, Contact, Demo, Keyframe, Prop, demo_duration
from backcoach.engine.figure import Pose, Vector, place


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


def planted_contacts(start: Keyframe, end: Keyframe) -> tuple[Contact, ...]:
    """Contacts on the same surface in both keyframes: they must not move during the move."""
    return tuple(contact for contact in start.contacts if contact in end.contacts)


def interpolate_keyframes(start: Keyframe, end: Keyframe, fraction: float) -> Pose:
    """The pose a fraction of the way between two keyframes, keeping planted contacts still.

    Angles and pelvis are interpolated as in `interpolate`; then the whole figure is shifted
    (pelvis x, y and z) so the contacts planted in both keyframes are, on average, on the straight
    line between their two keyframe positions (the same spot when they truly stay put).
    Why one translation: most of the drift is shared, because the pelvis moves in a straight line
    while the limbs swing about it, so every planted point lags or leads together; shifting the
    figure removes that without an inverse-kinematics solver and leaves every angle (and so every
    limb length and the rep ranges) as interpolated. It cannot undo drift that differs between
    contacts (two feet sliding apart); `planted_problems` reports what is left. At fraction 0 and
    1 the shift is zero, so the keyframes themselves are reached unchanged.
    """
    pose = interpolate(start.pose, end.pose, fraction)
    planted = planted_contacts(start, end)
    if not planted:
        return pose
    points = place(pose)
    start_points, end_points = place(start.pose), place(end.pose)
    shift = [0.0, 0.0, 0.0]
    for contact in planted:
        wanted = _between(start_points[contact.point], end_points[contact.point], fraction)
        for axis in range(3):
            shift[axis] += (wanted[axis] - points[contact.point][axis]) / len(planted)
    x, y, z = pose.pelvis
    return replace(pose, pelvis=(x + shift[0], y + shift[1], z + shift[2]))


def pose_at(demo: Demo, seconds: float) -> Pose:
    """The figure's pose at a time in the loop: holds, then smooth moves to the next keyframe.

    A keyframe without a hold that the motion carries on through (see `passes_through`) is not
    a stop: the moves either side of it are eased as one, so a hip thrust's half-way keyframe
    does not make the hips pause.
    """
    frames = demo.keyframes
    total = demo_duration(demo)
    t = seconds % total if total > 0 else 0.0
    for run_start, run in _runs(demo):
        hold = frames[run[0]].hold
        length = sum(frames[i].move for i in run)
        if t < run_start + hold or length == 0:
            if t < run_start + hold + length:
                return frames[run[0]].pose
            continue
        if t >= run_start + hold + length:
            continue
        # Eased over the whole run, then placed in the move that eased time falls in.
        travelled = ease((t - run_start - hold) / length) * length
        for index in run:
            move = frames[index].move
            if travelled <= move or index == run[-1]:
                following = frames[(index + 1) % len(frames)]
                fraction = travelled / move if move > 0 else 1.0
                return interpolate_keyframes(frames[index], following, fraction)
            travelled -= move
    return frames[0].pose


#: Above this cosine between the angle changes into and out of a keyframe, the motion carries on
#: through it in about the same direction (a via point), rather than turning back.
_CARRY_ON = 0.5


def passes_through(demo: Demo, index: int) -> bool:
    """A keyframe without a hold that the motion carries on through in the same direction."""
    frames = demo.keyframes
    keyframe = frames[index]
    if keyframe.hold > 0 or index == 0:
        return False
    before, after = frames[index - 1].pose, frames[(index + 1) % len(frames)].pose
    names = sorted(set(before.angles) | set(keyframe.pose.angles) | set(after.angles))
    into = [keyframe.pose.angle(n) - before.angle(n) for n in names]
    out = [after.angle(n) - keyframe.pose.angle(n) for n in names]
    size = math.hypot(*into) * math.hypot(*out)
    return size > 0 and sum(a * b for a, b in zip(into, out, strict=True)) / size > _CARRY_ON


def _runs(demo: Demo) -> list[tuple[float, tuple[int, ...]]]:
    """The loop as runs: (start time, keyframe indexes whose moves are eased together)."""
    runs: list[tuple[float, tuple[int, ...]]] = []
    clock, current, current_start = 0.0, [0], 0.0
    frames = demo.keyframes
    for index in range(1, len(frames) + 1):
        clock += frames[index - 1].hold + frames[index - 1].move
        if index < len(frames) and passes_through(demo, index):
            current.append(index)
            continue
        runs.append((current_start, tuple(current)))
        current, current_start = [index], clock
    return runs


def loop_samples(demo: Demo, per_move: int) -> list[tuple[float, Pose]]:
    """The loop sampled for drawing: (seconds, pose) at each hold's ends and per_move times in
    each move, ending back at the first keyframe."""
    samples: list[tuple[float, Pose]] = []
    clock = 0.0
    for keyframe in demo.keyframes:
        times = [clock] + ([clock + keyframe.hold] if keyframe.hold > 0 else [])
        clock += keyframe.hold
        times += [clock + keyframe.move * step / per_move for step in range(1, per_move)]
        clock += keyframe.move
        samples += [(t, pose_at(demo, t)) for t in times]
    samples.append((clock, demo.keyframes[0].pose))
    return samples


def ease(fraction: float) -> float:
    """Smooth start and stop of a move (a cosine ease, 0 -> 0 and 1 -> 1)."""
    return 0.5 - 0.5 * math.cos(math.pi * min(max(fraction, 0.0), 1.0))


#: Between keyframes a point may pass this far below the floor (it is drawn, not checked as a pose).
TRANSIT_TOLERANCE = 0.03
#: A planted contact may stray this far along its surface from the line between its keyframe
#: spots: the same 3 cm as the floor tolerance, about a sole's roll or a palm's spread: 3 to 6 px
#: in the pictures (100-200 px per metre as each motion is fitted to the frame), no visible skate.
SLIDE_TOLERANCE = 0.03
#: ... and leave its contact band (the keyframe one) by this much while moving: a foot rolling
#: from heel to toe, a shoulder blade lifting; more is a visible lift off or sink into the floor.
PLANTED_SLACK = 0.02
TRANSIT_SAMPLES = 8


def transit_problems(demo: Demo, samples: int = TRANSIT_SAMPLES) -> list[str]:
    """Points that pass through the floor while the figure moves from keyframe to keyframe."""
    problems: list[str] = []
    for keyframe, following in _moves(demo):
        deepest: dict[str, float] = {}
        for step in range(1, samples):
            pose = interpolate_keyframes(keyframe, following, step / samples)
            for name, point in place(pose).items():
                if point[1] < -TRANSIT_TOLERANCE:
                    deepest[name] = min(deepest.get(name, 0.0), point[1])
        for name, depth in sorted(deepest.items()):
            problems.append(
                f"moving from {keyframe.name!r} to {following.name!r}: {name} passes "
                f"{-depth * 100:.0f} cm below the floor"
            )
    return problems


def planted_problems(demo: Demo, samples: int = TRANSIT_SAMPLES) -> list[str]:
    """Contacts planted in both keyframes of a move that slide, lift or sink during it.

    A planted contact stays where it touched: its two keyframe positions are within
    SLIDE_TOLERANCE of each other along the surface, unless the first keyframe names it in
    `slides` (a heel slide's heel, feet on a towel), and then it travels along the straight line
    between them. Either way it may not stray from that line along its surface by more than
    SLIDE_TOLERANCE, nor leave its keyframe contact band by more than PLANTED_SLACK.
    """
    problems: list[str] = []
    for keyframe, following in _moves(demo):
        start_points, end_points = place(keyframe.pose), place(following.pose)
        poses = [interpolate_keyframes(keyframe, following, s / samples) for s in range(1, samples)]
        placed = [place(pose) for pose in poses]
        where = f"moving from {keyframe.name!r} to {following.name!r}"
        for contact in planted_contacts(keyframe, following):
            start, end = start_points[contact.point], end_points[contact.point]
            across, level, what = _surface(contact, start, demo.props)
            along = tuple(axis for axis in range(3) if axis != across)
            travel = math.hypot(*(end[axis] - start[axis] for axis in along))
            if travel > SLIDE_TOLERANCE and contact.point not in keyframe.slides:
                problems.append(
                    f"{where}: {contact} is {_cm(travel)} cm from where it touched, though it "
                    f"touches in both keyframes (name it in 'slides' if it slides on purpose)"
                )
            slide = max(_off_line(points[contact.point], start, end, along) for points in placed)
            if slide > SLIDE_TOLERANCE:
                problems.append(f"{where}: {contact} slides {_cm(slide)} cm")
            low, high = CONTACT_BANDS[contact.point.rsplit("_", 1)[0]]
            gaps = [points[contact.point][across] - level for points in placed]
            if across == 0:
                gaps = [abs(gap) for gap in gaps]  # a wall: the distance from it, either side
            band = f"(touching is {_cm(low)} to {_cm(high)} cm)"
            if max(gaps) > high + PLANTED_SLACK:
                problems.append(f"{where}: {contact} lifts to {_level(max(gaps), what)} {band}")
            if min(gaps) < low - PLANTED_SLACK:
                problems.append(f"{where}: {contact} sinks to {_level(min(gaps), what)} {band}")
    return problems


def _moves(demo: Demo) -> list[tuple[Keyframe, Keyframe]]:
    """Each keyframe with the one it moves to (the last moves back to the first)."""
    frames = demo.keyframes
    return [(frame, frames[(index + 1) % len(frames)]) for index, frame in enumerate(frames)]


def _between(a: Vector, b: Vector, fraction: float) -> Vector:
    """The point a fraction of the way along the straight line from a to b."""
    return (
        a[0] + (b[0] - a[0]) * fraction,
        a[1] + (b[1] - a[1]) * fraction,
        a[2] + (b[2] - a[2]) * fraction,
    )


def _cm(metres: float) -> str:
    """Centimetres for a message: whole when whole ("5"), else one decimal ("3.4")."""
    return f"{round(metres * 100, 1):g}"


def _level(gap: float, surface: str) -> str:
    """A distance from a surface in words: "4 cm above the floor", "2 cm from the wall"."""
    if surface == "the wall":
        return f"{_cm(gap)} cm from {surface}"
    return f"{_cm(abs(gap))} cm {'above' if gap >= 0 else 'below'} {surface}"


def _off_line(point: Vector, start: Vector, end: Vector, axes: tuple[int, ...]) -> float:
    """Distance, along two axes (the surface's plane), from a point to the segment start-end."""
    i, j = axes
    di, dj = end[i] - start[i], end[j] - start[j]
    span = di * di + dj * dj
    along = 0.0 if span == 0 else ((point[i] - start[i]) * di + (point[j] - start[j]) * dj) / span
    along = min(max(along, 0.0), 1.0)
    return math.hypot(point[i] - start[i] - along * di, point[j] - start[j] - along * dj)


def _surface(contact: Contact, at: Vector, props: Sequence[Prop]) -> tuple[int, float, str]:
    """The surface a contact at a point touches: the axis across it (0 = x for a wall, 1 = y for
    the floor or a bench top), its level on that axis, and its name for messages."""
    if contact.surface == "wall":
        walls = [p.x[0] for p in props if p.kind == "wall"]
        return 0, walls[0] if walls else at[0], "the wall"  # no wall: check_demo reports it
    if contact.surface == "bench":
        tops = [
            p.height for p in props if p.kind == "bench" and p.x[0] - 0.05 <= at[0] <= p.x[1] + 0.05
        ]
        return 1, tops[0] if tops else 0.0, "the bench"  # no bench there: check_demo reports it
    return 1, 0.0, "the floor"
