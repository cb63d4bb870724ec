"""Pictures of the exercise demonstrations: animated SVG, still strips (SVG, PNG), a contact sheet.

The engine holds the data (engine/demo.py); this package only draws it (scene.py says how the
world is projected for each view).
"""

from backcoach.pictures.png import contact_sheet_png, strip_png
from backcoach.pictures.svg import animated_svg, strip_svg

__all__ = ["animated_svg", "contact_sheet_png", "strip_png", "strip_svg"]
