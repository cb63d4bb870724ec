"""The person's own resources (``/me``): the account, onboarding (screening, clearance,
measures, the program from the profile) and the outcomes the Progress page sums up.

Each route calls the same services as the account, onboarding and progress pages and only
turns their results into the answers of api/me_models.py (see docs/api.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from backcoach.api import me_models as models
from backcoach.api.deps import (
    Caller,
    CallerDayDep,
    CallerDep,
    NowDep,
    ServerZoneDep,
    UowDep,
)
from backcoach.api.pagination import Page, WindowDep
from backcoach.api.problems import PROBLEM_RESPONSES
from backcoach.services import accounts, caseload, clearance, export, onboarding, own_account
from backcoach.services import progress as progress_service
from backcoach.services.errors import Invalid
from backcoach.services.measure_history import measure_history, record_own_measures
from backcoach.services.progress import Progress
from backcoach.store.db import UnitOfWork
from backcoach.wording.measure_words import say_recommendation, say_startback_risk

router = APIRouter(prefix="/me", tags=["me"], responses=PROBLEM_RESPONSES)


@router.get("", summary="Your account, profile and next onboarding step")
def read_me(caller: CallerDep, uow: UowDep, now: NowDep, server_zone: ServerZoneDep) -> models.Me:
    """Who you are, your time zone (and the one in effect), the name your coach sees, the
    profile your program was built from, and where you are on the way to a program."""
    return _me(uow, caller, now, server_zone)


@router.put("/time-zone", summary="Choose your time zone")
def change_time_zone(
    body: models.TimeZoneChange,
    caller: CallerDep,
    uow: UowDep,
    now: NowDep,
    server_zone: ServerZoneDep,
) -> models.Me:
    """The zone that decides your "today" (an IANA name such as Europe/London; empty for the
    server's). An unknown name is refused (``time_zone.unknown``)."""
    accounts.set_time_zone(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        time_zone=body.time_zone,
        now=now,
    )
    return _me(uow, caller, now, server_zone)


@router.put("/name", summary="Choose the name your coach sees")
def change_name(
    body: models.NameChange,
    caller: CallerDep,
    uow: UowDep,
    now: NowDep,
    server_zone: ServerZoneDep,
) -> models.Me:
    """The name your coach sees instead of your email (empty: your email)."""
    caseload.set_display_name(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        name=body.display_name,
        now=now,
    )
    return _me(uow, caller, now, server_zone)


@router.get("/screening", summary="Your latest safety answers and their outcome")
def read_screening(caller: CallerDep, uow: UowDep, now: NowDep) -> models.ScreeningState:
    """The latest answers with their outcome (the warning signs found, as codes with words),
    and the referral still open, if any, until a clinician's clearance is recorded."""
    own = _own(uow, caller, now)
    latest = own_account.latest_screening(**own)
    referral = onboarding.referral(**own)
    return models.ScreeningState(
        latest=None
        if latest is None
        else models.LatestScreening(
            at=latest.at,
            context=latest.context,
            answers=dict(latest.answers),
            outcome=models.Outcome.of(latest.outcome),
        ),
        open_referral=None if referral is None else models.Outcome.of(referral),
        clearance_by_coach=clearance.by_coach(**own),
    )


@router.post("/screening", summary="Answer the safety questions")
def answer_screening(
    body: models.ScreeningAnswers, caller: CallerDep, uow: UowDep, day: CallerDayDep
) -> models.ScreeningRecorded:
    """Every question answered (a blank is never a no): the outcome says whether to start,
    or to see a clinician first, how soon and why. A referral closes the program until a
    clinician's clearance is recorded."""
    outcome = onboarding.record_screening(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        answers=body.model_dump(mode="json", exclude_none=True),
        today=day.today,
        now=day.now,
    )
    return models.ScreeningRecorded(
        outcome=models.Outcome.of(outcome), journey=_journey(uow, caller, day.now)
    )


@router.post("/clearance", summary="Say a clinician has cleared you")
def confirm_clearance(
    body: models.Clearance, caller: CallerDep, uow: UowDep, now: NowDep
) -> models.ClearanceRecorded:
    """After a referral: your word that a clinician has seen you and cleared you to exercise.
    While a coach looks after you, the coach records it (``clearance.by_coach``, 409)."""
    recorded = own_account.confirm_own_clearance(
        uow=uow, principal=caller.principal, person_id=caller.user_id, note=body.note, now=now
    )
    return models.ClearanceRecorded(recorded=recorded, journey=_journey(uow, caller, now))


@router.get("/measures", summary="Your questionnaire scores, newest first")
def read_measures(
    caller: CallerDep, uow: UowDep, now: NowDep, window: WindowDep
) -> Page[models.MeasureScore]:
    """Each score with its band or risk group (codes and words) and, from the second answer
    on, its change since the first and whether that change is large enough to matter."""
    found = measure_history(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        limit=window.limit,
        offset=window.offset,
        now=now,
    )
    items = [
        models.measure_score(e.id, e.instrument, e.day, e.score, dict(e.result), e.change)
        for e in found.entries
    ]
    return window.page(items, found.total)


@router.post("/measures", summary="Enter questionnaire scores", status_code=201)
def enter_measures(
    body: models.MeasuresEntry, caller: CallerDep, uow: UowDep, day: CallerDayDep
) -> models.MeasuresRecorded:
    """The first measures of onboarding (pain, activities and STarT Back), or the two-weekly
    check later: scores only, every problem refused at once, each naming its field."""
    try:
        kept = record_own_measures(
            uow=uow,
            principal=caller.principal,
            person_id=caller.user_id,
            entry=body.to_input(),
            today=day.today,
            now=day.now,
        )
    except Invalid as refused:
        raise models.measure_problems_by_body_field(refused) from None
    return models.MeasuresRecorded(
        measures=[
            models.measure_score(e.id, e.instrument, e.day, e.score, dict(e.result), e.change)
            for e in kept
        ],
        journey=_journey(uow, caller, day.now),
    )


@router.post("/program", summary="Start your program from your profile", status_code=201)
def start_program(
    body: models.ProgramStart, caller: CallerDep, uow: UowDep, day: CallerDayDep
) -> models.ProgramStarted:
    """Your level, the days a week you can train and your kit: the engine prescribes the
    program. Only once the safety questions are answered and no referral is open
    (``program.screening``, ``program.referred``: 409)."""
    program = own_account.start_own_program(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        level=body.level,
        days_per_week=body.days_per_week,
        equipment=body.equipment,
        today=day.today,
        now=day.now,
    )
    return models.ProgramStarted(
        plan_id=program.plan_id,
        made_at=program.at,
        start=program.plan.start,
        exercise_ids=[item.exercise.id for item in program.plan.exercises],
        journey=_journey(uow, caller, day.now),
    )


@router.get("/outcomes", summary="Whether it is working: your progress in figures")
def read_outcomes(caller: CallerDep, uow: UowDep, day: CallerDayDep) -> models.Outcomes:
    """Sessions done, pain before sessions week by week, each measure's change since the start
    and whether it matters (MCID), and when the questionnaires are due again."""
    found = progress_service.progress(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        today=day.today,
        zone=day.zone,
        now=day.now,
    )
    return _outcomes(found)


@router.get(
    "/export",
    summary="All your data, as the account page's download",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The same JSON document as the account page's 'Download all my data' "
            "(docs/formats.md), streamed; `backcoach import` reads it on another server.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def export_everything(caller: CallerDep, uow: UowDep, day: CallerDayDep) -> StreamingResponse:
    """Everything backcoach keeps of you, written to your audit log as a download."""
    chunks = export.export_json_stream(
        uow=uow, principal=caller.principal, person_id=caller.user_id, now=day.now
    )
    name = f"backcoach-{day.today.isoformat()}.json"
    return StreamingResponse(
        chunks,  # a plain iterator: read in the thread pool, the unit of work open until the end
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _me(uow: UnitOfWork, caller: Caller, now: dt.datetime, server_zone: ZoneInfo) -> models.Me:
    own = _own(uow, caller, now)
    account = own_account.account_summary(**own)
    profile = own_account.saved_profile(**own)
    found = own_account.own_journey(**own)
    return models.Me(
        id=account.id,
        email=account.email,
        role=account.role.value,
        time_zone=account.time_zone,
        time_zone_in_effect=accounts.person_zone(account.time_zone, server_zone).key,
        display_name=account.display_name,
        profile=None
        if profile is None
        else models.Profile(
            saved_at=profile.at,
            level=profile.level,
            equipment=list(profile.equipment),
            days_per_week=profile.days_per_week,
            weekdays=list(profile.weekdays),
        ),
        journey=None if found is None else models.Journey(step=found.step, plan_id=found.plan_id),
    )


def _own(uow: UnitOfWork, caller: Caller, now: dt.datetime) -> dict[str, Any]:
    """The arguments of a service reading or changing the caller's own data."""
    return {"uow": uow, "principal": caller.principal, "person_id": caller.user_id, "now": now}


def _journey(uow: UnitOfWork, caller: Caller, now: dt.datetime) -> models.Journey:
    found = onboarding.journey(
        uow=uow, principal=caller.principal, person_id=caller.user_id, now=now
    )
    return models.Journey(step=found.step, plan_id=found.plan_id)


def _outcomes(found: Progress) -> models.Outcomes:
    report = found.report
    startback = found.startback
    return models.Outcomes(
        today=found.today,
        start=found.start,
        has_program=found.has_plan,
        sessions_done=found.totals.sessions,
        tight_moments=found.totals.tight_moments,
        sessions_due=report.adherence.scheduled,
        sessions_done_when_due=report.adherence.done,
        adherence_rate=report.adherence.rate,
        pain_before_sessions=models.PainTrend.model_validate(report.pain.to_dict()),
        changes={
            name: models.ChangeSinceStart.of(change) for name, change in found.changes.items()
        },
        reassessment=models.Reassessment(
            last=found.reassessment.last,
            due_on=found.reassessment.due_on,
            due=found.reassessment.due,
        ),
        startback=None
        if startback is None
        else models.StartBack(
            score=startback.score,
            psychosocial=startback.psychosocial,
            risk=startback.risk.value,
            risk_text=say_startback_risk(startback.risk),
            recommendation=None if startback.recommendation is None else startback.recommendation,
            recommendation_text=None
            if startback.recommendation is None
            else say_recommendation(startback.recommendation),
        ),
    )
