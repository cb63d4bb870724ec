"""Exercise demonstrations as data: keyframes of the figure, read and refused, and what one rep is.

The data format is described in docs/demonstrations.md; the physical checks are in
demo_checks.py, the motion between keyframes in motion.py. A demonstration is a few
keyframes of one figure (engine/figure.py); the renderer (backcoach.pictures) draws them, and
`rep_ranges` turns them into joint-angle ranges a camera coach can compare a movement against.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.figure import ANGLES, SIDES, Pose, PoseError, Vector
from backcoach.engine.vocabulary import Laterality

VIEWS = ("side", "front", "top", "above")
#: How far the viewer may walk around the figure (turn) and look down on it (elevation), degrees.
TURN_LIMIT = 90.0
ELEVATION_LIMIT = 80.0
#: The "above" view is the front view looking down this many degrees unless the demo says.
ABOVE_ELEVATION = 60.0
WORKING_SIDES = ("both", "left", "right")
#: Every point `place` returns; contacts, bands and held weights name one of these.
_LIMB_POINTS = ("hip", "knee", "ankle", "heel", "toe", "shoulder", "elbow", "wrist", "hand")
POINTS = (
    "pelvis",
    "mid_back",
    "neck",
    "head",
    *(f"{p}_{side}" for side in SIDES for p in _LIMB_POINTS),
)
PROP_KINDS = ("mat", "bench", "wall", "band", "dumbbell", "kettlebell", "barbell")
#: How a held weight sits at its point, in metres: (radius, drop of its centre below the point).
#: A kettlebell hangs under the hand; a barbell's plates stand a little above the hips they rest
#: on; a dumbbell is centred on the hand or the hips. The renderer draws these, the checks keep
#: them above the floor.
WEIGHTS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"dumbbell": (0.05, 0.0), "kettlebell": (0.08, 0.08), "barbell": (0.15, -0.067)}
)
#: Surfaces a contact can be on besides the floor ("hand_left@bench", "hand_right@wall").
SURFACES = ("floor", "bench", "wall")

#: How far above its surface a contact point sits when it touches, in metres (lowest, highest):
#: the joint centre is above the surface by the limb's thickness (docs/demonstrations.md).
CONTACT_BANDS = {
    "heel": (-0.01, 0.03),
    "toe": (-0.01, 0.03),
    "hand": (-0.01, 0.03),
    "knee": (-0.01, 0.07),
    "elbow": (-0.01, 0.07),
    "shoulder": (0.03, 0.15),
    "pelvis": (0.03, 0.15),
    "head": (0.03, 0.15),
}
RANGE_THRESHOLD = 5.0  # degrees an angle must move to count as part of the repetition

_DEMO_FIELDS = frozenset(
    {"exercise", "view", "turn", "elevation", "working_side", "rep_angle", "props", "keyframe"}
)
_KEYFRAME_FIELDS = frozenset(
    {"name", "hold", "move", "pelvis", "yaw", "pitch", "roll", "contacts", "slides", "angles"}
)
_PROP_FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "mat": frozenset({"x"}),
        "bench": frozenset({"x", "height"}),
        "wall": frozenset({"x"}),
        "band": frozenset({"between", "anchor"}),
        "dumbbell": frozenset({"at"}),
        "kettlebell": frozenset({"at"}),
        "barbell": frozenset({"at"}),
    }
)


def weight_centre(prop: Prop, points: Mapping[str, Vector]) -> Vector:
    """Where a held weight's centre is, given the placed points of a pose."""
    x, y, z = points[prop.at]
    return (x, y - WEIGHTS[prop.kind][1], z)


class DemoError(ValueError):
    """Demonstration data is malformed; the message names the file, exercise, keyframe, field."""


