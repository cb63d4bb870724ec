"""Progress charts drawn on the server as inline SVG (pygal, no JavaScript, nothing fetched).

Each chart carries a <title> and <desc> and the same numbers as a plain table, for people who
cannot see it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pygal
from markupsafe import Markup
from pygal.style import Style

from backcoach.engine.outcomes import MeasureRecord
from backcoach.services.progress import Progress
from backcoach.wording.i18n import active_translations

# pygal appends an old-style import hook for its map plugins (unused here) to sys.meta_path; every
# import that no other finder resolves then raises an ImportWarning, an error under pytest.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

Value = float | None

#: The site's calm colours (app.css), darkest first so the first series reads best.
STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d2a2a",
    foreground_strong="#1d2a2a",
    foreground_subtle="#d5dcda",
    opacity="0.85",
    opacity_hover="0.95",
    transition="none",
    colors=("#1f5f5b", "#b7791f", "#5b7fa3", "#8a6fa8"),
    font_family='system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    value_font_size=14,
    tooltip_font_size=14,
)
#: Dashes as well as colours tell the lines apart.
DASHES = (None, "8,5", "2,5", "12,4,2,4")
CATEGORIES = {
    "core": "Core (abdominals)",
    "hip_extension": "Hip extension (glutes)",
    "hip_external_rotation": "Hip turn-out (side glutes)",
}
#: Stripped from pygal's output: comments (they hold web addresses), the config script it
#: writes even with js=[] (nothing reads it without pygal's tooltip script), and its inline
#: stylesheet, which `chart_stylesheet` serves once as a file so the page's content policy needs
#: no inline styles (and the page no longer carries a copy per chart).
_STRIP = re.compile(r"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>", re.S)
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
_CHART_ID = re.compile(r"#chart-[0-9a-f-]+")
_GRAPH_KIND = re.compile(r'<g class="graph ([a-z]+-graph)')
#: pygal hides its (unused) tooltip with an inline style attribute; the stylesheet does it here.
_TOOLTIP_STYLE = ' style="opacity: 0"'
_TOOLTIP_RULE = ".pygal-chart .tooltip{opacity:0}"


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: the SVG, a sentence saying what it shows, and its numbers as a table."""

    id: str
    heading: str
    summary: str
    drawing: Drawing
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Key:
    """One entry of a chart's legend: the series name, its colour and, for a line, its dashes."""

    name: str
    colour: str
    dash: str | None
    line: bool


@dataclass(frozen=True, slots=True)
class Drawing:
    svg: Markup
    legend: tuple[Key, ...]


