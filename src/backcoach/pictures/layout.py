"""Where the world lands on the page: one fixed frame for every picture, the motion fitted in it.

Every picture (the animation and the still strip) is FRAME_WIDTH x FRAME_HEIGHT, so a page can
reserve the same room for any exercise. The animation fits the whole loop's motion, scaled and
centred, above the legend; the strip splits the same frame into a grid of equal cells, one per
keyframe with its caption, at one scale for all of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backcoach.engine.catalogue import Exercise
from backcoach.engine.demo import Demo, Prop, demo_duration, rep_ranges
from backcoach.engine.figure import LENGTHS, SIDES, Pose, Vector, place
from backcoach.engine.motion import loop_samples
from backcoach.engine.vocabulary import Laterality
from backcoach.pictures.projection import Camera, camera_for

Point = tuple[float, float]

#: Every picture's size in CSS pixels (its viewBox): full width on a 360 px phone.
FRAME_WIDTH = 320.0
FRAME_HEIGHT = 240.0
LEGEND = 22.0  # room under the picture for the "Feel it here" legend
CAPTION_SIZE = 12.0
#: Below this size a caption wraps onto two lines rather than shrink further.
MIN_CAPTION = 10.0
#: Room under each keyframe of a strip for its name, on one line or two.
CAPTION_HEIGHT = {1: 17.0, 2: 30.0}
PAD = 8.0
FRAMES_PER_MOVE = 8
HEAD_RADIUS = LENGTHS["head"] * 0.92
#: Width of a character as a share of the font size: generous for a proportional sans serif
#: (most letters are about 0.5), so a label laid out by it is never cut.
CHARACTER_WIDTH = 0.62

#: Limb pieces per side: (piece, from point, to point, thickness in metres).
LEG = (("thigh", "hip", "knee", 0.12), ("shank", "knee", "ankle", 0.09),
       ("heel", "ankle", "heel", 0.06), ("foot", "heel", "toe", 0.05))  # fmt: skip
ARM = (("upper_arm", "shoulder", "elbow", 0.08), ("forearm", "elbow", "wrist", 0.07),
       ("hand", "wrist", "hand", 0.055))  # fmt: skip
_LEG_ANGLES = ("hip_", "knee_", "ankle_")
_ARM_ANGLES = ("shoulder_", "elbow_", "wrist_")
GROUPS = tuple(f"{limb}_{side}" for side in SIDES for limb in ("leg", "arm"))
#: How much farther (m) than its partner a limb must be to be drawn as the far one.
FAR_MARGIN = 0.05

Extent = tuple[tuple[float, float], tuple[float, float]]


def text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width in pixels (no font metrics at hand)."""
    return len(text) * size * CHARACTER_WIDTH


def caption_lines(text: str, width: float) -> tuple[float, tuple[str, ...]]:
    """A caption's font size and lines: one line when it fits a cell's width at a readable
    size, else two lines split at the space that balances them."""
    size = _fitting_size(text, width)
    words = text.split(" ")
    if size >= MIN_CAPTION or len(words) < 2:
        return size, (text,)
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    lines = min(splits, key=lambda pair: max(len(pair[0]), len(pair[1])))
    return min(_fitting_size(line, width) for line in lines), lines


def _fitting_size(text: str, width: float) -> float:
    return math.floor(min(CAPTION_SIZE, (width - 6) / text_width(text, 1.0)) * 10) / 10


