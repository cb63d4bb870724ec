"""Demonstrations as PNG (Pillow): the keyframe strip, and a contact sheet of every exercise.

Drawn at twice the size and scaled down, so the round limbs are smooth (antialiased).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from PIL import Image, ImageDraw, ImageFont

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.demo import Demo
from backcoach.pictures.layout import FRAME_HEIGHT, FRAME_WIDTH, strip_grid
from backcoach.pictures.scene import caption, captions, figure_shapes, legend_shapes
from backcoach.pictures.shapes import COLOURS, Box, Curve, Dot, Patch, Shape, Stroke
from backcoach.pictures.surfaces import still_shapes

OVERSAMPLE = 2
RING = 1.5  # px: the white ring around a target mark, as in the SVG
BACKGROUND = (255, 255, 255, 255)
SHEET_COLUMNS = 3
TITLE = 34  # room above each strip on the contact sheet for its name and id


def strip_png(demo: Demo, exercise: Exercise, *, resolution: int = 1) -> bytes:
    """The keyframes side by side with their names, as PNG bytes.

    ``resolution`` 2 draws twice as many pixels for the same picture (for print, ~280 dpi at
    the handout's size); the geometry, in the picture's own units, is the same.
    """
    return _png(strip_image(demo, exercise, resolution=resolution))


def strip_image(demo: Demo, exercise: Exercise, *, resolution: int = 1) -> Image.Image:
    """The strip as a Pillow image (the same geometry as strip_svg)."""
    texts = captions(demo)
    grid = strip_grid(demo, exercise, texts)
    layout = grid.layout
    placed: list[tuple[float, float, Shape]] = []
    for number, keyframe in enumerate(demo.keyframes):
        dx, dy = grid.origin(number)
        shapes = [
            *still_shapes(demo, layout),
            *figure_shapes(demo, exercise, layout, keyframe.pose),
            *caption(grid.cell_width, grid.cell_height, texts[number]),
        ]
        placed += [(dx, dy, shape) for shape in shapes]
    width, height = round(FRAME_WIDTH), round(FRAME_HEIGHT)
    placed += [(0.0, 0.0, shape) for shape in legend_shapes(exercise, layout)]
    return _draw(placed, width, height, resolution)


def contact_sheet_png(demos: Mapping[str, Demo], catalogue: Catalogue) -> bytes:
    """Every demonstrated exercise's strip with its name and id, in catalogue order, as PNG."""
    strips = [
        (exercise, strip_image(demos[exercise.id], exercise))
        for exercise in catalogue.exercises
        if exercise.id in demos
    ]
    if not strips:
        raise ValueError("no demonstrations to put on a contact sheet")
    cell_w = max(image.width for _, image in strips) + 16
    cell_h = max(image.height for _, image in strips) + TITLE + 8
    columns = min(SHEET_COLUMNS, len(strips))
    rows = -(-len(strips) // columns)
    sheet = Image.new("RGBA", (cell_w * columns, cell_h * rows), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font, small = _font(15), _font(11)
    for index, (exercise, image) in enumerate(strips):
        x, y = (index % columns) * cell_w + 8, (index // columns) * cell_h + 6
        # The name, and the id in a smaller grey line under it: a long name never runs into
        # the next cell's (it is cut at the cell's edge instead).
        draw.text((x, y), _fit(exercise.name, font, cell_w - 20), fill=COLOURS["text"], font=font)
        draw.text((x, y + 17), exercise.id, fill=COLOURS["floor"], font=small)
        sheet.alpha_composite(image, (x, y + TITLE))
        draw.line([(x, y + cell_h - 4), (x + cell_w - 16, y + cell_h - 4)], fill="#e3e8ec")
    return _png(sheet)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # zlib's default level: "optimize" searched the encoder settings for 0.03% smaller files
    # at about 40% more time (the contact sheet: 1,738,275 against 1,738,735 bytes).
    image.convert("RGB").save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def _draw(
    placed: Iterable[tuple[float, float, Shape]], width: int, height: int, resolution: int = 1
) -> Image.Image:
    k = OVERSAMPLE * resolution
    image = Image.new("RGBA", (width * k, height * k), BACKGROUND)
    draw = ImageDraw.Draw(image, "RGBA")
    for dx, dy, shape in placed:
        if isinstance(shape, Stroke):
            a = ((shape.a[0] + dx) * k, (shape.a[1] + dy) * k)
            b = ((shape.b[0] + dx) * k, (shape.b[1] + dy) * k)
            colour = _rgba(shape.colour)
            draw.line([a, b], fill=colour, width=max(1, round(shape.width * k)))
            r = shape.width * k / 2
            for cx, cy in (a, b):  # round ends
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        elif isinstance(shape, Curve):
            line = [((x + dx) * k, (y + dy) * k) for x, y in shape.points()]
            colour = _rgba(shape.colour)
            draw.line(line, fill=colour, width=max(1, round(shape.width * k)), joint="curve")
            r = shape.width * k / 2
            for cx, cy in (line[0], line[-1]):  # round ends
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        elif isinstance(shape, Dot):
            cx, cy, r = (shape.centre[0] + dx) * k, (shape.centre[1] + dy) * k, shape.radius * k
            ring = (
                {"outline": (255, 255, 255, 255), "width": round(RING * k)} if shape.ringed else {}
            )
            box = [cx - r, cy - r, cx + r, cy + r]
            draw.ellipse(box, fill=_rgba(shape.colour, shape.opacity), **ring)  # type: ignore[arg-type]
        elif isinstance(shape, Box):
            box = [
                (shape.x + dx) * k,
                (shape.y + dy) * k,
                (shape.x + dx + shape.width) * k,
                (shape.y + dy + shape.height) * k,
            ]
            draw.rounded_rectangle(box, radius=shape.radius * k, fill=_rgba(shape.colour))
        elif isinstance(shape, Patch):
            corners = [((x + dx) * k, (y + dy) * k) for x, y in shape.corners]
            draw.polygon(corners, fill=_rgba(shape.colour))
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            position = ((shape.x + dx) * k, (shape.y + dy) * k)
            font = _font(shape.size * k)
            draw.text(position, shape.text, fill=_rgba(shape.colour), font=font, anchor=anchor)
    return image.resize((width * resolution, height * resolution), Image.Resampling.LANCZOS)


def _fit(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: float) -> str:
    """The text, cut with an ellipsis when it is wider than `width` pixels in the font."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _rgba(colour: str, opacity: float = 1.0) -> tuple[int, int, int, int]:
    value = colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return (red, green, blue, round(255 * opacity))


def _font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)
