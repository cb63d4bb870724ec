"""A4 pages for print (fpdf2): plain text helpers, and blocks kept whole on one page.

fpdf2's core Helvetica needs no font file, so nothing is fetched or embedded; it draws latin-1
only, so every text passes through to_latin1 on its way in.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

from backcoach.wording.i18n import gettext

INK, MUTED, SHADE = (25, 25, 25), (85, 85, 85), (232, 232, 232)
BODY, LINE = 10.0, 4.7  # body text size (pt) and line height (mm)
#: Pictures are never taller than this, so one block keeps room for its words.
MAX_PICTURE_MM = 60.0

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2022": "-",
        "\u2026": "...",
        "\u2192": "->",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u0141": "L",
        "\u0142": "l",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u0131": "i",
    }
)


def to_latin1(text: str) -> str:
    """Text the core fonts can draw: typography as ASCII, accents dropped, the rest as "?"."""
    text = text.translate(_TYPOGRAPHY)
    if all(ord(char) < 256 for char in text):
        return text
    plain = (
        char
        if ord(char) < 256
        else unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or "?"
        for char in text
    )
    return "".join(plain)


class Handout(FPDF):
    """A4 portrait pages with a running head and a footnote, and where each block landed."""

    def __init__(self, running_head: str, footnote: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_head, self.footnote = running_head, footnote
        self.set_margins(16, 14, 16)
        self.set_auto_page_break(True, margin=18)
        self.set_text_color(*INK)
        #: (block title, first page, last page) of every kept-whole block, in order.
        self.blocks: list[tuple[str, int, int]] = []

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(to_latin1(text))

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("Helvetica", "", 8)
            self.set_text_color(*MUTED)
            self.cell(0, 4, self.running_head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*INK)
            self.ln(3)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_draw_color(*MUTED)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font("Helvetica", "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(self.epw - 22, 6, self.footnote)
        # "{nb}" is fpdf's alias for the number of pages, filled in when the file is written.
        page = gettext("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}")
        self.cell(22, 6, page, align="R")
        self.set_text_color(*INK)

    # --- text ----------------------------------------------------------------------------------
    def heading(self, text: str, size: float = 15, gap: float = 2) -> None:
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.45, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def para(self, text: str, *, size: float = BODY, style: str = "", gap: float = 1.5) -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, size * 0.47, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def lead(self, label: str, text: str, *, size: float = BODY) -> None:
        """A paragraph opening with a bold label, as the web's "Why:" lines."""
        self.set_x(self.l_margin)
        self.set_font("Helvetica", "B", size)
        self.write(size * 0.47, f"{label} ")
        self.set_font("Helvetica", "", size)
        self.write(size * 0.47, text)
        self.ln(size * 0.47 + 1.2)

    def items(self, texts: Iterable[str], *, numbered: bool = False, size: float = BODY) -> None:
        self.set_font("Helvetica", "", size)
        indent = 6.0
        for number, text in enumerate(texts, start=1):
            x, y = self.l_margin, self.get_y()
            if numbered:
                self.set_x(x)
                self.cell(indent, size * 0.47, f"{number}.")
            else:
                self.set_fill_color(*INK)
                self.circle(x + 2, y + size * 0.24, 0.7, style="F")
                self.set_x(x + indent)
            self.multi_cell(self.epw - indent, size * 0.47, text, align="L", new_x=XPos.LMARGIN)
            self.ln(0.8)
        self.ln(1)

    def shaded(self, label: str, text: str) -> None:
        """A grey box with a dark bar on its left: stands out in colour and in black and white."""
        top = self.get_y()

        def body(page: Handout) -> None:
            with page.indented(4, 2):
                page.ln(1.5)
                page.lead(label, text)

        height = self._height(body) + 0.5
        self.set_fill_color(*SHADE)
        self.rect(self.l_margin, top, self.epw, height, style="F")
        self.set_fill_color(*INK)
        self.rect(self.l_margin, top, 1.8, height, style="F")
        body(self)
        self.set_y(top + height + 2.5)

    def picture(self, png: bytes, mm_per_px: float) -> None:
        width_px, height_px = Image.open(io.BytesIO(png)).size
        scale = min(mm_per_px, self.epw / width_px, MAX_PICTURE_MM / height_px)
        width, height = width_px * scale, height_px * scale
        top = self.get_y()
        self.image(io.BytesIO(png), x=self.l_margin + (self.epw - width) / 2, y=top, w=width)
        self.set_y(top + height + 2)

    def columns(self, *draws: Callable[[], None], gap: float = 8) -> None:
        """Draw side by side in equal columns; carry on below the longest."""
        left, right, top = self.l_margin, self.r_margin, self.get_y()
        width = (self.epw - gap * (len(draws) - 1)) / len(draws)
        bottom = top
        for index, draw in enumerate(draws):
            start = left + index * (width + gap)
            self.set_left_margin(start)
            self.set_right_margin(self.w - start - width)
            self.set_xy(start, top)
            draw()
            bottom = max(bottom, self.get_y())
        self.set_left_margin(left)
        self.set_right_margin(right)
        self.set_xy(left, bottom)

    def boxed(self, draw: Callable[[], None]) -> None:
        """Draw inside a heavy frame (the safety box)."""
        top = self.get_y()
        with self.indented(5, 5):
            self.ln(4)
            draw()
        self.set_draw_color(*INK)
        self.set_line_width(0.6)
        self.rect(self.l_margin, top, self.epw, self.get_y() - top)
        self.set_line_width(0.2)

    @contextmanager
    def indented(self, left: float, right: float = 0) -> Iterator[None]:
        self.set_left_margin(self.l_margin + left)
        self.set_right_margin(self.r_margin + right)
        self.set_x(self.l_margin)
        try:
            yield
        finally:
            self.set_left_margin(self.l_margin - left)
            self.set_right_margin(self.r_margin - right)

    def rule(self) -> None:
        self.set_draw_color(*MUTED)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)

    # --- layout --------------------------------------------------------------------------------
    def keep_whole(self, title: str, draw: Callable[[Handout], None]) -> None:
        """Draw a block on one page: start a new page first when it would not fit here."""
        if self.get_y() + self._height(draw) > self.page_break_trigger:
            self.add_page()
        first = self.page_no()
        draw(self)
        self.blocks.append((title, first, self.page_no()))

    def _height(self, draw: Callable[[Handout], None]) -> float:
        """How tall ``draw`` is here: drawn on a scratch page of the same width."""
        scratch = Handout(self.running_head, self.footnote)
        scratch.set_auto_page_break(False)
        scratch.set_margins(self.l_margin, self.t_margin, self.r_margin)
        scratch.add_page()
        top = scratch.get_y()
        draw(scratch)
        return scratch.get_y() - top
