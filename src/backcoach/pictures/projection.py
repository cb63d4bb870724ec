"""How the figure's world lands on the page for each view.

The world (docs/demonstrations.md): x forward, y up (the floor is y = 0), z to the person's left.
Each view gives (u to the right of the page, v up the page, depth: larger is nearer the viewer).

- side:  u = x, v = y, depth = z.  The viewer stands at the person's left (+z): a standing
  person faces right, their left limbs are near (drawn on top), their right limbs far (lighter).
- front: u = z, v = y, depth = x.  The viewer stands in front (+x), face to face: the person's
  left is on the viewer's right.
- top:   u = x, v = z, depth = y.  Seen from above: the person's left (+z) is up the page
  (page y = -z), a standing person facing right.
- above: the front view with the viewer raised 60 degrees, looking down: for side-lying
  exercises, where the front view hides bent knees (they point at the viewer) and the top view
  hides a knee that rises. u = z; forward (+x) goes down the page, up (+y) goes up it.
"""

from __future__ import annotations

import math

from backcoach.engine.figure import Vector

ABOVE_ELEVATION = 60.0  # degrees the "above" viewer looks down
_COS, _SIN = math.cos(math.radians(ABOVE_ELEVATION)), math.sin(math.radians(ABOVE_ELEVATION))


def project(point: Vector, view: str) -> tuple[float, float, float]:
    """World point -> (u right, v up, depth toward the viewer) for a view."""
    x, y, z = point
    if view == "side":
        return x, y, z
    if view == "front":
        return z, y, x
    if view == "above":
        return z, y * _COS - x * _SIN, x * _COS + y * _SIN
    return x, z, y  # top: seen from above, the person's left (+z) up the page
