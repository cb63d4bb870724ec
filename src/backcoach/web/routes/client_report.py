"""The coach's progress report of a client: a page where the coach writes the summary paragraph
(/coach/clients/{id}/report), and the PDF with it (/coach/clients/{id}/report.pdf; a GET makes
it without a summary). Every decision is the service's (services/client_report.py)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from backcoach.reports.progress_report import progress_report_pdf
from backcoach.services import client_report as service
from backcoach.services.client_day import client_zone
from backcoach.services.errors import Invalid, Kind, ServiceError
from backcoach.web.client_refusal import no_such_client
from backcoach.web.deps import (
    CurrentPrincipal,
    FormDep,
    PagesDep,
    PersonClockDep,
    ServerZoneDep,
    UowDep,
)
from backcoach.web.pages import Pages
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext

router = APIRouter()


def _refused(error: ServiceError) -> HTTPException:
    # Refused or unknown, a client's page answers as if there were no such client.
    if error.kind in (Kind.NOT_FOUND, Kind.FORBIDDEN):
        return no_such_client()
    return HTTPException(status_code=403, detail=error_words(error.code, error.params))


@router.get("/coach/clients/{client_id}/report")
def report_page(
    request: Request,
    client_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    return _form(request, pages, _subject(uow, principal, client_id, clock), {}, {})


@router.get("/coach/clients/{client_id}/report.pdf")
def report_without_summary(
    client_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    return _pdf(uow, principal, client_id, clock, server_zone, "")


@router.post("/coach/clients/{client_id}/report.pdf")
def report_with_summary(
    request: Request,
    client_id: int,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
    pages: PagesDep,
) -> Response:
    summary = form.values.get("summary", "")
    if isinstance(summary, str):
        try:
            service.clean_summary(summary)
        except Invalid as problem:
            # The service's limit, said once (the form layer's own, longer limit would differ).
            form.errors["summary"] = error_words(problem.code, problem.params)
    if form.ok:
        return _pdf(uow, principal, client_id, clock, server_zone, str(summary))
    subject = _subject(uow, principal, client_id, clock)
    return _form(request, pages, subject, form.values, form.errors, status_code=422)


def _subject(
    uow: UowDep, principal: CurrentPrincipal, client_id: int, clock: PersonClockDep
) -> service.ReportSubject:
    try:
        return service.report_subject(
            uow=uow, principal=principal, client_id=client_id, now=clock.now()
        )
    except ServiceError as error:
        raise _refused(error) from None


def _pdf(
    uow: UowDep,
    principal: CurrentPrincipal,
    client_id: int,
    clock: PersonClockDep,
    server_zone: ZoneInfo,
    summary: str,
) -> Response:
    # The report is of the client's days: their own zone (else the server's), not the coach's.
    zone = client_zone(uow, principal, client_id, server_zone)
    today = clock.now().astimezone(zone).date()
    try:
        data, text = service.coach_report(
            uow=uow,
            principal=principal,
            client_id=client_id,
            summary=summary,
            today=today,
            zone=zone,
            now=clock.now(),
        )
    except ServiceError as error:
        raise _refused(error) from None
    filename = f"backcoach-progress-report-{client_id}-{today.isoformat()}.pdf"
    return Response(
        progress_report_pdf(data, summary=text or None),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",  # a client's health data: never kept by a proxy
        },
    )


def _form(
    request: Request,
    pages: Pages,
    subject: service.ReportSubject,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> Response:
    base = f"/coach/clients/{subject.client_id}"
    return pages.render(
        request,
        "client_report.html",
        {
            "title": gettext("Progress report for {name}").format(name=subject.name),
            "nav": "coach",
            "client_name": subject.name,
            "base": base,
            "values": values,
            "errors": errors,
            "max_chars": service.MAX_SUMMARY,
        },
        status_code=status_code,
    )
