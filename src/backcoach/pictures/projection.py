"""How the figure's world lands on the page for each view.

The world (docs/demonstrations.md): x forward, y up (the floor is y = 0), z to the person's left.
Each view gives (u to the right of the page, v up the page, depth: larger is nearer the viewer).

- side:  u = x, v = y, depth = z.  The viewer stands at the person's left (+z): a standing
  person faces right, their left limbs are near (drawn on top), their right limbs far (lighter).
- front: u = z, v = y, depth = x.  The viewer stands in front (+x), face to face: the person's
  left is on the viewer's right.
- top:   u = x, v = z, depth = y.  Seen from above: the person's left (+z) is up the page
  (page y = -z), a standing person facing right.
"""

from __future__ import annotations

from backcoach.engine.figure import Vector


def project(point: Vector, view: str) -> tuple[float, float, float]:
    """World point -> (u right, v up, depth toward the viewer) for a view."""
    x, y, z = point
    if view == "side":
        return x, y, z
    if view == "front":
        return z, y, x
    return x, z, y  # top: seen from above, the person's left (+z) up the page
