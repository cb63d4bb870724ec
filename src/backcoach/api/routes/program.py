"""API routes: the program and its history, the schedule, and the exercise catalogue (see
docs/api.md). Each reads the caller's own data through the services the pages use."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from backcoach.api.deps import CallerDayDep, CallerDep, UowDep
from backcoach.api.pagination import Page, WindowDep
from backcoach.api.problems import PROBLEM_RESPONSES
from backcoach.api.program_models import (
    ExerciseDetailOut,
    ExerciseOut,
    ProgramOut,
    ScheduleOut,
    StoredProgramOut,
    exercise_detail_out,
    exercise_out,
    program_out,
    schedule_out,
    stored_program_out,
)
from backcoach.engine.vocabulary import Category, Equipment
from backcoach.services import calendar
from backcoach.services.exercise_catalogue import CatalogueFilter, catalogue_page, exercise_by_id
from backcoach.services.program_history import decided_program, program_history

router = APIRouter(responses=PROBLEM_RESPONSES)


@router.get("/program", summary="The current program")
def current_program(uow: UowDep, caller: CallerDep, day: CallerDayDep) -> ProgramOut:
    """The program Today shows: each exercise with its dose, its latest decision (the reason's
    code, parameters and words), who decided it (the engine, or a coach with the change in force
    and its note) and what the plan was decided under. A 409 problem (``program.none``,
    ``program.screening``, ``program.referred``) when there is no program to show."""
    decided = decided_program(
        uow=uow, principal=caller.principal, person_id=caller.user_id, today=day.today, now=day.now
    )
    return program_out(decided)


@router.get("/program/history", summary="Every stored plan, newest first")
def program_history_page(
    uow: UowDep, caller: CallerDep, day: CallerDayDep, window: WindowDep
) -> Page[StoredProgramOut]:
    """Each plan as it was stored: when it was made, who decided, under what, and each
    exercise's decision with its reason's code and words."""
    found = program_history(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        offset=window.offset,
        limit=window.limit,
        now=day.now,
    )
    items = [stored_program_out(stored, found.coach_names) for stored in found.programs]
    return window.page(items, found.total)


@router.get("/schedule", summary="The training days ahead and the calendar address")
def schedule(request: Request, uow: UowDep, caller: CallerDep, day: CallerDayDep) -> ScheduleOut:
    """The planned training days from today (less today once trained), each with its exercises,
    and the private calendar (ICS) address the schedule page gives."""
    who, person_id = caller.principal, caller.user_id
    days = calendar.days_ahead(
        uow=uow, principal=who, person_id=person_id, today=day.today, zone=day.zone, now=day.now
    )
    token = calendar.calendar_token(uow=uow, principal=who, person_id=person_id, now=day.now)
    # The web app's feed route, as the schedule page names it (the API is mounted in that app).
    return schedule_out(days, str(request.url_for("calendar_feed", token=token)))


@router.get("/exercises", summary="The exercise catalogue")
def exercises(
    caller: CallerDep,
    window: WindowDep,
    category: Category | None = None,
    kit: Annotated[
        list[Equipment] | None,
        Query(max_length=len(Equipment), description="The kit you own: only what needs no more."),
    ] = None,
    level: Annotated[int | None, Query(ge=1, le=5)] = None,
    position: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[ExerciseOut]:
    """The catalogue as the library shows it, the same for everyone, filtered by category, the
    kit you own (``kit=none`` alone: body weight only), level and position."""
    narrowed = CatalogueFilter(category, frozenset(kit) if kit else None, level, position)
    found = catalogue_page(narrowed=narrowed, offset=window.offset, limit=window.limit)
    return window.page([exercise_out(item) for item in found.exercises], found.total)


@router.get("/exercises/{exercise_id}", summary="One exercise of the catalogue")
def exercise(
    exercise_id: Annotated[str, Path(max_length=80)], caller: CallerDep
) -> ExerciseDetailOut:
    """How to do it: set-up, cues, common faults, the dose range, and its pictures' addresses.
    A 404 problem (``exercise.not_found``) for an id the catalogue does not hold."""
    return exercise_detail_out(exercise_by_id(exercise_id=exercise_id))