@dataclass(frozen=True, slots=True)
class Prop:
    """Equipment in the picture: a mat or bench spanning x, a wall at x, a band or a weight."""

    kind: str
    x: tuple[float, ...] = ()
    height: float = 0.0
    between: tuple[str, ...] = ()
    at: str = ""
    #: A band's fixed end (a door, a post) in world metres, when only one end is on the body.
    anchor: tuple[float, float, float] | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """A point that must touch a surface (the floor, or the top of the bench)."""

    point: str
    surface: str = "floor"

    def __str__(self) -> str:
        return self.point if self.surface == "floor" else f"{self.point}@{self.surface}"


@dataclass(frozen=True, slots=True)
class Keyframe:
    """One held position: its pose, what touches, and seconds held and moving to the next."""

    name: str
    hold: float
    move: float
    pose: Pose
    contacts: tuple[Contact, ...] = ()
    #: Contacts that slide on purpose while moving to the next keyframe (a heel slide's heel,
    #: feet on a towel); every other contact touching in both keyframes must stay put.
    slides: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Demo:
    """One exercise's demonstration: a view, the working side, the rep angle and keyframes."""

    exercise_id: str
    view: str
    working_side: str
    rep_angle: str
    props: tuple[Prop, ...]
    keyframes: tuple[Keyframe, ...]
    #: Degrees the viewer walks around the figure from the named view (positive: toward the
    #: person's front from the side view, toward their left from the front view).
    turn: float = 0.0
    #: Degrees the viewer looks down (0: level, so the floor is a line).
    elevation: float = 0.0


def parse_demos(
    raw_documents: Iterable[Mapping[str, Any]],
    catalogue: Catalogue,
    *,
    sources: Sequence[str] = (),
) -> dict[str, Demo]:
    """Build every demo of parsed documents (``{"demo": [...]}``), keyed by exercise id, or raise.

    ``sources`` names each document (a file name) for the error messages.
    """
    demos: dict[str, Demo] = {}
    for number, document in enumerate(raw_documents):
        source = sources[number] if number < len(sources) else f"document #{number + 1}"
        if not isinstance(document, Mapping):
            raise DemoError(f"{source}: expected a table with a 'demo' list")
        unknown = sorted(set(document) - {"demo"})
        if unknown:
            raise DemoError(f"{source}: unknown field {unknown[0]!r}")
        items = document.get("demo", [])
        if not isinstance(items, list):
            raise DemoError(f"{source}: 'demo' must be a list of tables ([[demo]])")
        for index, item in enumerate(items):
            demo = _parse_demo(item, f"{source}: demo #{index + 1}", catalogue)
            if demo.exercise_id in demos:
                raise DemoError(f"{source}: exercise {demo.exercise_id}: duplicate demo")
            demos[demo.exercise_id] = demo
    return demos


def _parse_demo(item: Any, where: str, catalogue: Catalogue) -> Demo:
    if not isinstance(item, Mapping):
        raise DemoError(f"{where}: expected a table")
    exercise_id = item.get("exercise")
    if not isinstance(exercise_id, str):
        raise DemoError(f"{where}: exercise must name an exercise id")
    if exercise_id not in catalogue:
        raise DemoError(f"{where}: exercise: unknown exercise id {exercise_id!r}")
    where = f"{where.split(': ')[0]}: exercise {exercise_id}"
    _no_unknown(item, _DEMO_FIELDS, where)
    view = item.get("view")
    if view not in VIEWS:
        raise DemoError(f"{where}: view {view!r} is not one of {', '.join(VIEWS)}")
    turn, elevation = _parse_camera(item, str(view), where)
    unilateral = catalogue.get(exercise_id).laterality is Laterality.UNILATERAL
    side = item.get("working_side", "both")
    if side not in WORKING_SIDES:
        raise DemoError(f"{where}: working_side {side!r} is not one of both, left, right")
    if unilateral and side == "both":
        raise DemoError(f"{where}: working_side must be left or right for a unilateral exercise")
    rep_angle = item.get("rep_angle")
    if rep_angle not in ANGLES:
        raise DemoError(f"{where}: rep_angle: unknown angle {rep_angle!r}")
    raw_props = item.get("props", [])
    if not isinstance(raw_props, list):
        raise DemoError(f"{where}: props must be a list of tables")
    props = tuple(_parse_prop(p, f"{where}: props #{i + 1}") for i, p in enumerate(raw_props))
    raw_frames = item.get("keyframe")
    if not isinstance(raw_frames, list) or len(raw_frames) < 2:
        raise DemoError(f"{where}: keyframe: needs at least 2 keyframes ([[demo.keyframe]])")
    keyframes = tuple(_parse_keyframe(k, where, i) for i, k in enumerate(raw_frames))
    names = [k.name for k in keyframes]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise DemoError(f"{where}: keyframe {duplicated[0]!r}: duplicate name")
    return Demo(
        str(exercise_id), str(view), str(side), str(rep_angle), props, keyframes, turn, elevation
    )


