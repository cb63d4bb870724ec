"""Demonstration data is refused when malformed, with a message naming where and what."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.demo import DemoError, parse_demos


def bridge() -> dict[str, Any]:
    frame = {"name": "start", "hold": 0.5, "move": 1.0, "pelvis": [0.0, 0.1, 0.0], "pitch": 90}
    top = {**frame, "name": "top", "angles": {"hip_flexion_left": 20}}
    return {
        "exercise": "glute_bridge",
        "view": "side",
        "rep_angle": "hip_flexion_left",
        "props": [{"kind": "mat", "x": [-0.9, 0.7]}],
        "keyframe": [frame, top],
    }


def parse(*demos: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    return parse_demos([{"demo": list(demos)}], catalogue, sources=["demos/test.toml"])


def refused(demo: dict[str, Any], catalogue: Catalogue) -> str:
    with pytest.raises(DemoError) as caught:
        parse(demo, catalogue=catalogue)
    return str(caught.value)


def test_a_good_demo_is_read_with_its_keyframes(catalogue: Catalogue) -> None:
    demos = parse(bridge(), catalogue=catalogue)
    demo = demos["glute_bridge"]
    assert demo.view == "side" and demo.working_side == "both"
    assert [k.name for k in demo.keyframes] == ["start", "top"]
    assert demo.keyframes[1].pose.angle("hip_flexion_left") == 20
    assert demo.props[0].kind == "mat" and demo.props[0].x == (-0.9, 0.7)


def test_an_unknown_field_is_refused_by_name(catalogue: Catalogue) -> None:
    demo = bridge() | {"colour": "red"}
    message = refused(demo, catalogue)
    assert "demos/test.toml" in message and "glute_bridge" in message and "'colour'" in message


def test_an_unknown_keyframe_field_names_the_keyframe(catalogue: Catalogue) -> None:
    demo = bridge()
    demo["keyframe"][1]["speed"] = 2
    message = refused(demo, catalogue)
    assert "keyframe 'top'" in message and "'speed'" in message


def test_an_unknown_exercise_id_is_refused(catalogue: Catalogue) -> None:
    message = refused(bridge() | {"exercise": "toe_touch_deluxe"}, catalogue)
    assert "exercise" in message and "toe_touch_deluxe" in message


def test_a_second_demo_of_one_exercise_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(DemoError, match="glute_bridge: duplicate"):
        parse(bridge(), copy.deepcopy(bridge()), catalogue=catalogue)


def test_an_unknown_angle_is_refused(catalogue: Catalogue) -> None:
    demo = bridge()
    demo["keyframe"][0]["angles"] = {"wiggle_left": 10}
    message = refused(demo, catalogue)
    assert "keyframe 'start'" in message and "angles" in message and "wiggle_left" in message


def test_an_unknown_rep_angle_is_refused(catalogue: Catalogue) -> None:
    assert "rep_angle" in refused(bridge() | {"rep_angle": "hip_wiggle"}, catalogue)


def test_a_bad_view_is_refused(catalogue: Catalogue) -> None:
    assert "view 'back'" in refused(bridge() | {"view": "back"}, catalogue)


def test_a_bad_prop_kind_is_refused(catalogue: Catalogue) -> None:
    message = refused(bridge() | {"props": [{"kind": "trampoline"}]}, catalogue)
    assert "props #1" in message and "trampoline" in message


def test_a_prop_with_a_bad_span_is_refused(catalogue: Catalogue) -> None:
    message = refused(bridge() | {"props": [{"kind": "bench", "x": [0.5, 0.1]}]}, catalogue)
    assert "props #1 (bench)" in message and "x must be" in message


def test_a_band_between_unknown_points_is_refused(catalogue: Catalogue) -> None:
    props = [{"kind": "band", "between": ["knee_left", "tail"]}]
    assert "unknown point 'tail'" in refused(bridge() | {"props": props}, catalogue)


def test_a_band_to_a_fixed_anchor_is_read(catalogue: Catalogue) -> None:
    props = [{"kind": "band", "anchor": [-1.0, 0.3, 0.0], "between": ["hand_left"]}]
    demo = parse(bridge() | {"props": props}, catalogue=catalogue)["glute_bridge"]
    assert demo.props[0].anchor == (-1.0, 0.3, 0.0)
    assert demo.props[0].between == ("hand_left",)


@pytest.mark.parametrize(
    ("prop", "expected"),
    [
        ({"kind": "band", "anchor": [-1.0, 0.3], "between": ["hand_left"]}, "anchor must be"),
        (
            {"kind": "band", "anchor": [-1.0, 0.3, 0.0], "between": ["hand_left", "hand_right"]},
            "between names one point",
        ),
    ],
)
def test_a_bad_band_anchor_is_refused(
    prop: dict[str, Any], expected: str, catalogue: Catalogue
) -> None:
    assert expected in refused(bridge() | {"props": [prop]}, catalogue)


def test_a_bad_contact_name_is_refused(catalogue: Catalogue) -> None:
    demo = bridge()
    demo["keyframe"][0]["contacts"] = ["heel_left", "elbow_middle"]
    message = refused(demo, catalogue)
    assert "contacts" in message and "elbow_middle" in message


def test_a_contact_on_an_unknown_surface_is_refused(catalogue: Catalogue) -> None:
    demo = bridge()
    demo["keyframe"][0]["contacts"] = ["hand_left@table"]
    assert "hand_left@table" in refused(demo, catalogue)


def test_a_point_that_cannot_touch_is_refused_as_a_contact(catalogue: Catalogue) -> None:
    demo = bridge()
    demo["keyframe"][0]["contacts"] = ["wrist_left"]
    assert "cannot be a contact" in refused(demo, catalogue)


def test_a_demo_needs_at_least_two_keyframes(catalogue: Catalogue) -> None:
    demo = bridge()
    demo["keyframe"] = demo["keyframe"][:1]
    assert "at least 2 keyframes" in refused(demo, catalogue)
    del demo["keyframe"]
    assert "keyframe" in refused(demo, catalogue)


def test_a_unilateral_exercise_must_name_its_working_side(catalogue: Catalogue) -> None:
    clam = bridge() | {"exercise": "clam", "rep_angle": "hip_rotation_right"}
    assert "working_side" in refused(clam, catalogue)
    assert "working_side" in refused(clam | {"working_side": "both"}, catalogue)
    assert parse(clam | {"working_side": "right"}, catalogue=catalogue)["clam"]


def test_a_negative_hold_is_refused(catalogue: Catalogue) -> None:
    demo = bridge()
    demo["keyframe"][1]["hold"] = -1
    assert "keyframe 'top': hold" in refused(demo, catalogue)


def test_a_pelvis_that_is_not_three_numbers_is_refused(catalogue: Catalogue) -> None:
    demo = bridge()
    demo["keyframe"][1]["pelvis"] = [0.0, 0.1]
    assert "keyframe 'top': pelvis" in refused(demo, catalogue)


def test_an_unknown_top_level_field_names_the_file(catalogue: Catalogue) -> None:
    with pytest.raises(DemoError, match=r"demos/test\.toml: unknown field 'demos'"):
        parse_demos([{"demos": []}], catalogue, sources=["demos/test.toml"])


def test_a_view_can_be_turned_and_raised(catalogue: Catalogue) -> None:
    demo = parse(bridge() | {"turn": -30, "elevation": 20}, catalogue=catalogue)["glute_bridge"]
    assert (demo.turn, demo.elevation) == (-30.0, 20.0)
    above = parse(bridge() | {"view": "above"}, catalogue=catalogue)["glute_bridge"]
    assert above.elevation == 60.0  # the above view looks down 60 degrees unless told


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"turn": 120}, "turn must be degrees between -90 and 90"),
        ({"turn": "left"}, "turn must be degrees"),
        ({"elevation": -10}, "elevation must be degrees between 0 and 80"),
        ({"elevation": True}, "elevation must be degrees"),
        ({"view": "top", "turn": 10}, "turn and elevation apply to the side, front and above"),
    ],
)
def test_a_bad_camera_is_refused_by_name(
    catalogue: Catalogue, fields: dict[str, Any], expected: str
) -> None:
    assert expected in refused(bridge() | fields, catalogue)
