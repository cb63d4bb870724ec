"""Demonstrations as SVG: a looping animation (SMIL, no script) and a still strip of keyframes.

Both are one size (layout.FRAME_WIDTH x FRAME_HEIGHT), so a page reserves the same room for any
exercise, and either can stand in for the other (the strip is the reduced-motion picture).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from backcoach.engine.catalogue import Exercise
from backcoach.engine.demo import Demo, demo_duration
from backcoach.pictures.layout import FRAME_HEIGHT, FRAME_WIDTH, layout_for, strip_grid, timeline
from backcoach.pictures.scene import (
    caption,
    captions,
    figure_shapes,
    keyframe_title,
    legend_shapes,
)
from backcoach.pictures.shapes import Box, Curve, Dot, Patch, Shape, Stroke
from backcoach.pictures.surfaces import still_shapes

SVG_NS = "http://www.w3.org/2000/svg"
RING = 1.5  # px: the white ring around a target mark
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def animated_svg(demo: Demo, exercise: Exercise) -> str:
    """A looping animated SVG of one repetition (SMIL <animate>, holds and moves timed)."""
    samples = timeline(demo)
    layout = layout_for(demo, exercise, samples)
    frames = [figure_shapes(demo, exercise, layout, pose) for _, pose in samples]
    times = [t for t, _ in samples]
    duration = demo_duration(demo) or 1.0
    names = ", ".join(keyframe_title(k).lower() for k in demo.keyframes)
    body = [*_elements(still_shapes(demo, layout))]
    for index, shape in enumerate(frames[0]):
        track = [frame[index] for frame in frames]
        body.append(_animated(shape, track, times, duration))
    body += ['<g class="legend">', *_elements(legend_shapes(exercise, layout)), "</g>"]
    description = (
        f"An animated figure doing {exercise.name}, {len(demo.keyframes)} positions "
        f"({names}), looping every {duration:g} seconds."
    )
    return _document(exercise, demo, description, body)


def strip_svg(demo: Demo, exercise: Exercise) -> str:
    """The keyframes in a grid, each named under it: a still picture, the animation's size."""
    texts = captions(demo)
    grid = strip_grid(demo, exercise, texts)
    layout = grid.layout
    body: list[str] = []
    for number, keyframe in enumerate(demo.keyframes):
        x, y = grid.origin(number)
        body.append(f'<g transform="translate({_n(x)} {_n(y)})">')
        body += _elements(still_shapes(demo, layout))
        body += _elements(figure_shapes(demo, exercise, layout, keyframe.pose))
        body += _elements(caption(grid.cell_width, grid.cell_height, texts[number]))
        body.append("</g>")
    body += ['<g class="legend">', *_elements(legend_shapes(exercise, layout)), "</g>"]
    names = ", then ".join(keyframe_title(k).lower() for k in demo.keyframes)
    description = f"{exercise.name} in {len(demo.keyframes)} steps: {names}."
    return _document(exercise, demo, description, body)


def _document(exercise: Exercise, demo: Demo, description: str, body: Iterable[str]) -> str:
    ident = f"demo-{demo.exercise_id}"
    width, height = f"{FRAME_WIDTH:.0f}", f"{FRAME_HEIGHT:.0f}"
    return "\n".join(
        [
            f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" font-family={quoteattr(FONT)}>',
            f'<title id="{ident}-title">{escape(exercise.name)}</title>',
            f'<desc id="{ident}-desc">{escape(description)}</desc>',
            *body,
            "</svg>",
            "",
        ]
    )


def _n(value: float) -> str:
    """A coordinate with one decimal at most ("12", "12.5"): lighter files, no visible change."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _elements(shapes: Iterable[Shape]) -> list[str]:
    return [_element(shape, "") for shape in shapes]


def _path(curve: Curve) -> str:
    (ax, ay), (cx, cy), (bx, by) = curve.a, curve.control, curve.b
    return f"M{_n(ax)} {_n(ay)}Q{_n(cx)} {_n(cy)} {_n(bx)} {_n(by)}"


def _element(shape: Shape, inner: str) -> str:
    close = f">{inner}</{_tag(shape)}>" if inner else "/>"
    if isinstance(shape, Stroke):
        (x1, y1), (x2, y2) = shape.a, shape.b
        return (
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{shape.colour}" stroke-width="{_n(shape.width)}" '
            f'stroke-linecap="round"{close}'
        )
    if isinstance(shape, Curve):
        return (
            f'<path d="{_path(shape)}" fill="none" stroke="{shape.colour}" '
            f'stroke-width="{_n(shape.width)}" stroke-linecap="round"{close}'
        )
    if isinstance(shape, Dot):
        opacity = f' fill-opacity="{shape.opacity:g}"' if shape.opacity < 1 else ""
        ring = f' stroke="#ffffff" stroke-width="{RING:g}"' if shape.ringed else ""
        cx, cy = shape.centre
        return (
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(shape.radius)}" '
            f'fill="{shape.colour}"{opacity}{ring}{close}'
        )
    if isinstance(shape, Box):
        return (
            f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" '
            f'height="{_n(shape.height)}" rx="{shape.radius:g}" fill="{shape.colour}"/>'
        )
    if isinstance(shape, Patch):
        corners = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.corners)
        return f'<polygon points="{corners}" fill="{shape.colour}" stroke-linejoin="round"/>'
    return (
        f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{shape.size:g}" '
        f'fill="{shape.colour}" text-anchor="{shape.anchor}">{escape(shape.text)}</text>'
    )


def _tag(shape: Shape) -> str:
    tags = {Stroke: "line", Curve: "path", Dot: "circle", Box: "rect", Patch: "polygon"}
    return tags.get(type(shape), "text")


def _animated(shape: Shape, track: Sequence[Shape], times: Sequence[float], dur: float) -> str:
    """One moving shape with an <animate> per attribute that changes over the loop."""
    series: dict[str, list[str]]
    if isinstance(shape, Stroke):
        strokes = [s for s in track if isinstance(s, Stroke)]
        series = {
            "x1": [_n(s.a[0]) for s in strokes],
            "y1": [_n(s.a[1]) for s in strokes],
            "x2": [_n(s.b[0]) for s in strokes],
            "y2": [_n(s.b[1]) for s in strokes],
        }
    elif isinstance(shape, Curve):
        series = {"d": [_path(s) for s in track if isinstance(s, Curve)]}
    elif isinstance(shape, Dot):
        dots = [s for s in track if isinstance(s, Dot)]
        series = {"cx": [_n(s.centre[0]) for s in dots], "cy": [_n(s.centre[1]) for s in dots]}
    else:
        return _element(shape, "")
    key_times = ";".join(f"{t:.3f}".rstrip("0").rstrip(".") or "0" for t in times)
    # calcMode is left to its default, linear: between samples the shapes move in straight lines.
    animations = "".join(
        f'<animate attributeName="{name}" dur="{dur:g}s" repeatCount="indefinite" '
        f'keyTimes="{key_times}" values="{";".join(values)}"/>'
        for name, values in series.items()
        if len(set(values)) > 1
    )
    return _element(shape, animations)