def _parse_camera(item: Mapping[str, Any], view: str, where: str) -> tuple[float, float]:
    """The viewer's turn around the figure and elevation: a side or front view seen at an angle."""
    if view == "top" and ("turn" in item or "elevation" in item):
        raise DemoError(f"{where}: turn and elevation apply to the side, front and above views")
    turn = item.get("turn", 0.0)
    if not _number(turn) or not -TURN_LIMIT <= turn <= TURN_LIMIT:
        raise DemoError(f"{where}: turn must be degrees between -90 and 90")
    default = ABOVE_ELEVATION if view == "above" else 0.0
    elevation = item.get("elevation", default)
    if not _number(elevation) or not 0 <= elevation <= ELEVATION_LIMIT:
        raise DemoError(f"{where}: elevation must be degrees between 0 and 80")
    return float(turn), float(elevation)


def _parse_prop(raw: Any, where: str) -> Prop:
    if not isinstance(raw, Mapping):
        raise DemoError(f'{where}: expected a table like {{ kind = "mat", x = [-0.9, 0.7] }}')
    kind: Any = raw.get("kind")
    if kind not in _PROP_FIELDS:
        raise DemoError(f"{where}: kind {kind!r} is not one of {', '.join(PROP_KINDS)}")
    where = f"{where} ({kind})"
    _no_unknown(raw, _PROP_FIELDS[kind] | {"kind"}, where)
    if kind in ("mat", "bench"):
        span: Any = raw.get("x")
        if not (_numbers(span, 2) and span[0] < span[1]):
            raise DemoError(f"{where}: x must be [from, to] in metres, from < to")
        height = raw.get("height", 0.42) if kind == "bench" else 0.0
        if not _number(height) or (kind == "bench" and not 0.05 <= height <= 1.2):
            raise DemoError(f"{where}: height must be a number of metres (0.05-1.2)")
        return Prop(kind, (float(span[0]), float(span[1])), float(height))
    if kind == "wall":
        at: Any = raw.get("x")
        if not _number(at):
            raise DemoError(f"{where}: x must be a number of metres")
        return Prop(kind, (float(at),))
    if kind == "band":
        between: Any = raw.get("between")
        anchor: Any = raw.get("anchor")
        if anchor is not None:
            if not _numbers(anchor, 3):
                raise DemoError(f"{where}: anchor must be [x, y, z] in metres")
            if not (isinstance(between, list) and len(between) == 1):
                raise DemoError(f"{where}: with an anchor, between names one point")
            _point_name(between[0], f"{where}: between")
            fixed = (float(anchor[0]), float(anchor[1]), float(anchor[2]))
            return Prop(kind, between=(between[0],), anchor=fixed)
        if not (isinstance(between, list) and len(between) == 2):
            raise DemoError(f"{where}: between must name two points")
        for point in between:
            _point_name(point, f"{where}: between")
        return Prop(kind, between=(between[0], between[1]))
    return Prop(kind, at=_point_name(raw.get("at"), f"{where}: at"))


