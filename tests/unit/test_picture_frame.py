"""Every demonstration picture reads on a phone: one frame size, nothing cut, weights that show,
and the views that used to hide the movement (fire hydrant, cat-camel) showing it."""

from __future__ import annotations

import functools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.demo import WEIGHTS
from backcoach.engine.figure import LENGTHS, Vector, place
from backcoach.pictures import animated_svg, strip_svg
from backcoach.pictures.layout import FRAME_HEIGHT, FRAME_WIDTH, LEGEND, Layout, layout_for
from backcoach.pictures.scene import MIN_PLATE, figure_shapes
from backcoach.pictures.shapes import COLOURS, Curve, Point, Stroke

SVG = "{http://www.w3.org/2000/svg}"
IDS = sorted(default_demos())
#: A label's width is estimated as characters x font size x this: wider than most sans-serif
#: text (about 0.5), so a label that passes is not cut in a browser.
CHARACTER_WIDTH = 0.6


@functools.cache
def drawn(exercise_id: str, strip: bool) -> ET.Element:
    """Each picture drawn once for the module (all 124 take about 4 s)."""
    demo, exercise = default_demos()[exercise_id], default_catalogue().get(exercise_id)
    return ET.fromstring(strip_svg(demo, exercise) if strip else animated_svg(demo, exercise))


def pictures() -> Iterator[tuple[str, bool, ET.Element]]:
    for exercise_id in IDS:
        for strip in (False, True):
            yield exercise_id, strip, drawn(exercise_id, strip)


def placed(root: ET.Element) -> Iterator[tuple[ET.Element, float, float]]:
    """Every element of the picture (not its legend) with the translation its groups add."""

    def walk(
        element: ET.Element, dx: float, dy: float
    ) -> Iterator[tuple[ET.Element, float, float]]:
        found = re.match(r"translate\(([-\d.]+) ([-\d.]+)\)", element.get("transform", ""))
        if found:
            dx, dy = dx + float(found[1]), dy + float(found[2])
        yield element, dx, dy
        for child in element:
            if child.get("class") != "legend":
                yield from walk(child, dx, dy)

    yield from walk(root, 0.0, 0.0)


def legends(root: ET.Element) -> Iterator[tuple[ET.Element, float, float]]:
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "legend":
            yield from ((element, 0.0, 0.0) for element in group)


def test_every_picture_is_one_size() -> None:
    sizes = set()
    for _, _, root in pictures():
        sizes.add((root.get("viewBox"), root.get("width"), root.get("height")))
    assert sizes == {(f"0 0 {FRAME_WIDTH:.0f} {FRAME_HEIGHT:.0f}", "320", "240")}


def test_every_label_lies_inside_the_frame() -> None:
    cut = []
    for exercise_id, strip, root in pictures():
        for text, dx, dy in [*placed(root), *legends(root)]:
            if text.tag != f"{SVG}text":
                continue
            size, words = float(text.get("font-size", "0")), text.text or ""
            width = len(words) * size * CHARACTER_WIDTH
            x, y = float(text.get("x", "0")) + dx, float(text.get("y", "0")) + dy
            anchor = text.get("text-anchor", "start")
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            if left < 0 or left + width > FRAME_WIDTH or y - size < 0 or y > FRAME_HEIGHT:
                cut.append(f"{exercise_id}{' strip' if strip else ''}: {words!r}")
            assert size >= 8, f"{exercise_id}: {words!r} at {size} px is too small to read"
    assert cut == []


def test_the_working_side_label_is_whole_where_it_was_cut() -> None:
    for exercise_id in ("fire_hydrant", "banded_fire_hydrant", "standing_hip_circle"):
        texts = [t.text for t in drawn(exercise_id, False).iter(f"{SVG}text")]
        assert "Working side" in texts


def test_the_figure_stays_inside_its_frame_all_the_way_through_the_loop() -> None:
    outside = []
    for exercise_id, strip, root in pictures():
        elements = list(placed(root))
        # A strip's cells are its groups' translations: columns x rows over the drawing area.
        columns = len({dx for e, dx, _ in elements if e.tag == f"{SVG}g"}) or 1
        rows = len({dy for e, _, dy in elements if e.tag == f"{SVG}g"}) or 1
        width, height = FRAME_WIDTH / columns, (FRAME_HEIGHT - LEGEND) / rows
        for element, _, _ in elements:
            tag = element.tag.removeprefix(SVG)
            if tag not in ("line", "circle"):
                continue
            if tag == "line":
                reach = float(element.get("stroke-width", "0")) / 2
                xs, ys = _values(element, ("x1", "x2")), _values(element, ("y1", "y2"))
            else:
                reach = float(element.get("r", "0"))
                xs, ys = _values(element, ("cx",)), _values(element, ("cy",))
            if (
                min(xs) - reach < 0
                or max(xs) + reach > width
                or min(ys) - reach < 0
                or (max(ys) + reach > height)
            ):
                outside.append(f"{exercise_id}{' strip' if strip else ''}: {element.attrib}")
    assert outside == []


