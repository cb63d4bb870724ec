"""Reminders (M7): the person's choice of time, and today's reminder for the open app's
notification (static/reminders.js). See docs/sign-in.md#reminders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from backcoach.services import reminders
from backcoach.services.errors import ServiceError
from backcoach.web.deps import (
    CurrentPrincipal,
    FormDep,
    PagesDep,
    PersonClockDep,
    SettingsDep,
    UowDep,
)
from backcoach.web.forms import FormInput, validate
from backcoach.web.routes.accounts import redirect
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext
from backcoach.wording.sign_in_words import REMINDER_ALARM

router = APIRouter()


class ReminderForm(BaseModel):
    enabled: Annotated[str, Field(max_length=3)] = ""
    at: Annotated[str, Field(max_length=5)] = ""
    by_email: Annotated[str, Field(max_length=3)] = ""


@router.get("/reminders")
def reminders_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
    settings: SettingsDep,
) -> Response:
    choice = reminders.reminder_choice(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    values = {
        "enabled": "yes" if choice.enabled else "",
        "at": choice.at.strftime("%H:%M"),
        "by_email": "yes" if choice.by_email else "",
    }
    saved = request.query_params.get("saved") == "yes"
    return _page(request, pages, settings, clock, FormInput(values), saved=saved)


@router.post("/reminders")
def save_reminders(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
    settings: SettingsDep,
) -> Response:
    data = validate(form, ReminderForm)
    if data is not None:
        try:
            reminders.set_reminders(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                enabled=data.enabled == "yes",
                at=data.at,
                by_email=data.by_email == "yes",
                email_possible=settings.sends_email,
                now=clock.now(),
            )
            return redirect("/reminders?saved=yes")
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
    return _page(request, pages, settings, clock, form, status_code=422)


@router.get("/reminders/today.json")
def today_reminder(principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep) -> JSONResponse:
    """What static/reminders.js needs to notify once today, at the time chosen, while open."""
    due = reminders.due_today(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        today=clock.today(),
        zone=clock.zone,
        now=clock.now(),
    )
    body: dict[str, object] = {"enabled": due is not None}
    if due is not None:
        body |= {
            "training_day": due.training_day,
            "day": clock.today().isoformat(),
            "at": due.at.strftime("%H:%M"),
            # Milliseconds since the epoch: the page compares it with the device's own clock.
            "at_ms": int(due.at_instant.timestamp() * 1000),
            "title": gettext("backcoach"),
            "body": gettext(REMINDER_ALARM),
        }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _page(
    request: Request,
    pages: PagesDep,
    settings: SettingsDep,
    clock: PersonClockDep,
    form: FormInput,
    *,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return pages.render(
        request,
        "reminders.html",
        {
            "title": gettext("Reminders"),
            "nav": "account",
            "errors": form.errors,
            "values": form.values,
            "saved": saved,
            "sends_email": settings.sends_email,
            "zone": clock.zone.key,
        },
        status_code=status_code,
    )
