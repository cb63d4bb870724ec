"""The Outcomes page's charts, drawn as the person's Progress charts are (web/charts.py: pygal,
inline SVG with a title and description, the stylesheet served once, the numbers as a table).

Only figures resting on enough clients (services/cohort.py `MIN_CLIENTS`) are drawn: a chart of
weeks where two clients trained would read as a trend it is not.
"""

from __future__ import annotations

import pygal

from backcoach.engine.cohort import DISABILITY, TIME_POINTS_WEEKS, McidShare
from backcoach.services.cohort import CohortView
from backcoach.web.charts import Chart, Drawing, Key, Value, _colour, _config, _line, _svg
from backcoach.wording.cohort_words import heading
from backcoach.wording.i18n import N_, gettext, ngettext

#: The measures of the MCID chart, in the order the page says them.
MCID_MEASURES = {"nprs": N_("Pain"), DISABILITY: N_("Disability"), "psfs": N_("Activities")}


def cohort_charts(view: CohortView) -> dict[str, Chart]:
    """The charts there are enough clients for, by id."""
    charts = (mcid_chart(view), pain_chart(view), low_back_chart(view))
    return {chart.id: chart for chart in charts if chart is not None}


def _percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share)


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def mcid_chart(view: CohortView) -> Chart | None:
    """The share reaching the MCID, by measure, at 6 and 12 weeks (%)."""
    measures = list(MCID_MEASURES)
    shares = {
        (name, weeks): view.outcomes.share(name, weeks)
        for name in measures
        for weeks in TIME_POINTS_WEEKS
    }
    shown = {key: share for key, share in shares.items() if view.enough(share.answered)}
    if not shown:
        return None
    labels = [gettext(MCID_MEASURES[name]) for name in measures]
    series = [
        (
            gettext("By week {week}").format(week=weeks),
            [
                _percent(shown[(name, weeks)].share) if (name, weeks) in shown else None
                for name in measures
            ],
        )
        for weeks in TIME_POINTS_WEEKS
    ]
    summary = gettext(
        "The share of clients (%) who reached the smallest change that matters, by measure, at "
        "6 and 12 weeks; a measure answered by fewer than {minimum} clients has no bar."
    ).format(minimum=view.min_clients)
    title = heading("mcid")
    drawing = _percent_bars(title, summary, labels, series)
    rows = tuple(
        (
            gettext(MCID_MEASURES[name]),
            *(
                _share_cell(shown.get((name, weeks)), shares[(name, weeks)].answered)
                for weeks in TIME_POINTS_WEEKS
            ),
        )
        for name in measures
    )
    columns = (
        gettext("Measure"),
        *(gettext("By week {week}").format(week=weeks) for weeks in TIME_POINTS_WEEKS),
    )
    return Chart("cohort-mcid", title, summary, drawing, columns, rows)


def _share_cell(share: McidShare | None, answered: int) -> str:
    if share is None or share.share is None:
        return gettext("too few clients ({count})").format(count=answered)
    return gettext("{percent}% of {count}").format(
        percent=_cell(_percent(share.share)), count=answered
    )


def pain_chart(view: CohortView) -> Chart | None:
    """The median of clients' mean pain before sessions, by program week (0-10)."""
    weeks = view.pain_weeks
    if len(weeks) < 2:
        return None
    labels = [gettext("Week {week}").format(week=w.week) for w in weeks]
    summary = ngettext(
        "Median pain before sessions from 0 (none) to 10 (worst), by program week, over {count} "
        "week that rests on {minimum} clients or more. Lower is better.",
        "Median pain before sessions from 0 (none) to 10 (worst), by program week, over {count} "
        "weeks that each rest on {minimum} clients or more. Lower is better.",
        len(weeks),
    ).format(count=len(weeks), minimum=view.min_clients)
    title = heading("pain")
    drawing = _line(
        title, summary, labels, [(gettext("Median"), [w.median for w in weeks])], (0, 10)
    )
    rows = tuple(
        (label, f"{w.median:g}", str(w.clients)) for label, w in zip(labels, weeks, strict=True)
    )
    columns = (gettext("Program week"), gettext("Median"), gettext("Clients"))
    return Chart("cohort-pain", title, summary, drawing, columns, rows)


def low_back_chart(view: CohortView) -> Chart | None:
    """The share of sets felt in the low back, by program week (%)."""
    weeks = [w for w in view.outcomes.low_back if view.enough(w.clients)]
    if not weeks:
        return None
    labels = [gettext("Week {week}").format(week=w.week) for w in weeks]
    summary = gettext(
        "The share (%) of the sets logged each program week that were felt in the low back, in "
        "weeks where {minimum} clients or more logged sets. Lower is better."
    ).format(minimum=view.min_clients)
    title = heading("low_back")
    series = [(gettext("Felt in the low back (%)"), [_percent(w.share) for w in weeks])]
    drawing = _percent_bars(title, summary, labels, series)
    rows = tuple(
        (label, str(w.felt_in_low_back), str(w.logged), str(w.clients))
        for label, w in zip(labels, weeks, strict=True)
    )
    columns = (
        gettext("Program week"),
        gettext("Felt in the low back"),
        gettext("Sets logged"),
        gettext("Clients"),
    )
    return Chart("cohort-low-back", title, summary, drawing, columns, rows)


def _percent_bars(
    title: str, desc: str, labels: list[str], series: list[tuple[str, list[Value]]]
) -> Drawing:
    """Bars of shares on a 0-100% scale, so a small share looks small (charts._bars fits the
    scale to the tallest bar)."""
    chart = pygal.Bar(**_config(labels), range=(0, 100), include_x_axis=True)
    chart.x_labels = labels
    legend = []
    for index, (name, values) in enumerate(series):
        chart.add(name, values)
        legend.append(Key(name, _colour(index), None, line=False))
    return Drawing(_svg(chart, title, desc), tuple(legend) if len(legend) > 1 else ())
