"""What a demonstration picture holds, in page coordinates: the same shapes for SVG and PNG.

The frame and the fit are in layout.py, the shapes in shapes.py, the floor and props under the
figure in surfaces.py, views and their projection in projection.py. Poses between keyframes are
interpolated in angle space (engine.motion.interpolate), so limbs keep their length while they
move.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from backcoach.engine.catalogue import Exercise
from backcoach.engine.demo import WEIGHTS, Demo, Keyframe, Prop, weight_centre
from backcoach.engine.figure import Pose, Vector, place
from backcoach.pictures.layout import (
    ARM,
    FRAME_HEIGHT,
    HEAD_RADIUS,
    LEG,
    LEGEND,
    PAD,
    Layout,
    caption_lines,
    text_width,
)
from backcoach.pictures.marks import REGIONS, target_points
from backcoach.pictures.shapes import COLOURS, Dot, Label, Point, Shape, Stroke, curve_through

#: Half the length of a dumbbell's handle, metres: its plates sit this far either side.
DUMBBELL_HALF = 0.08
#: A held weight's plate as drawn, metres: a little larger than the radius the floor checks use
#: (engine.demo.WEIGHTS), so it reads as a weight and not a joint.
PLATE_RADII: Mapping[str, float] = {"dumbbell": 0.07, "kettlebell": 0.09, "barbell": 0.16}
#: The smallest a held weight's plate is drawn, in pixels, however small the figure.
MIN_PLATE = 5.0
LEGEND_SIZE = 11.0


def figure_shapes(demo: Demo, exercise: Exercise, layout: Layout, pose: Pose) -> list[Shape]:
    """The moving shapes of one pose; the same keys in the same order for every pose."""
    points = place(pose)
    for number, prop in enumerate(demo.props):
        if prop.anchor is not None:
            points[f"anchor{number}"] = prop.anchor  # a band's fixed end, drawn as a post
    page = {name: layout.to_page(point) for name, point in points.items()}
    shapes: list[Shape] = []
    for group in layout.order:
        if group == "trunk":
            shapes += _trunk(page, layout)
            continue
        limb, side = group.split("_")
        colour = _group_colour(group, layout)
        for piece, start, end, thickness in LEG if limb == "leg" else ARM:
            shapes.append(
                Stroke(
                    f"{piece}_{side}",
                    page[f"{start}_{side}"],
                    page[f"{end}_{side}"],
                    layout.px(thickness),
                    colour,
                )
            )
    for key, point in target_points(exercise, demo, points):
        target = COLOURS["target"]
        radius = max(layout.px(0.075), 6.0)
        shapes.append(Dot(key, layout.to_page(point), radius, target, 0.75, ringed=True))
    shapes += _moving_props(demo, points, page, layout)
    return shapes


def _group_colour(group: str, layout: Layout) -> str:
    far = group in layout.far
    if group in layout.working:
        return COLOURS["working_far" if far else "working"]
    return COLOURS["far" if far else "body"]


def _trunk(page: Mapping[str, Point], layout: Layout) -> list[Shape]:
    body = COLOURS["body"]
    return [
        Stroke("hips", page["hip_left"], page["hip_right"], layout.px(0.15), body),
        # One curve from the pelvis through mid-back to the neck: a rounded or arched spine
        # shows as a bow, not a kink.
        curve_through(
            "spine", page["pelvis"], page["mid_back"], page["neck"], layout.px(0.21), body
        ),
        Stroke("shoulders", page["shoulder_left"], page["shoulder_right"], layout.px(0.1), body),
        Stroke("neck", page["neck"], page["head"], layout.px(0.07), body),
        Dot("head", page["head"], layout.px(HEAD_RADIUS), body),
    ]


def _moving_props(
    demo: Demo, points: Mapping[str, Vector], page: Mapping[str, Point], layout: Layout
) -> list[Shape]:
    shapes: list[Shape] = []
    band_width = max(layout.px(0.018), 2.0)
    for number, prop in enumerate(demo.props):
        key = f"prop{number}"
        if prop.kind == "band" and prop.anchor is not None:
            post = page[f"anchor{number}"]
            shapes.append(Dot(f"{key}post", post, max(layout.px(0.03), 3.0), COLOURS["metal"]))
            shapes.append(Stroke(key, post, page[prop.between[0]], band_width, COLOURS["band"]))
        elif prop.kind == "band":
            a, b = (page[name] for name in prop.between)
            shapes.append(Stroke(key, a, b, band_width, COLOURS["band"]))
        elif prop.kind in WEIGHTS:
            shapes += weight_shapes(key, prop, points, layout)
    return shapes


def weight_shapes(
    key: str, prop: Prop, points: Mapping[str, Vector], layout: Layout
) -> list[Shape]:
    """A held weight: dark plates with a white rim and a light hub, so it stands out on the body.

    A dumbbell is a handle with a plate at each end, its handle across the body (resting on the
    hips) or across the hand's grip; seen end on, its plates fall on one another and it reads as
    a plate. A kettlebell is a bell on a short handle under the hand; a barbell's plate shows
    beside the hips.
    """
    centre = weight_centre(prop, points)
    radius = max(layout.px(PLATE_RADII[prop.kind]), MIN_PLATE)
    weight, hub = COLOURS["weight"], COLOURS["hub"]
    if prop.kind == "dumbbell":
        ax, ay, az = _handle_axis(prop.at, points)
        x, y, z = centre
        ends = [
            layout.to_page((x + k * ax, y + k * ay, z + k * az))
            for k in (-DUMBBELL_HALF, DUMBBELL_HALF)
        ]
        return [
            Stroke(key, ends[0], ends[1], max(layout.px(0.025), 2.5), weight),
            Dot(f"{key}a", ends[0], radius, weight, ringed=True),
            Dot(f"{key}b", ends[1], radius, weight, ringed=True),
        ]
    middle = layout.to_page(centre)
    shapes: list[Shape] = []
    if prop.kind == "kettlebell":
        grip = layout.to_page(points[prop.at])
        shapes.append(Stroke(f"{key}grip", grip, middle, max(layout.px(0.03), 3.0), weight))
    shapes.append(Dot(key, middle, radius, weight, ringed=True))
    shapes.append(Dot(f"{key}hub", middle, radius * 0.35, hub))
    return shapes


def _handle_axis(at: str, points: Mapping[str, Vector]) -> Vector:
    """Which way a dumbbell's handle runs: across the hips, or across the hand's grip."""
    lateral = _unit(_sub(points["hip_left"], points["hip_right"]))
    side = at.rsplit("_", 1)[-1]
    if at.startswith(("hand_", "wrist_")) and side in ("left", "right"):
        forearm = _unit(_sub(points[f"wrist_{side}"], points[f"elbow_{side}"]))
        grip = _cross(forearm, lateral)
        if math.hypot(*grip) > 0.3:
            return _unit(grip)
    return lateral


def _sub(a: Vector, b: Vector) -> Vector:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _unit(a: Vector) -> Vector:
    length = math.hypot(*a) or 1.0
    return (a[0] / length, a[1] / length, a[2] / length)


def _cross(a: Vector, b: Vector) -> Vector:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def keyframe_title(keyframe: Keyframe) -> str:
    """A keyframe's name for a caption ("start" -> "Start")."""
    return keyframe.name.replace("_", " ").capitalize()


