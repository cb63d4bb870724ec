"""The cohort figures as rows, one per figure (figure, measure, week, clients, count, out of,
value, note): the Outcomes page's CSV and the API's JSON and CSV give the same rows
(docs/cohort.md "The page and the CSV"). A row holds figures, never a client: a coach may read a
linked client's data but never take it away (services/access.py: no EXPORT for a coach)."""

from __future__ import annotations

import csv
import io

from backcoach.engine.cohort import REPORTED, TIME_POINTS_WEEKS, Cell
from backcoach.services.cohort import CohortView
from backcoach.wording import cohort_page_words as page_words
from backcoach.wording.i18n import gettext

#: The columns of a row, in order (the CSV's headings are page_words.csv_header()).
COLUMNS = tuple(page_words.CSV_COLUMNS)


def csv_text(view: CohortView) -> str:
    """The rows as CSV, with the headings in the active language."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(page_words.csv_header())
    writer.writerows(figure_rows(view))
    return out.getvalue()


def figure_rows(view: CohortView) -> list[list[Cell]]:
    """One row per figure: figure, measure, week, clients, count, out of, value, note.

    A figure resting on fewer than `MIN_CLIENTS` clients keeps its counts but no value, and says
    so in the note; shares are 0-1, pain in points, the trend in points a week.
    """
    outcomes = view.outcomes
    too_few = gettext(page_words.TOO_FEW_NOTE)

    def row(
        figure: str,
        clients: int,
        value: float | None,
        *,
        measure: str = "",
        week: int | None = None,
        count: int | None = None,
        of: int | None = None,
    ) -> list[Cell]:
        shown = value if view.enough(clients) else None
        note = too_few if clients and not view.enough(clients) else ""
        return [figure, measure, week, clients, count, of, shown, note]

    # How many are active is a count, not a share: always given.
    active: list[Cell] = ["active_clients", "", None, outcomes.clients, outcomes.active]
    rows = [
        [*active, outcomes.clients, outcomes.active, ""],
        row("median_adherence", outcomes.adherence_clients, outcomes.median_adherence),
    ]
    for name in REPORTED:
        for weeks in TIME_POINTS_WEEKS:
            share = outcomes.share(name, weeks)
            rows.append(
                row(
                    "mcid_reached",
                    share.answered,
                    share.share,
                    measure=name,
                    week=weeks,
                    count=share.reached,
                    of=share.answered,
                )
            )
    for pain in outcomes.pain:
        rows.append(row("pain_before_sessions_median", pain.clients, pain.median, week=pain.week))
    # The trend is fitted to the weeks that rest on enough clients: "clients" is the fewest of
    # them, "out of" how many weeks; no trend below MIN_TREND_WEEKS such weeks.
    fitted = view.pain_weeks
    slope = view.pain_slope_per_week
    rows.append(
        [
            "pain_trend_points_per_week",
            "",
            None,
            min((w.clients for w in fitted), default=0),
            None,
            len(fitted),
            slope,
            too_few if slope is None and outcomes.pain else "",
        ]
    )
    for week in outcomes.low_back:
        rows.append(
            row(
                "sets_felt_in_low_back",
                week.clients,
                week.share,
                week=week.week,
                count=week.felt_in_low_back,
                of=week.logged,
            )
        )
    return rows