def _parse_keyframe(raw: Any, demo_where: str, index: int) -> Keyframe:
    where = f"{demo_where}: keyframe #{index + 1}"
    if not isinstance(raw, Mapping):
        raise DemoError(f"{where}: expected a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DemoError(f"{where}: name must be non-empty text")
    where = f"{demo_where}: keyframe {name!r}"
    _no_unknown(raw, _KEYFRAME_FIELDS, where)
    timing = {}
    for field in ("hold", "move"):
        value = raw.get(field, 0.0)
        if not _number(value) or not 0 <= value <= 60:
            raise DemoError(f"{where}: {field} must be seconds between 0 and 60")
        timing[field] = float(value)
    pelvis: Any = raw.get("pelvis")
    if not _numbers(pelvis, 3):
        raise DemoError(f"{where}: pelvis must be [x, y, z] in metres")
    orientation = {}
    for field in ("yaw", "pitch", "roll"):
        value = raw.get(field, 0.0)
        if not _number(value):
            raise DemoError(f"{where}: {field} must be a number of degrees")
        orientation[field] = float(value)
    angles = raw.get("angles", {})
    if not isinstance(angles, Mapping):
        raise DemoError(f"{where}: angles must be a table of angle = degrees")
    try:
        pose = Pose(
            pelvis=(float(pelvis[0]), float(pelvis[1]), float(pelvis[2])),
            angles=MappingProxyType(dict(angles)),
            **orientation,
        )
    except PoseError as error:
        raise DemoError(f"{where}: angles: {error}") from None
    contacts = raw.get("contacts", [])
    if not isinstance(contacts, list):
        raise DemoError(f"{where}: contacts must be a list of point names")
    parsed = tuple(_parse_contact(c, f"{where}: contacts") for c in contacts)
    slides = raw.get("slides", [])
    if not isinstance(slides, list):
        raise DemoError(f"{where}: slides must be a list of contact point names")
    for point in slides:
        if point not in {c.point for c in parsed}:
            raise DemoError(f"{where}: slides: {point!r} is not one of this keyframe's contacts")
    return Keyframe(name, timing["hold"], timing["move"], pose, parsed, tuple(slides))


def _parse_contact(raw: Any, where: str) -> Contact:
    if not isinstance(raw, str):
        raise DemoError(f"{where}: {raw!r} is not a point name")
    point, _, surface = raw.partition("@")
    surface = surface or "floor"
    if surface not in SURFACES:
        raise DemoError(f"{where}: {raw!r}: a contact is on the floor, '@bench' or '@wall'")
    name = _point_name(point, where)
    if name.rsplit("_", 1)[0] not in CONTACT_BANDS:
        allowed = ", ".join(CONTACT_BANDS)
        raise DemoError(f"{where}: {raw!r} cannot be a contact (one of: {allowed})")
    return Contact(name, surface)


def _point_name(raw: Any, where: str) -> str:
    if raw not in POINTS:
        raise DemoError(f"{where}: unknown point {raw!r}; known: {', '.join(POINTS)}")
    return str(raw)


def _no_unknown(raw: Mapping[str, Any], known: frozenset[str], where: str) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DemoError(f"{where}: unknown field {unknown[0]!r}")


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _numbers(value: Any, count: int) -> bool:
    return isinstance(value, list) and len(value) == count and all(_number(v) for v in value)


# --- what one repetition is ------------------------------------------------------------------


def rep_ranges(demo: Demo) -> dict[str, tuple[float, float]]:
    """Each angle that moves more than 5 degrees across the keyframes (and the rep angle):
    its (lowest, highest) value in degrees. One repetition travels these ranges."""
    ranges: dict[str, tuple[float, float]] = {}
    for name in ANGLES:
        values = [k.pose.angle(name) for k in demo.keyframes]
        low, high = min(values), max(values)
        if high - low > RANGE_THRESHOLD or name == demo.rep_angle:
            ranges[name] = (low, high)
    return ranges


def demo_duration(demo: Demo) -> float:
    """Seconds of one loop: every keyframe's hold and its move to the next."""
    return sum(k.hold + k.move for k in demo.keyframes)
