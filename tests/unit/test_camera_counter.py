"""The camera counter's rules, each on frames made to break it: full reps counted, half reps
flagged, a pause adds nothing, noise at a threshold counts once, a lumbar arch is flagged in
its rep, hidden landmarks are skipped, and an exercise the camera cannot judge is refused."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import pytest

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.camera_counter import Counter, LandmarkError, count, read_frames
from backcoach.engine.camera_landmarks import (
    LANDMARK,
    Camera,
    FilmedLoop,
    Plan,
    film_loop,
    sequence,
)
from backcoach.engine.camera_reference import reference_for

SHOULDER, HIP, KNEE = LANDMARK["left_shoulder"], LANDMARK["left_hip"], LANDMARK["left_knee"]


def _reference() -> dict[str, Any]:
    """A hand-written reference: the left hip's angle goes from 90 (rest) to 170 degrees."""
    return {
        "exercise": "test_lift",
        "judgeable": True,
        "count": {
            "measure": {"kind": "angle", "points": [[SHOULDER], [HIP], [KNEE]]},
            "rest": 90.0,
            "far": 170.0,
            "start": 0.3,
            "full": 0.7,
            "release": 0.2,
            "rest_cap": 0.1,
            "rest_ms": 2000.0,
            "warmup_ms": 500.0,
            "settle_ms": 8000.0,
            "still_band": 0.05,
            "smoothing_ms": 100.0,
            "baseline_ms": 400.0,
        },
        "faults": [],
    }


def _frame(hip_angle: float, *, visibility: float = 1.0, tilt: float = 0.0) -> list[list[float]]:
    """33 landmarks with the left shoulder, hip and knee making a hip angle, the rest still;
    ``tilt`` raises the trunk line (hip to shoulder) by degrees and the thigh with it."""
    landmarks = [[0.5, 0.5, 0.0, 1.0] for _ in range(33)]
    up = math.radians(tilt)
    landmarks[HIP] = [0.5, 0.6, 0.0, visibility]
    landmarks[SHOULDER] = [0.5 - 0.3 * math.cos(up), 0.6 - 0.3 * math.sin(up), 0.0, visibility]
    turn = math.radians(180.0 - hip_angle) - up
    landmarks[KNEE] = [0.5 + 0.25 * math.cos(turn), 0.6 - 0.25 * math.sin(turn), 0.0, visibility]
    return landmarks


def _set(
    angles: list[float], fps: float = 15.0, tilts: list[float] | None = None
) -> list[tuple[float, list[list[float]]]]:
    tilts = tilts or [0.0] * len(angles)
    return [
        (i * 1000.0 / fps, _frame(angle, tilt=tilt))
        for i, (angle, tilt) in enumerate(zip(angles, tilts, strict=True))
    ]


def _with_arch_check(reference: dict[str, Any]) -> dict[str, Any]:
    """The reference with a trunk-line check: the demonstration keeps it still (path all 0)."""
    check = {
        "code": "low_back.arch",
        "judged": True,
        "measure": {"kind": "elevation", "points": [[HIP], [SHOULDER]]},
        "path": [0.0] * 11,
        "threshold": 6.0,
        "smoothing_ms": 200.0,
        "hold_ms": 200.0,
    }
    return {**reference, "faults": [check]}


def _rep(low: float, high: float, frames: int = 20) -> list[float]:
    """One repetition's angles: from low to high and back, as a cosine."""
    return [
        low + (high - low) * (1 - math.cos(2 * math.pi * i / frames)) / 2 for i in range(frames)
    ]


def test_full_reps_are_counted() -> None:
    angles = [90.0] * 5 + _rep(90, 170) * 3 + [90.0] * 5
    result = count(_reference(), _set(angles))
    assert (result.reps, result.half_reps) == (3, ())


