"""`backcoach camera count`: reps, half reps and faults printed as text or JSON; bad input ends
with one line naming the problem and exit code 2, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.catalogue import default_demos
from backcoach.cli.app import app
from backcoach.engine.camera_landmarks import Camera, Plan, sequence

runner = CliRunner()


@pytest.fixture(scope="module")
def bridges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three bridges filmed from the left at 10 fps; the second a half rep, the third arched."""
    plan = Plan(reps=3, fps=10, tempo=0.7, half_reps=frozenset({2}), faults={3: "low_back.arch"})
    frames, _ = sequence(default_demos()["glute_bridge"], Camera("left"), plan)
    path = tmp_path_factory.mktemp("camera") / "bridges.json"
    path.write_text(json.dumps([frame.to_json() for frame in frames]), encoding="utf-8")
    return path


def test_it_prints_reps_half_reps_and_faults_as_json(bridges: Path) -> None:
    result = runner.invoke(
        app, ["camera", "count", "--exercise", "glute_bridge", str(bridges), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["reps"] == 2
    assert [(e["code"], e["rep"]) for e in data["half_reps"]] == [("rep.half", 2)]
    assert [(e["code"], e["rep"]) for e in data["faults"]] == [("low_back.arch", 3)]


def test_it_prints_the_count_and_each_cue_as_text(bridges: Path) -> None:
    result = runner.invoke(app, ["camera", "count", "--exercise", "glute_bridge", str(bridges)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "glute_bridge: 2 reps, 1 half rep"
    assert lines[1].startswith("rep 2 at ") and "half a rep" in lines[1]
    assert lines[2].startswith("rep 3 at ") and "low_back.arch: Keep your ribs down" in lines[2]


@pytest.mark.parametrize(
    ("content", "exercise", "message"),
    [
        (None, "glute_bridge", "no such file"),
        ("[{", "glute_bridge", "not valid JSON (line 1, column 3"),
        ('[{"t": 0, "landmarks": [[0, 0, 0]]}]', "glute_bridge", "must be a list of 33"),
        ("[]", "no_such_exercise", "unknown exercise id 'no_such_exercise'"),
        ("[]", "cat_camel", "cannot judge cat_camel (camera.spine_only)"),
        ("[]", "front_plank", "cannot judge front_plank (camera.hold)"),
    ],
)
def test_bad_input_gets_one_line_and_exit_code_2(
    tmp_path: Path, content: str | None, exercise: str, message: str
) -> None:
    path = tmp_path / "frames.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["camera", "count", "--exercise", exercise, str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_reference_is_printed_as_the_browser_gets_it() -> None:
    result = runner.invoke(app, ["camera", "reference", "--exercise", "clam"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    # The top (right) leg opens, filmed from in front.
    assert data["camera"]["side"] == "front" and data["count"]["name"].endswith("_right")