@dataclass(frozen=True, slots=True)
class WorldBox:
    """The part of the projected world a demo moves in (u right, v up, metres)."""

    left: float
    right: float
    bottom: float
    top: float
    #: The figure's x and z extent over the loop, for mats and benches the data gives no width.
    extent: Extent

    def scale_in(self, width: float, height: float) -> float:
        """Pixels per metre that fit the box in a width x height area, with padding."""
        return min(
            (width - 2 * PAD) / (self.right - self.left),
            (height - 2 * PAD) / (self.top - self.bottom),
        )


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the world lands in one drawing area, and the fixed drawing order of limbs."""

    camera: Camera
    left: float  # world u at x0
    top: float  # world v at y0
    scale: float  # pixels per metre
    x0: float
    y0: float
    width: float  # the drawing area (a whole picture, or one cell of a strip)
    height: float
    order: tuple[str, ...]  # limb groups and "trunk", far to near
    far: frozenset[str]  # limb groups drawn lighter
    working: frozenset[str]  # limb groups drawn in the working colour
    extent: Extent = ((-0.5, 0.5), (-0.5, 0.5))

    def to_page(self, point: Vector) -> Point:
        u, v, _ = self.camera.project(point)
        return (self.x0 + (u - self.left) * self.scale, self.y0 + (self.top - v) * self.scale)

    def px(self, metres: float) -> float:
        """A world length in pixels."""
        return metres * self.scale


@dataclass(frozen=True, slots=True)
class StripGrid:
    """The strip's cells: columns x rows in the frame, each the layout's area plus a caption."""

    layout: Layout
    columns: int
    rows: int
    cell_width: float
    cell_height: float

    def origin(self, number: int) -> Point:
        """The top left corner of keyframe number `number`'s cell (0-based)."""
        return (
            (number % self.columns) * self.cell_width,
            (number // self.columns) * self.cell_height,
        )


def layout_for(
    demo: Demo,
    exercise: Exercise,
    samples: Sequence[tuple[float, Pose]] | None = None,
) -> Layout:
    """The whole loop's motion (its `timeline`, given or sampled) scaled to fit the frame above
    the legend, centred in it."""
    box = world_box(demo, samples)
    return _fitted(demo, exercise, box, FRAME_WIDTH, FRAME_HEIGHT - LEGEND)


def strip_grid(demo: Demo, exercise: Exercise, titles: Sequence[str]) -> StripGrid:
    """The grid (of any column count) that draws the keyframes largest in the frame.

    `titles` are the keyframes' captions: a grid whose cells are too narrow for one on one line
    keeps room for two.
    """
    box = world_box(demo)
    count = len(demo.keyframes)
    best: tuple[float, int, float] | None = None
    for columns in range(1, count + 1):
        rows = math.ceil(count / columns)
        cell_w, cell_h = FRAME_WIDTH / columns, (FRAME_HEIGHT - LEGEND) / rows
        lines = max(len(caption_lines(title, cell_w)[1]) for title in titles)
        scale = box.scale_in(cell_w, cell_h - CAPTION_HEIGHT[lines])
        if best is None or scale > best[0] + 1e-9:
            best = (scale, columns, CAPTION_HEIGHT[lines])
    assert best is not None
    _, columns, caption_height = best
    rows = math.ceil(count / columns)
    cell_w, cell_h = FRAME_WIDTH / columns, (FRAME_HEIGHT - LEGEND) / rows
    layout = _fitted(demo, exercise, box, cell_w, cell_h - caption_height)
    return StripGrid(layout, columns, rows, cell_w, cell_h)


def world_box(demo: Demo, samples: Sequence[tuple[float, Pose]] | None = None) -> WorldBox:
    """Every sampled pose and prop of the loop, projected, with room for the head's circle."""
    camera = camera_for(demo)
    poses = [pose for _, pose in (timeline(demo) if samples is None else samples)]
    world: list[Vector] = [p for pose in poses for p in place(pose).values()]
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
    return WorldBox(
        left=min(us) - margin,
        right=max(us) + margin,
        bottom=min(vs) - (0.03 if camera.level else margin),
        top=max(vs) + margin,
        extent=extent,
    )


def _fitted(demo: Demo, exercise: Exercise, box: WorldBox, width: float, height: float) -> Layout:
    camera = camera_for(demo)
    scale = box.scale_in(width, height)
    points = place(demo.keyframes[0].pose)
    depth = {g: _mean_depth(points, _group_points(g), camera) for g in GROUPS}
    trunk_depth = _mean_depth(points, ("pelvis", "mid_back", "neck"), camera)
    order = tuple(sorted((*GROUPS, "trunk"), key=lambda g: depth.get(g, trunk_depth)))
    # A limb is drawn lighter when it is clearly behind its partner on the other side; a
    # symmetric pose (both legs behind a leaning trunk, say) keeps both limbs dark.
    far = frozenset(g for g in GROUPS if depth[g] < depth[_partner(g)] - FAR_MARGIN)
    return Layout(
        camera=camera,
        left=box.left,
        top=box.top,
        scale=scale,
        x0=(width - (box.right - box.left) * scale) / 2,
        y0=(height - (box.top - box.bottom) * scale) / 2,
        width=width,
        height=height,
        order=order,
        far=far,
        working=_working_groups(demo, exercise),
        extent=box.extent,
    )


def footprint(prop: Prop, camera: Camera, extent: Extent) -> list[Vector]:
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


def timeline(demo: Demo) -> list[tuple[float, Pose]]:
    """The loop sampled for animation: (fraction of the loop, pose), holds as two equal samples.

    Moves are eased (slow at both ends), interpolated in angle space with planted contacts kept
    still (engine.motion.pose_at).
    """
    total = demo_duration(demo) or 1.0
    return [(seconds / total, pose) for seconds, pose in loop_samples(demo, FRAMES_PER_MOVE)]


def _partner(group: str) -> str:
    limb, side = group.split("_")
    return f"{limb}_{'right' if side == 'left' else 'left'}"


def _group_points(group: str) -> tuple[str, ...]:
    limb, side = group.split("_")
    pieces = LEG if limb == "leg" else ARM
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
