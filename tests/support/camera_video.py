"""A fake camera's video of a real person doing an exercise: a photo cut into body parts that
follow the exercise's demonstration, written as a YUV4MPEG2 file for Chromium's fake camera
(``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE.y4m``).

The photo (tests/data/camera/README.txt) is a U.S. Army soldier doing a push-up, seen from the
side; its 33 MediaPipe landmarks were detected once and are kept beside it. Each body part (trunk,
head, upper arm, forearm and hand, thigh, shank, foot) is cut out of the photo along its bone and
moved rigidly, like a paper puppet, onto the bones of the demonstration as the phone would film
it (engine/camera_landmarks.py), stretched only along the bone where the figure's proportions
differ. The same exercise, reps and rate always give the same bytes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.camera_landmarks import LANDMARK, Camera, Plan, sequence
from backcoach.engine.camera_reference import reference_for

DATA = Path(__file__).resolve().parents[1] / "data" / "camera"
PHOTO = DATA / "soldier_push_up.jpg"
PHOTO_LANDMARKS = DATA / "soldier_push_up.landmarks.json"
#: The photo's background is yellow and the person grey: a pixel is the person under this
#: saturation (0-255).
PERSON_SATURATION = 55
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What was written: the frame count and rate, the picture's size and the reps in it."""

    frames: int
    fps: int
    width: int
    height: int
    reps: int

    @property
    def seconds(self) -> float:
        return self.frames / self.fps


@dataclass(frozen=True, slots=True)
class Part:
    """A body part: the bone it is cut along (landmark names, a side's prefix left out for
    limbs), its half-width, and how far past each end its rounded ends are centred, in trunk
    lengths (0: at the joint, which makes a rounded joint where two parts meet)."""

    name: str
    start: str
    end: str
    half_width: float
    before: float
    after: float
    limb: bool


#: Drawn in this order (the far side's limbs first), so nearer parts cover farther ones.
PARTS = (
    Part("thigh", "hip", "knee", 0.16, 0.0, 0.0, True),
    Part("shank", "knee", "ankle", 0.12, 0.0, 0.0, True),
    Part("foot", "heel", "foot_index", 0.09, 0.0, 0.04, True),
    Part("upper_arm", "shoulder", "elbow", 0.10, 0.0, 0.0, True),
    Part("forearm", "elbow", "wrist", 0.09, 0.0, 0.22, True),
    Part("trunk", "shoulder", "hip", 0.30, 0.0, 0.0, False),
    Part("head", "shoulder", "ear", 0.26, -0.1, 0.12, False),
)


def write_y4m(
    path: Path | str,
    *,
    exercise_id: str,
    reps: int,
    fps: int = 15,
    seconds_at_rest: float = 1.5,
    tempo: float = 1.0,
    size: tuple[int, int] | None = None,
) -> VideoInfo:
    """Write `reps` repetitions of an exercise filmed from its reference's side (4:2:0 y4m).

    `size` is (width, height); by default 640x480 for a motion wider than tall, else 480x640.
    """
    demo = default_demos()[exercise_id]
    side = _camera_side(exercise_id)
    width, height = size or _size_for(exercise_id, side)
    plan = Plan(reps=reps, fps=fps, tempo=tempo, noise=0.0, lead_seconds=seconds_at_rest)
    frames, _ = sequence(demo, Camera(side, aspect=width / height), plan)
    puppet = _puppet()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        previous: tuple[list[Point], bytes] | None = None
        for frame in frames:
            # The test bed's pictures are mirror images of a real camera's (its figure, lying
            # with the left side to the camera, has its head on the left and its face up, which
            # MediaPipe reads as the right side nearer); mirrored, the named side is the near one.
            targets = [((1 - x) * width, y * height) for x, y, _, _ in frame.landmarks]
            if previous is None or previous[0] != targets:  # a still pose is drawn once
                previous = (targets, _frame_bytes(puppet.draw(targets, side, (width, height))))
            out.write(previous[1])
    return VideoInfo(frames=len(frames), fps=fps, width=width, height=height, reps=reps)


def read_y4m_header(path: Path | str) -> dict[str, str]:
    """The stream header's fields by their letter (W, H, F, I, A, C)."""
    with open(path, "rb") as source:
        line = source.readline().decode().split()
    if not line or line[0] != "YUV4MPEG2":
        raise ValueError(f"{path} is not a YUV4MPEG2 file")
    return {field[0]: field[1:] for field in line[1:]}


