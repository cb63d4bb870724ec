"""Onboarding: red-flag screening first, then measures, then the profile and the first program."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from backcoach.catalogue import default_catalogue
from backcoach.engine.measures import score_instrument
from backcoach.engine.overrides import decided_by_coach
from backcoach.engine.plan import Plan, Referral
from backcoach.engine.prescription import prescribe
from backcoach.engine.schedule import around_pause
from backcoach.engine.screening import AGE, PREGNANCY, RED_FLAG_IDS, ScreeningOutcome
from backcoach.engine.vocabulary import Equipment, Pregnancy
from backcoach.formats.profile import read_profile
from backcoach.formats.stored_plan import DecidedBy, write_stored_plan
from backcoach.services import attention, measure_input, safety
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.client_day import zone_of
from backcoach.services.measure_input import MeasuresInput
from backcoach.services.programs import ProgramView, program_of, stored_plan
from backcoach.services.safety import Gate
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import (
    Measure,
    PlanRecord,
    ProfileRecord,
    ProgramPause,
    TrainingSession,
    User,
)

#: Measures needed before a program. STarT Back is asked too, as score entry from a completed
#: form, but a person without one may say so and go on; ODI and RMDQ are optional score entry.
REQUIRED_MEASURES = ("nprs", "psfs")


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
    #: The latest screening weighed with today's rules (None before the first one).
    outcome: ScreeningOutcome | None
    #: The active program's id, once there is one to follow.
    plan_id: int | None


def journey(*, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime) -> Journey:
    """The step a person should see next, from what they have entered."""
    authorize(uow, principal, Action.READ, person_id, what="journey", now=now)
    state = safety.gate(uow=uow, person_id=person_id)
    latest = safety.latest_screening(uow=uow, person_id=person_id)
    outcome = latest.outcome if latest is not None else None
    if state is Gate.SCREENING:
        return Journey(Step.SCREENING, outcome, None)
    if state is Gate.REFERRED:
        return Journey(Step.REFERRED, outcome, None)
    plan = active_plan(uow=uow, person_id=person_id)
    if plan is not None:
        return Journey(Step.READY, outcome, plan.id)
    done = set(uow.session.scalars(select(Measure.instrument).where(Measure.user_id == person_id)))
    if not set(REQUIRED_MEASURES) <= done:
        return Journey(Step.MEASURES, outcome, None)
    return Journey(Step.PROFILE, outcome, None)


def referral(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> ScreeningOutcome | None:
    """What the person was told at the screening that refers them, while it still does."""
    authorize(uow, principal, Action.READ, person_id, what="screening", now=now)
    return safety.open_referral(uow=uow, person_id=person_id)


def record_screening(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    answers: Mapping[str, object],
    today: dt.date,
    now: dt.datetime,
) -> ScreeningOutcome:
    """Keep the answers and their outcome; a red flag stops the program until cleared.

    Every question must be answered (age in whole years, pregnancy, each yes/no question as a
    bool): otherwise `Invalid` names each one left (`safety.answer_problems`) and nothing is kept.

    Asked again while a program runs, a change of age or pregnancy rebuilds the program from
    the saved profile (see `_refresh_program`).
    """
    authorize(uow, principal, Action.WRITE, person_id, what="screening", now=now)
    has_program = active_plan(uow=uow, person_id=person_id) is not None
    context = "rescreen" if has_program else "onboarding"
    outcome = safety.add_screening(
        uow=uow, person_id=person_id, answers=answers, context=context, now=now
    )
    attention.refresh_if_coached(uow, person_id=person_id, today=today, now=now)
    uow.commit()
    if has_program:
        _refresh_program(uow, person_id, today, now)
    return outcome


def confirm_cleared(
    *, uow: UnitOfWork, principal: Principal, person_id: int, note: str, now: dt.datetime
) -> None:
    """The person says a clinician has seen them and cleared them to exercise."""
    authorize(uow, principal, Action.WRITE, person_id, what="clearance", now=now)
    safety.record_clearance(uow=uow, person_id=person_id, now=now)
    uow.session.get_one(User, person_id).cleared_note = note.strip()[:500] or None
    uow.commit()


def record_measures(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    answers: MeasuresInput | Mapping[str, Mapping[str, Any]],
    today: dt.date,
    now: dt.datetime,
) -> dict[str, dict[str, Any]]:
    """Score several questionnaires; all are kept, or none when one is refused.

    The measures as a person enters them (`MeasuresInput`) are checked here, every problem
    raised at once as `Invalid` (`measure_input.checked`); answers already in the engine's
    shapes (an import, a script) are checked by the engine, whose MeasureError names the field.
    """
    authorize(uow, principal, Action.WRITE, person_id, what="measures", now=now)
    if isinstance(answers, MeasuresInput):
        answers = measure_input.checked(answers)
    results = {name: score_instrument(name, given).to_dict() for name, given in answers.items()}
    for name, result in results.items():
        uow.session.add(
            Measure(
                user_id=person_id,
                at=now,
                day=today,
                instrument=name,
                answers=dict(answers[name]),
                score=float(result["score"]),
                result=result,
            )
        )
    attention.refresh_if_coached(uow, person_id=person_id, today=today, now=now)
    uow.commit()
    return results


def start_program(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    profile: Mapping[str, Any],
    today: dt.date,
    now: dt.datetime,
) -> ProgramView:
    """Save the profile and the program the engine prescribes from it.

    Only through an open gate: every safety question answered and no red flag that a
    clinician has not cleared. Age and pregnancy come from the safety questions.
    """
    authorize(uow, principal, Action.WRITE, person_id, what="program", now=now)
    return program_of(_start_program(uow, person_id, profile, today, now))


def _start_program(
    uow: UnitOfWork, person_id: int, profile: Mapping[str, Any], today: dt.date, now: dt.datetime
) -> PlanRecord:
    safety.require_open(uow=uow, person_id=person_id)
    document = {**profile, **screened(uow, person_id)}
    person = read_profile(document)
    result = prescribe(person, default_catalogue(), today)
    if isinstance(result, Referral):  # pragma: no cover - the gate was checked above
        raise safety.ProgramClosed(Gate.SCREENING)
    uow.session.add(ProfileRecord(user_id=person_id, at=now, data=document))
    record = add_plan(uow=uow, person_id=person_id, plan=result, now=now)
    _close_open_sessions(uow, person_id, now)
    uow.commit()
    return record


def _close_open_sessions(uow: UnitOfWork, person_id: int, now: dt.datetime) -> None:
    """A session left open belongs to the old program: close it (its sets are kept), so it can
    neither show the old exercises nor decide on top of the new program."""
    for left_open in uow.session.scalars(
        select(TrainingSession).where(
            TrainingSession.user_id == person_id, TrainingSession.finished_at.is_(None)
        )
    ):
        left_open.finished_at = now


def _refresh_program(
    uow: UnitOfWork, person_id: int, today: dt.date, now: dt.datetime
) -> PlanRecord | None:
    """After the safety questions are answered again: when the answers that shape a program
    (age, pregnancy) changed, re-prescribe it from the saved profile, so that, say, exercises
    lying on the back stop after 12 weeks of pregnancy. None when nothing changed."""
    if safety.gate(uow=uow, person_id=person_id) is not Gate.OPEN:
        return None
    plan = active_plan(uow=uow, person_id=person_id)
    latest = safety.latest_screening(uow=uow, person_id=person_id)
    saved = uow.session.scalar(
        select(ProfileRecord)
        .where(ProfileRecord.user_id == person_id)
        .order_by(ProfileRecord.at.desc(), ProfileRecord.id.desc())
        .limit(1)
    )
    if plan is None or latest is None or saved is None:
        return None
    shaped, answers = stored_plan(plan).plan.profile, screened(uow, person_id)
    pregnancy = shaped.pregnancy.value if shaped.pregnancy else None
    if (shaped.age, pregnancy) == (answers["age"], answers["pregnancy"]):
        return None
    # Re-prescribed, not rebuilt: what still suits the new answers keeps its progress, the rest
    # is swapped and said (engine/replan.py). Imported here: profile_change builds on this module.
    from backcoach.services.profile_change import replan_from

    replan_from(uow, person_id, plan, dict(saved.data), today, now)
    _close_open_sessions(uow, person_id, now)
    uow.commit()
    return active_plan(uow=uow, person_id=person_id)


def screened(uow: UnitOfWork, person_id: int) -> dict[str, Any]:
    """What the safety questions give a program: age, pregnancy and the yes/no answers, with
    the signs a clinician cleared read as "no" (they were seen; the program may go ahead)."""
    latest = safety.latest_screening(uow=uow, person_id=person_id)
    given = dict(latest.row.answers) if latest is not None else {}
    seen = safety.cleared_signs(uow=uow, person_id=person_id)
    flags = {key: value and key not in seen for key, value in given.items() if key in RED_FLAG_IDS}
    pregnancy = given.get(PREGNANCY)
    if pregnancy in seen:  # a clinician gave the go-ahead after the birth
        pregnancy = Pregnancy.NONE.value
    return {"age": given.get(AGE), "pregnancy": pregnancy, "red_flags": flags}


def add_plan(
    *,
    uow: UnitOfWork,
    person_id: int,
    plan: Plan,
    now: dt.datetime,
    decided_from: int | None = None,
) -> PlanRecord:
    """Make ``plan`` the active one (without committing); earlier plans are kept, inactive.

    ``decided_from`` is the session whose finish or check-in decided it; None for a program
    built from the profile.
    """
    _wait_for_other_plan_switches(uow, person_id)
    plan = _kept_paused(uow, person_id, plan, now)
    # The old plan is made inactive by its own statement before the new one is inserted: the
    # database allows one active plan per person (uq_plans_one_active_per_user).
    safety.close_programs(uow=uow, person_id=person_id)
    record = PlanRecord(
        user_id=person_id,
        at=now,
        active=True,
        # Each exercise a coach's override decided (a coach.* code) is kept as the coach's.
        data=write_stored_plan(plan, _deciders(plan)),
        decided_from_session_id=decided_from,
    )
    uow.session.add(record)
    uow.session.flush()
    return record


def _kept_paused(uow: UnitOfWork, person_id: int, plan: Plan, now: dt.datetime) -> Plan:
    """The plan without the days of a pause still ahead or in force (services/program_pause.py),
    whatever made it: a decision after a session trained before the pause, a coach's change, a
    new profile. A session trained on or after the pause's first day has ended it."""
    pause = uow.session.scalar(
        select(ProgramPause)
        .where(ProgramPause.user_id == person_id, ProgramPause.resumed_at.is_(None))
        .order_by(ProgramPause.made_at.desc(), ProgramPause.id.desc())
        .limit(1)
    )
    if pause is None:
        return plan
    # Over once the person's own day (their zone, else UTC) is past its end, not the server's.
    if (
        pause.ends_on is not None
        and pause.ends_on < now.astimezone(zone_of(uow, person_id, attention.UTC)).date()
    ):
        return plan
    trained_since = uow.session.scalar(
        select(TrainingSession.id)
        .where(
            TrainingSession.user_id == person_id,
            TrainingSession.started_at > pause.made_at,
            TrainingSession.day >= pause.starts_on,
        )
        .limit(1)
    )
    if trained_since is not None:
        return plan
    days, weekdays = plan.profile.days_per_week, plan.profile.weekdays
    schedule = around_pause(plan.schedule, pause.starts_on, pause.ends_on, days, weekdays)
    return plan if schedule == plan.schedule else replace(plan, schedule=schedule)


