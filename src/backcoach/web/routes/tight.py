"""I feel tight: log the moment and offer a few minutes of mobility drills, not a stretch (M6)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.engine.plan import mobility_minutes
from backcoach.services import tight
from backcoach.services.errors import Conflict
from backcoach.web.deps import CurrentPrincipal, PagesDep, PersonClockDep, UowDep
from backcoach.web.routes.accounts import redirect
from backcoach.wording import dose_words, muscles

router = APIRouter()


@router.get("/tight")
def tight_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
    logged: str = "",
) -> Response:
    person_id, now = principal.user_id, clock.now()
    drills = tight.mobility_drills(uow=uow, principal=principal, person_id=person_id, now=now)
    if not drills:
        return redirect("/start")
    count = tight.tight_moments_on(
        uow=uow,
        principal=principal,
        person_id=person_id,
        day=clock.today(),
        zone=clock.zone,
        now=now,
    )
    return pages.render(
        request,
        "tight.html",
        {
            "title": "I feel tight",
            "nav": "tight",
            "drills": drills,
            "minutes": mobility_minutes(drills),
            "count": count,
            "logged": logged == "1",
            "dose_words": dose_words,
            "muscles": muscles,
        },
    )


@router.post("/tight")
def tight_moment(principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep) -> Response:
    try:
        tight.log_tight_moment(
            uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
        )
    except Conflict:  # no program (yet, or the gate is shut): no drills to offer
        return redirect("/start")
    return redirect("/tight?logged=1#routine")
