"""What a demonstration picture holds, in screen coordinates: the same shapes for SVG and PNG.

Views and their projection are in projection.py. Poses between keyframes are interpolated in
angle space (engine.motion.interpolate), so limbs keep their length while they move.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backcoach.engine.catalogue import Exercise
from backcoach.engine.demo import (
    WEIGHTS,
    Demo,
    Keyframe,
    Prop,
    demo_duration,
    rep_ranges,
    weight_centre,
)
from backcoach.engine.figure import LENGTHS, SIDES, Pose, Vector, place
from backcoach.engine.motion import loop_samples
from backcoach.engine.vocabulary import Laterality
from backcoach.pictures.marks import REGIONS, target_points
from backcoach.pictures.projection import Camera, camera_for

Point = tuple[float, float]

SCALE = 120.0  # pixels per metre: every exercise is drawn at the same size
PAD = 14.0
LEGEND = 22.0  # room under the picture for the "Feel it here" legend
FRAMES_PER_MOVE = 8

#: The palette: calm blues for the figure, teal for the working side, coral for target muscles.
COLOURS: Mapping[str, str] = {
    "body": "#35506b",
    "far": "#a7b8c8",
    "working": "#1f8a7a",
    "working_far": "#8cc7bd",
    "target": "#e9704f",
    "floor": "#8795a1",
    "mat": "#d7e6f0",
    "prop": "#b9a68f",
    "metal": "#5b6670",
    "band": "#d1495b",
    "text": "#2b3a46",
}


@dataclass(frozen=True, slots=True)
class Stroke:
    """A thick line with round ends (a limb, a band, a bar); moves with the figure."""

    key: str
    a: Point
    b: Point
    width: float
    colour: str


@dataclass(frozen=True, slots=True)
class Dot:
    """A filled circle (the head, a weight, a target mark); moves with the figure."""

    key: str
    centre: Point
    radius: float
    colour: str
    opacity: float = 1.0
    #: A thin white ring, so a mark stays visible on the body and when printed in grey.
    ringed: bool = False


@dataclass(frozen=True, slots=True)
class Box:
    """A still rectangle (floor, mat, bench, wall)."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    radius: float = 0.0


@dataclass(frozen=True, slots=True)
class Patch:
    """A still filled polygon (a mat or bench face seen from above at an angle)."""

    corners: tuple[Point, ...]
    colour: str


@dataclass(frozen=True, slots=True)
class Label:
    """Still text."""

    x: float
    y: float
    text: str
    size: float
    colour: str
    anchor: str = "start"  # start, middle or end


Shape = Stroke | Dot | Box | Patch | Label

#: Limb pieces per side: (piece, from point, to point, thickness in metres).
_LEG = (("thigh", "hip", "knee", 0.12), ("shank", "knee", "ankle", 0.09),
        ("heel", "ankle", "heel", 0.06), ("foot", "heel", "toe", 0.05))  # fmt: skip
_ARM = (("upper_arm", "shoulder", "elbow", 0.08), ("forearm", "elbow", "wrist", 0.07),
        ("hand", "wrist", "hand", 0.055))  # fmt: skip
