"""Training: a session started, each set saved as it is done, finished, and checked in on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from backcoach.catalogue import default_catalogue
from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.plan import Plan, Referral
from backcoach.engine.progression import decide_next
from backcoach.engine.screening import ScreeningOutcome
from backcoach.engine.vocabulary import Decision, Felt, LegSymptoms
from backcoach.formats.plan import read_plan
from backcoach.services import safety
from backcoach.services.errors import Conflict, Invalid, NotFound
from backcoach.services.onboarding import active_plan, add_plan
from backcoach.services.safety import Gate, add_screening
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import PlanRecord, SetRecord, TrainingSession, User

MAX_SET_NUMBER = 6


class SessionFinished(Conflict):
    """The session is closed: its sets already fed a decision, so they no longer change."""

    def __init__(self) -> None:
        super().__init__("session.finished", field="session")


@dataclass(frozen=True, slots=True)
class SetInput:
    exercise_id: str
    number: int
    amount: int
    felt: Felt
    load_kg: float | None = None
    rir: int | None = None


@dataclass(frozen=True, slots=True)
class NextStep:
    """What the engine decided for one exercise after the last session, and why."""

    decision: Decision
    reason: str
    cue: str = ""
    #: The engine's reason code (e.g. ease_off.pain_flare), "" on plans made before codes.
    code: str = ""


@dataclass(frozen=True, slots=True)
class Program:
    """A stored program read back: the engine's plan and each exercise's latest decision."""

    record: PlanRecord
    plan: Plan
    next_steps: dict[str, NextStep]
    #: What the engine noticed about the whole day when it decided (a flare, a long break).
    day_notes: tuple[str, ...] = ()


def program_of(record: PlanRecord) -> Program:
    # The plan reader keeps only what the engine needs; decisions and cues are read here.
    steps: dict[str, NextStep] = {}
    for item in record.data.get("exercises", []):
        decision = Decision(item.get("decision", Decision.START.value))
        steps[str(item["id"])] = NextStep(
            decision, str(item.get("reason", "")), _text(item, "cue"), _text(item, "code")
        )
    notes = tuple(str(note) for note in record.data.get("day_notes", []))
    return Program(record, read_plan(record.data, default_catalogue()), steps, notes)


def current_program(*, uow: UnitOfWork, user: User) -> Program | None:
    """The active program, or None before onboarding ends or while the referral gate is shut."""
    if safety.gate(uow=uow, user=user) is not Gate.OPEN:
        return None
    record = active_plan(uow=uow, user_id=user.id)
    return program_of(record) if record is not None else None


def open_session(*, uow: UnitOfWork, user: User) -> TrainingSession | None:
    """The session started and not finished, if any (a closed tab comes back to it)."""
    return uow.session.scalar(
        select(TrainingSession)
        .where(TrainingSession.user_id == user.id, TrainingSession.finished_at.is_(None))
        .order_by(TrainingSession.started_at.desc())
        .limit(1)
    )


def start_session(
    *, uow: UnitOfWork, user: User, pain_before: int, today: dt.date, now: dt.datetime
) -> TrainingSession:
    safety.require_open(uow=uow, user=user, today=today)
    existing = open_session(uow=uow, user=user)
    if existing is not None:
        return existing
    plan = active_plan(uow=uow, user_id=user.id)
    if plan is None:
        raise Conflict("program.none", field="plan")
    session = TrainingSession(
        user_id=user.id, plan_id=plan.id, day=today, started_at=now, pain_before=pain_before
    )
    uow.session.add(session)
    uow.commit()
    return session


def log_set(
    *,
    uow: UnitOfWork,
    user: User,
    session_id: int,
    entry: SetInput,
    now: dt.datetime,
    today: dt.date | None = None,
) -> SetRecord:
    """Save one set at once; saving the same set number again corrects it."""
    session = _own_session(uow, user, session_id)
    if session.finished_at is not None:
        raise SessionFinished()
    safety.require_open(uow=uow, user=user, today=today)
    plan = _plan_of(uow, session)
    planned = {item.exercise.id: item for item in plan.exercises}
    if entry.exercise_id not in planned:
        raise Invalid("set.exercise_not_in_program", field="exercise_id")
    if not 1 <= entry.number <= MAX_SET_NUMBER:
        raise Invalid("set.number_out_of_range", field="number", max=MAX_SET_NUMBER)
    record = _save_set(uow, session.id, entry, now)
    uow.commit()
    return record


def _save_set(uow: UnitOfWork, session_id: int, entry: SetInput, now: dt.datetime) -> SetRecord:
    """Insert the set, or correct the one saved under its number, in one statement.

    One upsert rather than a read then an insert: the same set sent twice at once (a phone
    retrying, two servers) must both succeed, and a read-then-insert lets both insert.
    """
    values = {
        "amount": entry.amount,
        "felt": entry.felt.value,
        "at": now,
        "load_kg": entry.load_kg,
        "rir": entry.rir,
    }
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(SetRecord).values(
        session_id=session_id, exercise_id=entry.exercise_id, number=entry.number, **values
    )
    statement = statement.on_conflict_do_update(
        index_elements=["session_id", "exercise_id", "number"], set_=values
    )
    return uow.session.scalars(
        statement.returning(SetRecord), execution_options={"populate_existing": True}
    ).one()


def finish_session(
    *,
    uow: UnitOfWork,
    user: User,
    session_id: int,
    pain_during: int,
    pain_after: int,
    leg_symptoms: LegSymptoms | None = None,
    today: dt.date,
    now: dt.datetime,
) -> Plan | None:
    """Close the session and let the engine decide the next one, provisionally.

    The decision waits for the next-morning answer (the engine holds until it has it), and
    none is made while the referral gate is shut: what was logged is kept either way.
    """
    session = _own_session(uow, user, session_id)
    session.pain_during, session.pain_after = pain_during, pain_after
    if leg_symptoms is not None:
        session.leg_symptoms = leg_symptoms.value
    session.finished_at = session.finished_at or now
    uow.session.flush()
    result = _decide(uow, user, session, today, now)
    uow.commit()
    return result


def check_in(
    *,
    uow: UnitOfWork,
    user: User,
    session_id: int,
    pain_next_morning: int,
    red_flags: dict[str, bool],
    today: dt.date,
    now: dt.datetime,
) -> tuple[ScreeningOutcome, Plan | None]:
    """The next-morning check-in: pain, and the signs that can newly appear asked again.

    It settles the decision made at "finish" for the latest session only: a late check-in
    for an older session is kept in the log and never rewrites the current program.
    """
    session = _own_session(uow, user, session_id)
    session.pain_next_morning = pain_next_morning
    session.checked_in_at = now
    outcome = add_screening(uow=uow, user=user, answers=red_flags, context="check_in", now=now)
    latest = last_finished(uow=uow, user=user)
    settles = latest is not None and latest.id == session.id
    result = _decide(uow, user, session, today, now) if settles and not outcome.refer else None
    uow.commit()
    return outcome, result


def get_session(*, uow: UnitOfWork, user: User, session_id: int) -> TrainingSession:
    """One of this person's sessions; anyone else's raises as if it did not exist."""
    return _own_session(uow, user, session_id)


def session_program(*, uow: UnitOfWork, session: TrainingSession) -> Program:
    """The program this session follows (the one active when it started)."""
    return program_of(_plan_record(uow, session))


def last_finished(*, uow: UnitOfWork, user: User) -> TrainingSession | None:
    """The most recently finished session, to ask for its next-morning check-in."""
    return uow.session.scalar(
        select(TrainingSession)
        .where(TrainingSession.user_id == user.id, TrainingSession.finished_at.is_not(None))
        .order_by(TrainingSession.finished_at.desc(), TrainingSession.id.desc())
        .limit(1)
    )


def sessions_log(
    *, uow: UnitOfWork, user_id: int, until: dt.date | None = None
) -> tuple[SessionLog, ...]:
    """Finished sessions as the engine reads them (up to ``until``, when given), in two
    statements however long the log: the sessions, then all their sets at once."""
    query = (
        select(TrainingSession)
        .where(TrainingSession.user_id == user_id, TrainingSession.finished_at.is_not(None))
        .order_by(TrainingSession.day, TrainingSession.started_at)
        .options(selectinload(TrainingSession.sets))
    )
    if until is not None:
        query = query.where(TrainingSession.day <= until)
    return tuple(_as_log(row) for row in uow.session.scalars(query))


def _decide(
    uow: UnitOfWork, user: User, session: TrainingSession, today: dt.date, now: dt.datetime
) -> Plan | None:
    """Decide the next session, unless the referral gate is shut (then nothing reopens it) or
    the program was built anew since the session started (then its old plan is history)."""
    if safety.gate(uow=uow, user=user) is not Gate.OPEN:
        return None
    active = active_plan(uow=uow, user_id=user.id)
    if active is None or session.id is None:
        return None
    if active.id != session.plan_id and active.decided_from_session_id != session.id:
        return None
    # Decide from the plan this session followed, so the check-in settles the provisional
    # decision made at "finish" rather than deciding on top of it.
    plan = _plan_of(uow, session)
    # The whole log up to today (the engine reads no later day): its pain monitoring, breaks
    # and pace look back across every session, not only this plan's.
    log = sessions_log(uow=uow, user_id=user.id, until=today)
    result = decide_next(plan, log, today, default_catalogue())
    if isinstance(result, Referral):  # pragma: no cover - the web log carries no red flags
        return None
    add_plan(uow=uow, user_id=user.id, plan=result, now=now, decided_from=session.id)
    return result


def _as_log(row: TrainingSession) -> SessionLog:
    by_exercise: dict[str, list[SetLog]] = {}
    for record in row.sets:
        by_exercise.setdefault(record.exercise_id, []).append(
            SetLog(record.amount, Felt(record.felt), record.load_kg, record.rir)
        )
    return SessionLog(
        day=row.day,
        pain_before=row.pain_before,
        pain_during=row.pain_during if row.pain_during is not None else row.pain_before,
        pain_after=row.pain_after if row.pain_after is not None else row.pain_before,
        pain_next_morning=row.pain_next_morning,
        leg_symptoms=LegSymptoms(row.leg_symptoms) if row.leg_symptoms else None,
        exercises=tuple(ExerciseLog(key, tuple(sets)) for key, sets in by_exercise.items()),
    )


def _own_session(uow: UnitOfWork, user: User, session_id: int) -> TrainingSession:
    # An id beyond a 32-bit integer column is no row of ours (and databases refuse to look).
    in_range = 0 < session_id < 2**31
    session = uow.session.get(TrainingSession, session_id) if in_range else None
    if session is None or session.user_id != user.id:
        # Someone else's session looks exactly like a missing one.
        raise NotFound("session.not_found", field="session")
    return session


def _plan_of(uow: UnitOfWork, session: TrainingSession) -> Plan:
    return read_plan(_plan_record(uow, session).data, default_catalogue())


def _plan_record(uow: UnitOfWork, session: TrainingSession) -> PlanRecord:
    record = uow.session.get(PlanRecord, session.plan_id) if session.plan_id else None
    if record is None:
        record = active_plan(uow=uow, user_id=session.user_id)
    if record is None:
        raise Conflict("program.none", field="plan")
    return record


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""
