"""Charts read on a phone: text at least 12 px once the SVG is shrunk to a 360 px screen, and
whole numbers up the axis of every chart of counts (never 0.1 sessions)."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ElementTree

import pytest

from backcoach.web.chart_axes import MOST_TICKS, count_ticks, scale_ticks
from backcoach.web.charts import PHONE_WIDTH, SMALLEST_TEXT_PX, _bars, _line, chart_stylesheet

SVG_NS = "{http://www.w3.org/2000/svg}"
#: The stylesheet's rules for text a person reads (pygal's tooltip is hidden, its "no data"
#: text never drawn: every chart here has data).
_READ_TEXT = re.compile(
    r"^\.pygal-chart (?:\.axis text(?:\.major)?|\.title|\.legends \.legend text"
    r"|\.text-overlay text\.value)\{[^}]*font-size:(\d+(?:\.\d+)?)px"
)


def smallest_text_on_a_phone(svg: str) -> float:
    """The smallest text of the chart, in CSS px, when a 360 px phone shows it `PHONE_WIDTH`
    wide: its font size (the stylesheet's, or the SVG's own) times the shrink of its viewBox."""
    root = ElementTree.fromstring(svg)
    view_width = float(root.attrib["viewBox"].split()[2])
    found = (_READ_TEXT.match(rule) for rule in chart_stylesheet().splitlines())
    sizes = [float(rule.group(1)) for rule in found if rule]
    sizes += [float(size) for size in re.findall(r'font-size="(\d+(?:\.\d+)?)', svg)]
    assert sizes, "no font size found: check how pygal sizes its text now"
    return min(sizes) * PHONE_WIDTH / view_width


def y_tick_labels(svg: str) -> list[str]:
    """The labels up the chart's value axis."""
    root = ElementTree.fromstring(svg)
    labels = []
    for group in root.iter(f"{SVG_NS}g"):
        if "axis y" in group.attrib.get("class", ""):
            labels += [text.text or "" for text in group.iter(f"{SVG_NS}text")]
    assert labels, "no value axis found"
    return labels


WEEKS = [f"{day} Mar" for day in range(2, 30, 7)] + [f"{day} Apr" for day in range(6, 30, 7)]


@pytest.mark.parametrize("weeks", [2, 8])
def test_chart_text_reads_at_least_12_px_on_a_360_px_phone(weeks: int) -> None:
    labels = WEEKS[:weeks]
    pain: list[tuple[str, list[float | None]]] = [
        ("Before", [5.0] * weeks),
        ("After", [3.0] * weeks),
    ]
    sets = [("Core", [6] * weeks), ("Glutes", [9] * weeks)]
    drawings = [
        _line("Pain", "Pain", labels, pain, (0, 10)),
        _bars("Sessions", "Sessions", labels, [("Done", [3] * weeks)], stacked=False, counts=True),
        _bars("Sets", "Sets", labels, sets, stacked=True, counts=True),
    ]
    for drawing in drawings:
        assert smallest_text_on_a_phone(drawing.svg) >= SMALLEST_TEXT_PX


@pytest.mark.parametrize("values", [[0, 1, 1], [1, 2], [3, 4, 2], [13, 7, 20], [0, 0]])
def test_count_charts_go_up_in_whole_numbers(values: list[int]) -> None:
    labels = WEEKS[: len(values)]
    for stacked in (False, True):
        series = [("Planned", values), ("Done", values)]
        drawing = _bars("Sessions", "Sessions", labels, series, stacked=stacked, counts=True)
        ticks = y_tick_labels(drawing.svg)
        assert all(re.fullmatch(r"\d+", tick) for tick in ticks), ticks
        tallest = max(2 * v if stacked else v for v in values)
        assert int(ticks[-1]) >= tallest and len(ticks) <= MOST_TICKS + 2


@pytest.mark.parametrize("highest", [0, 0.4, 1, 4, 5, 6, 11, 26, 99, 1234])
def test_count_ticks_are_few_whole_and_reach_the_top(highest: float) -> None:
    ticks = count_ticks(highest)
    assert ticks[0] == 0 and ticks[-1] >= highest and len(ticks) <= MOST_TICKS + 1
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and str(steps.pop()).lstrip("0")[0] in "125"


def test_a_scale_is_marked_on_steps_that_divide_it() -> None:
    assert scale_ticks(10) == [0, 2, 4, 6, 8, 10]
    assert scale_ticks(24) == [0, 4, 8, 12, 16, 20, 24]
    assert scale_ticks(100) == [0, 20, 40, 60, 80, 100]