def test_a_half_rep_is_flagged_and_not_counted() -> None:
    angles = [90.0] * 5 + _rep(90, 170) + _rep(90, 130) + _rep(90, 170) + [90.0] * 5
    result = count(_reference(), _set(angles))
    assert result.reps == 2
    assert [(e.code, e.rep) for e in result.half_reps] == [("rep.half", 2)]


def test_a_half_rep_is_judged_against_the_persons_own_full_reps() -> None:
    # This camera reads the range 1.4 times the reference's: a rep to 0.83 of the reference's
    # range is past the reference's 0.7, yet only 0.6 of this person's full reps.
    reference = _reference()
    reference["count"] = {**reference["count"], "far": 150.0}
    angles = [90.0] * 5 + _rep(90, 174) * 2 + _rep(90, 140) + _rep(90, 174) + [90.0] * 5
    result = count(reference, _set(angles))
    assert (result.reps, [e.rep for e in result.half_reps]) == (3, [3])


def test_a_pause_at_rest_or_at_the_top_adds_no_rep() -> None:
    top_pause = [*_rep(90, 170)[:10], *[170.0] * 60, *_rep(90, 170)[10:]]
    angles = [90.0] * 5 + _rep(90, 170) + [90.0] * 60 + top_pause + [90.0] * 5
    assert count(_reference(), _set(angles)).reps == 2


def test_noise_around_the_start_threshold_counts_once() -> None:
    # Up past the start, then progress wobbles across 0.3 (start) again and again without
    # falling back below 0.2 (release): one attempt, a half rep, however often it crosses.
    wobble = [100.0 if i % 2 else 130.0 for i in range(40)]
    angles = [90.0] * 10 + [140.0] * 3 + wobble + [90.0] * 10
    result = count(_reference(), _set(angles))
    assert (result.reps, [e.rep for e in result.half_reps]) == (0, [1])


def test_a_camera_a_little_off_sees_the_rest_a_little_off() -> None:
    # At rest the picture reads 0.22 of the way (108 degrees, not 90): noise there starts no rep.
    jitter = [108.0 + 8 * math.sin(i * 1.7) for i in range(60)]
    angles = jitter + _rep(108, 170) * 2 + jitter
    result = count(_reference(), _set(angles))
    assert (result.reps, result.half_reps) == (2, ())


def test_one_wild_first_frame_does_not_set_the_rest() -> None:
    # The first frame reads far below rest (a landmark mistaken); the set still counts.
    frames = _set([90.0] * 15 + _rep(90, 170) * 2 + [90.0] * 5)
    frames[0] = (0.0, _frame(30.0))
    assert count(_reference(), frames).reps == 2


def test_settling_somewhere_new_mid_set_becomes_the_rest() -> None:
    # After two reps the person settles 0.4 of the way up (the phone was moved) for 10 s,
    # then does two more reps from there: both counted, and the settling is no rep at all.
    reference = _reference()
    reference["count"] = {**reference["count"], "far": 150.0}
    settled = [115.0] * 150 + _rep(115, 178) * 2 + [115.0] * 10
    angles = [90.0] * 10 + _rep(90, 150) * 2 + [90.0] * 10 + settled
    result = count(reference, _set(angles))
    assert (result.reps, result.half_reps) == (4, ())


def test_a_long_hold_at_the_top_is_still_one_rep() -> None:
    angles = [90.0] * 10 + _rep(90, 170)[:10] + [170.0] * 200 + _rep(90, 170)[10:] + [90.0] * 10
    assert count(_reference(), _set(angles)).reps == 1


def test_the_same_set_counts_alike_at_10_and_30_frames_a_second() -> None:
    for fps, per_rep in ((10.0, 20), (30.0, 60)):
        angles = [90.0] * 10 + _rep(90, 170, per_rep) * 4 + [90.0] * 10
        assert count(_reference(), _set(angles, fps)).reps == 4


