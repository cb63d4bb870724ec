"""I feel tight: log the moment and offer a few minutes of mobility drills, not a stretch (M6)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.engine.plan import mobility_minutes
from backcoach.services import tight
from backcoach.web.deps import ClockDep, CurrentUser, PagesDep, UowDep
from backcoach.web.routes.accounts import redirect
from backcoach.wording import dose_words, muscles

router = APIRouter()


@router.get("/tight")
def tight_page(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    clock: ClockDep,
    pages: PagesDep,
    logged: str = "",
) -> Response:
    drills = tight.mobility_drills(uow=uow, user=user)
    if not drills:
        return redirect("/start")
    count = tight.tight_moments_on(uow=uow, user=user, day=clock.today(), zone=clock.zone)
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
def tight_moment(user: CurrentUser, uow: UowDep, clock: ClockDep) -> Response:
    if not tight.mobility_drills(uow=uow, user=user):
        return redirect("/start")
    tight.log_tight_moment(uow=uow, user=user, now=clock.now())
    return redirect("/tight?logged=1#routine")
