"""The browser's camera counter (web/static/camera_counter.js) gives the same answers as the
reference implementation (engine/camera_counter.py) on the same generated sets: reps, half reps
and faults, each with its code, rep, frame and time. Every exercise the camera judges gets a set
at 10 frames a second (engine/camera_landmarks.py: noise, lost frames, wild landmarks, a clean
rep, a half rep, a pause, then each of its faults in its own rep); one exercise of each kind (the
camera's side and the faults it tests) and every sixth exercise get another at 30. All the sets
go to one Node process, as one JSON file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.camera_counter import count
from backcoach.engine.camera_landmarks import Camera, Plan, film_loop, sequence
from backcoach.engine.camera_reference import references
from backcoach.web.static_files import static_folder
from tests.support.availability import unavailable

COUNTER_JS = static_folder() / "camera_counter.js"
#: Node reads the cases, counts each with the browser's counter and prints the results in order.
RUN_CASES = """
const fs = require("fs");
const counter = require(process.argv[1]);
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const results = cases.map((c) => counter.count(c.reference, c.frames, c.aspect));
process.stdout.write(JSON.stringify(results));
"""


def _cases() -> list[dict[str, Any]]:
    """The generated sets, as {name, reference, aspect, frames} JSON objects."""
    demos = default_demos()
    cases: list[dict[str, Any]] = []
    kinds_seen: set[tuple[object, ...]] = set()
    judged = [r for r in references(default_catalogue().exercises, demos).values() if r.judgeable]
    for number, reference in enumerate(judged):
        demo = demos[reference.exercise_id]
        filmed = film_loop(demo, per_loop=48)  # coarser than the bench's: both read the same
        data: dict[str, Any] = reference.to_json()
        checks = [check for check in data["faults"] if check["judged"]]
        codes = [check["code"] for check in checks]
        kind = (reference.camera_side, *(c["measure"]["kind"] for c in checks), *codes)
        rates = [10.0] if kind in kinds_seen and number % 6 else [10.0, 30.0]
        kinds_seen.add(kind)
        for fps in rates:
            plan = Plan(
                reps=2 + len(codes),
                fps=fps,
                tempo=0.8 if fps == 10 else 1.0,
                noise=0.005,
                dropouts=0.02,
                outliers=0.005,
                pause_after=2,
                pause_seconds=2.0,
                half_reps=frozenset({2}),
                faults={3 + i: code for i, code in enumerate(codes)},
                lead_seconds=1.0,
                seed=number,
            )
            # The phone a little off the reference's place, as a person sets it up.
            camera = Camera(reference.camera_side or "front", turn=6 - number % 3 * 6, elevation=10)
            frames, _ = sequence(demo, camera, plan, filmed=filmed)
            cases.append(
                {
                    "name": f"{reference.exercise_id} at {fps:g} fps",
                    "reference": data,
                    "aspect": camera.aspect,
                    # Rounded as MediaPipe's JSON would be; both counters read these same numbers.
                    "frames": [frame.to_json() for frame in frames],
                }
            )
    return cases


def test_the_browsers_counter_answers_as_the_reference_implementation(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed: the browser's camera counter cannot be run")
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(_cases()))
    cases = json.loads(cases_file.read_text())  # what Node reads, to the last digit
    run = subprocess.run(
        [node, "-e", RUN_CASES, str(COUNTER_JS), str(cases_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    in_browser = json.loads(run.stdout)
    expected: list[dict[str, Any]] = [
        count(
            case["reference"],
            [(frame["t"], frame["landmarks"]) for frame in case["frames"]],
            aspect=case["aspect"],
        ).to_json()
        for case in cases
    ]
    differences = [
        f"{case['name']}: Python {python} / JavaScript {javascript}"
        for case, python, javascript in zip(cases, expected, in_browser, strict=True)
        if python != javascript
    ]
    assert differences == []
    # The sets do hold what they are meant to test: half reps and faults were found.
    assert sum(len(result["half_reps"]) for result in expected) >= len(cases) // 2
    assert {f["code"] for result in expected for f in result["faults"]} >= {
        "low_back.arch",
        "pelvis.rotation",
        "pelvis.drop",
        "knee.inward",
    }
