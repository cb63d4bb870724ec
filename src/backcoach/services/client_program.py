"""The coach's page of a client's program in one call: the program with each decision and who
made it, the overrides (active and undone), what may be swapped in or added, and the open
referral with the clearance kept, read after one `authorize` (one audit line a view)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backcoach.engine.catalogue import Exercise
from backcoach.engine.screening import ScreeningOutcome
from backcoach.engine.vocabulary import Category
from backcoach.services import safety
from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.clearance import Clearance
from backcoach.services.errors import Forbidden
from backcoach.services.onboarding import active_plan
from backcoach.services.override_choices import SwapChoice, addable, swap_choices
from backcoach.services.overrides import OverrideView, history
from backcoach.services.programs import ProgramView, program_of
from backcoach.services.safety import Gate
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import User


@dataclass(frozen=True, slots=True)
class SwapFilter:
    """What the coach narrowed the catalogue to (None: any)."""

    category: Category | None = None
    kit: str | None = None
    level: int | None = None
    position: str | None = None


@dataclass(frozen=True, slots=True)
class ClientProgram:
    #: The name the client gives, else their email.
    client_name: str
    gate: Gate
    #: None while the gate is shut or before onboarding ends.
    program: ProgramView | None
    history: tuple[OverrideView, ...]
    swaps: tuple[SwapChoice, ...]
    addable: tuple[Exercise, ...]
    #: The screening that keeps referring, while it does (the clearance form is shown then).
    referral: ScreeningOutcome | None
    clearance: Clearance


def client_program(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    now: dt.datetime,
    swap_filter: SwapFilter = SwapFilter(),
) -> ClientProgram:
    """Everything the program page shows a coach who looks after the client."""
    authorize(uow, principal, Action.READ, client_id, what="program", now=now)
    if principal.role is not Role.COACH or principal.user_id == client_id:
        raise Forbidden("access.forbidden", what="program")
    person = uow.session.get_one(User, client_id)
    gate = safety.gate(uow=uow, person_id=client_id)
    record = active_plan(uow=uow, person_id=client_id) if gate is Gate.OPEN else None
    program = program_of(record) if record is not None else None
    plan = program.plan if program is not None else None
    return ClientProgram(
        client_name=person.display_name or person.email,
        gate=gate,
        program=program,
        history=history(uow=uow, client_id=client_id),
        swaps=swap_choices(
            plan,
            category=swap_filter.category,
            kit=swap_filter.kit,
            level=swap_filter.level,
            position=swap_filter.position,
        )
        if plan is not None
        else (),
        addable=addable(plan) if plan is not None else (),
        referral=safety.open_referral(uow=uow, person_id=client_id),
        clearance=Clearance(person.cleared_at, person.cleared_note or "", person.cleared_by_id),
    )
