"""The clinical progress report's data: progress, answers, program, decisions and safety.

Every read is bounded: the progress window (services/progress.py), at most `MAX_ANSWERS`
answers and `PLAN_ROWS` stored plans of that window, one screening look-up of each kind.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backcoach.engine.measures import Instrument, StartBackRisk, startback_from_scores
from backcoach.engine.screening import ScreeningOutcome, screen
from backcoach.engine.vocabulary import Decision
from backcoach.reports.progress_data import (
    Answer,
    DecisionEntry,
    ReportData,
    SafetyRecord,
    ScreeningEntry,
    WeekDone,
)
from backcoach.services import safety
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.onboarding import active_plan
from backcoach.services.programs import stored_plan
from backcoach.services.progress import progress
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import Measure, PlanRecord, Screening, User

#: The answers table's length: five questionnaires every two weeks for 12 weeks fit.
MAX_ANSWERS = 40
#: The decisions listed, newest first.
MAX_DECISIONS = 40
#: Stored plans read for them: a finished session and its check-in make two plans each.
PLAN_ROWS = 60
#: The decisions worth a line (with holds that eased off while pain settled, ``ease_off.*``).
CHANGES = frozenset({Decision.PROGRESS, Decision.REGRESS, Decision.SWAP})


def report_data(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    today: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> ReportData:
    """What the progress report for a GP, an insurer or a referral shows about one person."""
    authorize(uow, principal, Action.READ, person_id, what="report", now=now)
    found = progress(
        uow=uow, principal=principal, person_id=person_id, today=today, zone=zone, now=now
    )
    person = uow.session.get_one(User, person_id)
    record = active_plan(uow=uow, person_id=person_id)
    program = stored_plan(record) if record is not None else None
    answers, left_out = _answers(uow, person_id, found.window_start, today)
    older_firsts = [m for m in found.totals.first_measures.values() if m.day < found.window_start]
    baseline = tuple(
        Answer(m.day, m.instrument, m.score)
        for m in sorted(older_firsts, key=lambda m: (m.day, m.instrument))
    )
    return ReportData(
        person=person.email,
        start=found.start,
        today=today,
        window_start=found.window_start,
        outcomes=found.report,
        first_measures=found.totals.first_measures,
        answers=baseline + answers,
        answers_left_out=left_out,
        sessions_done=found.totals.sessions,
        weeks=tuple(WeekDone(w.week_start, w.due, w.done) for w in found.weeks),
        plan=None if program is None else program.plan,
        decided_by={} if program is None else dict(program.decided_by),
        decisions=_decisions(uow, person_id, found.window_start, zone),
        safety=_safety(uow, person, zone),
    )


def _answers(
    uow: UnitOfWork, person_id: int, since: dt.date, today: dt.date
) -> tuple[tuple[Answer, ...], int]:
    """The window's answers, oldest first (the latest `MAX_ANSWERS`), and how many were left."""
    rows = uow.session.execute(
        select(Measure.day, Measure.instrument, Measure.score, Measure.result)
        .where(Measure.user_id == person_id, Measure.day >= since, Measure.day <= today)
        .order_by(Measure.day.desc(), Measure.at.desc(), Measure.id.desc())
        .limit(MAX_ANSWERS + 1)
    ).all()
    answers = [
        Answer(day, instrument, score, _risk(instrument, result))
        for day, instrument, score, result in rows[:MAX_ANSWERS]
    ]
    return tuple(reversed(answers)), len(rows) - len(answers)


def _risk(instrument: str, result: dict[str, object]) -> StartBackRisk | None:
    if instrument != Instrument.STARTBACK or not result:
        return None
    score, psychosocial = result.get("score"), result.get("psychosocial")
    if not isinstance(score, int) or not isinstance(psychosocial, int):
        return None
    return startback_from_scores(score, psychosocial).risk


def _decisions(
    uow: UnitOfWork, person_id: int, since: dt.date, zone: dt.tzinfo
) -> tuple[DecisionEntry, ...]:
    """The changes the window's plans made, newest first: one plan per session (its check-in's
    when it decided again), each exercise that moved, swapped, stepped back or eased off."""
    records = uow.session.scalars(
        select(PlanRecord)
        .where(
            PlanRecord.user_id == person_id,
            PlanRecord.at >= dt.datetime.combine(since, dt.time(), zone),
            PlanRecord.decided_from_session_id.is_not(None),
        )
        .order_by(PlanRecord.at.desc(), PlanRecord.id.desc())
        .limit(PLAN_ROWS)
    )
    entries: list[DecisionEntry] = []
    sessions_seen: set[int | None] = set()
    for record in records:
        if record.decided_from_session_id in sessions_seen:
            continue  # an earlier decision for the same session, decided again since
        sessions_seen.add(record.decided_from_session_id)
        stored = stored_plan(record)
        day = stored.plan.decided_on or record.at.astimezone(zone).date()
        for item in stored.plan.exercises:
            if item.decision in CHANGES or item.code.startswith("ease_off."):
                entries.append(
                    DecisionEntry(
                        day,
                        item.exercise,
                        item.decision,
                        item.reason,
                        stored.decider(item.exercise.id),
                    )
                )
        if len(entries) >= MAX_DECISIONS:
            break
    return tuple(entries[:MAX_DECISIONS])


def _safety(uow: UnitOfWork, person: User, zone: dt.tzinfo) -> SafetyRecord:
    """The latest screening and referral, weighed as the app weighs them, and the clearance;
    their times in the person's zone, so that each is printed on the day the person lived it."""
    latest = safety.latest_screening(uow=uow, person_id=person.id)
    referral = uow.session.scalar(
        select(Screening)
        .where(Screening.user_id == person.id, Screening.refer)
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )
    cleared_at = person.cleared_at
    return SafetyRecord(
        latest=None if latest is None else _entry(latest.row.at, latest.outcome, zone),
        # The referral as it was raised: the signs a later clearance covers are still named.
        referral=None if referral is None else _entry(referral.at, screen(referral.answers), zone),
        referral_open=safety.gate(uow=uow, person_id=person.id) is safety.Gate.REFERRED,
        cleared_at=None if cleared_at is None else cleared_at.astimezone(zone),
        cleared_note=person.cleared_note,
        cleared_by=_recorded_by(uow, person.cleared_by_id),
    )


def _recorded_by(uow: UnitOfWork, coach_id: int | None) -> str | None:
    """Who recorded a clinician's clearance: None when the person confirmed it themselves; the
    coach's name, or "" once that account is gone (the report then says "their coach", never
    that the person confirmed it)."""
    if coach_id is None:
        return None
    row = uow.session.execute(
        select(User.display_name, User.email).where(User.id == coach_id)
    ).first()
    return "" if row is None else (row.display_name or row.email)


def _entry(at: dt.datetime, outcome: ScreeningOutcome, zone: dt.tzinfo) -> ScreeningEntry:
    return ScreeningEntry(at.astimezone(zone), outcome)
