"""The next-morning check-in: pain this morning and the red-flag questions asked again."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.engine.morning import is_morning_after
from backcoach.engine.screening import CHECK_IN_IDS, RED_FLAGS
from backcoach.services import training
from backcoach.services.errors import Invalid
from backcoach.services.safety import answer_problems
from backcoach.services.training import SessionView
from backcoach.web.deps import (
    CurrentPrincipal,
    FormDep,
    PagesDep,
    PersonClock,
    PersonClockDep,
    UowDep,
)
from backcoach.web.measure_forms import add_problems, yes_or_no
from backcoach.web.routes.accounts import redirect
from backcoach.web.routes.session import own_session
from backcoach.web.training_forms import name_fields, pain
from backcoach.wording.i18n import gettext

router = APIRouter()
#: The morning check-in asks only the signs that can newly appear (not lifetime history).
CHECK_IN_FLAGS = tuple(flag for flag in RED_FLAGS if flag.id in CHECK_IN_IDS)


@router.get("/session/{session_id}/checkin")
def checkin_page(
    request: Request,
    session_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    session = own_session(uow, principal, clock, session_id)
    if session.finished_at is None:
        return redirect(f"/session/{session.id}")
    return pages.render(request, "checkin.html", _context(session, clock))


@router.post("/session/{session_id}/checkin")
def checkin(
    request: Request,
    form: FormDep,
    session_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    session = own_session(uow, principal, clock, session_id)
    if session.finished_at is None:
        return redirect(f"/session/{session.id}")
    context = _context(session, clock)
    # Before the morning after, the form asks only the warning signs (the pain opens later);
    # a pain sent all the same (a page kept open overnight the other way round, a script) goes
    # to the service, which refuses it whole unless a sign is "yes".
    asked = not context["too_early"] or form.values.get("pain_next_morning") not in (None, "")
    morning = pain(form.values, "pain_next_morning", form.errors) if asked else None
    answers = yes_or_no(form.values, CHECK_IN_IDS)
    if (morning is not None or context["too_early"]) and form.ok:
        try:
            outcome, _ = training.check_in(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                session_id=session.id,
                pain_next_morning=morning,
                red_flags=answers,
                today=clock.today(),
                now=clock.now(),
            )
        except Invalid as refused:
            add_problems(form.errors, refused)
        else:
            if outcome.refer:
                # The journey shows the referral and keeps the program closed until cleared.
                return redirect("/onboarding/referral")
            if context["too_early"]:
                return pages.render(request, "checkin.html", context | {"signs_sent": True})
            return redirect(f"/session/{session.id}/done?checked=1")
    # Every question left unanswered is named, even when the pain stopped the check-in first.
    add_problems(form.errors, answer_problems(answers, check_in=True))
    context |= {"errors": name_fields(form.errors), "values": form.values}
    return pages.render(request, "checkin.html", context, status_code=422)


def _context(session: SessionView, clock: PersonClock) -> dict[str, Any]:
    assert session.finished_at is not None  # both routes send an open session back to it
    opens = is_morning_after(
        session_day=session.day,
        finished_at=session.finished_at,
        today=clock.today(),
        now=clock.now(),
    )
    return {
        "title": gettext("Morning check-in"),
        "nav": "today",
        "session": session,
        "flags": CHECK_IN_FLAGS,
        "too_early": not opens,
    }
