"""Today's page in one call: the program, whether the safety questions are due again, and the
last and open sessions, with the referral gate worked out once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backcoach.services import safety
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.onboarding import active_plan
from backcoach.services.programs import ProgramView, program_of
from backcoach.services.safety import Gate
from backcoach.services.training import SessionView, last_session_view, open_session_view
from backcoach.store.db import UnitOfWork


@dataclass(frozen=True, slots=True)
class TodayView:
    program: ProgramView
    #: OPEN, or RESCREEN when the safety questions are due again before the next session.
    gate: Gate
    last: SessionView | None
    open_session: SessionView | None


def today_view(
    *, uow: UnitOfWork, principal: Principal, person_id: int, today: dt.date, now: dt.datetime
) -> TodayView | None:
    """None before onboarding ends or while the referral gate is shut (the page sends the
    person to /start), as `training.current_program` does."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    gate = safety.gate(uow=uow, person_id=person_id, today=today)
    # RESCREEN still shows the program: the questions come before the next session starts.
    if gate not in (Gate.OPEN, Gate.RESCREEN):
        return None
    record = active_plan(uow=uow, person_id=person_id)
    if record is None:
        return None
    return TodayView(
        program=program_of(record),
        gate=gate,
        last=last_session_view(uow, person_id),
        open_session=open_session_view(uow, person_id),
    )
