"""The still things under and behind the figure: the floor line, a mat, a bench, a wall."""

from __future__ import annotations

from backcoach.engine.demo import Demo, Prop
from backcoach.pictures.layout import PAD, Layout, footprint
from backcoach.pictures.shapes import COLOURS, Box, Patch, Shape


def still_shapes(demo: Demo, layout: Layout) -> list[Shape]:
    """The floor, mat, bench and wall under and behind the figure, inside the layout's area."""
    shapes: list[Shape] = []
    camera = layout.camera
    floor_y = layout.to_page((0.0, 0.0, 0.0))[1] if camera.level else 0.0
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


def _surface_level(prop: Prop, layout: Layout, floor_y: float) -> list[Shape]:
    camera = layout.camera
    if prop.kind == "wall":
        if camera.view == "front":
            return []  # parallel to the picture: it would hide the figure
        u = layout.to_page((prop.x[0], 0.0, 0.0))[0]
        return [Box(u - 3, PAD / 2, 6, floor_y - PAD / 2, COLOURS["prop"])]
    if camera.view == "front" and camera.turn == 0:
        left, right = PAD / 2, layout.width - PAD / 2  # across the picture
    else:
        us = [layout.to_page(c)[0] for c in footprint(prop, camera, layout.extent)]
        left, right = min(us), max(us)
    if prop.kind == "mat":
        return [Box(left, floor_y - 4, right - left, 5, COLOURS["mat"], 2)]
    top = floor_y - layout.px(prop.height)
    return [Box(left, top, right - left, layout.px(prop.height), COLOURS["prop"], 4)]


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
        return layout.x0 + (value - layout.left) * layout.scale

    if prop.kind == "wall":
        return [Box(u(prop.x[0]) - 3, PAD, 6, layout.height - 2 * PAD, COLOURS["prop"])]
    mid = layout.to_page((0.0, 0.0, 0.0))[1]
    half = layout.px({"mat": 0.33, "bench": 0.2}[prop.kind])
    colour = COLOURS["mat" if prop.kind == "mat" else "prop"]
    span = prop.x
    return [Box(u(span[0]), mid - half, layout.px(span[1] - span[0]), 2 * half, colour, 6)]