def captions(demo: Demo) -> list[str]:
    """Each keyframe's caption in a strip: "1. Start", "2. Top"."""
    return [f"{number}. {keyframe_title(k)}" for number, k in enumerate(demo.keyframes, 1)]


def caption(width: float, height: float, text: str) -> list[Label]:
    """A caption centred at the foot of its cell, fitted to the cell's width."""
    size, lines = caption_lines(text, width)
    bottom = height - 5
    return [
        Label(width / 2, bottom - (len(lines) - 1 - row) * size * 1.15, line, size,
              COLOURS["text"], "middle")
        for row, line in enumerate(lines)
    ]  # fmt: skip


def legend_shapes(exercise: Exercise, layout: Layout) -> list[Shape]:
    """The key under a picture: the target mark ("Feel it here") and the working side.

    Laid out left to right from the labels' (generous) widths, so the frame never cuts one.
    """
    y = FRAME_HEIGHT - LEGEND / 2 + 4
    x = PAD + 2
    shapes: list[Shape] = []
    if any(REGIONS.get(t) for t in exercise.targets):
        text = "Feel it here"
        shapes.append(Dot("legend_target", (x + 6, y - 4), 6, COLOURS["target"], 0.75))
        shapes.append(Label(x + 16, y, text, LEGEND_SIZE, COLOURS["text"]))
        x += 16 + text_width(text, LEGEND_SIZE) + 12
    if layout.working:
        text = "Working side"
        shapes.append(
            Stroke("legend_working", (x + 2, y - 4), (x + 14, y - 4), 7, COLOURS["working"])
        )
        shapes.append(Label(x + 22, y, text, LEGEND_SIZE, COLOURS["text"]))
    return shapes