def test_frames_without_the_landmarks_are_skipped() -> None:
    hidden = [(i * 66.0, _frame(170.0 if i % 2 else 90.0, visibility=0.2)) for i in range(40)]
    result = count(_reference(), hidden)
    assert (result.reps, result.skipped) == (0, 40)


def test_a_trunk_line_leaving_the_path_is_flagged_once_in_its_rep() -> None:
    angles = [90.0] * 5 + _rep(90, 170, 30) * 3 + [90.0] * 5
    arched = [0.0] * 35 + [12.0 * math.sin(math.pi * i / 30) for i in range(30)] + [0.0] * 35
    result = count(_with_arch_check(_reference()), _set(angles, tilts=arched))
    assert result.reps == 3
    assert [(e.code, e.rep) for e in result.faults] == [("low_back.arch", 2)]


def test_a_fault_shorter_than_its_hold_time_is_not_flagged() -> None:
    angles = [90.0] * 5 + _rep(90, 170, 30) + [90.0] * 5
    blip = [0.0] * 20 + [40.0] + [0.0] * 19  # one wild frame: noise, not a fault
    assert count(_with_arch_check(_reference()), _set(angles, tilts=blip)).faults == ()


def test_the_baseline_is_the_persons_own_posture_at_rest() -> None:
    # Settling 10 degrees off the demonstration's line before the first rep, and staying so,
    # is their posture, not a fault: the baseline follows it at rest.
    angles = [90.0] * 15 + _rep(90, 170, 30) * 2 + [90.0] * 5
    settled = [0.0] * 3 + [10.0] * (len(angles) - 3)
    result = count(_with_arch_check(_reference()), _set(angles, tilts=settled))
    assert (result.reps, result.faults) == (2, ())


def test_an_exercise_the_camera_cannot_judge_is_refused() -> None:
    reference = reference_for(default_catalogue().get("cat_camel"), default_demos()["cat_camel"])
    with pytest.raises(ValueError, match="cannot judge"):
        Counter(reference.to_json())


@cache
def _bridge() -> tuple[dict[str, Any], FilmedLoop]:
    demo = default_demos()["glute_bridge"]
    reference = reference_for(default_catalogue().get("glute_bridge"), demo).to_json()
    return reference, film_loop(demo)


def _bridge_set(plan: Plan) -> Any:
    reference, filmed = _bridge()
    demo = default_demos()["glute_bridge"]
    frames, _ = sequence(demo, Camera("left", turn=8, elevation=10), plan, filmed=filmed)
    return count(reference, [(f.time_ms, f.landmarks) for f in frames])


def test_a_lumbar_arch_is_flagged_in_its_rep_only() -> None:
    result = _bridge_set(Plan(reps=3, fps=15, tempo=0.7, faults={2: "low_back.arch"}, seed=3))
    assert result.reps == 3
    assert [(e.code, e.rep) for e in result.faults] == [("low_back.arch", 2)]


def test_generated_bridges_with_a_pause_and_a_half_rep_count_exactly() -> None:
    plan = Plan(reps=4, fps=10, tempo=0.7, noise=0.005, pause_after=2, half_reps=frozenset({3}))
    result = _bridge_set(plan)
    assert (result.reps, [e.rep for e in result.half_reps], result.faults) == (3, [3], ())


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"t": 0}, "a list of frames"),
        ([{"t": 0, "landmarks": [[0, 0, 0, 1]] * 32}], "frame 1: 'landmarks' must be a list of 33"),
        ([{"t": 5, "landmarks": [[0, 0, 0, 1]] * 33}, {"t": 1, "landmarks": []}], "backwards"),
        ([{"t": 0, "landmarks": [[0, 0, 0, "x"]] * 33}], "landmark 0 must be"),
        ({"aspect": 0, "frames": []}, "aspect"),
    ],
)
def test_malformed_frames_are_refused_with_the_frame_named(raw: Any, message: str) -> None:
    with pytest.raises(LandmarkError, match=message):
        read_frames(raw)