_LEG_ANGLES = ("hip_", "knee_", "ankle_")
_ARM_ANGLES = ("shoulder_", "elbow_", "wrist_")
HEAD_RADIUS = LENGTHS["head"] * 0.92


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the world lands on the page for one demo, and the fixed drawing order of limbs."""

    camera: Camera
    left: float  # world u at the left edge
    top: float  # world v at the top edge
    width: float
    height: float
    order: tuple[str, ...]  # limb groups and "trunk", far to near
    far: frozenset[str]  # limb groups drawn lighter
    working: frozenset[str]  # limb groups drawn in the working colour
    #: The figure's x and z extent over the loop, for mats and benches the data gives no width.
    extent: tuple[tuple[float, float], tuple[float, float]] = ((-0.5, 0.5), (-0.5, 0.5))

    def to_page(self, point: Vector) -> Point:
        u, v, _ = self.camera.project(point)
        return (PAD + (u - self.left) * SCALE, PAD + (self.top - v) * SCALE)


def layout_for(demo: Demo, exercise: Exercise) -> Layout:
    """Fit every sampled pose and prop in a box, and fix the drawing order from the start pose."""
    camera = camera_for(demo)
    world: list[Vector] = [p for _, pose in timeline(demo) for p in place(pose).values()]
    world += [prop.anchor for prop in demo.props if prop.anchor is not None]
    if camera.level:
        world.append((0.0, 0.0, 0.0))  # the floor line
    zs = [p[2] for p in world]
    xs = [p[0] for p in world]
    extent = ((min(xs) - 0.1, max(xs) + 0.1), (min(zs) - 0.1, max(zs) + 0.1))
    if camera.view != "top" and not (camera.level and camera.view == "front"):
        mats = [p for p in demo.props if p.kind in ("mat", "bench")]
        world += [c for prop in mats for c in footprint(prop, camera, extent)]
    us = [camera.project(p)[0] for p in world]
    vs = [camera.project(p)[1] for p in world]
    margin = HEAD_RADIUS + 0.04
    for prop in demo.props:
        if prop.kind == "mat" and camera.view == "top":
            us += list(prop.x)
        if prop.kind == "wall" and camera.view in ("side", "top"):
            us.append(camera.project((prop.x[0], 0.0, 0.0))[0])
    left, right = min(us) - margin, max(us) + margin
    bottom = min(vs) - (0.03 if camera.level else margin)
    top = max(vs) + margin
    points = place(demo.keyframes[0].pose)
    depth = {g: _mean_depth(points, _group_points(g), camera) for g in _GROUPS}
    trunk_depth = _mean_depth(points, ("pelvis", "mid_back", "neck"), camera)
    order = tuple(sorted((*_GROUPS, "trunk"), key=lambda g: depth.get(g, trunk_depth)))
    # A limb is drawn lighter when it is clearly behind its partner on the other side; a
    # symmetric pose (both legs behind a leaning trunk, say) keeps both limbs dark.
    far = frozenset(g for g in _GROUPS if depth[g] < depth[_partner(g)] - FAR_MARGIN)
    return Layout(
        camera=camera,
        left=left,
        top=top,
        width=2 * PAD + (right - left) * SCALE,
        height=2 * PAD + (top - bottom) * SCALE + LEGEND,
        order=order,
        far=far,
        working=_working_groups(demo, exercise),
        extent=extent,
    )


_GROUPS = tuple(f"{limb}_{side}" for side in SIDES for limb in ("leg", "arm"))
#: How much farther (m) than its partner a limb must be to be drawn as the far one.
FAR_MARGIN = 0.05


def _partner(group: str) -> str:
    limb, side = group.split("_")
    return f"{limb}_{'right' if side == 'left' else 'left'}"


def _group_points(group: str) -> tuple[str, ...]:
    limb, side = group.split("_")
    pieces = _LEG if limb == "leg" else _ARM
    return tuple(f"{end}_{side}" for _, _, end, _ in pieces)


def _mean_depth(points: Mapping[str, Vector], names: Sequence[str], camera: Camera) -> float:
    return sum(camera.project(points[n])[2] for n in names) / len(names)


def _working_groups(demo: Demo, exercise: Exercise) -> frozenset[str]:
    """On a unilateral exercise: the working side's limbs that move (or its leg and arm)."""
    if exercise.laterality is not Laterality.UNILATERAL or demo.working_side == "both":
        return frozenset()
    side = demo.working_side
    moving = set(rep_ranges(demo))
    groups = {
        f"{limb}_{side}"
        for limb, prefixes in (("leg", _LEG_ANGLES), ("arm", _ARM_ANGLES))
        if any(name.startswith(prefixes) and name.endswith(side) for name in moving)
    }
    return frozenset(groups or {f"leg_{side}", f"arm_{side}"})


def timeline(demo: Demo) -> list[tuple[float, Pose]]:
    """The loop sampled for animation: (fraction of the loop, pose), holds as two equal samples.

    Moves are eased (slow at both ends), interpolated in angle space with planted contacts kept
    still (engine.motion.pose_at).
    """
    total = demo_duration(demo) or 1.0
    return [(seconds / total, pose) for seconds, pose in loop_samples(demo, FRAMES_PER_MOVE)]


