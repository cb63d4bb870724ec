"""Training: a session started, each set saved as it is done, finished, and checked in on.

Each public use case takes who acts (``principal``) and whose data (``person_id``), asks
`authorize` first, and answers with plain views (`SessionView`, `SetView`, `ProgramView`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from backcoach.catalogue import default_catalogue
from backcoach.engine.log import VERY_HIGH_PAIN_BEFORE
from backcoach.engine.morning import is_morning_after
from backcoach.engine.plan import Plan, Referral
from backcoach.engine.progression import decide_next
from backcoach.engine.screening import ScreeningOutcome
from backcoach.engine.stops import after_stops
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.services import attention, safety, stop_log
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.errors import Conflict, Invalid, NotFound
from backcoach.services.onboarding import active_plan, add_plan
from backcoach.services.overrides import active_overrides, with_coach_days
from backcoach.services.programs import ProgramView, program_of, stored_plan
from backcoach.services.safety import Gate, add_screening
from backcoach.services.session_logs import recent_log
from backcoach.services.sets import SetInput, SetView, checked, set_view
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import PlanRecord, SetRecord, TrainingSession

#: Pain is rated on the 0-10 numeric scale (NPRS) before, during, after and the next morning.
MAX_PAIN = 10


class SessionFinished(Conflict):
    """The session is closed: its sets already fed a decision, so they no longer change."""

    def __init__(self) -> None:
        super().__init__("session.finished", field="session")


@dataclass(frozen=True, slots=True)
class SessionView:
    """One session as kept: its pains, leg symptoms, times and saved sets."""

    id: int
    plan_id: int | None
    day: dt.date
    started_at: dt.datetime
    finished_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    pain_before: int
    pain_during: int | None
    pain_after: int | None
    pain_next_morning: int | None
    leg_symptoms: LegSymptoms | None
    sets: tuple[SetView, ...]


def current_program(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> ProgramView | None:
    """The active program, or None before onboarding ends or while the referral gate is shut."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    if safety.gate(uow=uow, person_id=person_id) is not Gate.OPEN:
        return None
    record = active_plan(uow=uow, person_id=person_id)
    return program_of(record) if record is not None else None


