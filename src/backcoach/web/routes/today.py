"""Today: the program in plain words, the next session date, and the form that starts a session.

The session player and the next-morning check-in live next door (routes/session.py,
routes/checkin.py) and are mounted through this router.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.services import safety, training
from backcoach.services.safety import Gate, ProgramClosed
from backcoach.services.training import Program
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import User
from backcoach.web.deps import ClockDep, CurrentUser, FormDep, PagesDep, UowDep
from backcoach.web.routes import checkin, session
from backcoach.web.routes.accounts import redirect
from backcoach.web.routes.caution import caution_context
from backcoach.web.training_forms import name_fields, pain
from backcoach.web.training_view import exercise_views

router = APIRouter()
router.include_router(session.router)
router.include_router(checkin.router)


@router.get("/today")
def today_page(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    clock: ClockDep,
    pages: PagesDep,
    welcome: str = "",
) -> Response:
    program = training.current_program(uow=uow, user=user)
    if program is None:
        return redirect("/start")
    context = _today_context(uow, user, program, clock.today(), welcome=welcome == "1")
    return pages.render(request, "today.html", context)


@router.get("/session")
def session_address() -> Response:
    """The start form posts here; opened as an address, it goes to Today (not a bare 405)."""
    return redirect("/today")


@router.post("/session")
def start_session(
    request: Request,
    form: FormDep,
    user: CurrentUser,
    uow: UowDep,
    clock: ClockDep,
    pages: PagesDep,
) -> Response:
    pain_before = pain(form.values, "pain_before", form.errors)
    program = training.current_program(uow=uow, user=user)
    if program is None:
        return redirect("/start")
    if pain_before is None:
        context = _today_context(uow, user, program, clock.today(), welcome=False)
        context |= {"errors": name_fields(form.errors), "values": form.values}
        return pages.render(request, "today.html", context, status_code=422)
    try:
        started = training.start_session(
            uow=uow, user=user, pain_before=pain_before, today=clock.today(), now=clock.now()
        )
    except ProgramClosed as closed:
        # After a long break the safety questions come first; a referral goes to /start.
        return redirect("/onboarding/screening" if closed.gate is Gate.RESCREEN else "/start")
    return redirect(f"/session/{started.id}")


def _today_context(
    uow: UnitOfWork, user: User, program: Program, today: dt.date, *, welcome: bool
) -> dict[str, Any]:
    last = training.last_finished(uow=uow, user=user)
    done_today = last is not None and last.day == today
    upcoming = [
        day for day in program.plan.schedule if day > today or (day == today and not done_today)
    ]
    return {
        "title": "Today",
        "nav": "today",
        "welcome": welcome,
        "plan": program.plan,
        "program": program,
        "exercises": exercise_views(program),
        "open_session": training.open_session(uow=uow, user=user),
        "last": last,
        "needs_check_in": last is not None and last.checked_in_at is None,
        "ask_again": safety.gate(uow=uow, user=user, today=today) is Gate.RESCREEN,
        **caution_context(program),
        "done_today": done_today,
        "next_day": upcoming[0] if upcoming else None,
        "today": today,
    }