def figure_shapes(demo: Demo, exercise: Exercise, layout: Layout, pose: Pose) -> list[Shape]:
    """The moving shapes of one pose; the same keys in the same order for every pose."""
    points = place(pose)
    for number, prop in enumerate(demo.props):
        if prop.anchor is not None:
            points[f"anchor{number}"] = prop.anchor  # a band's fixed end, drawn as a post
        if prop.kind in WEIGHTS:
            points[f"weight{number}"] = weight_centre(prop, points)
    page = {name: layout.to_page(point) for name, point in points.items()}
    shapes: list[Shape] = []
    for group in layout.order:
        if group == "trunk":
            shapes += _trunk(page)
            continue
        limb, side = group.split("_")
        colour = _group_colour(group, layout)
        for piece, start, end, thickness in _LEG if limb == "leg" else _ARM:
            shapes.append(
                Stroke(
                    f"{piece}_{side}",
                    page[f"{start}_{side}"],
                    page[f"{end}_{side}"],
                    thickness * SCALE,
                    colour,
                )
            )
    for key, point in target_points(exercise, demo, points):
        target = COLOURS["target"]
        shapes.append(Dot(key, layout.to_page(point), 0.075 * SCALE, target, 0.75, ringed=True))
    shapes += _moving_props(demo, page)
    return shapes


def _group_colour(group: str, layout: Layout) -> str:
    far = group in layout.far
    if group in layout.working:
        return COLOURS["working_far" if far else "working"]
    return COLOURS["far" if far else "body"]


def _trunk(page: Mapping[str, Point]) -> list[Shape]:
    body = COLOURS["body"]
    return [
        Stroke("hips", page["hip_left"], page["hip_right"], 0.15 * SCALE, body),
        # Two strokes meeting at mid-back, so a rounded or arched spine shows as a bend.
        Stroke("trunk", page["pelvis"], page["mid_back"], 0.21 * SCALE, body),
        Stroke("upper_trunk", page["mid_back"], page["neck"], 0.21 * SCALE, body),
        Stroke("shoulders", page["shoulder_left"], page["shoulder_right"], 0.1 * SCALE, body),
        Stroke("neck", page["neck"], page["head"], 0.07 * SCALE, body),
        Dot("head", page["head"], HEAD_RADIUS * SCALE, body),
    ]


def _moving_props(demo: Demo, page: Mapping[str, Point]) -> list[Shape]:
    shapes: list[Shape] = []
    for number, prop in enumerate(demo.props):
        key = f"prop{number}"
        if prop.kind == "band" and prop.anchor is not None:
            post = page[f"anchor{number}"]
            shapes.append(Dot(f"{key}post", post, 0.03 * SCALE, COLOURS["metal"]))
            shapes.append(Stroke(key, post, page[prop.between[0]], 0.018 * SCALE, COLOURS["band"]))
        elif prop.kind == "band":
            a, b = (page[name] for name in prop.between)
            shapes.append(Stroke(key, a, b, 0.018 * SCALE, COLOURS["band"]))
        elif prop.kind in WEIGHTS:
            x, y = page[f"weight{number}"]
            size = WEIGHTS[prop.kind][0]
            if prop.kind == "dumbbell":
                shapes.append(Stroke(key, (x - 14, y), (x + 14, y), 0.03 * SCALE, COLOURS["metal"]))
                shapes.append(Dot(f"{key}a", (x - 14, y), size * SCALE, COLOURS["metal"]))
                shapes.append(Dot(f"{key}b", (x + 14, y), size * SCALE, COLOURS["metal"]))
            else:
                shapes.append(Dot(key, (x, y), size * SCALE, COLOURS["metal"], 0.9))
    return shapes


def still_shapes(demo: Demo, layout: Layout) -> list[Shape]:
    """The floor, mat, bench and wall under and behind the figure."""
    shapes: list[Shape] = []
    camera = layout.camera
    floor_y = PAD + layout.top * SCALE
    if camera.level:
        shapes.append(Box(PAD / 2, floor_y, layout.width - PAD, 2.0, COLOURS["floor"]))
    for prop in demo.props:
        if prop.kind not in ("mat", "bench", "wall"):
            continue
        if camera.view == "top":
            shapes += _surface_from_above(prop, layout)
        elif camera.level:
            shapes += _surface_level(prop, layout, floor_y)
        else:
            shapes += _surface_raised(prop, layout)
    return shapes


