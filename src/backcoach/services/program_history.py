"""Stored programs read back for the API: the current one with who decided each exercise (the
engine, or a coach with the override in force and its note), and every stored plan, newest
first, a page at a time. Each read asks `authorize` once; the reads are bounded by the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from backcoach.services import safety
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.errors import Conflict
from backcoach.services.onboarding import active_plan
from backcoach.services.overrides import OverrideView, coach_notes, history
from backcoach.services.programs import ProgramView, program_of
from backcoach.services.safety import Gate, ProgramClosed
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import PlanRecord, User


@dataclass(frozen=True, slots=True)
class CoachSay:
    """What a coach set on one exercise (or, under no exercise, on the whole program)."""

    #: The overrides in force that concern it, oldest first.
    overrides: tuple[OverrideView, ...]
    #: The notes Today shows beside it (one for an exercise, each for the whole program).
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DecidedProgram:
    """The program Today shows, with what the coaches set and who each coach is."""

    program: ProgramView
    #: True when the safety questions are due again before the next session.
    ask_again: bool
    #: By exercise id, for the exercises a coach's override in force concerns.
    by_exercise: Mapping[str, CoachSay]
    #: What a coach set on the whole program (a hold of everything, the days).
    whole_program: CoachSay
    #: The name each deciding coach gives (else their email), by account id.
    coach_names: Mapping[int, str]


@dataclass(frozen=True, slots=True)
class StoredProgram:
    program: ProgramView
    #: The program in force now (the newest; the others are history).
    active: bool
    #: The session whose finish or check-in decided it; None when built from the profile.
    decided_from_session_id: int | None


@dataclass(frozen=True, slots=True)
class ProgramHistory:
    programs: tuple[StoredProgram, ...]
    #: How many plans are stored in all.
    total: int
    coach_names: Mapping[int, str]


def decided_program(
    *, uow: UnitOfWork, principal: Principal, person_id: int, today: dt.date, now: dt.datetime
) -> DecidedProgram:
    """The program Today shows (also while the safety questions are due again); `ProgramClosed`
    while the referral gate is shut, and `Conflict` ``program.none`` before onboarding ends."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    gate = safety.gate(uow=uow, person_id=person_id, today=today)
    if gate not in (Gate.OPEN, Gate.RESCREEN):
        raise ProgramClosed(gate)
    record = active_plan(uow=uow, person_id=person_id)
    if record is None:
        raise Conflict("program.none", field="program")
    program = program_of(record)
    in_force = [view for view in history(uow=uow, client_id=person_id) if view.active]
    in_force.reverse()  # history is newest first
    notes = coach_notes(uow=uow, principal=principal, client_id=person_id, now=now)
    concerned = {key for view in in_force if (key := _concerns(view)) is not None}
    by_exercise = {
        key: CoachSay(
            tuple(view for view in in_force if _concerns(view) == key),
            tuple(note for note in [notes.by_exercise.get(key, "")] if note),
        )
        for key in concerned
    }
    whole = CoachSay(tuple(view for view in in_force if _concerns(view) is None), notes.program)
    deciders = _coach_ids([program]) | {view.coach_id for view in in_force if view.coach_id}
    return DecidedProgram(
        program=program,
        ask_again=gate is Gate.RESCREEN,
        by_exercise=by_exercise,
        whole_program=whole,
        coach_names=_names(uow, deciders),
    )


def program_history(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    offset: int,
    limit: int,
    now: dt.datetime,
) -> ProgramHistory:
    """The person's stored plans, newest first, from ``offset``: each with its decisions, their
    reasons and who decided (three statements whatever the history's length)."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    total = uow.session.scalar(
        select(func.count()).select_from(PlanRecord).where(PlanRecord.user_id == person_id)
    )
    rows = uow.session.scalars(
        select(PlanRecord)
        .where(PlanRecord.user_id == person_id)
        .order_by(PlanRecord.at.desc(), PlanRecord.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    programs = tuple(
        StoredProgram(program_of(row), row.active, row.decided_from_session_id) for row in rows
    )
    return ProgramHistory(
        programs=programs,
        total=total or 0,
        coach_names=_names(uow, _coach_ids(stored.program for stored in programs)),
    )


def _concerns(view: OverrideView) -> str | None:
    """The exercise an override is about: the one swapped in, else the one it names (None for
    the days, or a hold of the whole program)."""
    key = view.values.get("to_exercise") if view.kind == "swap" else view.values.get("exercise")
    return str(key) if key else None


def _coach_ids(programs: Iterable[ProgramView]) -> set[int]:
    return {
        step.decided_by.id
        for program in programs
        for step in program.next_steps.values()
        if step.decided_by.id is not None
    }


def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    """Each account's name as they give it, else their email (one statement)."""
    if not ids:
        return {}
    rows = uow.session.execute(
        select(User.id, User.display_name, User.email).where(User.id.in_(ids))
    )
    return {user_id: display or email for user_id, display, email in rows}
