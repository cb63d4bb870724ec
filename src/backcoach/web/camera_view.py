"""What the session player needs for the camera coach: each exercise's motion reference with
its cues, and the addresses of the camera's files (static/camera_coach.js reads both).

The reference is the one `backcoach camera reference` prints (engine/camera_reference.py), made
from the same demonstration that draws the exercise; the cues are the wording layer's, in the
person's language. An exercise the camera cannot judge (a hold, a spine-only drill, a motion
too small to see) has no camera view, so the player offers no camera for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.camera_reference import MotionReference, reference_for
from backcoach.engine.vocabulary import DoseType
from backcoach.web.static_files import static_url
from backcoach.wording.camera_words import FAULT_CUES, say_fault, say_placement

#: The camera's files by the name camera_coach.js gives them (scripts/camera_assets.sh builds
#: them into static/camera/): the SIMD runtime and, for older browsers, the one without.
CAMERA_FILES = {
    "bundle": "camera/vision_bundle.mjs",
    "loader": "camera/vision_wasm_internal.js",
    "wasm": "camera/vision_wasm_internal.wasm",
    "loader_nosimd": "camera/vision_wasm_nosimd_internal.js",
    "wasm_nosimd": "camera/vision_wasm_nosimd_internal.wasm",
    "model": "camera/pose_landmarker_lite.task",
}
HALF_REP = "rep.half"


@dataclass(frozen=True, slots=True)
class CameraView:
    """One exercise's camera coach: where the phone goes, and the reference with its cues."""

    side: str
    placement: str
    data: dict[str, Any]


@cache
def _reference(exercise_id: str) -> MotionReference:
    # About 50 ms each (the demonstration is filmed in the model): made once per process.
    return reference_for(default_catalogue().get(exercise_id), default_demos().get(exercise_id))


def camera_files() -> dict[str, str] | None:
    """The camera files' versioned addresses; None when they were not built (then no page
    offers the camera: a button that cannot start is worse than none)."""
    try:
        return {name: static_url(path) for name, path in CAMERA_FILES.items()}
    except LookupError:
        return None


class _WithCamera(Protocol):
    @property
    def camera(self) -> CameraView | None: ...


def offered_camera(views: Iterable[_WithCamera]) -> dict[str, str] | None:
    """The camera files' addresses when a page's exercises offer the camera, else None: only
    then does the page get the camera's looser policy (web/security.py, allow_camera)."""
    files = camera_files()
    return files if files is not None and any(v.camera for v in views) else None


def camera_view(exercise_id: str) -> CameraView | None:
    """The camera coach for an exercise, or None when the camera does not count it."""
    catalogue = default_catalogue()
    if exercise_id not in catalogue or catalogue.get(exercise_id).dose is not DoseType.REPS:
        return None
    if camera_files() is None:
        return None
    reference = _reference(exercise_id)
    if not reference.judgeable or reference.camera_side is None:
        return None
    data = reference.to_json()
    codes = sorted({check.code for check in reference.faults if check.judged})
    words = {code: say_fault(code) for code in codes if code in FAULT_CUES}
    words[HALF_REP] = say_fault(HALF_REP)
    data["words"] = words
    side = reference.camera_side
    return CameraView(side, say_placement(side), data)
