"""The program's settings at any time: kit, level, days and weekdays (re-prescribed at once,
with what changed and why), and a pause with an optional end, or resuming."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.catalogue import default_catalogue
from backcoach.services import own_account, profile_change, program_pause
from backcoach.services.access import Principal
from backcoach.services.errors import Invalid, ServiceError
from backcoach.services.profile_change import ChangeView, ProfileChoice
from backcoach.services.safety import ProgramClosed
from backcoach.web.deps import (
    CurrentPrincipal,
    FormDep,
    PagesDep,
    PersonClock,
    PersonClockDep,
    UowDep,
)
from backcoach.web.forms import FormInput, validate
from backcoach.web.profile_form import (
    ProgramSettingsForm,
    equipment_choices,
    profile_values,
    weekday_choices,
)
from backcoach.web.routes.accounts import redirect
from backcoach.wording.account_words import say_day, say_pause, say_profile_change
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext

router = APIRouter()
PAGE = "/account/program"
# Only the form a date field sends: fromisoformat also takes 20261224 and 2026-W52-4.
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@router.get(PAGE)
def settings_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    query = request.query_params
    context = {
        "changed": query.get("changed") == "1",
        "paused": query.get("paused") == "1",
        "resumed": query.get("resumed") == "1",
    }
    return _page(request, pages, uow, principal, clock, context)


@router.post(PAGE)
def change_settings(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    """Save the new kit, level and days; the program is re-prescribed for them at once."""
    data = validate(form, ProgramSettingsForm)
    if data is not None:
        choice = ProfileChoice(
            level=data.level,
            days_per_week=data.days_per_week,
            equipment=frozenset(data.equipment),
            weekdays=data.weekday_numbers,
        )
        try:
            profile_change.change_profile(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                choice=choice,
                today=clock.today(),
                now=clock.now(),
            )
            return redirect(f"{PAGE}?changed=1#changes-heading")
        except ProgramClosed:  # a red flag, or the questions due again: the gate says what
            return redirect("/start")
        except ServiceError as error:
            _add(form, error)
    context = {"errors": form.errors, "values": form.values}
    return _page(request, pages, uow, principal, clock, context, status_code=422)


@router.post("/account/pause")
def pause(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    """Pause from a day (today or later) until a day, or until the person resumes."""
    starts_on = _day(form, "starts_on", required=True)
    ends_on = _day(form, "ends_on", required=False)
    if form.ok and starts_on is not None:
        try:
            program_pause.pause_program(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                starts_on=starts_on,
                ends_on=ends_on,
                today=clock.today(),
                now=clock.now(),
            )
            return redirect(f"{PAGE}?paused=1#pause-heading")
        except ServiceError as error:
            _add(form, error)
    context = {
        "errors": {f"pause-{key}": message for key, message in form.errors.items()},
        "pause_values": form.values,
    }
    return _page(request, pages, uow, principal, clock, context, status_code=422)


@router.post("/account/resume")
def resume(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    """Back to training: days are planned again from today (Today asks the safety questions
    again first after four weeks or more without a session)."""
    try:
        program_pause.resume_program(
            uow=uow,
            principal=principal,
            person_id=principal.user_id,
            today=clock.today(),
            now=clock.now(),
        )
    except ServiceError as error:
        context = {"errors": {"pause-form": error_words(error.code, error.params)}}
        return _page(request, pages, uow, principal, clock, context, status_code=409)
    return redirect(f"{PAGE}?resumed=1#pause-heading")


def _add(form: FormInput, error: ServiceError) -> None:
    problems = error.problems if isinstance(error, Invalid) else (error,)
    for problem in problems:
        form.errors.setdefault(problem.field or "form", error_words(problem.code, problem.params))


def _day(form: FormInput, name: str, *, required: bool) -> dt.date | None:
    """A date as a date field sends it (2026-12-24). Blank is a problem only when required;
    anything else that is no such date is one, named for its field (``pause.<name>_invalid``)."""
    raw = form.values.get(name)
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        if required:
            form.errors.setdefault(name, error_words(f"pause.{name}_missing", {}))
        return None
    if _ISO_DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:  # 2026-02-30: the shape of a date, but no day
            pass
    form.errors.setdefault(name, error_words(f"pause.{name}_invalid", {}))
    return None


def _page(
    request: Request,
    pages: PagesDep,
    uow: UowDep,
    principal: Principal,
    clock: PersonClock,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    me, now, today = principal.user_id, clock.now(), clock.today()
    saved = own_account.saved_profile(uow=uow, principal=principal, person_id=me, now=now)
    changes = profile_change.recent_changes(uow=uow, principal=principal, person_id=me, now=now)
    paused = program_pause.current_pause(
        uow=uow, principal=principal, person_id=me, today=today, now=now
    )
    until = "" if paused is None else say_pause(paused.starts_on, paused.ends_on, today)
    values = profile_values(saved)
    return pages.render(
        request,
        "profile.html",
        {
            "title": gettext("Your program's settings"),
            "nav": "account",
            "editing": True,
            "has_program": saved is not None,
            "equipment": equipment_choices(),
            "weekdays": weekday_choices(),
            "values": values,
            "errors": {},
            "change_lists": [_said(change, clock) for change in changes],
            "pause": paused,
            "pause_until": until,
            "pause_values": {"starts_on": today.isoformat(), "ends_on": ""},
            "today": today.isoformat(),
            **context,
        },
        status_code=status_code,
    )


def _said(change: ChangeView, clock: PersonClock) -> dict[str, Any]:
    """A change of settings for the page, dated on the person's day."""
    catalogue = default_catalogue()

    def name(exercise_id: str) -> str:
        return catalogue.get(exercise_id).name if exercise_id in catalogue else exercise_id

    return {
        "at": say_day(change.at.astimezone(clock.zone).date()),
        "lines": [say_profile_change(item, name) for item in change.changes],
    }
