"""I feel tight: log the moment with one tap and guide a few minutes of mobility drills, each
with its demonstration and a timer, not a stretch (M1, M6); the count week on week (M10)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.engine.catalogue import Exercise
from backcoach.engine.plan import PlannedExercise, mobility_minutes
from backcoach.services import tight, training
from backcoach.services.errors import Conflict
from backcoach.web.deps import CurrentPrincipal, PagesDep, PersonClockDep, UowDep
from backcoach.web.routes.accounts import redirect
from backcoach.web.routes.pictures import Pictured
from backcoach.wording import dose_words, muscles
from backcoach.wording.i18n import gettext

router = APIRouter()


@dataclass(frozen=True, slots=True)
class DrillView(Pictured):
    """One drill of the routine: its demonstration (training_macros.demonstration) and the
    seconds the guided timer gives it."""

    item: PlannedExercise

    @property
    def exercise(self) -> Exercise:
        return self.item.exercise

    @property
    def seconds(self) -> int:
        """The drill's share of the routine, as the engine reckons its length (M6)."""
        return round(mobility_minutes((self.item,)) * 60)

    @property
    def clock(self) -> str:
        return clock_words(self.seconds)

    @property
    def dose(self) -> str:
        return dose_words(self.item)

    @property
    def moves(self) -> str:
        return muscles(self.exercise.targets)


def clock_words(seconds: int) -> str:
    """A timer's face, "2:05" (static/tight.js writes the same while it counts down)."""
    return f"{seconds // 60}:{seconds % 60:02d}"


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
    counts = tight.tight_moment_counts(
        uow=uow,
        principal=principal,
        person_id=person_id,
        today=clock.today(),
        zone=clock.zone,
        now=now,
    )
    views = [DrillView(drill) for drill in drills]
    total = sum(view.seconds for view in views)
    # A session in progress (a high-pain day sends the person here for the drills): the way
    # back to it, to finish it.
    in_progress = training.open_session(uow=uow, principal=principal, person_id=person_id, now=now)
    return pages.render(
        request,
        "tight.html",
        {
            "title": gettext("I feel tight"),
            "nav": "tight",
            "drills": views,
            "total_seconds": total,
            "total_clock": clock_words(total),
            "counts": counts,
            "logged": logged == "1",
            "open_session": in_progress,
        },
    )


@router.post("/tight")
def tight_moment(principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep) -> Response:
    """One tap: the moment is kept (when, and the drills offered); nothing else is asked."""
    try:
        tight.log_tight_moment(
            uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
        )
    except Conflict:  # no program (yet, or the gate is shut): no drills to offer
        return redirect("/start")
    return redirect("/tight?logged=1#routine")
