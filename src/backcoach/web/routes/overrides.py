"""The coach's page of a client's program (/coach/clients/{id}/program): the program with each
dose and reason, a form for each kind of override, the history with Undo, and the clearance
form while a referral is open. Every decision is the services' (services/overrides.py,
services/clearance.py, services/client_program.py); these handlers only show it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from backcoach.catalogue import default_catalogue
from backcoach.engine.vocabulary import Category, Equipment
from backcoach.services import clearance, overrides
from backcoach.services.access import Principal
from backcoach.services.client_day import client_today
from backcoach.services.client_program import ClientProgram, SwapFilter, client_program
from backcoach.services.errors import Invalid, Kind, ServiceError
from backcoach.store.db import UnitOfWork
from backcoach.web.client_refusal import no_such_client
from backcoach.web.deps import (
    CurrentPrincipal,
    FormDep,
    PagesDep,
    PersonClock,
    PersonClockDep,
    ServerZoneDep,
    UowDep,
)
from backcoach.web.training_view import exercise_views
from backcoach.wording import KIT_WORDS, dose_words
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import N_, gettext
from backcoach.wording.override_words import (
    CATEGORY_WORDS,
    KIND_WORDS,
    POSITION_WORDS,
    WEEKDAY_WORDS,
    say_override,
)
from backcoach.wording.reasons import say

router = APIRouter()

#: The form fields of each kind (the service reads them by these names).
FIELDS = {
    "swap": ("exercise", "to_exercise"),
    "dose": ("exercise", "sets", "dose_min", "dose_max", "load_kg", "locked"),
    "hold": ("exercise",),
    "add": ("exercise", "sets"),
    "schedule": ("days_per_week", "weekdays"),
}


#: Each field's name in the error summary ("Sets: please enter ..."), msgids.
LABELS = {
    "exercise": N_("Exercise"),
    "to_exercise": N_("Put in"),
    "sets": N_("Sets"),
    "dose_min": N_("Bottom of the range"),
    "dose_max": N_("Top of the range"),
    "load_kg": N_("Load"),
    "days_per_week": N_("Days a week"),
    "weekdays": N_("Weekdays"),
    "note": N_("Note"),
    "clinician": N_("Who cleared them"),
    "cleared_on": N_("On which day"),
}


def _named(field: str | None, message: str) -> str:
    label = LABELS.get(field or "")
    if not label:
        return message
    said = gettext(label)
    return f"{said}: {message[0].lower()}{message[1:]}"


def _page(client_id: int) -> str:
    return f"/coach/clients/{client_id}/program"


def _refused(error: ServiceError) -> HTTPException:
    # Refused or unknown, a client's page answers as if there were no such client.
    if error.kind in (Kind.NOT_FOUND, Kind.FORBIDDEN):
        return no_such_client()
    return HTTPException(status_code=403, detail=error_words(error.code, error.params))


def _name(exercise_id: str) -> str:
    catalogue = default_catalogue()
    return catalogue.get(exercise_id).name if exercise_id in catalogue else exercise_id


def _words(problem: ServiceError) -> str:
    """A refusal in words, exercises by their names."""
    params = {
        key: _name(value)
        if key in ("exercise", "to_exercise") and isinstance(value, str)
        else value
        for key, value in problem.params.items()
    }
    return error_words(problem.code, params)


@router.get("/coach/clients/{client_id}/program")
def program_page(
    request: Request,
    client_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
    pages: PagesDep,
) -> Response:
    query = dict(request.query_params)
    context = _context(uow, principal, client_id, clock, server_zone, query)
    return pages.render(request, "coach_program.html", context)


@router.post("/coach/clients/{client_id}/overrides")
def add_override(
    request: Request,
    client_id: int,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
    pages: PagesDep,
) -> Response:
    kind = str(form.values.get("kind", ""))
    fields = FIELDS.get(kind, ())
    if not form.errors:
        try:
            overrides.add_override(
                uow=uow,
                principal=principal,
                client_id=client_id,
                kind=kind,
                values={name: form.values.get(name) for name in fields},
                note=str(form.values.get("note", "")),
                today=client_today(uow, principal, client_id, clock.now(), server_zone),
                now=clock.now(),
            )
            return RedirectResponse(f"{_page(client_id)}?made={kind}#history", status_code=303)
        except Invalid as refused:
            for problem in refused.problems:
                key = f"{kind}-{problem.field or 'note'}"
                form.errors.setdefault(key, _named(problem.field, _words(problem)))
        except ServiceError as error:
            if error.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
                raise _refused(error) from None
            form.errors[f"{kind}-note"] = _words(error)
    else:
        form.errors = {f"{kind}-{key}": message for key, message in form.errors.items()}
    typed = {f"{kind}-{key}": value for key, value in form.values.items()}
    context = _context(uow, principal, client_id, clock, server_zone, {}) | {
        "errors": form.errors,
        "values": typed,
        "open_form": kind,
    }
    return pages.render(request, "coach_program.html", context, status_code=422)


@router.post("/coach/clients/{client_id}/overrides/{override_id}/undo")
def undo_override(
    client_id: int,
    override_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    try:
        overrides.undo_override(
            uow=uow,
            principal=principal,
            client_id=client_id,
            override_id=override_id,
            today=client_today(uow, principal, client_id, clock.now(), server_zone),
            now=clock.now(),
        )
    except ServiceError as error:
        raise _refused(error) from None
    return RedirectResponse(f"{_page(client_id)}?undone=1#history", status_code=303)


@router.post("/coach/clients/{client_id}/clearance")
def record_clearance(
    request: Request,
    client_id: int,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
    pages: PagesDep,
) -> Response:
    if not form.errors:
        try:
            clearance.record_by_coach(
                uow=uow,
                principal=principal,
                client_id=client_id,
                clinician=str(form.values.get("clinician", "")),
                cleared_on=str(form.values.get("cleared_on", "")),
                note=str(form.values.get("note", "")),
                today=client_today(uow, principal, client_id, clock.now(), server_zone),
                now=clock.now(),
                server_zone=server_zone,
            )
            return RedirectResponse(f"{_page(client_id)}?cleared=1", status_code=303)
        except Invalid as refused:
            for problem in refused.problems:
                key = f"clearance-{problem.field}"
                form.errors.setdefault(key, _named(problem.field, _words(problem)))
        except ServiceError as error:
            if error.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
                raise _refused(error) from None
            form.errors["clearance-note"] = _words(error)
    else:
        form.errors = {f"clearance-{key}": message for key, message in form.errors.items()}
    typed = {f"clearance-{key}": value for key, value in form.values.items()}
    context = _context(uow, principal, client_id, clock, server_zone, {}) | {
        "errors": form.errors,
        "values": typed,
    }
    return pages.render(request, "coach_program.html", context, status_code=422)


def _context(
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    clock: PersonClock,
    server_zone: ZoneInfo,
    query: dict[str, str],
) -> dict[str, Any]:
    swap_filter = _filter(query)
    try:
        found = client_program(
            uow=uow,
            principal=principal,
            client_id=client_id,
            now=clock.now(),
            swap_filter=swap_filter,
        )
    except ServiceError as error:
        raise _refused(error) from None
    return {
        "title": gettext("Program of {name}").format(name=found.client_name),
        "nav": "coach",
        "client_id": client_id,
        "found": found,
        "exercises": _exercises(found),
        "history": [_history_row(item, clock) for item in found.history],
        "swap_groups": _swap_groups(found),
        "addable": found.addable,
        "filter": {key: query.get(key, "") for key in ("category", "kit", "level", "position")},
        "categories": [(key, gettext(words)) for key, words in CATEGORY_WORDS.items()],
        "kits": [("none", gettext("No kit"))]
        + [(kit.value, KIT_WORDS[kit]) for kit in Equipment if kit in KIT_WORDS],
        "positions": [(key, gettext(words)) for key, words in POSITION_WORDS.items()],
        "weekdays": [(index, gettext(word)) for index, word in enumerate(WEEKDAY_WORDS)],
        "kind_words": {key: gettext(word) for key, word in KIND_WORDS.items()},
        "made": query.get("made", ""),
        "undone": query.get("undone") == "1",
        "cleared": query.get("cleared") == "1",
        # The clearance form's latest day: the client's today.
        "today": client_today(uow, principal, client_id, clock.now(), server_zone).isoformat(),
        "errors": {},
        "values": {},
        "open_form": "",
    }


def _filter(query: dict[str, str]) -> SwapFilter:
    """The catalogue filter from the address; anything unknown is no filter."""
    category = query.get("category", "")
    level = query.get("level", "")
    kit = query.get("kit", "")
    position = query.get("position", "")
    return SwapFilter(
        category=Category(category) if category in {c.value for c in Category} else None,
        kit=kit if kit in {k.value for k in Equipment} | {"none"} else None,
        level=int(level) if level.isdecimal() and len(level) == 1 else None,
        position=position if position in POSITION_WORDS else None,
    )


def _exercises(found: ClientProgram) -> list[dict[str, Any]]:
    if found.program is None:
        return []
    return [
        {
            "id": view.exercise.id,
            "name": view.exercise.name,
            "category": view.exercise.category.value,
            "dose": dose_words(view.item),
            "reason": say(view.step.reason) if view.step else say(view.item.reason),
            "by_coach": view.by_coach,
            "sets": view.item.sets,
            "dose_min": view.item.dose_min,
            "dose_max": view.item.dose_max,
            "bottom": view.exercise.dose_min,
            "top": view.exercise.dose_max,
            "loadable": view.exercise.loadable,
        }
        for view in exercise_views(found.program)
    ]


def _swap_groups(found: ClientProgram) -> list[dict[str, Any]]:
    """The exercises that may be swapped in, grouped under the one of the program they replace."""
    if found.program is None:
        return []
    groups = []
    for item in found.program.plan.exercises:
        choices = [c.exercise for c in found.swaps if item.exercise.id in c.replaces]
        if choices:
            groups.append({"exercise": item.exercise, "choices": choices})
    return groups


def _history_row(item: overrides.OverrideView, clock: PersonClock) -> dict[str, Any]:
    def when(at: dt.datetime) -> str:
        # The coach's own zone, said (their client may be in another one).
        return at.astimezone(clock.zone).strftime("%-d %b %Y, %H:%M %Z")

    return {
        "id": item.id,
        "kind": gettext(KIND_WORDS.get(item.kind, item.kind)),
        "what": say_override(item.kind, item.values, _name),
        "note": item.note,
        "by": item.coach_name or gettext("a coach no longer here"),
        "at": when(item.at),
        "active": item.active,
        "undone_by": item.undone_by_name or "",
        "undone_at": when(item.undone_at) if item.undone_at else "",
    }
