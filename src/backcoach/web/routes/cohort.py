"""Outcomes (/coach/cohort): the cohort figures of a coach's clients, or their practice's, in
words and charts, and the same figures as a CSV (/coach/cohort.csv), one row per figure.

The CSV holds figures, never a row per client: a coach may read a linked client's data but never
take it away (services/access.py: no EXPORT for a coach), and figures are what a practice
compares from month to month. docs/cohort.md "The page and the CSV".
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from backcoach.engine.cohort import TIME_POINTS_WEEKS
from backcoach.services import cohort as service
from backcoach.services.cohort_figures import csv_text
from backcoach.services.errors import ServiceError
from backcoach.web.cohort_charts import cohort_charts
from backcoach.web.deps import CurrentPrincipal, PagesDep, PersonClockDep, UowDep
from backcoach.wording import cohort_page_words as page_words
from backcoach.wording import cohort_words as words
from backcoach.wording.errors import error_words

router = APIRouter()


def _scope(request: Request) -> service.Scope:
    return "practice" if request.query_params.get("scope") == "practice" else "mine"


def _view(
    request: Request, principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep
) -> service.CohortView:
    try:
        return service.cohort(
            uow=uow,
            principal=principal,
            scope=_scope(request),
            today=clock.today(),
            now=clock.now(),
            zone=clock.zone,
        )
    except ServiceError as error:
        raise HTTPException(403, detail=error_words(error.code, error.params)) from None


@router.get("/coach/cohort")
def cohort_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    view = _view(request, principal, uow, clock)
    outcomes, minimum = view.outcomes, view.min_clients
    adherence = (
        words.say_adherence(outcomes)
        if outcomes.median_adherence is None or view.enough(outcomes.adherence_clients)
        else page_words.say_too_few(outcomes.adherence_clients, minimum)
    )
    mcid = [
        page_words.say_mcid_or_too_few(outcomes.share(name, weeks), minimum)
        for name in ("nprs", "disability", "psfs")
        for weeks in TIME_POINTS_WEEKS
    ]
    # The trend is said of the weeks that rest on enough clients only (the service's slope).
    trend = words.say_pain_trend(replace(outcomes, pain_slope_per_week=view.pain_slope_per_week))
    return pages.render(
        request,
        "cohort.html",
        {
            "title": words.heading("title"),
            "nav": "cohort",
            "view": view,
            "scope_words": page_words.say_scope(view.scope),
            "headings": {key: words.heading(key) for key in words.HEADINGS},
            "meanings": {key: page_words.meaning(key) for key in page_words.MEANINGS},
            "active": words.say_active(outcomes),
            "adherence": adherence,
            "mcid": mcid,
            "pain_trend": trend,
            "low_back": [
                page_words.say_low_back_or_too_few(week, minimum) for week in outcomes.low_back
            ],
            "charts": cohort_charts(view),
        },
    )


@router.get("/coach/cohort.csv")
def cohort_csv(
    request: Request, principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep
) -> Response:
    view = _view(request, principal, uow, clock)
    filename = f"backcoach-outcomes-{view.scope}-{clock.today().isoformat()}.csv"
    return Response(
        csv_text(view),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
