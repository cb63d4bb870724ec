"""Onboarding: red-flag screening first, then measures, then the profile and the first program."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from backcoach.catalogue import default_catalogue
from backcoach.engine.measures import score_instrument
from backcoach.engine.plan import Plan, Referral
from backcoach.engine.prescription import prescribe
from backcoach.engine.screening import ScreeningOutcome, screen
from backcoach.engine.vocabulary import Equipment
from backcoach.formats.profile import read_profile
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import Measure, PlanRecord, ProfileRecord, Screening, User

#: Measures asked at onboarding; ODI and RMDQ are optional score entry.
REQUIRED_MEASURES = ("nprs", "psfs", "startback")


class Step(StrEnum):
    """Where a person is on the way to a program."""

    SCREENING = "screening"
    REFERRED = "referred"
    MEASURES = "measures"
    PROFILE = "profile"
    READY = "ready"


@dataclass(frozen=True, slots=True)
class Journey:
    step: Step
    screening: Screening | None
    plan: PlanRecord | None


def journey(*, uow: UnitOfWork, user: User) -> Journey:
    """The step a person should see next, from what they have entered."""
    latest = uow.session.scalar(
        select(Screening)
        .where(Screening.user_id == user.id)
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )
    plan = active_plan(uow=uow, user_id=user.id)
    if latest is None:
        return Journey(Step.SCREENING, None, plan)
    if latest.refer and (user.cleared_at is None or user.cleared_at < latest.at):
        return Journey(Step.REFERRED, latest, plan)
    if plan is not None:
        return Journey(Step.READY, latest, plan)
    done = set(uow.session.scalars(select(Measure.instrument).where(Measure.user_id == user.id)))
    if not set(REQUIRED_MEASURES) <= done:
        return Journey(Step.MEASURES, latest, None)
    return Journey(Step.PROFILE, latest, None)


def record_screening(
    *, uow: UnitOfWork, user: User, answers: dict[str, bool], context: str, now: dt.datetime
) -> ScreeningOutcome:
    """Keep the answers and their outcome; a red flag stops the program until cleared."""
    outcome = add_screening(uow=uow, user=user, answers=answers, context=context, now=now)
    uow.commit()
    return outcome


def add_screening(
    *, uow: UnitOfWork, user: User, answers: dict[str, bool], context: str, now: dt.datetime
) -> ScreeningOutcome:
    """Add a screening to the unit of work without committing (part of a larger use case)."""
    outcome = screen(answers)
    uow.session.add(
        Screening(
            user_id=user.id,
            at=now,
            context=context,
            answers=dict(answers),
            refer=outcome.refer,
            urgency=outcome.urgency.value if outcome.urgency else None,
        )
    )
    if outcome.refer:
        for plan in uow.session.scalars(
            select(PlanRecord).where(PlanRecord.user_id == user.id, PlanRecord.active)
        ):
            plan.active = False
    return outcome


def confirm_cleared(*, uow: UnitOfWork, user: User, note: str, now: dt.datetime) -> None:
    """The person says a clinician has seen them and cleared them to exercise."""
    user.cleared_at = now
    user.cleared_note = note.strip()[:500] or None
    uow.commit()


def record_measures(
    *,
    uow: UnitOfWork,
    user: User,
    answers: dict[str, dict[str, Any]],
    today: dt.date,
    now: dt.datetime,
) -> dict[str, dict[str, Any]]:
    """Score several questionnaires; all are kept, or none when one is refused."""
    results = {name: score_instrument(name, given).to_dict() for name, given in answers.items()}
    for name, result in results.items():
        uow.session.add(
            Measure(
                user_id=user.id,
                at=now,
                day=today,
                instrument=name,
                answers=answers[name],
                score=float(result["score"]),
                result=result,
            )
        )
    uow.commit()
    return results


def start_program(
    *, uow: UnitOfWork, user: User, profile: dict[str, Any], today: dt.date, now: dt.datetime
) -> PlanRecord:
    """Save the profile and the program the engine prescribes from it."""
    latest = uow.session.scalar(
        select(Screening)
        .where(Screening.user_id == user.id)
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )
    answers = dict(latest.answers) if latest is not None else {}
    if latest is not None and latest.refer:
        # Cleared by a clinician: the flags were seen; the program is built as if answered no.
        answers = dict.fromkeys(answers, False)
    document = {**profile, "red_flags": answers}
    person = read_profile(document)
    result = prescribe(person, default_catalogue(), today)
    if isinstance(result, Referral):  # pragma: no cover - answers were screened above
        raise ValueError("the profile refers; screening should have stopped here")
    uow.session.add(ProfileRecord(user_id=user.id, at=now, data=document))
    record = add_plan(uow=uow, user_id=user.id, plan=result, now=now)
    uow.commit()
    return record


def add_plan(*, uow: UnitOfWork, user_id: int, plan: Plan, now: dt.datetime) -> PlanRecord:
    """Make ``plan`` the active one (without committing); earlier plans are kept, inactive."""
    for old in uow.session.scalars(
        select(PlanRecord).where(PlanRecord.user_id == user_id, PlanRecord.active)
    ):
        old.active = False
    record = PlanRecord(user_id=user_id, at=now, active=True, data=plan.to_dict())
    uow.session.add(record)
    uow.session.flush()
    return record


def active_plan(*, uow: UnitOfWork, user_id: int) -> PlanRecord | None:
    return uow.session.scalar(
        select(PlanRecord)
        .where(PlanRecord.user_id == user_id, PlanRecord.active)
        .order_by(PlanRecord.at.desc(), PlanRecord.id.desc())
        .limit(1)
    )


def latest_score(*, uow: UnitOfWork, user: User, instrument: str) -> float | None:
    return uow.session.scalar(
        select(Measure.score)
        .where(Measure.user_id == user.id, Measure.instrument == instrument)
        .order_by(Measure.at.desc(), Measure.id.desc())
        .limit(1)
    )


def saved_equipment(*, uow: UnitOfWork, user: User) -> frozenset[Equipment] | None:
    """The kit the person said they have in their latest profile, if they gave one."""
    latest = uow.session.scalar(
        select(ProfileRecord)
        .where(ProfileRecord.user_id == user.id)
        .order_by(ProfileRecord.at.desc(), ProfileRecord.id.desc())
        .limit(1)
    )
    if latest is None:
        return None
    return frozenset(
        Equipment(value) for value in latest.data.get("equipment", []) if value in _KIT_VALUES
    )


_KIT_VALUES = frozenset(kit.value for kit in Equipment)
