"""Progress (M10): charts and plain statements of change, and the two-weekly re-assessment."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.engine.measures import MeasureError
from backcoach.services import onboarding
from backcoach.services import progress as service
from backcoach.web.charts import progress_charts
from backcoach.web.deps import ClockDep, CurrentUser, PagesDep, SettingsDep, UowDep
from backcoach.web.forms import read_form
from backcoach.web.routes.accounts import redirect

router = APIRouter()
PSFS_SLOTS = range(1, 4)
ODI_SECTIONS = range(1, 11)
#: The order the statements of change are shown in.
INSTRUMENTS = {
    "nprs": "Pain",
    "odi": "Daily life (ODI)",
    "rmdq": "Daily life (RMDQ)",
    "psfs": "Your activities (PSFS)",
}


@router.get("/progress")
def progress_page(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    pages: PagesDep,
) -> Response:
    found = service.progress(
        uow=uow, user=user, today=clock.today(), zone=ZoneInfo(settings.timezone)
    )
    return pages.render(
        request,
        "progress.html",
        {
            "title": "Your progress",
            "nav": "progress",
            "progress": found,
            "charts": progress_charts(found),
            "instruments": INSTRUMENTS,
            "reassessed": request.query_params.get("reassessed") == "1",
        },
    )


@router.get("/progress/reassess")
def reassess_page(request: Request, user: CurrentUser, uow: UowDep, pages: PagesDep) -> Response:
    if onboarding.latest_score(uow=uow, user=user, instrument="nprs") is None:
        return redirect("/start")
    names = service.previous_activities(uow=uow, user=user)
    values = {f"psfs_name_{slot}": name for slot, name in zip(PSFS_SLOTS, names, strict=False)}
    return _form(request, pages, values, {})


@router.post("/progress/reassess")
async def reassess(
    request: Request, user: CurrentUser, uow: UowDep, clock: ClockDep, pages: PagesDep
) -> Response:
    form = await read_form(request)
    answers = reassess_answers(form.values, form.errors)
    if form.ok:
        try:
            onboarding.record_measures(
                uow=uow, user=user, answers=answers, today=clock.today(), now=clock.now()
            )
            return redirect("/progress?reassessed=1")
        except MeasureError as error:
            form.errors["form"] = str(error)
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
            "title": "Two-weekly check",
            "nav": "progress",
            "values": values,
            "errors": errors,
            "psfs_slots": PSFS_SLOTS,
            "odi_sections": ODI_SECTIONS,
        },
        status_code=status_code,
    )


def whole(
    values: dict[str, Any],
    name: str,
    low: int,
    high: int,
    errors: dict[str, str],
    *,
    required: bool = True,
) -> int | None:
    """A whole number from ``low`` to ``high``, or a message for the field."""
    raw = values.get(name, "")
    raw = raw.strip() if isinstance(raw, str) else ""
    if not raw:
        if required:
            errors[name] = "Please answer this."
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        errors[name] = f"Please enter a whole number from {low} to {high}."
        return None
    return int(raw)


def reassess_answers(values: dict[str, Any], errors: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Pain, the chosen activities and optional ODI / RMDQ scores, in the engine's shapes."""
    answers: dict[str, dict[str, Any]] = {}
    nprs = whole(values, "nprs", 0, 10, errors)
    if nprs is not None:
        answers["nprs"] = {"score": nprs}
    activities = []
    for slot in PSFS_SLOTS:
        raw_name = values.get(f"psfs_name_{slot}", "")
        name = raw_name.strip() if isinstance(raw_name, str) else ""
        score = whole(values, f"psfs_score_{slot}", 0, 10, errors, required=bool(name))
        if name and score is not None:
            activities.append({"name": name[:100], "score": score})
        elif score is not None and not name:
            errors[f"psfs_name_{slot}"] = "Please name the activity you scored."
    if not activities and not any(key.startswith("psfs_") for key in errors):
        errors["psfs_name_1"] = "Please name at least one activity your back makes hard."
    answers["psfs"] = {"activities": activities}
    sections = [whole(values, f"odi_{n}", 0, 5, errors, required=False) for n in ODI_SECTIONS]
    if any(section is not None for section in sections):
        answers["odi"] = {"sections": sections}
    rmdq = whole(values, "rmdq", 0, 24, errors, required=False)
    if rmdq is not None:
        answers["rmdq"] = {"score": rmdq}
    return answers