def footprint(
    prop: Prop, camera: Camera, extent: tuple[tuple[float, float], tuple[float, float]]
) -> list[Vector]:
    """The corners of a mat's or bench's top, in the world.

    In side views a mat runs along x (its `x` span). Front views are mostly of people lying
    along z (side planks, clams), where the data's x span says nothing: the mat then runs along
    z under the whole figure, unless the figure is longer along x (on all fours).
    """
    half = {"mat": 0.33, "bench": 0.2}.get(prop.kind, 0.0)
    y = prop.height if prop.kind == "bench" else 0.0
    (fx0, fx1), (fz0, fz1) = extent
    if camera.view in ("side", "top") or fx1 - fx0 >= fz1 - fz0:
        (x0, x1), (z0, z1) = prop.x, (-half, half)
    else:
        (x0, x1), (z0, z1) = (-half, half), (fz0, fz1)
    return [(x0, y, z0), (x1, y, z0), (x1, y, z1), (x0, y, z1)]


def _surface_level(prop: Prop, layout: Layout, floor_y: float) -> list[Shape]:
    camera = layout.camera
    if prop.kind == "wall":
        if camera.view == "front":
            return []  # parallel to the picture: it would hide the figure
        u = layout.to_page((prop.x[0], 0.0, 0.0))[0]
        return [Box(u - 3, PAD / 2, 6, floor_y - PAD / 2, COLOURS["prop"])]
    if camera.view == "front" and camera.turn == 0:
        left, right = PAD + 0.05 * SCALE, layout.width - PAD - 0.05 * SCALE  # across the picture
    else:
        us = [layout.to_page(c)[0] for c in footprint(prop, camera, layout.extent)]
        left, right = min(us), max(us)
    if prop.kind == "mat":
        return [Box(left, floor_y - 4, right - left, 5, COLOURS["mat"], 2)]
    top = floor_y - prop.height * SCALE
    return [Box(left, top, right - left, prop.height * SCALE, COLOURS["prop"], 4)]


def _surface_raised(prop: Prop, layout: Layout) -> list[Shape]:
    """Seen from above at an angle: the mat as a patch on the floor, a bench's top and sides."""
    if prop.kind == "wall":
        return []  # a wall seen from above would hide the figure; raised views do not use one
    corners = footprint(prop, layout.camera, layout.extent)
    if prop.kind == "mat":
        return [Patch(tuple(layout.to_page(c) for c in corners), COLOURS["mat"])]
    shapes: list[Shape] = []
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        side = (a, b, (b[0], 0.0, b[2]), (a[0], 0.0, a[2]))
        shapes.append(Patch(tuple(layout.to_page(c) for c in side), COLOURS["prop"]))
    shapes.append(Patch(tuple(layout.to_page(c) for c in corners), COLOURS["prop"]))
    return shapes


def _surface_from_above(prop: Prop, layout: Layout) -> list[Shape]:
    def u(value: float) -> float:
        return PAD + (value - layout.left) * SCALE

    if prop.kind == "wall":
        return [Box(u(prop.x[0]) - 3, PAD, 6, layout.height - 2 * PAD, COLOURS["prop"])]
    mid = PAD + layout.top * SCALE
    half = {"mat": 0.33, "bench": 0.2}[prop.kind] * SCALE
    colour = COLOURS["mat" if prop.kind == "mat" else "prop"]
    span = prop.x
    return [Box(u(span[0]), mid - half, (span[1] - span[0]) * SCALE, 2 * half, colour, 6)]


def keyframe_title(keyframe: Keyframe) -> str:
    """A keyframe's name for a caption ("start" -> "Start")."""
    return keyframe.name.replace("_", " ").capitalize()


def legend_shapes(exercise: Exercise, layout: Layout, x: float, y: float) -> list[Shape]:
    """The key under a picture: the target mark ("Feel it here") and the working side."""
    shapes: list[Shape] = []
    if any(REGIONS.get(t) for t in exercise.targets):
        shapes.append(Dot("legend_target", (x + 6, y - 4), 6, COLOURS["target"], 0.75))
        shapes.append(Label(x + 16, y, "Feel it here", 11, COLOURS["text"]))
        x += 96
    if layout.working:
        shapes.append(
            Stroke("legend_working", (x + 2, y - 4), (x + 14, y - 4), 7, COLOURS["working"])
        )
        shapes.append(Label(x + 22, y, "Working side", 11, COLOURS["text"]))
    return shapes