def open_session(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> SessionView | None:
    """The session started and not finished, if any (a closed tab comes back to it)."""
    authorize(uow, principal, Action.READ, person_id, what="session", now=now)
    return open_session_view(uow, person_id)


def open_session_view(uow: UnitOfWork, person_id: int) -> SessionView | None:
    """For the services, after `authorize`."""
    return _view_of(uow, _open_session_query(person_id))


def last_session_view(uow: UnitOfWork, person_id: int) -> SessionView | None:
    """The most recently finished session; for the services, after `authorize`."""
    return _view_of(uow, _last_finished_query(person_id))


def _view_of(uow: UnitOfWork, query: Select[TrainingSession]) -> SessionView | None:
    # The session and its sets in one statement: a view reads every set anyway.
    row = uow.session.scalars(query.options(joinedload(TrainingSession.sets))).unique().first()
    return _view(row) if row is not None else None


def start_session(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    pain_before: int,
    today: dt.date,
    now: dt.datetime,
) -> SessionView:
    """Start a session (or come back to the one left open) on the active program."""
    authorize(uow, principal, Action.WRITE, person_id, what="session", now=now)
    _check_pains(pain_before=pain_before)
    safety.require_open(uow=uow, person_id=person_id, today=today)
    existing = _open_session(uow, person_id)
    plan = active_plan(uow=uow, person_id=person_id)
    if existing is not None and _left_empty(uow, existing, today) and plan is not None:
        # Left on an earlier day with nothing saved (it could not be finished: no sets): it
        # never happened, so it starts again today rather than carrying that day's pain.
        existing.day, existing.started_at, existing.pain_before = today, now, pain_before
        existing.plan_id = plan.id
        uow.commit()
    if existing is not None:
        return _view(existing)
    if plan is None:
        raise Conflict("program.none", field="plan")
    session = TrainingSession(
        user_id=person_id, plan_id=plan.id, day=today, started_at=now, pain_before=pain_before
    )
    uow.session.add(session)
    uow.commit()
    return _view(session)


def log_set(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    session_id: int,
    entry: SetInput,
    now: dt.datetime,
    today: dt.date | None = None,
) -> SetView:
    """Save one set at once; saving the same set number again corrects it. The set's rules
    (`sets.checked`) are checked here, once, against the program the session follows."""
    authorize(uow, principal, Action.WRITE, person_id, what="set", now=now)
    session = _own_session(uow, person_id, session_id)
    if session.finished_at is not None:
        raise SessionFinished()
    safety.require_open(uow=uow, person_id=person_id, today=today)
    # The easier rung done instead of a stopped exercise is checked against its own dose.
    plan = stop_log.with_swaps(
        _plan_of(uow, session), stop_log.session_stops(uow, session.id), today or session.day
    )
    entry = checked(entry, plan)
    # Never before the session began, whatever a phone's clock said (client_operations.placed_at).
    record = _save_set(uow, session.id, entry, max(now, session.started_at))
    uow.commit()
    return set_view(record)


def _save_set(uow: UnitOfWork, session_id: int, entry: SetInput, now: dt.datetime) -> SetRecord:
    """Insert the set, or correct the one saved under its number, in one statement.

    One upsert rather than a read then an insert: the same set sent twice at once (a phone
    retrying, two servers) must both succeed, and a read-then-insert lets both insert.
    """
    values = {
        "amount": entry.amount,
        "felt": Felt(entry.felt).value,
        "at": now,
        "load_kg": entry.load_kg,
        "rir": entry.rir,
        "camera_reps": entry.camera_reps,
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
    principal: Principal,
    person_id: int,
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
    authorize(uow, principal, Action.WRITE, person_id, what="session", now=now)
    _check_pains(pain_during=pain_during, pain_after=pain_after)
    session = _own_session(uow, person_id, session_id)
    session.pain_during, session.pain_after = pain_during, pain_after
    if leg_symptoms is not None:
        session.leg_symptoms = leg_symptoms.value
    session.finished_at = session.finished_at or ended_at(_view(session), now)
    uow.session.flush()
    result = _decide(uow, person_id, session, today, now)
    attention.refresh_if_coached(uow, person_id=person_id, today=today, now=now)
    uow.commit()
    return result


def check_in(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    session_id: int,
    pain_next_morning: int | None,
    red_flags: dict[str, bool],
    today: dt.date,
    now: dt.datetime,
) -> tuple[ScreeningOutcome, Plan | None]:
    """The next-morning check-in: pain, and the signs that can newly appear asked again.

    It settles the decision made at "finish" for the latest session only: a late check-in
    for an older session is kept in the log and never rewrites the current program.

    Before the morning after (`is_morning_after`) the pain says nothing about the session's
    effect: it is never kept and settles nothing, and the check-in stays open. The warning
    signs may appear at any time, so their answers are recorded then (a "yes" refers at once);
    a pain sent that early with no sign is refused whole (`check_in.too_early`), nothing kept.
    ``pain_next_morning`` None sends the warning signs alone, which only that early may do.
    """
    authorize(uow, principal, Action.WRITE, person_id, what="check_in", now=now)
    if pain_next_morning is not None:
        _check_pains(pain_next_morning=pain_next_morning)
    session = _own_session(uow, person_id, session_id)
    if session.finished_at is None:
        raise Conflict("session.not_finished", field="session")
    if not is_morning_after(
        session_day=session.day, finished_at=session.finished_at, today=today, now=now
    ):
        # An unanswered question is named first, as at any time (a blank is never a "no").
        problems = safety.answer_problems(red_flags, check_in=True)
        if problems:
            raise Invalid.all_of(problems)
        if pain_next_morning is not None and not any(red_flags.values()):
            raise Invalid("check_in.too_early", field="pain_next_morning")
        outcome = add_screening(
            uow=uow, person_id=person_id, answers=red_flags, context="check_in", now=now
        )
        attention.refresh_if_coached(uow, person_id=person_id, today=today, now=now)
        uow.commit()
        return outcome, None
    if pain_next_morning is None:
        raise Invalid("nprs.missing", field="pain_next_morning")
    session.pain_next_morning = pain_next_morning
    session.checked_in_at = now
    outcome = add_screening(
        uow=uow, person_id=person_id, answers=red_flags, context="check_in", now=now
    )
    result = None if outcome.refer else _decide(uow, person_id, session, today, now)
    attention.refresh_if_coached(uow, person_id=person_id, today=today, now=now)
    uow.commit()
    return outcome, result


def ended_at(session: SessionView, now: dt.datetime) -> dt.datetime:
    """When a session finishing ``now`` ended: never before it began nor before a set of it,
    whatever a phone's clock said (client_operations.placed_at). The morning rule counts from
    here (engine/morning.py)."""
    return max([now, session.started_at, *(saved.at for saved in session.sets)])


def get_session(
    *, uow: UnitOfWork, principal: Principal, person_id: int, session_id: int, now: dt.datetime
) -> SessionView:
    """One of this person's sessions; anyone else's raises as if it did not exist."""
    authorize(uow, principal, Action.READ, person_id, what="session", now=now)
    return _view(_own_session(uow, person_id, session_id))


def session_program(
    *, uow: UnitOfWork, principal: Principal, person_id: int, session_id: int, now: dt.datetime
) -> ProgramView:
    """The program this session follows (the one active when it started)."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    return program_of(_plan_record(uow, _own_session(uow, person_id, session_id)))


def last_finished(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> SessionView | None:
    """The most recently finished session, to ask for its next-morning check-in."""
    authorize(uow, principal, Action.READ, person_id, what="session", now=now)
    return last_session_view(uow, person_id)


def _check_pains(**pains: int) -> None:
    """Refuse any pain outside 0-10, naming each field (one `Invalid` for them all)."""
    problems = [
        Invalid("pain.out_of_range", field=name, min=0, max=MAX_PAIN)
        for name, value in pains.items()
        if not 0 <= value <= MAX_PAIN
    ]
    if problems:
        raise Invalid.all_of(problems)


def _open_session(uow: UnitOfWork, person_id: int) -> TrainingSession | None:
    return uow.session.scalar(_open_session_query(person_id))


def _last_finished(uow: UnitOfWork, person_id: int) -> TrainingSession | None:
    return uow.session.scalar(_last_finished_query(person_id))


def _open_session_query(person_id: int) -> Select[TrainingSession]:
    return (
        select(TrainingSession)
        .where(TrainingSession.user_id == person_id, TrainingSession.finished_at.is_(None))
        .order_by(TrainingSession.started_at.desc())
        .limit(1)
    )


def _last_finished_query(person_id: int) -> Select[TrainingSession]:
    return (
        select(TrainingSession)
        .where(TrainingSession.user_id == person_id, TrainingSession.finished_at.is_not(None))
        .order_by(TrainingSession.finished_at.desc(), TrainingSession.id.desc())
        .limit(1)
    )


def _decide(
    uow: UnitOfWork, person_id: int, session: TrainingSession, today: dt.date, now: dt.datetime
) -> Plan | None:
    """The one place a session's decision is settled (at its finish, then at its check-in).

    Only the latest finished session may change the current program: a late check-in or a
    second finish for an older one is kept in the log and decides nothing. Nothing is decided
    either while the referral gate is shut (nothing reopens it) or when the program was built
    anew since the session started (its old plan is history).
    """
    if safety.gate(uow=uow, person_id=person_id) is not Gate.OPEN:
        return None
    latest = _last_finished(uow, person_id)
    if latest is None or latest.id != session.id:
        return None
    active = active_plan(uow=uow, person_id=person_id)
    if active is None:
        return None
    if active.id != session.plan_id and active.decided_from_session_id != session.id:
        return None
    # Decide from the plan this session followed, so the check-in settles the provisional
    # decision made at "finish" rather than deciding on top of it.
    plan = _plan_of(uow, session)
    # What the engine reads of the log up to today: four weeks of every session (not only
    # this plan's), so a decision costs the same after ten sessions or a thousand.
    log = recent_log(uow=uow, person_id=person_id, today=today)
    # The coach's overrides in force are constraints the decision keeps (never undoes).
    coach = active_overrides(uow=uow, client_id=person_id)
    result = decide_next(plan, log, today, default_catalogue(), overrides=coach)
    if isinstance(result, Referral):  # pragma: no cover - the web log carries no red flags
        return None
    # Rule 7a: an exercise stopped in the player ("this hurts") never moves up on older sets.
    stops = stop_log.recent_stops(uow, person_id, today)
    result = after_stops(plan, result, stops, default_catalogue(), today)
    result = with_coach_days(result, coach)
    add_plan(uow=uow, person_id=person_id, plan=result, now=now, decided_from=session.id)
    return result


def _view(row: TrainingSession) -> SessionView:
    return SessionView(
        **session_fields(row),
        plan_id=row.plan_id,
        sets=tuple(set_view(record) for record in row.sets),
    )


def session_fields(row: TrainingSession) -> dict[str, Any]:
    """What every view of a session carries (this module's and services/session_list.py's)."""
    return {
        "id": row.id,
        "day": row.day,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "checked_in_at": row.checked_in_at,
        "pain_before": row.pain_before,
        "pain_during": row.pain_during,
        "pain_after": row.pain_after,
        "pain_next_morning": row.pain_next_morning,
        "leg_symptoms": LegSymptoms(row.leg_symptoms) if row.leg_symptoms else None,
    }


def _left_empty(uow: UnitOfWork, session: TrainingSession, today: dt.date) -> bool:
    """Open since an earlier day with nothing to finish (no set, no stop, and an ordinary pain
    before it): a very high pain is kept, for the session to be finished with it."""
    return (
        session.day < today
        and not session.sets
        and session.pain_before < VERY_HIGH_PAIN_BEFORE
        and not stop_log.has_stops(uow, session.id)
    )


def own_session_row(uow: UnitOfWork, person_id: int, session_id: int) -> TrainingSession:
    """For the services, after `authorize`: this person's session, or `NotFound`."""
    return _own_session(uow, person_id, session_id)


def plan_of_session(uow: UnitOfWork, session: TrainingSession) -> Plan:
    """For the services: the plan a session follows."""
    return _plan_of(uow, session)


def _own_session(uow: UnitOfWork, person_id: int, session_id: int) -> TrainingSession:
    # An id beyond a 32-bit integer column is no row of ours (and databases refuse to look).
    in_range = 0 < session_id < 2**31
    session = uow.session.get(TrainingSession, session_id) if in_range else None
    if session is None or session.user_id != person_id:
        # Someone else's session looks exactly like a missing one.
        raise NotFound("session.not_found", field="session")
    return session


def _plan_of(uow: UnitOfWork, session: TrainingSession) -> Plan:
    return stored_plan(_plan_record(uow, session)).plan


def _plan_record(uow: UnitOfWork, session: TrainingSession) -> PlanRecord:
    record = uow.session.get(PlanRecord, session.plan_id) if session.plan_id else None
    if record is None:
        record = active_plan(uow=uow, person_id=session.user_id)
    if record is None:
        raise Conflict("program.none", field="plan")
    return record
