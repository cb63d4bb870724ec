"""Onboarding pages: screening, referral, measures, profile; /start sends each person onward."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from backcoach.engine.measures import (
    STARTBACK_FUNDING,
    STARTBACK_ITEMS,
    STARTBACK_NOTICE,
    STARTBACK_PSYCHOSOCIAL_MAX,
)
from backcoach.engine.red_flags import MAX_AGE, MIN_AGE, PREGNANCY_CHOICES, PREGNANCY_QUESTION
from backcoach.engine.screening import AGE, PREGNANCY, RED_FLAGS, ScreeningOutcome
from backcoach.services import clearance, onboarding, own_account, safety
from backcoach.services import progress as progress_service
from backcoach.services.access import Principal, Role
from backcoach.services.errors import Conflict, Invalid
from backcoach.services.measure_input import measure_problems
from backcoach.services.onboarding import Step
from backcoach.services.safety import Gate, ProgramClosed
from backcoach.store.db import UnitOfWork
from backcoach.web.deps import (
    CurrentPrincipal,
    CurrentUser,
    FormDep,
    PagesDep,
    PersonClockDep,
    UowDep,
)
from backcoach.web.forms import validate
from backcoach.web.measure_forms import (
    ODI_SECTIONS,
    OPTIONAL_FIELDS,
    PSFS_SLOTS,
    STARTBACK_FIELDS,
    add_problems,
    measures_input,
    yes_or_no,
)
from backcoach.web.profile_form import ProfileForm, equipment_choices, profile_values
from backcoach.web.routes.accounts import redirect
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext
from backcoach.wording.screening_words import say_advice, say_reasons, say_screening

router = APIRouter()
STEP_PAGES = {
    Step.SCREENING: "/onboarding/screening",
    Step.REFERRED: "/onboarding/referral",
    Step.MEASURES: "/onboarding/measures",
    Step.PROFILE: "/onboarding/profile",
    Step.READY: "/today",
}
Pain = Annotated[int, Field(ge=0, le=10)]


@router.get("/start")
def start(principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep) -> Response:
    if principal.role is Role.COACH:  # a coach starts from their clients, not a program
        return redirect("/coach")
    found = onboarding.journey(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    return redirect(STEP_PAGES[found.step])


@router.get("/onboarding/screening")
def screening_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    return pages.render(request, "screening.html", _screening_context(uow, principal, clock))


def _screening_context(
    uow: UowDep, principal: CurrentPrincipal, clock: PersonClockDep
) -> dict[str, Any]:
    gate = safety.program_gate(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        now=clock.now(),
        today=clock.today(),
    )
    again = gate is Gate.RESCREEN
    return {
        "title": gettext("Safety questions"),
        "flags": RED_FLAGS,
        "pregnancy_question": say_screening(PREGNANCY_QUESTION),
        "pregnancy_choices": [(p.value, say_screening(w)) for p, w in PREGNANCY_CHOICES.items()],
        "min_age": MIN_AGE,
        "max_age": MAX_AGE,
        "again": again,
    }


@router.post("/onboarding/screening")
def screening(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    answers = screening_answers(form.values)
    if form.ok:
        try:
            # Asked again, a change of age or pregnancy reshapes the program (the service
            # sees to it).
            onboarding.record_screening(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                answers=answers,
                today=clock.today(),
                now=clock.now(),
            )
            return redirect("/start")
        except Invalid as refused:
            add_problems(form.errors, refused)
    else:  # the form could not be read everywhere: say the rest of its problems too
        add_problems(form.errors, safety.answer_problems(answers, check_in=False))
    context = _screening_context(uow, principal, clock)
    context |= {"errors": form.errors, "values": form.values}
    return pages.render(request, "screening.html", context, status_code=422)


def screening_answers(values: dict[str, Any]) -> dict[str, object]:
    """Age and pregnancy as typed and chosen, and the yes/no questions answered."""
    return {
        AGE: values.get(AGE, ""),
        PREGNANCY: values.get(PREGNANCY, ""),
        **yes_or_no(values, (flag.id for flag in RED_FLAGS)),
    }


@router.get("/onboarding/referral")
def referral_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    outcome = onboarding.referral(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    if outcome is None:
        return redirect("/start")
    context = _referral_context(outcome) | _by_coach(uow, principal, clock.now())
    return pages.render(request, "referral.html", context)


def _by_coach(uow: UnitOfWork, principal: Principal, now: dt.datetime) -> dict[str, Any]:
    """While a coach is linked, the coach records the clearance (docs/clinical-rules.md)."""
    linked = clearance.by_coach(uow=uow, principal=principal, person_id=principal.user_id, now=now)
    return {"by_coach": linked}


def _referral_context(outcome: ScreeningOutcome) -> dict[str, Any]:
    return {
        "title": gettext("Please see a clinician first"),
        "urgency": outcome.urgency,
        "go_ahead": outcome.go_ahead,
        "message": say_advice(outcome),
        "reasons": say_reasons(outcome),
    }


class Cleared(BaseModel):
    confirm: Literal["yes"]
    note: Annotated[str, Field(max_length=500)] = ""


@router.post("/onboarding/cleared")
def cleared(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    outcome = onboarding.referral(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    if outcome is None:  # nothing to clear (a second tap, or never referred)
        return redirect("/start")
    data = validate(form, Cleared)
    if data is None:
        # Only an unticked box is asked to be ticked; every other problem keeps its own words,
        # and what was entered (the tick, the note) is shown back as it was.
        if "confirm" in form.errors:
            form.errors["confirm"] = gettext("Tick the box only when a clinician has cleared you.")
        context = _referral_context(outcome) | {"errors": form.errors, "values": form.values}
        return pages.render(request, "referral.html", context, status_code=422)
    try:
        onboarding.confirm_cleared(
            uow=uow,
            principal=principal,
            person_id=principal.user_id,
            note=data.note,
            now=clock.now(),
        )
    except Conflict as refused:  # a coach is linked: the coach records it
        context = _referral_context(outcome) | _by_coach(uow, principal, clock.now())
        context |= {"errors": {"confirm": error_words(refused.code, refused.params)}}
        return pages.render(request, "referral.html", context, status_code=409)
    return redirect("/start")


MEASURE_CONTEXT: dict[str, Any] = {
    "startback_notice": STARTBACK_NOTICE,
    "startback_funding": STARTBACK_FUNDING,
    "startback_max": STARTBACK_ITEMS,
    "startback_psychosocial_max": STARTBACK_PSYCHOSOCIAL_MAX,
    "startback_names": STARTBACK_FIELDS,
    "psfs_slots": PSFS_SLOTS,
    "odi_sections": ODI_SECTIONS,
    "optional_fields": OPTIONAL_FIELDS,
}


@router.get("/onboarding/measures")
def measures_page(request: Request, user: CurrentUser, pages: PagesDep) -> Response:
    return pages.render(
        request, "measures.html", {"title": gettext("Where you are now"), **MEASURE_CONTEXT}
    )


@router.post("/onboarding/measures")
def measures(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    entry = measures_input(form.values, with_startback=True)
    if form.ok:
        try:
            onboarding.record_measures(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                answers=entry,
                today=clock.today(),
                now=clock.now(),
            )
            return redirect("/onboarding/starting-point")
        except Invalid as refused:
            add_problems(form.errors, refused)
    else:  # the form could not be read everywhere: say the rest of its problems too
        add_problems(form.errors, measure_problems(entry))
    return pages.render(
        request,
        "measures.html",
        {
            "title": gettext("Where you are now"),
            "errors": form.errors,
            "values": form.values,
            **MEASURE_CONTEXT,
        },
        status_code=422,
    )


@router.get("/onboarding/starting-point")
def starting_point_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    """The answers just saved, in plain words; a high STarT Back score recommends a clinician."""
    found = progress_service.starting_point(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    if found is None:
        return redirect("/start")
    return pages.render(
        request,
        "measures_result.html",
        {
            "title": gettext("Your starting point"),
            "point": found,
            "startback_notice": STARTBACK_NOTICE,
            "startback_funding": STARTBACK_FUNDING,
        },
    )


@router.get("/onboarding/profile")
def profile_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    # Back here after a clearance (the old program closed): the choices made before, kept.
    saved = own_account.saved_profile(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    return pages.render(
        request,
        "profile.html",
        {
            "title": gettext("Your training"),
            "equipment": equipment_choices(),
            "values": profile_values(saved),
        },
    )


@router.post("/onboarding/profile")
def profile(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    data = validate(form, ProfileForm)
    if data is not None:
        person_id, now = principal.user_id, clock.now()
        pain = onboarding.latest_score(
            uow=uow, principal=principal, person_id=person_id, instrument="nprs", now=now
        )
        document = {
            "pain": int(pain if pain is not None else 0),
            "level": data.level.value,
            "days_per_week": data.days_per_week,
            "equipment": [item.value for item in data.equipment],
        }
        try:
            onboarding.start_program(
                uow=uow,
                principal=principal,
                person_id=person_id,
                profile=document,
                today=clock.today(),
                now=now,
            )
        except ProgramClosed:  # referred, or a safety question unanswered: no program
            return redirect("/start")
        return redirect("/today?welcome=1")
    return pages.render(
        request,
        "profile.html",
        {
            "title": gettext("Your training"),
            "equipment": equipment_choices(),
            "errors": form.errors,
            "values": form.values,
        },
        status_code=422,
    )
