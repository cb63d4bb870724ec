"""Onboarding pages: screening, referral, measures, profile; /start sends each person onward."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from backcoach.engine.measures import (
    STARTBACK_FUNDING,
    STARTBACK_ITEMS,
    STARTBACK_NOTICE,
    STARTBACK_PSYCHOSOCIAL_MAX,
    MeasureError,
)
from backcoach.engine.screening import MESSAGES, RED_FLAGS
from backcoach.engine.vocabulary import Equipment, Level, Urgency
from backcoach.services import onboarding
from backcoach.services import progress as progress_service
from backcoach.services.onboarding import Step
from backcoach.web.deps import ClockDep, CurrentUser, PagesDep, UowDep
from backcoach.web.forms import read_form, validate
from backcoach.web.measure_forms import (
    ODI_SECTIONS,
    OPTIONAL_FIELDS,
    PSFS_SLOTS,
    STARTBACK_FIELDS,
    measure_answers,
)
from backcoach.web.routes.accounts import redirect

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
def start(user: CurrentUser, uow: UowDep) -> Response:
    return redirect(STEP_PAGES[onboarding.journey(uow=uow, user=user).step])


@router.get("/onboarding/screening")
def screening_page(request: Request, user: CurrentUser, pages: PagesDep) -> Response:
    return pages.render(
        request, "screening.html", {"title": "Safety questions", "flags": RED_FLAGS}
    )


@router.post("/onboarding/screening")
async def screening(
    request: Request, user: CurrentUser, uow: UowDep, clock: ClockDep, pages: PagesDep
) -> Response:
    form = await read_form(request)
    answers: dict[str, bool] = {}
    for flag in RED_FLAGS:
        given = form.values.get(flag.id)
        if given not in ("yes", "no"):
            form.errors[flag.id] = "Please answer yes or no."
        else:
            answers[flag.id] = given == "yes"
    if not form.ok:
        return pages.render(
            request,
            "screening.html",
            {
                "title": "Safety questions",
                "flags": RED_FLAGS,
                "errors": form.errors,
                "values": form.values,
            },
            status_code=422,
        )
    onboarding.record_screening(
        uow=uow, user=user, answers=answers, context="onboarding", now=clock.now()
    )
    return redirect("/start")


@router.get("/onboarding/referral")
def referral_page(request: Request, user: CurrentUser, uow: UowDep, pages: PagesDep) -> Response:
    state = onboarding.journey(uow=uow, user=user)
    if state.step is not Step.REFERRED or state.screening is None:
        return redirect("/start")
    urgency = Urgency(state.screening.urgency) if state.screening.urgency else None
    raised = [flag for flag in RED_FLAGS if state.screening.answers.get(flag.id)]
    return pages.render(
        request,
        "referral.html",
        {
            "title": "Please see a clinician first",
            "urgency": urgency,
            "message": MESSAGES[urgency],
            "flags": raised,
        },
    )


class Cleared(BaseModel):
    confirm: Literal["yes"]
    note: Annotated[str, Field(max_length=500)] = ""


@router.post("/onboarding/cleared")
async def cleared(
    request: Request, user: CurrentUser, uow: UowDep, clock: ClockDep, pages: PagesDep
) -> Response:
    form = await read_form(request)
    data = validate(form, Cleared)
    if data is None:
        form.errors = {"confirm": "Tick the box only when a clinician has cleared you."} | {
            k: v for k, v in form.errors.items() if k != "confirm"
        }
        state = onboarding.journey(uow=uow, user=user)
        urgency = (
            Urgency(state.screening.urgency)
            if state.screening and state.screening.urgency
            else None
        )
        return pages.render(
            request,
            "referral.html",
            {
                "title": "Please see a clinician first",
                "urgency": urgency,
                "message": MESSAGES[urgency],
                "flags": [],
                "errors": form.errors,
                "values": form.values,
            },
            status_code=422,
        )
    onboarding.confirm_cleared(uow=uow, user=user, note=data.note, now=clock.now())
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
    return pages.render(request, "measures.html", {"title": "Where you are now", **MEASURE_CONTEXT})


@router.post("/onboarding/measures")
async def measures(
    request: Request, user: CurrentUser, uow: UowDep, clock: ClockDep, pages: PagesDep
) -> Response:
    form = await read_form(request)
    answers = measure_answers(form.values, form.errors, with_startback=True)
    if form.ok:
        try:
            onboarding.record_measures(
                uow=uow, user=user, answers=answers, today=clock.today(), now=clock.now()
            )
            return redirect("/onboarding/starting-point")
        except MeasureError as error:
            form.errors["form"] = str(error)
    return pages.render(
        request,
        "measures.html",
        {
            "title": "Where you are now",
            "errors": form.errors,
            "values": form.values,
            **MEASURE_CONTEXT,
        },
        status_code=422,
    )


@router.get("/onboarding/starting-point")
def starting_point_page(
    request: Request, user: CurrentUser, uow: UowDep, pages: PagesDep
) -> Response:
    """The answers just saved, in plain words; a high STarT Back score recommends a clinician."""
    found = progress_service.starting_point(uow=uow, user=user)
    if found is None:
        return redirect("/start")
    return pages.render(
        request,
        "measures_result.html",
        {
            "title": "Your starting point",
            "point": found,
            "startback_notice": STARTBACK_NOTICE,
            "startback_funding": STARTBACK_FUNDING,
        },
    )


class ProfileForm(BaseModel):
    age: Annotated[int, Field(ge=16, le=110)]
    level: Level
    days_per_week: Annotated[int, Field(ge=1, le=7)]
    equipment: list[Equipment] = []


@router.get("/onboarding/profile")
def profile_page(request: Request, user: CurrentUser, pages: PagesDep) -> Response:
    return pages.render(
        request, "profile.html", {"title": "Your training", "equipment": _EQUIPMENT}
    )


_EQUIPMENT = [
    (Equipment.MAT, "A mat (a carpet works too)"),
    (Equipment.BAND, "A resistance band"),
    (Equipment.DUMBBELL, "Dumbbells"),
    (Equipment.KETTLEBELL, "A kettlebell"),
    (Equipment.BARBELL, "A barbell and plates"),
    (Equipment.BENCH, "A bench"),
]


@router.post("/onboarding/profile")
async def profile(
    request: Request, user: CurrentUser, uow: UowDep, clock: ClockDep, pages: PagesDep
) -> Response:
    form = await read_form(request)
    data = validate(form, ProfileForm)
    if data is not None:
        pain = onboarding.latest_score(uow=uow, user=user, instrument="nprs")
        document = {
            "age": data.age,
            "pain": int(pain if pain is not None else 0),
            "level": data.level.value,
            "days_per_week": data.days_per_week,
            "equipment": [item.value for item in data.equipment],
        }
        onboarding.start_program(
            uow=uow, user=user, profile=document, today=clock.today(), now=clock.now()
        )
        return redirect("/today?welcome=1")
    return pages.render(
        request,
        "profile.html",
        {
            "title": "Your training",
            "equipment": _EQUIPMENT,
            "errors": form.errors,
            "values": form.values,
        },
        status_code=422,
    )
