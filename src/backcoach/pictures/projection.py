"""How the figure's world lands on the page: a viewer (camera) per demonstration.

The world (docs/demonstrations.md): x forward, y up (the floor is y = 0), z to the person's left.
A camera gives (u to the right of the page, v up the page, depth: larger is nearer the viewer).

- side:  u = x, v = y, depth = z.  The viewer stands at the person's left (+z): a standing
  person faces right, their left limbs are near (drawn on top), their right limbs far (lighter).
- front: u = z, v = y, depth = x.  The viewer stands in front (+x), face to face: the person's
  left is on the viewer's right.
- top:   u = x, v = z, depth = y.  Seen from above: the person's left (+z) is up the page
  (page y = -z), a standing person facing right.
- above: the front view with the viewer raised 60 degrees, looking down: for side-lying
  exercises, where the front view hides bent knees (they point at the viewer) and the top view
  hides a knee that rises.

A side, front or above view may be seen at an angle: `turn` walks the viewer around the figure
(from the side view toward the person's front, from the front view toward their left) and
`elevation` raises the viewer to look down. A band anchored beside a person shows only when the
viewer is turned; a side-lying clam's bent knees only when the viewer looks down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backcoach.engine.demo import Demo
from backcoach.engine.figure import Vector

PLAIN_VIEWS = ("side", "front")


@dataclass(frozen=True, slots=True)
class Camera:
    """A named view, turned around the vertical axis and raised, both in degrees."""

    view: str
    turn: float = 0.0
    elevation: float = 0.0

    @property
    def level(self) -> bool:
        """The viewer looks horizontally, so the floor is a line across the picture."""
        return self.view in PLAIN_VIEWS and self.elevation == 0.0

    def project(self, point: Vector) -> tuple[float, float, float]:
        """World point -> (u right, v up, depth toward the viewer)."""
        x, y, z = point
        if self.view == "top":
            return x, z, y
        turn = math.radians(self.turn)
        c, s = math.cos(turn), math.sin(turn)
        if self.view == "side":  # toward the viewer: +z, turning toward +x
            right, toward = (c * x - s * z), (s * x + c * z)
        else:  # front and above: toward the viewer +x, turning toward +z
            right, toward = (c * z - s * x), (c * x + s * z)
        if self.elevation == 0.0:
            return right, y, toward
        e = math.radians(self.elevation)
        return right, y * math.cos(e) - toward * math.sin(e), toward * math.cos(e) + y * math.sin(e)


def camera_for(demo: Demo) -> Camera:
    """The camera a demonstration asks for."""
    return Camera(demo.view, demo.turn, demo.elevation)
