"""GET /progress/report.pdf: the logged-in person's clinical progress report (reports/)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backcoach.reports.progress_report import progress_report_pdf, report_filename
from backcoach.services.report import report_data
from backcoach.web.deps import CurrentPrincipal, PersonClockDep, UowDep

router = APIRouter()


@router.get("/progress/report.pdf")
def progress_report(principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep) -> Response:
    today = clock.today()
    data = report_data(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        today=today,
        zone=clock.zone,
        now=clock.now(),
    )
    # The person's own copy carries no coach's summary: a coach's page will pass one.
    return Response(
        progress_report_pdf(data),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{report_filename(today)}"',
            "Cache-Control": "no-store",  # a person's health data: never kept by a proxy
        },
    )