def _deciders(plan: Plan) -> dict[str, DecidedBy]:
    return {key: DecidedBy("coach", coach) for key, coach in decided_by_coach(plan).items()}


def _wait_for_other_plan_switches(uow: UnitOfWork, person_id: int) -> None:
    """On PostgreSQL, lock the person's row until commit, so that two transactions switching
    their plan at once take turns: the later then sees the earlier's new plan and makes it
    inactive, instead of breaking the one-active-plan index. (FOR NO KEY UPDATE: rows that
    only refer to the person, such as a screening being added, are not held up.) SQLite lets
    one transaction write at a time already."""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(
            select(User.id).where(User.id == person_id).with_for_update(key_share=True)
        )


def active_plan(*, uow: UnitOfWork, person_id: int) -> PlanRecord | None:
    """The active plan's row, for the services (the doors get a `ProgramView`)."""
    return uow.session.scalar(
        select(PlanRecord)
        .where(PlanRecord.user_id == person_id, PlanRecord.active)
        .order_by(PlanRecord.at.desc(), PlanRecord.id.desc())
        .limit(1)
    )


def latest_score(
    *, uow: UnitOfWork, principal: Principal, person_id: int, instrument: str, now: dt.datetime
) -> float | None:
    authorize(uow, principal, Action.READ, person_id, what="measures", now=now)
    return uow.session.scalar(
        select(Measure.score)
        .where(Measure.user_id == person_id, Measure.instrument == instrument)
        .order_by(Measure.at.desc(), Measure.id.desc())
        .limit(1)
    )


def saved_equipment(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> frozenset[Equipment] | None:
    """The kit the person said they have in their latest profile, if they gave one."""
    authorize(uow, principal, Action.READ, person_id, what="profile", now=now)
    latest = uow.session.scalar(
        select(ProfileRecord)
        .where(ProfileRecord.user_id == person_id)
        .order_by(ProfileRecord.at.desc(), ProfileRecord.id.desc())
        .limit(1)
    )
    if latest is None:
        return None
    return frozenset(
        Equipment(value) for value in latest.data.get("equipment", []) if value in _KIT_VALUES
    )


_KIT_VALUES = frozenset(kit.value for kit in Equipment)
