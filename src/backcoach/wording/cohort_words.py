"""The words of cohort outcomes (engine/cohort.py), for a coach: headings, one sentence per
figure, and the CSV's column headings. Counts are said with ``ngettext``; a share of nobody is
never a percentage but "no client has answered yet"."""

from __future__ import annotations

from backcoach.engine.cohort import (
    DISABILITY,
    ROW_COLUMNS,
    TIME_POINTS_WEEKS,
    CohortOutcomes,
    LowBackWeek,
    McidShare,
)
from backcoach.wording.i18n import N_, gettext, ngettext

HEADINGS: dict[str, str] = {
    "title": N_("Outcomes of your clients"),
    "active": N_("Active clients"),
    "adherence": N_("Sessions done"),
    "mcid": N_("Changes large enough to matter"),
    "pain": N_("Pain before sessions, by program week"),
    "low_back": N_("Sets felt in the low back, by program week"),
}


def heading(key: str) -> str:
    """A heading of the cohort page, in the active language."""
    return gettext(HEADINGS[key])


#: What each instrument's MCID is about, as the sentence names it.
MEASURE_NAMES: dict[str, str] = {
    "nprs": N_("pain (NPRS)"),
    "odi": N_("disability (ODI)"),
    "rmdq": N_("disability (RMDQ)"),
    "psfs": N_("activities (PSFS)"),
    DISABILITY: N_("disability (ODI or RMDQ)"),
}

#: The CSV's heading of each column of engine.cohort.ROW_COLUMNS.
_COLUMN_PARTS: dict[str, str] = {
    "baseline": N_("{measure} at the start"),
    "score": N_("{measure} at week {week}"),
    "mcid": N_("{measure}: change that matters by week {week}"),
}
COLUMN_HEADINGS: dict[str, str] = {
    "client": N_("Client"),
    "start": N_("Program start"),
    "active": N_("Active (a session in the last 14 days)"),
    "last_session": N_("Last session"),
    "sessions_planned": N_("Sessions planned"),
    "sessions_done": N_("Sessions done"),
    "adherence": N_("Share of planned sessions done"),
}
_MEASURE_COLUMNS = {"nprs": "NPRS", "odi": "ODI", "rmdq": "RMDQ", "psfs": "PSFS"}


def column_headings() -> list[str]:
    """The CSV's header line, in the order of engine.cohort.ROW_COLUMNS, in the active language."""
    headings = []
    for column in ROW_COLUMNS:
        if column in COLUMN_HEADINGS:
            headings.append(gettext(COLUMN_HEADINGS[column]))
            continue
        name, _, rest = column.partition("_")
        if rest == "baseline":
            template, week = _COLUMN_PARTS["baseline"], ""
        else:
            at_week, _, kind = rest.partition("_")
            template, week = _COLUMN_PARTS[kind], at_week.removeprefix("week")
        headings.append(gettext(template).format(measure=_MEASURE_COLUMNS[name], week=week))
    return headings


def say_active(outcomes: CohortOutcomes) -> str:
    """'8 of 12 clients active (a session in the last 14 days).'"""
    return ngettext(
        "{active} of {count} client active (a session in the last 14 days).",
        "{active} of {count} clients active (a session in the last 14 days).",
        outcomes.clients,
    ).format(active=outcomes.active, count=outcomes.clients)


def say_adherence(outcomes: CohortOutcomes) -> str:
    """The median share of planned sessions done, or that nothing is planned yet."""
    if outcomes.median_adherence is None:
        return gettext("No client has a session planned yet.")
    return ngettext(
        "Median: {percent}% of planned sessions done ({count} client with sessions planned).",
        "Median: {percent}% of planned sessions done ({count} clients with sessions planned).",
        outcomes.adherence_clients,
    ).format(percent=_percent(outcomes.median_adherence), count=outcomes.adherence_clients)


def say_mcid(share: McidShare) -> str:
    """'7 of 12 clients (58%) reached the MCID for pain (NPRS) by week 6.'"""
    measure = gettext(MEASURE_NAMES[share.instrument])
    if share.share is None:
        return gettext("No client has answered on {measure} at week {week} yet.").format(
            measure=measure, week=share.weeks
        )
    return ngettext(
        "{reached} of {count} client ({percent}%) reached the MCID for {measure} by week {week}.",
        "{reached} of {count} clients ({percent}%) reached the MCID for {measure} by week {week}.",
        share.answered,
    ).format(
        reached=share.reached,
        count=share.answered,
        percent=_percent(share.share),
        measure=measure,
        week=share.weeks,
    )


def say_all_mcid(outcomes: CohortOutcomes) -> list[str]:
    """One sentence per reported measure and time point: pain, disability together, activities."""
    return [
        say_mcid(outcomes.share(instrument, weeks))
        for instrument in ("nprs", DISABILITY, "psfs")
        for weeks in TIME_POINTS_WEEKS
    ]


def say_pain_trend(outcomes: CohortOutcomes) -> str:
    """Which way the weekly median of pain before sessions goes, in points a week."""
    slope = outcomes.pain_slope_per_week
    if slope is None:
        return gettext("Not enough weeks of pain before sessions to see a trend yet.")
    if slope < 0:
        return gettext(
            "Pain before sessions is falling by {points:.1f} points a week (median of clients)."
        ).format(points=-slope)
    if slope > 0:
        return gettext(
            "Pain before sessions is rising by {points:.1f} points a week (median of clients)."
        ).format(points=slope)
    return gettext("Pain before sessions is level (median of clients).")


def say_low_back_week(week: LowBackWeek) -> str:
    """'Week 3: 4 of 40 sets (10%) felt in the low back.'"""
    if week.share is None:
        return gettext("Week {week}: no sets logged.").format(week=week.week)
    return ngettext(
        "Week {week}: {felt} of {count} set ({percent}%) felt in the low back.",
        "Week {week}: {felt} of {count} sets ({percent}%) felt in the low back.",
        week.logged,
    ).format(
        week=week.week, felt=week.felt_in_low_back, count=week.logged, percent=_percent(week.share)
    )


def _percent(share: float) -> int:
    """A share 0-1 as a whole percentage, halves up."""
    return int(share * 100 + 0.5)
