"""Draw the installed app's icons (web/static/icons/*.png) from the favicon's design.

Run: .venv/bin/python scripts/app_icons.py. The PNGs are committed: the app never draws them.
The design is favicon.svg's: a spine of white bars on the brand green (app.css --brand). The
maskable icon fills its square and keeps the mark inside the middle 60 %, the circle a phone's
launcher may cut it to (the safe zone is the middle 80 %).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = "#1f5f5b"  # app.css --brand, also the manifest's theme colour
MARK = "#ffffff"
ICONS = Path(__file__).resolve().parents[1] / "src" / "backcoach" / "web" / "static" / "icons"
#: favicon.svg on its 32-unit grid: the upright, then three crossbars (x from, x to, y).
UPRIGHT = (16, 6, 26)
BARS = ((11, 21, 10), (10, 22, 16), (11, 21, 22))
STROKE = 3


def draw(size: int, *, maskable: bool) -> Image.Image:
    """One icon, drawn at four times its size and scaled down for smooth edges."""
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BRAND)
        scale, offset = big * 0.6 / 32, big * 0.2  # the mark in the middle 60 %
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 4, fill=BRAND)
        scale, offset = big / 32, 0.0
    width = round(STROKE * scale)

    def line(x1: float, y1: float, x2: float, y2: float) -> None:
        ends = [(offset + x * scale, offset + y * scale) for x, y in ((x1, y1), (x2, y2))]
        pen.line(ends, fill=MARK, width=width)
        for x, y in ends:  # round caps, as the SVG's stroke-linecap
            pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=MARK)

    x, top, bottom = UPRIGHT
    line(x, top, x, bottom)
    for start, end, y in BARS:
        line(start, y, end, y)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
        ("apple-touch-icon-180.png", 180, True),  # iOS rounds the corners itself; no transparency
    ):
        image = draw(size, maskable=maskable)
        if maskable:
            image = image.convert("RGB")
        image.save(ICONS / name, optimize=True)
        print(f"{ICONS / name}: {size} px, {(ICONS / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
