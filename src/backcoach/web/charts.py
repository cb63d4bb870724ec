"""Progress charts drawn on the server as inline SVG (pygal, no JavaScript, nothing fetched).

Each chart carries a <title> and <desc> and the same numbers as a plain table, for people who
cannot see it. Its words are said in the active language (backcoach.wording.i18n) when it is drawn.
The value axis's ticks (whole, few, from zero) are web/chart_axes.py's.
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
from backcoach.web.chart_axes import scale_ticks, unit_ticks
from backcoach.wording.i18n import N_, active_translations, gettext, ngettext

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
#: A chart's drawing width (its viewBox), sized for a phone: a 360 px screen shows it 328 px
#: wide (main's 16 px padding each side), so 14 px text reads at 12.8 px there. An SVG shrunk
#: to fit shrinks its text with it: drawn 480 wide, the same text read under 10 px.
WIDTH = 360
#: How wide a 360 px phone shows a chart, and the smallest text size readable there.
PHONE_WIDTH = 328
SMALLEST_TEXT_PX = 12
#: Dashes as well as colours tell the lines apart.
DASHES = (None, "8,5", "2,5", "12,4,2,4")
#: The muscle groups of the sets chart, by the report's category keys (msgids).
CATEGORIES = {
    "core": N_("Belly muscles (core)"),
    "hip_extension": N_("Straightening the hips (glutes)"),
    "hip_external_rotation": N_("Turning the hips out (side glutes)"),
}
#: The questionnaires charted on their own: (instrument, heading (a msgid), top of the scale).
MEASURE_CHARTS = (
    ("odi", N_("Daily life (ODI, %)"), 100),
    ("rmdq", N_("Daily life (RMDQ, 0-24)"), 24),
    ("psfs", N_("Your activities, average from 0 to 10 (PSFS)"), 10),
)
#: Stripped from pygal's output: comments (they hold web addresses), the config script it
#: writes even with js=[] (nothing reads it without pygal's tooltip script), and its inline
#: stylesheet, which `chart_stylesheet` serves once as a file so the page's content policy needs
#: no inline styles (and the page no longer carries a copy per chart).
#: Also the "Pygal" title pygal gives a chart without one: each chart has its own title here.
_STRIP = re.compile(
    r"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<title>Pygal</title>", re.S
)
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
_CHART_ID = re.compile(r"#chart-[0-9a-f-]+")
_GRAPH_KIND = re.compile(r'<g class="graph ([a-z]+-graph)')
#: pygal hides its (unused) tooltip with an inline style attribute; the stylesheet does it here.
_TOOLTIP_STYLE = ' style="opacity: 0"'
_TOOLTIP_RULE = ".pygal-chart .tooltip{opacity:0}"
#: Drawn for a phone (`WIDTH`), a chart stretched across a wide screen would have 25 px text:
#: 28rem keeps it near 17 px there. (`:is(svg)` outweighs app.css's `.chart-image svg`.)
_WIDE_SCREEN_RULE = ".pygal-chart:is(svg){max-width:28rem}"


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
        *(
            measure_chart(progress, instrument, gettext(heading), top)
            for instrument, heading, top in MEASURE_CHARTS
        ),
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
    names = (
        gettext("Before session"),
        gettext("Worst during"),
        gettext("After session"),
        gettext("Pain check"),
    )
    series = [(name, [by_day[day][i] for day in days]) for i, name in enumerate(names)]
    series = [(name, values) for name, values in series if any(v is not None for v in values)]
    summary = ngettext(
        "Pain from 0 (none) to 10 (worst), on {count} day from {first} to {last}. Lower is better.",
        "Pain from 0 (none) to 10 (worst), on {count} days from {first} to {last}. "
        "Lower is better.",
        len(days),
    ).format(count=len(days), first=long(days[0]), last=long(days[-1]))
    heading = gettext("Pain over time")
    drawing = _line(heading, summary, [short(d) for d in days], series, (0, 10))
    rows = tuple((long(day), *(number(v) for v in by_day[day])) for day in days)
    return Chart("pain", heading, summary, drawing, (gettext("Day"), *names), rows)


def measure_chart(progress: Progress, instrument: str, heading: str, top: int) -> Chart | None:
    records: Sequence[MeasureRecord] = progress.measures.get(instrument, ())
    if len(records) < 2:
        return None
    if instrument == "psfs":  # rated ability: higher is better
        summary = ngettext(
            "{heading}: {count} score from {first} to {last}, latest {latest}. Higher is better.",
            "{heading}: {count} scores from {first} to {last}, latest {latest}. Higher is better.",
            len(records),
        )
    else:
        summary = ngettext(
            "{heading}: {count} score from {first} to {last}, latest {latest}. Lower is better.",
            "{heading}: {count} scores from {first} to {last}, latest {latest}. Lower is better.",
            len(records),
        )
    summary = summary.format(
        heading=heading,
        count=len(records),
        first=long(records[0].day),
        last=long(records[-1].day),
        latest=number(records[-1].score),
    )
    labels = [short(r.day) for r in records]
    drawing = _line(heading, summary, labels, [(heading, [r.score for r in records])], (0, top))
    rows = tuple((long(r.day), number(r.score)) for r in records)
    columns = (gettext("Day"), gettext("Score"))
    return Chart(instrument, heading, summary, drawing, columns, rows)


def adherence_chart(progress: Progress) -> Chart | None:
    """Sessions due against sessions done, week by week (M7)."""
    weeks = [w for w in progress.weeks if w.due or w.done]
    if not weeks or not progress.sessions:
        return None
    total = progress.report.adherence
    if progress.windowed:
        summary = gettext(
            "Sessions planned and done each week. Since {day}: {done} done of {scheduled} planned."
        ).format(day=long(progress.window_start), done=total.done, scheduled=total.scheduled)
    else:
        summary = gettext(
            "Sessions planned and done each week. So far {done} done of {scheduled} planned."
        ).format(done=total.done, scheduled=total.scheduled)
    labels = [_week_of(w.week_start) for w in weeks]
    planned, done = gettext("Planned"), gettext("Done")
    series = [(planned, [w.due for w in weeks]), (done, [w.done for w in weeks])]
    heading = gettext("Sessions each week")
    drawing = _bars(heading, summary, labels, series, stacked=False, counts=True)
    rows = tuple((long(w.week_start), str(w.due), str(w.done)) for w in weeks)
    return Chart("adherence", heading, summary, drawing, (gettext("Week of"), planned, done), rows)


def tight_chart(progress: Progress) -> Chart | None:
    """Tight moments a day, as a weekly average (M1, M10): fewer is better."""
    weeks = progress.report.tight_moments.weeks
    if not progress.tight_days or not weeks:
        return None
    moments = sum(progress.tight_days.values())
    summary = ngettext(
        "How many times a day you felt tight, averaged over each week. "
        "{count} moment since {day}. Fewer is better.",
        "How many times a day you felt tight, averaged over each week. "
        "{count} moments since {day}. Fewer is better.",
        moments,
    ).format(count=moments, day=long(progress.window_start))
    labels = [_week_of(w.week_start) for w in weeks]
    heading = gettext("Tight moments a day")
    series = [(gettext("A day"), [w.mean for w in weeks])]
    # An average of counts: halves up the axis (0, 0.5, 1 ...), never 0.1 of a moment.
    drawing = _bars(heading, summary, labels, series, stacked=False, counts=True, unit=0.5)
    rows = tuple((long(w.week_start), number(w.mean), str(w.count)) for w in weeks)
    columns = (gettext("Week of"), gettext("Average a day"), gettext("Days counted"))
    return Chart("tight", heading, summary, drawing, columns, rows)


def volume_chart(progress: Progress) -> Chart | None:
    """Sets a week per muscle group: core, hip extension, hip turn-out (M3-M5)."""
    weeks = progress.report.weekly_sets
    shown = {
        week: counts for week, counts in weeks.items() if any(counts.get(c) for c in CATEGORIES)
    }
    if not shown:
        return None
    days = [dt.date.fromisoformat(week) for week in shown]
    labels = [_week_of(d) for d in days]
    names = {key: gettext(name) for key, name in CATEGORIES.items()}
    series = [(name, [shown[week].get(key, 0) for week in shown]) for key, name in names.items()]
    total = sum(sum(values) for _, values in series)
    summary = ngettext(
        "Sets done each week for each muscle group: {count} set in all.",
        "Sets done each week for each muscle group: {count} sets in all.",
        total,
    ).format(count=total)
    heading = gettext("Sets each week")
    drawing = _bars(heading, summary, labels, series, stacked=True, counts=True)
    rows = tuple(
        (long(day), *(str(shown[week].get(key, 0)) for key in CATEGORIES))
        for day, week in zip(days, shown, strict=True)
    )
    columns = (gettext("Week of"), *names.values())
    return Chart("volume", heading, summary, drawing, columns, rows)


def _week_of(day: dt.date) -> str:
    """A week's label on a chart's axis: its first day, "2 Mar" (the heading and the table say
    these are weeks; "Week of 2 Mar" did not fit a phone's axis)."""
    return short(day)


def _line(
    title: str,
    desc: str,
    labels: list[str],
    series: list[tuple[str, list[Value]]],
    y_range: tuple[int, int],
) -> Drawing:
    chart = pygal.Line(**_config(labels), range=y_range, include_x_axis=True)
    chart.x_labels = labels
    chart.y_labels = scale_ticks(y_range[1])
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
    counts: bool = False,
    unit: float = 1,
) -> Drawing:
    """Bars; with `counts`, the axis goes up in whole `unit`s (1 for counts, so never 0.1
    sessions as pygal would say; 0.5 for an average of counts)."""
    kind = pygal.StackedBar if stacked else pygal.Bar
    if counts:
        columns = list(zip(*(values for _, values in series), strict=True))
        bars = [sum(v or 0 for v in column) if stacked else max(v or 0 for v in column)
                for column in columns]  # fmt: skip
        ticks = unit_ticks(max(bars, default=0), unit)
        chart = kind(**_config(labels), include_x_axis=True, range=(0, ticks[-1]))
        chart.y_labels = ticks
    else:
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
    many = len(labels) > 4  # more than a phone's width holds side by side
    return {
        "js": [],  # pygal's tooltips load a script from the web: none here
        "style": STYLE,
        "width": WIDTH,
        "height": 240 + (30 if many else 0),
        # The legend is HTML beside the chart (Chart.legend): it wraps on a phone, pygal's not.
        "show_legend": False,
        "truncate_label": -1,
        "x_label_rotation": 40 if many else 0,
        "show_minor_x_labels": not many,
        "x_labels_major_count": 4 if many else None,
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
    rules.setdefault(_WIDE_SCREEN_RULE)
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
