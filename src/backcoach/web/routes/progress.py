"""Progress (M10): charts and plain statements of change, and the two-weekly re-assessment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.services import onboarding
from backcoach.services import progress as service
from backcoach.services.errors import Invalid
from backcoach.services.measure_input import measure_problems
from backcoach.web.charts import chart_stylesheet, progress_charts
from backcoach.web.deps import (
    CurrentPrincipal,
    FormDep,
    PagesDep,
    PersonClockDep,
    UowDep,
)
from backcoach.web.measure_forms import (
    ODI_SECTIONS,
    OPTIONAL_FIELDS,
    PSFS_SLOTS,
    add_problems,
    measures_input,
)
from backcoach.web.routes.accounts import redirect
from backcoach.wording.change_words import say_change
from backcoach.wording.i18n import N_, gettext

router = APIRouter()
#: The order the statements of change are shown in.
INSTRUMENTS = {
    "nprs": N_("Pain"),
    "odi": N_("Daily life (ODI)"),
    "rmdq": N_("Daily life (RMDQ)"),
    "psfs": N_("Your activities (PSFS)"),
}


@router.get("/progress")
def progress_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    found = service.progress(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        today=clock.today(),
        zone=clock.zone,
        now=clock.now(),
    )
    return pages.render(
        request,
        "progress.html",
        {
            "title": gettext("Your progress"),
            "nav": "progress",
            "progress": found,
            "charts": progress_charts(found),
            "statements": {key: say_change(change) for key, change in found.changes.items()},
            "instruments": {key: gettext(name) for key, name in INSTRUMENTS.items()},
            "reassessed": request.query_params.get("reassessed") == "1",
        },
    )


@router.get("/progress/charts.css")
def chart_stylesheet_file() -> Response:
    """The charts' stylesheet: the same for everyone, so browsers may keep it for a day."""
    return Response(
        chart_stylesheet(),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/progress/reassess")
def reassess_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    person_id, now = principal.user_id, clock.now()
    first = onboarding.latest_score(
        uow=uow, principal=principal, person_id=person_id, instrument="nprs", now=now
    )
    if first is None:
        return redirect("/start")
    names = service.previous_activities(uow=uow, principal=principal, person_id=person_id, now=now)
    values = {f"psfs_name_{slot}": name for slot, name in zip(PSFS_SLOTS, names, strict=False)}
    return _form(request, pages, values, {})


@router.post("/progress/reassess")
def reassess(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    entry = measures_input(form.values, with_startback=False)
    if form.ok:
        try:
            onboarding.record_measures(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                answers=entry,
                today=clock.today(),
                now=clock.now(),
            )
            return redirect("/progress?reassessed=1")
        except Invalid as refused:
            add_problems(form.errors, refused)
    else:  # the form could not be read everywhere: say the rest of its problems too
        add_problems(form.errors, measure_problems(entry))
    return _form(request, pages, form.values, form.errors, status_code=422)


def _form(
    request: Request,
    pages: PagesDep,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> Response:
    return pages.render(
        request,
        "reassess.html",
        {
            "title": gettext("Two-weekly check"),
            "nav": "progress",
            "values": values,
            "errors": errors,
            "psfs_slots": PSFS_SLOTS,
            "odi_sections": ODI_SECTIONS,
            "optional_fields": OPTIONAL_FIELDS,
        },
        status_code=status_code,
    )