def _camera_side(exercise_id: str) -> str:
    exercise = default_catalogue().get(exercise_id)
    side = reference_for(exercise, default_demos().get(exercise_id)).camera_side
    if side not in ("left", "right"):
        raise ValueError(f"{exercise_id} is filmed from {side}: the photo is a side view")
    return side


def _size_for(exercise_id: str, side: str) -> tuple[int, int]:
    frames, _ = sequence(default_demos()[exercise_id], Camera(side), Plan(reps=1, noise=0.0))
    xs = [x for frame in frames for x, _, _, _ in frame.landmarks]
    ys = [y for frame in frames for _, y, _, _ in frame.landmarks]
    return (640, 480) if max(xs) - min(xs) >= max(ys) - min(ys) else (480, 640)


def _frame_bytes(picture: Image.Image) -> bytes:
    """One y4m frame: its marker, then full-size luma and quarter-size chroma planes."""
    luma, blue, red = picture.convert("YCbCr").split()
    half = (picture.width // 2, picture.height // 2)
    return b"".join(
        (
            b"FRAME\n",
            luma.tobytes(),
            blue.resize(half, Image.Resampling.BOX).tobytes(),
            red.resize(half, Image.Resampling.BOX).tobytes(),
        )
    )


# --- the puppet -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cutout:
    part: Part
    start: Point  # the bone's ends in the photo, pixels
    end: Point
    mask: Image.Image  # where this part is in the photo (L, 0-255)


class _Puppet:
    def __init__(self, photo: Image.Image, landmarks: list[list[float]]) -> None:
        self.photo = photo
        points = {
            name: (landmarks[index][0] * photo.width, landmarks[index][1] * photo.height)
            for name, index in LANDMARK.items()
        }
        self.points = points
        self.trunk = _distance(_joint(points, "shoulder"), _joint(points, "hip"))
        self.facing = _facing(points)
        person = (
            photo.convert("HSV")
            .getchannel("S")
            .point(lambda s: 255 if s < PERSON_SATURATION else 0)
        )
        person = person.filter(ImageFilter.MedianFilter(3)).filter(ImageFilter.GaussianBlur(0.7))
        self.cutouts = tuple(self._cut(part, person) for part in PARTS)
        self.shaded = photo.point(lambda v: int(v * 0.8))  # the far side's limbs, in shade
        # The background is the photo's own colour where no one is, so the edges blend.
        corner = photo.resize((1, 1), Image.Resampling.BOX, box=(0, 0, 8, 8)).getpixel((0, 0))
        assert isinstance(corner, tuple)
        self.background = corner

    def _cut(self, part: Part, person: Image.Image) -> _Cutout:
        start = _joint(self.points, part.start)
        end = _joint(self.points, part.end)
        mask = Image.new("L", self.photo.size, 0)
        ImageDraw.Draw(mask).polygon(_capsule(start, end, part, self.trunk), fill=255)
        mask = ImageChops.multiply(mask.filter(ImageFilter.GaussianBlur(0.8)), person)
        return _Cutout(part, start, end, mask)

    def draw(self, targets: list[Point], side: str, size: tuple[int, int]) -> Image.Image:
        """The photo's parts placed on the target landmarks (pixels), far side first."""
        canvas = Image.new("RGB", size, self.background)
        target = {name: targets[index] for name, index in LANDMARK.items()}
        trunk = _distance(_joint(target, "shoulder"), _joint(target, "hip"))
        scale = trunk / self.trunk
        mirror = _facing(target) != self.facing
        far = "right" if side == "left" else "left"
        for near_side in (far, side):
            for cutout in self.cutouts:
                if cutout.part.limb:
                    start = target[f"{near_side}_{cutout.part.start}"]
                    end = target[f"{near_side}_{cutout.part.end}"]
                elif near_side == far:
                    continue
                else:
                    start = _joint(target, cutout.part.start)
                    end = _joint(target, cutout.part.end)
                self._place(canvas, cutout, start, end, scale, mirror, shade=near_side == far)
        return canvas

    def _place(
        self,
        canvas: Image.Image,
        cutout: _Cutout,
        start: Point,
        end: Point,
        scale: float,
        mirror: bool,
        *,
        shade: bool,
    ) -> None:
        photo_length = _distance(cutout.start, cutout.end)
        # A bone pointing at the camera is short in the picture: keep some of the part showing.
        length = max(_distance(start, end), 0.3 * photo_length * scale)
        along_t = _unit(start, end)
        across_t = (-along_t[1], along_t[0])
        along_s = _unit(cutout.start, cutout.end)
        across_s = (-along_s[1], along_s[0])
        if mirror:
            across_s = (-across_s[0], -across_s[1])
        stretch = photo_length / length
        part = cutout.part
        # The part's outline in the picture: its rounded ends' centres and their radius.
        radius = part.half_width * self.trunk * scale
        first = _moved(start, along_t, -part.before * self.trunk / stretch)
        last = _moved(end, along_t, part.after * self.trunk / stretch)
        box = (
            max(0, int(min(first[0], last[0]) - radius) - 1),
            max(0, int(min(first[1], last[1]) - radius) - 1),
            min(canvas.width, int(max(first[0], last[0]) + radius) + 2),
            min(canvas.height, int(max(first[1], last[1]) + radius) + 2),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            return
        # Each picture pixel (x, y) takes the photo's pixel at `matrix` times (x, y, 1).
        ox, oy = box[0] - start[0], box[1] - start[1]
        xx = along_s[0] * stretch * along_t[0] + across_s[0] / scale * across_t[0]
        xy = along_s[0] * stretch * along_t[1] + across_s[0] / scale * across_t[1]
        yx = along_s[1] * stretch * along_t[0] + across_s[1] / scale * across_t[0]
        yy = along_s[1] * stretch * along_t[1] + across_s[1] / scale * across_t[1]
        matrix = (
            xx,
            xy,
            cutout.start[0] + xx * ox + xy * oy,
            yx,
            yy,
            cutout.start[1] + yx * ox + yy * oy,
        )
        area = (box[2] - box[0], box[3] - box[1])
        bilinear = Image.Resampling.BILINEAR
        photo = self.shaded if shade else self.photo
        piece = photo.transform(area, Image.Transform.AFFINE, matrix, resample=bilinear)
        mask = cutout.mask.transform(area, Image.Transform.AFFINE, matrix, resample=bilinear)
        canvas.paste(piece, box[:2], mask)


@cache
def _puppet() -> _Puppet:
    landmarks = json.loads(PHOTO_LANDMARKS.read_text())["landmarks"]
    with Image.open(PHOTO) as photo:
        return _Puppet(photo.convert("RGB"), landmarks)


def _joint(points: dict[str, Point], name: str) -> Point:
    """A landmark by name; for a limb's joint without a side, both sides' mean."""
    if name in points:
        return points[name]
    left, right = points[f"left_{name}"], points[f"right_{name}"]
    return ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2)


def _facing(points: dict[str, Point]) -> bool:
    """Which side of the trunk line (shoulders to hips) the nose is on, in the picture."""
    shoulder, hip, nose = _joint(points, "shoulder"), _joint(points, "hip"), points["nose"]
    cross = (hip[0] - shoulder[0]) * (nose[1] - shoulder[1])
    cross -= (hip[1] - shoulder[1]) * (nose[0] - shoulder[0])
    return cross > 0


def _capsule(start: Point, end: Point, part: Part, trunk: float) -> list[Point]:
    """The outline of a part around its bone: a band with rounded ends, in the photo."""
    along = _unit(start, end)
    across = (-along[1], along[0])
    width = part.half_width * trunk
    first = (start[0] - along[0] * part.before * trunk, start[1] - along[1] * part.before * trunk)
    last = (end[0] + along[0] * part.after * trunk, end[1] + along[1] * part.after * trunk)
    outline: list[Point] = []
    for centre, sign in ((last, 1.0), (first, -1.0)):
        for step in range(13):
            angle = -math.pi / 2 + math.pi * step / 12
            u, v = math.cos(angle) * sign, math.sin(angle) * sign
            outline.append(
                (
                    centre[0] + width * (u * along[0] + v * across[0]),
                    centre[1] + width * (u * along[1] + v * across[1]),
                )
            )
    return outline


def _moved(point: Point, direction: Point, distance: float) -> Point:
    return (point[0] + direction[0] * distance, point[1] + direction[1] * distance)


def _distance(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def _unit(a: Point, b: Point) -> Point:
    length = _distance(a, b) or 1.0
    return ((b[0] - a[0]) / length, (b[1] - a[1]) / length)
