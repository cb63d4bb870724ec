"""The words of the camera coach: one short cue per fault code, why an exercise cannot be
judged, and where to put the phone (codes from engine/camera_reference.py)."""

from __future__ import annotations

from backcoach.wording.i18n import N_, gettext

#: One short cue a person can act on mid-set, per fault code.
FAULT_CUES: dict[str, str] = {
    "low_back.arch": N_("Keep your ribs down: your low back is arching."),
    "pelvis.rotation": N_("Keep your hips level and still: your pelvis is turning."),
    "pelvis.drop": N_("Keep both hips at the same height."),
    "knee.inward": N_("Push your knees out over your feet."),
    "rep.half": N_("Go the whole way: that one was half a rep."),
}

#: Why the camera does not count an exercise.
CANNOT_JUDGE: dict[str, str] = {
    "camera.no_demonstration": N_("This exercise has no demonstration for the camera to follow."),
    "camera.hold": N_("This is a hold: time it instead of counting reps."),
    "camera.spine_only": N_(
        "This drill moves your spine, which the camera cannot see well enough to count."
    ),
    "camera.motion_too_small": N_("The movement is too small for the camera to count reliably."),
    "camera.no_single_cycle": N_(
        "This movement has no single back-and-forth the camera can count as one rep."
    ),
    "camera.placement_sensitive": N_(
        "The camera would have to stand just so to count this movement, so it does not guess."
    ),
    "camera.not_in_proportion": N_(
        "What the camera sees of this movement does not grow in step with it, so it cannot "
        "tell a half rep from a whole one."
    ),
    "camera.fault_not_visible": N_("The camera cannot see this from where the phone stands."),
}

#: Where to put the phone, per camera side.
PLACEMENT: dict[str, str] = {
    "left": N_("Put the phone on your left, level with your hips, with your whole body in view."),
    "right": N_("Put the phone on your right, level with your hips, with your whole body in view."),
    "front": N_("Put the phone in front of you, with your whole body in view."),
}


def say_fault(code: str) -> str:
    """A fault code's cue (or the half rep's) in the active language."""
    return gettext(FAULT_CUES[code])


def say_cannot_judge(reason: str) -> str:
    return gettext(CANNOT_JUDGE[reason])


def say_placement(side: str) -> str:
    return gettext(PLACEMENT[side])
