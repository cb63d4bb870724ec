"""The schedule (M7): a month calendar of training days and the private calendar feed."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from backcoach.services import calendar, training
from backcoach.services.program_pause import current_pause
from backcoach.web.deps import (
    ClockDep,
    CurrentPrincipal,
    PagesDep,
    PersonClockDep,
    ServerZoneDep,
    UowDep,
)
from backcoach.web.routes.accounts import redirect
from backcoach.wording.i18n import gettext

router = APIRouter()
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_month(raw: str | None, today: dt.date) -> dt.date | None:
    """``2026-03`` to 1 March 2026; no value means this month; a bad one None."""
    if not raw:
        return today.replace(day=1)
    found = _MONTH.match(raw)
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not 2000 <= year <= 2200 or not 1 <= month <= 12:
        return None
    return dt.date(year, month, 1)


@router.get("/schedule")
def schedule_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    today, now, person_id = clock.today(), clock.now(), principal.user_id
    month = parse_month(request.query_params.get("month"), today)
    problem = None
    if month is None:
        problem = gettext(
            "That month is not right: it should look like 2026-03. Here is this month."
        )
        month = today.replace(day=1)
    view = calendar.month_view(
        uow=uow,
        principal=principal,
        person_id=person_id,
        month=month,
        today=today,
        zone=clock.zone,
        now=now,
    )
    token = calendar.calendar_token(uow=uow, principal=principal, person_id=person_id, now=now)
    feed = str(request.url_for("calendar_feed", token=token))
    program = training.current_program(uow=uow, principal=principal, person_id=person_id, now=now)
    pause = current_pause(uow=uow, principal=principal, person_id=person_id, today=today, now=now)
    return pages.render(
        request,
        "schedule.html",
        {
            "pause": pause,
            "title": gettext("Your schedule"),
            "nav": "schedule",
            "view": view,
            "today": today,
            "weekdays": WEEKDAYS,
            "has_plan": program is not None,
            "feed_url": feed,
            "webcal_url": re.sub(r"^https?://", "webcal://", feed),
            "new_address": request.query_params.get("address") == "new",
            "problem": problem,
        },
        status_code=422 if problem else 200,
    )


@router.post("/schedule/calendar-address")
def new_calendar_address(
    principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep
) -> Response:
    calendar.rotate_token(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    return redirect("/schedule?address=new#calendar-feed")


@router.get("/calendar/{token}.ics", name="calendar_feed")
def calendar_feed(token: str, uow: UowDep, clock: ClockDep, server_zone: ServerZoneDep) -> Response:
    # No login here: calendar apps fetch without cookies, so the address itself is the secret
    # (and its owner's time zone decides the days, as on their pages).
    body = calendar.feed(uow=uow, token=token, now=clock.now(), server_zone=server_zone)
    if body is None:
        raise HTTPException(
            status_code=404, detail=gettext("There is no calendar at this address.")
        )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, no-cache",
            "Content-Disposition": 'inline; filename="backcoach.ics"',
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
        },
    )
