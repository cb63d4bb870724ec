"""Demonstrations as SVG: a looping animation (SMIL, no script) and a static strip of keyframes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from backcoach.engine.catalogue import Exercise
from backcoach.engine.demo import Demo, demo_duration
from backcoach.pictures.scene import (
    COLOURS,
    LEGEND,
    Box,
    Dot,
    Label,
    Layout,
    Patch,
    Shape,
    Stroke,
    figure_shapes,
    keyframe_title,
    layout_for,
    legend_shapes,
    still_shapes,
    timeline,
)

SVG_NS = "http://www.w3.org/2000/svg"
RING = 1.5  # px: the white ring around a target mark
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def animated_svg(demo: Demo, exercise: Exercise) -> str:
    """A looping animated SVG of one repetition (SMIL <animate>, holds and moves timed)."""
    layout = layout_for(demo, exercise)
    samples = timeline(demo)
    frames = [figure_shapes(demo, exercise, layout, pose) for _, pose in samples]
    times = [t for t, _ in samples]
    duration = demo_duration(demo) or 1.0
    names = ", ".join(keyframe_title(k).lower() for k in demo.keyframes)
    body = [*_elements(still_shapes(demo, layout))]
    for index, shape in enumerate(frames[0]):
        track = [frame[index] for frame in frames]
        body.append(_animated(shape, track, times, duration))
    body += _elements(legend_shapes(exercise, layout, 14.0, layout.height - LEGEND / 2 + 2))
    description = (
        f"An animated figure doing {exercise.name}, {len(demo.keyframes)} positions "
        f"({names}), looping every {duration:g} seconds."
    )
    return _document(exercise, demo, layout.width, layout.height, description, body)


def strip_svg(demo: Demo, exercise: Exercise) -> str:
    """The keyframes side by side, each named under it: a still picture for print."""
    layout = layout_for(demo, exercise)
    body: list[str] = []
    for number, keyframe in enumerate(demo.keyframes):
        shift = number * layout.width
        body.append(f'<g transform="translate({shift:.1f} 0)">')
        body += _elements(still_shapes(demo, layout))
        body += _elements(figure_shapes(demo, exercise, layout, keyframe.pose))
        caption = f"{number + 1}. {keyframe_title(keyframe)}"
        body += _elements([_caption(layout, caption)])
        body.append("</g>")
    width = layout.width * len(demo.keyframes)
    height = layout.height + LEGEND
    body += _elements(legend_shapes(exercise, layout, 14.0, height - LEGEND / 2 + 2))
    names = ", then ".join(keyframe_title(k).lower() for k in demo.keyframes)
    description = f"{exercise.name} in {len(demo.keyframes)} steps: {names}."
    return _document(exercise, demo, width, height, description, body)


def _caption(layout: Layout, text: str) -> Label:
    return Label(layout.width / 2, layout.height - 6, text, 13, COLOURS["text"], "middle")


def _document(
    exercise: Exercise,
    demo: Demo,
    width: float,
    height: float,
    description: str,
    body: Iterable[str],
) -> str:
    ident = f"demo-{demo.exercise_id}"
    return "\n".join(
        [
            f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" font-family={quoteattr(FONT)}>',
            f'<title id="{ident}-title">{escape(exercise.name)}</title>',
            f'<desc id="{ident}-desc">{escape(description)}</desc>',
            *body,
            "</svg>",
            "",
        ]
    )


def _elements(shapes: Iterable[Shape]) -> list[str]:
    return [_element(shape, "") for shape in shapes]


def _element(shape: Shape, inner: str) -> str:
    close = f">{inner}</{_tag(shape)}>" if inner else "/>"
    if isinstance(shape, Stroke):
        (x1, y1), (x2, y2) = shape.a, shape.b
        return (
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{shape.colour}" stroke-width="{shape.width:.1f}" '
            f'stroke-linecap="round"{close}'
        )
    if isinstance(shape, Dot):
        opacity = f' fill-opacity="{shape.opacity:g}"' if shape.opacity < 1 else ""
        ring = f' stroke="#ffffff" stroke-width="{RING:g}"' if shape.ringed else ""
        cx, cy = shape.centre
        return (
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{shape.radius:.1f}" '
            f'fill="{shape.colour}"{opacity}{ring}{close}'
        )
    if isinstance(shape, Box):
        return (
            f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.width:.1f}" '
            f'height="{shape.height:.1f}" rx="{shape.radius:g}" fill="{shape.colour}"/>'
        )
    if isinstance(shape, Patch):
        corners = " ".join(f"{x:.1f},{y:.1f}" for x, y in shape.corners)
        return f'<polygon points="{corners}" fill="{shape.colour}" stroke-linejoin="round"/>'
    return (
        f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size:g}" '
        f'fill="{shape.colour}" text-anchor="{shape.anchor}">{escape(shape.text)}</text>'
    )


def _tag(shape: Shape) -> str:
    return {Stroke: "line", Dot: "circle", Box: "rect", Patch: "polygon", Label: "text"}[
        type(shape)
    ]


def _animated(shape: Shape, track: Sequence[Shape], times: Sequence[float], dur: float) -> str:
    """One moving shape with an <animate> per attribute that changes over the loop."""
    if isinstance(shape, Stroke):
        series = {
            "x1": [s.a[0] for s in track if isinstance(s, Stroke)],
            "y1": [s.a[1] for s in track if isinstance(s, Stroke)],
            "x2": [s.b[0] for s in track if isinstance(s, Stroke)],
            "y2": [s.b[1] for s in track if isinstance(s, Stroke)],
        }
    elif isinstance(shape, Dot):
        series = {
            "cx": [s.centre[0] for s in track if isinstance(s, Dot)],
            "cy": [s.centre[1] for s in track if isinstance(s, Dot)],
        }
    else:
        return _element(shape, "")
    key_times = ";".join(f"{t:.4f}" for t in times)
    animations = "".join(
        f'<animate attributeName="{name}" dur="{dur:g}s" repeatCount="indefinite" '
        f'calcMode="linear" keyTimes="{key_times}" '
        f'values="{";".join(f"{v:.1f}" for v in values)}"/>'
        for name, values in series.items()
        if max(values) - min(values) > 0.05
    )
    return _element(shape, animations)
