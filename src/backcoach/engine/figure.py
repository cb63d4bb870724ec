"""A small human figure: segment lengths, joints with limits, and forward kinematics in 3D.

World axes, in metres: x forward (where a standing person faces), y up (the floor is y = 0),
z to the person's left. A pose gives the pelvis position and orientation and the angle of each
joint in degrees; `place` turns it into joint positions. Lengths follow common anthropometric
proportions of body height (Winter, Biomechanics and Motor Control of Human Movement, 4th ed.,
2009) for a 1.75 m adult.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

HEIGHT = 1.75
Vector = tuple[float, float, float]
Matrix = tuple[Vector, Vector, Vector]

#: Segment lengths in metres.
LENGTHS: Mapping[str, float] = MappingProxyType(
    {
        "trunk": 0.288 * HEIGHT,  # hip centre to the base of the neck: lower_trunk + upper_trunk
        "lower_trunk": 0.45 * 0.288 * HEIGHT,  # hip centre to mid-back (lumbar spine)
        "upper_trunk": 0.55 * 0.288 * HEIGHT,  # mid-back to the base of the neck (thoracic spine)
        "neck": 0.052 * HEIGHT,
        "head": 0.065 * HEIGHT,  # radius of the head circle
        "hip_half_width": 0.05 * HEIGHT,
        "shoulder_half_width": 0.105 * HEIGHT,
        "upper_arm": 0.186 * HEIGHT,
        "forearm": 0.146 * HEIGHT,
        "hand": 0.06 * HEIGHT,
        "thigh": 0.245 * HEIGHT,
        "shank": 0.246 * HEIGHT,
        "heel": 0.039 * HEIGHT,  # ankle joint above the sole
        "foot": 0.13 * HEIGHT,  # heel to toe
    }
)
#: Thickness of the body and limbs, for floor and prop checks (a stick figure has none).
RADII: Mapping[str, float] = MappingProxyType(
    {
        "trunk": 0.10,
        "lower_trunk": 0.10,
        "upper_trunk": 0.10,
        "upper_arm": 0.04,
        "forearm": 0.035,
        "thigh": 0.06,
        "shank": 0.045,
    }
)

#: Joint degrees of freedom and their limits in degrees (a healthy adult's active range).
LIMITS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "trunk_flexion": (-30.0, 90.0),
        "trunk_side": (-35.0, 35.0),
        "trunk_twist": (-45.0, 45.0),
        # the thoracic spine against the lumbar, at mid-back (same senses as the trunk_ angles)
        "upper_flexion": (-25.0, 45.0),
        "upper_side": (-25.0, 25.0),
        "upper_twist": (-35.0, 35.0),
        "neck_flexion": (-50.0, 60.0),
        "hip_flexion": (-30.0, 135.0),
        "hip_abduction": (-30.0, 50.0),
        "hip_rotation": (-40.0, 60.0),  # positive = external rotation
        "knee_flexion": (0.0, 150.0),
        "ankle_flexion": (-50.0, 30.0),  # positive = dorsiflexion (toes up)
        "shoulder_flexion": (-60.0, 180.0),
        "shoulder_abduction": (-10.0, 180.0),
        "shoulder_rotation": (-90.0, 90.0),
        "elbow_flexion": (0.0, 150.0),
        # positive = the back of the hand toward the forearm (hands flat on the floor: about 90)
        "wrist_extension": (-70.0, 90.0),
    }
)
SIDES = ("left", "right")
LIMB_JOINTS = (
    "hip_flexion",
    "hip_abduction",
    "hip_rotation",
    "knee_flexion",
    "ankle_flexion",
    "shoulder_flexion",
    "shoulder_abduction",
    "shoulder_rotation",
    "elbow_flexion",
    "wrist_extension",
)
TRUNK_JOINTS = (
    "trunk_flexion",
    "trunk_side",
    "trunk_twist",
    "upper_flexion",
    "upper_side",
    "upper_twist",
    "neck_flexion",
)
#: Every angle a pose can set: trunk joints as they are, limb joints per side ("knee_flexion_left").
ANGLES = TRUNK_JOINTS + tuple(f"{joint}_{side}" for joint in LIMB_JOINTS for side in SIDES)


class PoseError(ValueError):
    """A pose names an unknown angle or gives a value that is not a number."""


@dataclass(frozen=True, slots=True)
class Pose:
    """Pelvis position (m) and orientation (degrees), and joint angles (degrees; missing = 0).

    Orientation: ``yaw`` turns about the vertical, ``pitch`` tips the trunk axis (90 lies the
    person on their back, head toward -x; -90 on their front), ``roll`` about the forward axis
    (90 lies them on their left side).
    """

    pelvis: Vector
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    angles: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.angles) - set(ANGLES))
        if unknown:
            raise PoseError(f"unknown angle {unknown[0]!r}; known: {', '.join(ANGLES)}")
        for name, value in self.angles.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PoseError(f"angle {name} must be a number of degrees")

    def angle(self, name: str) -> float:
        return float(self.angles.get(name, 0.0))


def limit_of(angle_name: str) -> tuple[float, float]:
    """The limits of a pose angle ("knee_flexion_left" -> limits of knee_flexion)."""
    joint = angle_name.removesuffix("_left").removesuffix("_right")
    return LIMITS[joint]


def place(pose: Pose) -> dict[str, Vector]:
    """Joint and end-point positions in world coordinates (forward kinematics)."""
    pelvis_frame = _mul(_rot_y(pose.yaw), _mul(_rot_z(pose.pitch), _rot_x(pose.roll)))
    points: dict[str, Vector] = {"pelvis": pose.pelvis}
    # The spine bends at the pelvis (lumbar: trunk_*) and again at mid-back (thoracic: upper_*).
    lower_frame = _mul(
        pelvis_frame,
        _mul(
            _rot_z(-pose.angle("trunk_flexion")),
            _mul(_rot_x(pose.angle("trunk_side")), _rot_y(pose.angle("trunk_twist"))),
        ),
    )
    mid_back = _add(pose.pelvis, _apply(lower_frame, (0.0, LENGTHS["lower_trunk"], 0.0)))
    points["mid_back"] = mid_back
    trunk_frame = _mul(
        lower_frame,
        _mul(
            _rot_z(-pose.angle("upper_flexion")),
            _mul(_rot_x(pose.angle("upper_side")), _rot_y(pose.angle("upper_twist"))),
        ),
    )
    neck = _add(mid_back, _apply(trunk_frame, (0.0, LENGTHS["upper_trunk"], 0.0)))
    points["neck"] = neck
    head_frame = _mul(trunk_frame, _rot_z(-pose.angle("neck_flexion")))
    points["head"] = _add(neck, _apply(head_frame, (0.0, LENGTHS["neck"] + LENGTHS["head"], 0.0)))
    for side in SIDES:
        sign = 1.0 if side == "left" else -1.0
        _leg(points, pose, pelvis_frame, side, sign)
        _arm(points, pose, trunk_frame, neck, side, sign)
    return points


def _ball_joint(frame: Matrix, pose: Pose, joint: str, side: str, sign: float) -> Matrix:
    """Hip or shoulder: flexion, then abduction and rotation mirrored for the right side."""
    return _mul(
        frame,
        _mul(
            _rot_z(pose.angle(f"{joint}_flexion_{side}")),
            _mul(
                _rot_x(-sign * pose.angle(f"{joint}_abduction_{side}")),
                _rot_y(-sign * pose.angle(f"{joint}_rotation_{side}")),
            ),
        ),
    )


def _leg(points: dict[str, Vector], pose: Pose, frame: Matrix, side: str, sign: float) -> None:
    hip = _add(pose.pelvis, _apply(frame, (0.0, 0.0, sign * LENGTHS["hip_half_width"])))
    thigh_frame = _ball_joint(frame, pose, "hip", side, sign)
    knee = _add(hip, _apply(thigh_frame, (0.0, -LENGTHS["thigh"], 0.0)))
    shank_frame = _mul(thigh_frame, _rot_z(-pose.angle(f"knee_flexion_{side}")))
    ankle = _add(knee, _apply(shank_frame, (0.0, -LENGTHS["shank"], 0.0)))
    foot_frame = _mul(shank_frame, _rot_z(pose.angle(f"ankle_flexion_{side}")))
    heel = _add(ankle, _apply(foot_frame, (-0.25 * LENGTHS["heel"], -LENGTHS["heel"], 0.0)))
    toe = _add(heel, _apply(foot_frame, (LENGTHS["foot"], 0.0, 0.0)))
    points.update(
        {
            f"hip_{side}": hip,
            f"knee_{side}": knee,
            f"ankle_{side}": ankle,
            f"heel_{side}": heel,
            f"toe_{side}": toe,
        }
    )


def _arm(
    points: dict[str, Vector], pose: Pose, frame: Matrix, neck: Vector, side: str, sign: float
) -> None:
    shoulder = _add(neck, _apply(frame, (0.0, -0.03, sign * LENGTHS["shoulder_half_width"])))
    arm_frame = _ball_joint(frame, pose, "shoulder", side, sign)
    elbow = _add(shoulder, _apply(arm_frame, (0.0, -LENGTHS["upper_arm"], 0.0)))
    forearm_frame = _mul(arm_frame, _rot_z(pose.angle(f"elbow_flexion_{side}")))
    wrist = _add(elbow, _apply(forearm_frame, (0.0, -LENGTHS["forearm"], 0.0)))
    hand_frame = _mul(forearm_frame, _rot_z(pose.angle(f"wrist_extension_{side}")))
    hand = _add(wrist, _apply(hand_frame, (0.0, -LENGTHS["hand"], 0.0)))
    points.update(
        {
            f"shoulder_{side}": shoulder,
            f"elbow_{side}": elbow,
            f"wrist_{side}": wrist,
            f"hand_{side}": hand,
        }
    )


#: Segments drawn and checked: (name, from point, to point, radius key).
SEGMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("lower_trunk", "pelvis", "mid_back", "lower_trunk"),
    ("upper_trunk", "mid_back", "neck", "upper_trunk"),
    *(
        (f"{segment}_{side}", f"{start}_{side}", f"{end}_{side}", segment)
        for side in SIDES
        for segment, start, end in (
            ("thigh", "hip", "knee"),
            ("shank", "knee", "ankle"),
            ("upper_arm", "shoulder", "elbow"),
            ("forearm", "elbow", "wrist"),
        )
    ),
)


def _rot_x(degrees: float) -> Matrix:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _rot_y(degrees: float) -> Matrix:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rot_z(degrees: float) -> Matrix:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Matrix, b: Matrix) -> Matrix:
    # Written out: the pictures place thousands of poses, and generator sums cost 4 times more.
    (a0, a1, a2), (b0, b1, b2) = a, b
    return (
        (
            a0[0] * b0[0] + a0[1] * b1[0] + a0[2] * b2[0],
            a0[0] * b0[1] + a0[1] * b1[1] + a0[2] * b2[1],
            a0[0] * b0[2] + a0[1] * b1[2] + a0[2] * b2[2],
        ),
        (
            a1[0] * b0[0] + a1[1] * b1[0] + a1[2] * b2[0],
            a1[0] * b0[1] + a1[1] * b1[1] + a1[2] * b2[1],
            a1[0] * b0[2] + a1[1] * b1[2] + a1[2] * b2[2],
        ),
        (
            a2[0] * b0[0] + a2[1] * b1[0] + a2[2] * b2[0],
            a2[0] * b0[1] + a2[1] * b1[1] + a2[2] * b2[1],
            a2[0] * b0[2] + a2[1] * b1[2] + a2[2] * b2[2],
        ),
    )


def _apply(m: Matrix, v: Vector) -> Vector:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _add(a: Vector, b: Vector) -> Vector:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def distance(a: Vector, b: Vector) -> float:
    return math.dist(a, b)
