"""The demonstration pictures: a self-contained animated SVG, still strips, a contact sheet."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.catalogue import Catalogue
from backcoach.pictures import animated_svg, contact_sheet_png, strip_png, strip_svg
from backcoach.pictures.layout import FRAME_HEIGHT, FRAME_WIDTH, layout_for
from backcoach.pictures.projection import Camera
from backcoach.pictures.shapes import COLOURS

SVG = "{http://www.w3.org/2000/svg}"
EXEMPLARS = ("glute_bridge", "clam", "dead_bug", "front_plank")


def picture(exercise_id: str, *, strip: bool = False) -> str:
    demo, exercise = default_demos()[exercise_id], default_catalogue().get(exercise_id)
    return strip_svg(demo, exercise) if strip else animated_svg(demo, exercise)


@pytest.mark.parametrize("exercise_id", EXEMPLARS)
def test_the_animation_is_a_self_contained_looping_svg(exercise_id: str) -> None:
    text = picture(exercise_id)
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    name = default_catalogue().get(exercise_id).name
    assert root.find(f"{SVG}title").text == name  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc") is not None
    animations = list(root.iter(f"{SVG}animate"))
    assert animations
    for animate in animations:
        assert animate.get("repeatCount") == "indefinite"
        times = [float(t) for t in animate.get("keyTimes", "").split(";")]
        assert times[0] == 0 and times[-1] == 1 and times == sorted(times)
        assert len(animate.get("values", "").split(";")) == len(times)
    assert "<script" not in text
    assert text.count("http") == text.count("http://www.w3.org/2000/svg") == 1
    assert "href" not in text


def test_the_animation_times_holds_and_moves() -> None:
    demo = default_demos()["glute_bridge"]
    root = ET.fromstring(picture("glute_bridge"))
    animate = next(root.iter(f"{SVG}animate"))
    total = sum(k.hold + k.move for k in demo.keyframes)
    assert animate.get("dur") == f"{total:g}s"
    times = [float(t) for t in animate.get("keyTimes", "").split(";")]
    start = demo.keyframes[0]
    assert pytest.approx(start.hold / total, abs=1e-3) in times  # the end of the first hold


@pytest.mark.parametrize("exercise_id", EXEMPLARS)
def test_the_strip_shows_every_keyframe_by_name(exercise_id: str) -> None:
    text = picture(exercise_id, strip=True)
    root = ET.fromstring(text)
    assert not list(root.iter(f"{SVG}animate"))
    captions = [t.text or "" for t in root.iter(f"{SVG}text")]
    for number, keyframe in enumerate(default_demos()[exercise_id].keyframes, start=1):
        assert any(c.startswith(f"{number}. ") and keyframe.name.split("_")[0] in c.lower()
                   for c in captions)  # fmt: skip


def test_the_strip_png_is_a_png_of_the_strip_size() -> None:
    demo, exercise = default_demos()["glute_bridge"], default_catalogue().get("glute_bridge")
    data = strip_png(demo, exercise)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    root = ET.fromstring(strip_svg(demo, exercise))
    assert image.size == (int(root.get("width", "0")), int(root.get("height", "0")))
    assert image.size == (FRAME_WIDTH, FRAME_HEIGHT)


def test_unilateral_demos_mark_the_working_side() -> None:
    clam = picture("clam")
    assert COLOURS["working"] in clam and "Working side" in clam
    bridge = picture("glute_bridge")
    assert COLOURS["working"] not in bridge and "Working side" not in bridge
    layout = layout_for(default_demos()["clam"], default_catalogue().get("clam"))
    assert layout.working == frozenset({"leg_right"})


@pytest.mark.parametrize("exercise_id", EXEMPLARS)
def test_target_muscles_are_marked(exercise_id: str) -> None:
    text = picture(exercise_id)
    assert COLOURS["target"] in text and "Feel it here" in text
    # Ringed in white, so the mark stays visible on the body and in a grey print.
    assert f'fill="{COLOURS["target"]}" fill-opacity="0.75" stroke="#ffffff"' in text


def test_side_view_draws_the_far_side_lighter() -> None:
    text = picture("dead_bug")
    assert COLOURS["far"] in text  # the right arm and leg, behind the body


def test_projections_follow_the_documented_views() -> None:
    point = (1.0, 2.0, 3.0)
    assert Camera("side").project(point) == (1.0, 2.0, 3.0)
    assert Camera("front").project(point) == (3.0, 2.0, 1.0)
    assert Camera("top").project(point) == (1.0, 3.0, 2.0)


def test_a_turned_side_view_shows_what_is_beside_the_person() -> None:
    beside = (0.0, 1.2, 0.8)  # a band anchor at the person's left, level with the chest
    assert Camera("side").project(beside)[0] == 0.0  # hidden straight behind the chest
    turned = Camera("side", turn=35.0)
    assert turned.project(beside)[0] < -0.4  # now off to one side of the body
    assert turned.project((0.5, 0.0, 0.0))[0] == pytest.approx(0.5 * math.cos(math.radians(35)))


def test_a_turned_front_view_turns_toward_the_persons_left() -> None:
    camera = Camera("front", turn=90.0)
    u, v, depth = camera.project((1.0, 2.0, 3.0))
    assert (u, v, depth) == pytest.approx((-1.0, 2.0, 3.0))  # now seen from their left


def test_elevation_looks_down_on_the_floor() -> None:
    camera = Camera("front", elevation=30.0)
    assert not camera.level and Camera("side", turn=20.0).level
    near, far = camera.project((0.3, 0.0, 0.0)), camera.project((-0.3, 0.0, 0.0))
    assert near[1] < far[1]  # the near edge of the floor is lower on the page


def test_a_raised_view_draws_the_mat_as_a_patch_and_no_floor_line(catalogue: Catalogue) -> None:
    demo = default_demos()["clam"]
    assert demo.elevation > 0  # the viewer looks down on the side-lying figure
    svg = animated_svg(demo, catalogue.get("clam"))
    assert "<polygon" in svg and COLOURS["mat"] in svg
    assert COLOURS["floor"] not in svg


# The whole contact sheet is drawn once, by the CLI's test (test_cli_pictures.py).


def test_the_contact_sheet_refuses_to_be_empty(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="no demonstrations"):
        contact_sheet_png({}, catalogue)


def test_a_band_to_an_anchor_draws_the_anchor_post() -> None:
    from backcoach.catalogue import default_catalogue, default_demos
    from backcoach.pictures import strip_svg
    from backcoach.pictures.shapes import COLOURS

    demos = default_demos()
    demo = demos["banded_dead_bug"]
    plain_demo = demos["dead_bug"]
    assert demo.props[-1].anchor is not None
    svg = strip_svg(demo, default_catalogue().get("banded_dead_bug"))
    assert svg.count(COLOURS["band"]) >= len(demo.keyframes)  # the band, in every frame
    assert svg.count(COLOURS["metal"]) >= len(demo.keyframes)  # and the post it is tied to
    plain = strip_svg(plain_demo, default_catalogue().get("dead_bug"))
    assert COLOURS["metal"] not in plain


def test_the_above_view_shows_forward_down_the_page_and_up_up_it() -> None:
    camera = Camera("above", elevation=60.0)
    origin = camera.project((0.0, 0.0, 0.0))
    forward = camera.project((0.3, 0.0, 0.0))
    up = camera.project((0.0, 0.3, 0.0))
    assert forward[1] < origin[1]  # a bent knee (forward) shows below the hip
    assert up[1] > origin[1]  # a rising knee shows above it
    assert forward[2] > origin[2]  # forward is toward the viewer


def test_a_mat_runs_along_the_body_in_raised_views(catalogue: Catalogue) -> None:
    from backcoach.pictures.layout import footprint

    def length_along_x(exercise_id: str) -> bool:
        demo = default_demos()[exercise_id]
        layout = layout_for(demo, catalogue.get(exercise_id))
        mat = next(p for p in demo.props if p.kind == "mat")
        corners = footprint(mat, layout.camera, layout.extent)
        xs, zs = [c[0] for c in corners], [c[2] for c in corners]
        return max(xs) - min(xs) > max(zs) - min(zs)

    assert length_along_x("thread_the_needle")  # on all fours, facing the viewer
    assert not length_along_x("side_plank_clam")  # lying on the side, across the picture
