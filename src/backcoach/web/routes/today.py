"""Today: what to do now at the top (start, continue, check in, or rest with the drills for tight
moments), the safety notes before it, and the program in plain words below.

The session player and the next-morning check-in live next door (routes/session.py,
routes/checkin.py) and are mounted through this router.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.engine.plan import mobility_minutes
from backcoach.services import training
from backcoach.services.access import Principal
from backcoach.services.errors import Invalid
from backcoach.services.overrides import coach_notes
from backcoach.services.safety import Gate, ProgramClosed
from backcoach.services.today import TodayView, today_view
from backcoach.store.db import UnitOfWork
from backcoach.web.deps import (
    CurrentPrincipal,
    FormDep,
    PagesDep,
    PersonClock,
    PersonClockDep,
    UowDep,
)
from backcoach.web.routes import checkin, session
from backcoach.web.routes.accounts import redirect
from backcoach.web.routes.caution import caution_context
from backcoach.web.training_forms import add_problems, name_fields, pain
from backcoach.web.training_view import day_note_words, exercise_views
from backcoach.wording.i18n import gettext

router = APIRouter()
router.include_router(session.router)
router.include_router(checkin.router)


@router.get("/today")
def today_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
    welcome: str = "",
) -> Response:
    view = _today_view(uow, principal, clock)
    if view is None:
        return redirect("/start")
    context = _today_context(clock, view, welcome=welcome == "1")
    context |= _from_coach(uow, principal, clock, view)
    return pages.render(request, "today.html", context)


@router.get("/session")
def session_address() -> Response:
    """The start form posts here; opened as an address, it goes to Today (not a bare 405)."""
    return redirect("/today")


@router.post("/session")
def start_session(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    pain_before = pain(form.values, "pain_before", form.errors)
    view = _today_view(uow, principal, clock)
    if view is None:
        return redirect("/start")
    if pain_before is None:
        context = _today_context(clock, view, welcome=False)
        context |= {"errors": name_fields(form.errors), "values": form.values}
        return pages.render(request, "today.html", context, status_code=422)
    try:
        started = training.start_session(
            uow=uow,
            principal=principal,
            person_id=principal.user_id,
            pain_before=pain_before,
            today=clock.today(),
            now=clock.now(),
        )
    except ProgramClosed as closed:
        # After a long break the safety questions come first; a referral goes to /start.
        return redirect("/onboarding/screening" if closed.gate is Gate.RESCREEN else "/start")
    except Invalid as refused:
        add_problems(form.errors, refused)
        context = _today_context(clock, view, welcome=False)
        context |= {"errors": name_fields(form.errors), "values": form.values}
        return pages.render(request, "today.html", context, status_code=422)
    return redirect(f"/session/{started.id}")


def _from_coach(
    uow: UnitOfWork, principal: Principal, clock: PersonClock, view: TodayView
) -> dict[str, Any]:
    """The coach's notes beside what a coach's override decided, and on the whole program
    (one indexed read of the overrides in force)."""
    notes = coach_notes(uow=uow, principal=principal, client_id=principal.user_id, now=clock.now())
    if not notes.by_exercise and not notes.program:
        return {}
    return {
        "exercises": exercise_views(view.program, notes.by_exercise),
        "coach_program_notes": notes.program,
    }


def _today_view(uow: UnitOfWork, principal: Principal, clock: PersonClock) -> TodayView | None:
    return today_view(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        today=clock.today(),
        now=clock.now(),
    )


def _today_context(clock: PersonClock, view: TodayView, *, welcome: bool) -> dict[str, Any]:
    program = view.program
    return {
        "title": gettext("Today"),
        "nav": "today",
        "welcome": welcome,
        "plan": program.plan,
        "program": program,
        "exercises": exercise_views(program),
        "day_notes": day_note_words(program),
        "open_session": view.open_session,
        "last": view.last,
        "next_step": view.next_step.value,
        "check_in": view.check_in.value,
        "next_day": view.next_day,
        "pause": view.pause,
        "drill_minutes": max(1, math.ceil(mobility_minutes(program.plan.mobility))),
        **caution_context(program),
        "today": clock.today(),
    }
