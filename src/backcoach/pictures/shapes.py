"""The shapes a demonstration is drawn with, in page pixels: the same for SVG and PNG."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Point = tuple[float, float]

#: The palette: calm blues for the figure, teal for the working side, coral for target muscles,
#: near-black with a white rim for held weights (they must stand out against the body).
COLOURS: Mapping[str, str] = {
    "body": "#35506b",
    "far": "#a7b8c8",
    "working": "#1f8a7a",
    "working_far": "#8cc7bd",
    "target": "#e9704f",
    "floor": "#8795a1",
    "mat": "#d7e6f0",
    "prop": "#b9a68f",
    "metal": "#5b6670",
    "weight": "#1c2228",
    "hub": "#c3ccd4",
    "band": "#d1495b",
    "text": "#2b3a46",
}


@dataclass(frozen=True, slots=True)
class Stroke:
    """A thick line with round ends (a limb, a band, a bar); moves with the figure."""

    key: str
    a: Point
    b: Point
    width: float
    colour: str


@dataclass(frozen=True, slots=True)
class Curve:
    """A thick quadratic curve from `a` to `b` bent toward `control` (the spine); moves."""

    key: str
    a: Point
    control: Point
    b: Point
    width: float
    colour: str

    def points(self, count: int = 12) -> list[Point]:
        """The curve as `count` + 1 points, for drawing it as a polyline."""
        out: list[Point] = []
        for step in range(count + 1):
            t = step / count
            k0, k1, k2 = (1 - t) ** 2, 2 * (1 - t) * t, t * t
            out.append(
                (
                    k0 * self.a[0] + k1 * self.control[0] + k2 * self.b[0],
                    k0 * self.a[1] + k1 * self.control[1] + k2 * self.b[1],
                )
            )
        return out


@dataclass(frozen=True, slots=True)
class Dot:
    """A filled circle (the head, a weight, a target mark); moves with the figure."""

    key: str
    centre: Point
    radius: float
    colour: str
    opacity: float = 1.0
    #: A thin white ring, so a mark stays visible on the body and when printed in grey.
    ringed: bool = False


@dataclass(frozen=True, slots=True)
class Box:
    """A still rectangle (floor, mat, bench, wall)."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    radius: float = 0.0


@dataclass(frozen=True, slots=True)
class Patch:
    """A still filled polygon (a mat or bench face seen from above at an angle)."""

    corners: tuple[Point, ...]
    colour: str


@dataclass(frozen=True, slots=True)
class Label:
    """Still text."""

    x: float
    y: float
    text: str
    size: float
    colour: str
    anchor: str = "start"  # start, middle or end


Shape = Stroke | Curve | Dot | Box | Patch | Label


def curve_through(key: str, a: Point, middle: Point, b: Point, width: float, colour: str) -> Curve:
    """The quadratic curve from a to b that passes through `middle` half-way along."""
    control = (2 * middle[0] - (a[0] + b[0]) / 2, 2 * middle[1] - (a[1] + b[1]) / 2)
    return Curve(key, a, control, b, width, colour)