def short(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def long(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def number(value: Value) -> str:
    return "–" if value is None else f"{value:g}"


#: Rendered chart sets kept, newest used last: drawing them is most of the progress page's
#: cost, and they change only when what they show changes.
CHART_CACHE_SIZE = 256
_cache: OrderedDict[bytes, dict[str, Chart]] = OrderedDict()
_cache_lock = threading.Lock()


def progress_charts(progress: Progress) -> dict[str, Chart]:
    """The charts there is enough data for, by id; drawn once for the same figures.

    The cache is keyed by everything the charts read (so a new set, answer or day makes a new
    key, and nothing needs clearing) and holds `CHART_CACHE_SIZE` sets at most.
    """
    key = _figures_key(progress)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    drawn = _draw_charts(progress)
    with _cache_lock:
        _cache[key] = drawn
        while len(_cache) > CHART_CACHE_SIZE:
            _cache.popitem(last=False)
    return drawn


def _figures_key(progress: Progress) -> bytes:
    read = (
        # The language the words are drawn in (one translations object per language, kept for
        # the process's life, so its identity names it).
        id(active_translations()),
        progress.today,
        progress.start,
        progress.window_start,
        progress.sessions,
        sorted(progress.measures.items()),
        progress.weeks,
        sorted(progress.tight_days.items()),
        progress.report.adherence,
        progress.report.tight_moments,
        sorted(progress.report.weekly_sets.items()),
    )
    return hashlib.blake2b(repr(read).encode(), digest_size=20).digest()


def _draw_charts(progress: Progress) -> dict[str, Chart]:
    charts = [
        pain_chart(progress),
        measure_chart(progress, "odi", "Daily life (ODI, %)", 100),
        measure_chart(progress, "rmdq", "Daily life (RMDQ, 0-24)", 24),
        measure_chart(progress, "psfs", "Your activities (PSFS average, 0-10)", 10),
        adherence_chart(progress),
        tight_chart(progress),
        volume_chart(progress),
    ]
    return {chart.id: chart for chart in charts if chart is not None}


def pain_chart(progress: Progress) -> Chart | None:
    """Pain before, worst during and after each session, and the pain questionnaire (0-10)."""
    by_day: dict[dt.date, list[Value]] = {}
    for session in progress.sessions:
        by_day.setdefault(session.day, [None] * 4)[:3] = [
            session.pain_before,
            session.pain_during,
            session.pain_after,
        ]
    for record in progress.measures.get("nprs", ()):
        by_day.setdefault(record.day, [None] * 4)[3] = record.score
    if len(by_day) < 2:
        return None
    days = sorted(by_day)
    names = ("Before session", "Worst during", "After session", "Pain check")
    series = [(name, [by_day[day][i] for day in days]) for i, name in enumerate(names)]
    series = [(name, values) for name, values in series if any(v is not None for v in values)]
    summary = (
        f"Pain from 0 (none) to 10 (worst), on {len(days)} days from {long(days[0])} "
        f"to {long(days[-1])}. Lower is better."
    )
    drawing = _line("Pain over time", summary, [short(d) for d in days], series, (0, 10))
    rows = tuple((long(day), *(number(v) for v in by_day[day])) for day in days)
    return Chart("pain", "Pain over time", summary, drawing, ("Day", *names), rows)


def measure_chart(progress: Progress, instrument: str, heading: str, top: int) -> Chart | None:
    records: Sequence[MeasureRecord] = progress.measures.get(instrument, ())
    if len(records) < 2:
        return None
    better = "Higher is better." if instrument == "psfs" else "Lower is better."
    summary = (
        f"{heading}: {len(records)} scores from {long(records[0].day)} to "
        f"{long(records[-1].day)}, latest {number(records[-1].score)}. {better}"
    )
    labels = [short(r.day) for r in records]
    drawing = _line(heading, summary, labels, [(heading, [r.score for r in records])], (0, top))
    rows = tuple((long(r.day), number(r.score)) for r in records)
    return Chart(instrument, heading, summary, drawing, ("Day", "Score"), rows)


def adherence_chart(progress: Progress) -> Chart | None:
    """Sessions due against sessions done, week by week (M7)."""
    weeks = [w for w in progress.weeks if w.due or w.done]
    if not weeks or not progress.sessions:
        return None
    total = progress.report.adherence
    since = f"Since {long(progress.window_start)}" if progress.windowed else "So far"
    summary = (
        f"Sessions planned and done each week. {since} {total.done} done of "
        f"{total.scheduled} planned."
    )
    labels = [f"Week of {short(w.week_start)}" for w in weeks]
    series = [("Planned", [w.due for w in weeks]), ("Done", [w.done for w in weeks])]
    drawing = _bars("Sessions each week", summary, labels, series, stacked=False)
    rows = tuple((long(w.week_start), str(w.due), str(w.done)) for w in weeks)
    return Chart(
        "adherence", "Sessions each week", summary, drawing, ("Week of", "Planned", "Done"), rows
    )


def tight_chart(progress: Progress) -> Chart | None:
    """Tight moments a day, as a weekly average (M1, M10): fewer is better."""
    weeks = progress.report.tight_moments.weeks
    if not progress.tight_days or not weeks:
        return None
    summary = (
        f"How many times a day you felt tight, averaged over each week. "
        f"{sum(progress.tight_days.values())} moments since {long(progress.window_start)}. "
        "Fewer is better."
    )
    labels = [f"Week of {short(w.week_start)}" for w in weeks]
    drawing = _bars(
        "Tight moments a day", summary, labels, [("A day", [w.mean for w in weeks])], stacked=False
    )
    rows = tuple((long(w.week_start), number(w.mean), str(w.count)) for w in weeks)
    columns = ("Week of", "Average a day", "Days counted")
    return Chart("tight", "Tight moments a day", summary, drawing, columns, rows)


def volume_chart(progress: Progress) -> Chart | None:
    """Sets a week per muscle group: core, hip extension, hip turn-out (M3-M5)."""
    weeks = progress.report.weekly_sets
    shown = {
        week: counts for week, counts in weeks.items() if any(counts.get(c) for c in CATEGORIES)
    }
    if not shown:
        return None
    days = [dt.date.fromisoformat(week) for week in shown]
    labels = [f"Week of {short(d)}" for d in days]
    series = [
        (name, [shown[week].get(key, 0) for week in shown]) for key, name in CATEGORIES.items()
    ]
    total = sum(sum(values) for _, values in series)
    summary = f"Sets done each week for each muscle group: {total} sets in all."
    drawing = _bars("Sets each week", summary, labels, series, stacked=True)
    rows = tuple(
        (long(day), *(str(shown[week].get(key, 0)) for key in CATEGORIES))
        for day, week in zip(days, shown, strict=True)
    )
    columns = ("Week of", *CATEGORIES.values())
    return Chart("volume", "Sets each week", summary, drawing, columns, rows)


def _line(
    title: str,
    desc: str,
    labels: list[str],
    series: list[tuple[str, list[Value]]],
    y_range: tuple[int, int],
) -> Drawing:
    chart = pygal.Line(**_config(labels), range=y_range, include_x_axis=True)
    chart.x_labels = labels
    legend = []
    for index, (name, values) in enumerate(series):
        chart.add(name, values, stroke_style=_stroke(index))
        legend.append(Key(name, _colour(index), DASHES[index % len(DASHES)], line=True))
    return Drawing(_svg(chart, title, desc), tuple(legend) if len(legend) > 1 else ())


def _bars(
    title: str,
    desc: str,
    labels: list[str],
    series: Sequence[tuple[str, Sequence[Value]]],
    *,
    stacked: bool,
) -> Drawing:
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = kind(**_config(labels), include_x_axis=True)
    chart.x_labels = labels
    legend = []
    for index, (name, values) in enumerate(series):
        chart.add(name, list(values))
        legend.append(Key(name, _colour(index), None, line=False))
    return Drawing(_svg(chart, title, desc), tuple(legend) if len(legend) > 1 else ())


def _stroke(index: int) -> dict[str, object]:
    """A line's width and dashes: dashes as well as colours tell the lines apart."""
    dash = DASHES[index % len(DASHES)]
    return {"width": 3, "dasharray": dash} if dash else {"width": 3}


def _colour(index: int) -> str:
    colours: tuple[str, ...] = STYLE.colors
    return colours[index % len(colours)]


def _config(labels: list[str]) -> dict[str, object]:
    many = len(labels) > 6
    return {
        "js": [],  # pygal's tooltips load a script from the web: none here
        "style": STYLE,
        "width": 480,
        "height": 270 + (30 if many else 0),
        # The legend is HTML beside the chart (Chart.legend): it wraps on a phone, pygal's not.
        "show_legend": False,
        "truncate_label": -1,
        "x_label_rotation": 30 if many else 0,
        "show_minor_x_labels": not many,
        "x_labels_major_count": 6 if many else None,
        "margin": 8,
        "spacing": 8,
        "dots_size": 4,
    }


def _svg(chart: Any, title: str, desc: str) -> Markup:
    """The SVG for inlining: no comments, script or style, with a title and description."""
    rendered = chart.render(is_unicode=True, disable_xml_declaration=True)
    svg = _STRIP.sub("", rendered).replace(_TOOLTIP_STYLE, "")
    found = re.search(r'id="(chart-[0-9a-f-]+)"', svg)
    key = found.group(1) if found else "chart"
    opening = svg.index(">") + 1
    head = svg[: opening - 1] + (
        f' role="img" aria-labelledby="{key}-title {key}-desc" focusable="false">'
    )
    labels = (
        f'<title id="{key}-title">{html.escape(title)}</title>'
        f'<desc id="{key}-desc">{html.escape(desc)}</desc>'
    )
    return Markup(head + labels + svg[opening:])


@functools.cache
def chart_stylesheet() -> str:
    """pygal's stylesheet for every kind of chart drawn here, as one file for all charts.

    pygal scopes its rules to each chart's random id; the same rules scoped to the class every
    pygal chart has apply to all of them. Drawn once from the same style and settings as the
    charts, with four series (the most any chart has), so it always matches the installed pygal.
    """
    labels = ["a", "b", "c"]
    samples: list[Any] = [
        pygal.Line(**_config(labels), range=(0, 10), include_x_axis=True),
        pygal.Bar(**_config(labels), include_x_axis=True),
        pygal.StackedBar(**_config(labels), include_x_axis=True),
    ]
    rules: dict[str, None] = {}  # ordered and without repeats
    for sample in samples:
        sample.x_labels = labels
        line = isinstance(sample, pygal.Line)
        for index in range(len(STYLE.colors)):
            sample.add(f"series {index}", [1, 2, 3], stroke_style=_stroke(index) if line else {})
        for rule in style_rules(sample.render(is_unicode=True, disable_xml_declaration=True)):
            rules.setdefault(rule)
    rules.setdefault(_TOOLTIP_RULE)
    return "\n".join(rules) + "\n"


def style_rules(svg: str) -> list[str]:
    """The rules of a rendered pygal chart's inline stylesheet, scoped to `.pygal-chart`.

    A series' own rule (a line's width and dashes) is scoped to its kind of graph as well
    (`.line-graph`), so that it does not reach the bars of another chart on the page.
    """
    kind = _GRAPH_KIND.search(svg)
    series_scope = f".pygal-chart .{kind.group(1)}" if kind else ".pygal-chart"
    rules: list[str] = []
    for block in _STYLE_ELEMENT.findall(svg):
        for rule in html.unescape(block).split("}"):
            if rule.strip():
                scope = series_scope if ".serie-" in rule else ".pygal-chart"
                rules.append(_CHART_ID.sub(scope, rule.strip()) + "}")
    return rules