def _values(element: ET.Element, names: tuple[str, ...]) -> list[float]:
    """An attribute's still value and, when it is animated, every value it takes."""
    values = [float(element.get(name, "0")) for name in names if element.get(name)]
    for animate in element.iter(f"{SVG}animate"):
        if animate.get("attributeName") in names:
            values += [float(v) for v in animate.get("values", "").split(";")]
    return values


@pytest.mark.parametrize("strip", [False, True])
def test_held_weights_are_drawn_as_dark_ringed_plates_wherever_a_demo_holds_one(
    strip: bool,
) -> None:
    for exercise_id in IDS:
        demo = default_demos()[exercise_id]
        weights = [prop for prop in demo.props if prop.kind in WEIGHTS]
        root = drawn(exercise_id, strip)
        plates = [
            c
            for c in root.iter(f"{SVG}circle")
            if c.get("fill") == COLOURS["weight"] and c.get("stroke") == "#ffffff"
        ]
        frames = len(demo.keyframes) if strip else 1
        expected = frames * sum(2 if w.kind == "dumbbell" else 1 for w in weights)
        assert len(plates) == expected, exercise_id
        assert all(float(c.get("r", "0")) >= MIN_PLATE for c in plates), exercise_id


def test_a_dumbbell_resting_on_the_hips_is_seen_end_on_as_a_plate() -> None:
    demo, exercise = (
        default_demos()["dumbbell_glute_bridge"],
        default_catalogue().get("dumbbell_glute_bridge"),
    )
    layout = layout_for(demo, exercise)
    shapes = figure_shapes(demo, exercise, layout, demo.keyframes[0].pose)
    handle = next(s for s in shapes if isinstance(s, Stroke) and s.colour == COLOURS["weight"])
    # Side view, handle across the body: both plates land on one spot.
    assert math.dist(handle.a, handle.b) < 2


def spine_bow(exercise_id: str, keyframe: str) -> float:
    """How far (in metres) the drawn spine bows up from its chord at a keyframe (down < 0)."""
    demo, exercise = default_demos()[exercise_id], default_catalogue().get(exercise_id)
    layout = layout_for(demo, exercise)
    pose = next(k.pose for k in demo.keyframes if k.name == keyframe)
    spine = next(s for s in figure_shapes(demo, exercise, layout, pose) if isinstance(s, Curve))
    middle = spine.points(2)[1]
    chord = ((spine.a[0] + spine.b[0]) / 2, (spine.a[1] + spine.b[1]) / 2)
    return (chord[1] - middle[1]) / layout.scale  # page y grows downward


def test_cat_camels_spine_rounds_up_and_sinks_down_visibly() -> None:
    assert spine_bow("cat_camel", "round") > 0.05
    assert spine_bow("cat_camel", "sink") < -0.02
    heights = [place(k.pose)["mid_back"][1] for k in default_demos()["cat_camel"].keyframes]
    assert max(heights) - min(heights) >= 0.15  # the mid-back rises and falls 15 cm or more


def test_the_fire_hydrant_is_seen_from_where_the_knee_lifting_out_reads() -> None:
    for exercise_id in ("fire_hydrant", "banded_fire_hydrant"):
        demo, exercise = default_demos()[exercise_id], default_catalogue().get(exercise_id)
        assert demo.view != "top" and demo.elevation <= 45  # not from above
        layout = layout_for(demo, exercise)
        start, top = (place(k.pose) for k in demo.keyframes[:2])

        def on_page(points: dict[str, Vector], name: str, layout: Layout = layout) -> Point:
            return layout.to_page(points[name])

        knee = f"knee_{demo.working_side}"
        other = f"knee_{'right' if demo.working_side == 'left' else 'left'}"
        # The working knee travels across the page (a third of a thigh or more); the other
        # stays put; the trunk shows most of its length, so the figure reads as on all fours.
        assert math.dist(on_page(start, knee), on_page(top, knee)) > 0.15 * layout.scale
        assert math.dist(on_page(start, other), on_page(top, other)) < 0.01 * layout.scale
        trunk = math.dist(on_page(start, "pelvis"), on_page(start, "neck")) / layout.scale
        assert trunk > 0.7 * LENGTHS["trunk"]
