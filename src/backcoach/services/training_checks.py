"""The checks the training pages make before calling the training services, as use cases of
their own, so that a program (the API) gets the same answers without a page's redirects:

- a set names the kind of its amount (reps, seconds or steps), and it must be the one the
  exercise is dosed by;
- a finished session is not finished again: the first finish stands (the page shows it done);
- a session is finished only when something happened in it (`has_something_to_finish`): a set
  saved, an exercise stopped because it hurt or could not be done, or a pain before it so high
  that the method asks for the drills only. An empty session on an ordinary day trained nothing
  and must not count as a session done; the other two must be finished, so that their pain and
  leg symptoms reach the engine, the next-morning check-in (which asks the warning signs again)
  and the coach;
- the next-morning check-in is for a finished session (the page sends the person back to it).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from backcoach.catalogue import default_catalogue
from backcoach.engine.log import VERY_HIGH_PAIN_BEFORE
from backcoach.engine.plan import Plan
from backcoach.engine.screening import ScreeningOutcome
from backcoach.engine.vocabulary import DoseType, LegSymptoms
from backcoach.services import stop_log, training
from backcoach.services.access import Principal
from backcoach.services.errors import Conflict, Invalid
from backcoach.services.sets import SetInput, SetView
from backcoach.services.training import SessionFinished
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import TrainingSession


def log_dosed_set(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    session_id: int,
    entry: SetInput,
    kind: DoseType,
    now: dt.datetime,
    today: dt.date,
) -> SetView:
    """Save one set (`training.log_set`) whose amount is counted in ``kind``.

    The unit is checked with the rest of the input, before the session: an exercise is dosed
    in the unit its catalogue entry says, in every program (one not in the program is refused
    by `training.log_set`)."""
    catalogue = default_catalogue()
    if entry.exercise_id in catalogue:
        dose = catalogue.get(entry.exercise_id).dose
        if dose is not kind:
            raise Invalid("set.kind_not_dose", field="kind", dose=dose.value)
    return training.log_set(
        uow=uow,
        principal=principal,
        person_id=person_id,
        session_id=session_id,
        entry=entry,
        now=now,
        today=today,
    )


def finish_once(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    session_id: int,
    pain_during: int,
    pain_after: int,
    leg_symptoms: LegSymptoms,
    today: dt.date,
    now: dt.datetime,
) -> tuple[training.SessionView, Plan | None]:
    """Finish a session not yet finished (`training.finish_session`) that has a set saved
    (`session.no_sets` otherwise, as `finish_trained`); the session as it is now, and the
    decision (None while the referral gate is shut)."""
    session = training.get_session(
        uow=uow, principal=principal, person_id=person_id, session_id=session_id, now=now
    )
    if session.finished_at is not None:
        raise SessionFinished()
    if not has_something_to_finish(uow, session):  # as the pages' finish (`finish_trained`)
        raise Conflict("session.no_sets", field="session")
    # Claimed in one statement, not read then written: of two finishes at once (two devices,
    # other ids), the second waits for the first's row and then finds it finished.
    claimed = uow.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session_id, TrainingSession.finished_at.is_(None))
        .values(finished_at=training.ended_at(session, now))
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise SessionFinished()
    uow.session.expire_all()  # the session's row as the claim left it
    decided = training.finish_session(
        uow=uow,
        principal=principal,
        person_id=person_id,
        session_id=session_id,
        pain_during=pain_during,
        pain_after=pain_after,
        leg_symptoms=leg_symptoms,
        today=today,
        now=now,
    )
    finished = training.get_session(
        uow=uow, principal=principal, person_id=person_id, session_id=session_id, now=now
    )
    return finished, decided


def finish_trained(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    session_id: int,
    pain_during: int,
    pain_after: int,
    leg_symptoms: LegSymptoms | None,
    today: dt.date,
    now: dt.datetime,
) -> Plan | None:
    """Finish a session (`training.finish_session`) that has at least one set saved.

    A session with none is refused (`session.no_sets`), not closed: every count of sessions
    done (the calendar, progress, the coach's pages, adherence, M7) reads a finished session
    as one trained, and the pain-monitoring rules have no training response to read from it.
    It stays open: a set saved later finishes it, and on another day it starts afresh.
    """
    session = training.get_session(
        uow=uow, principal=principal, person_id=person_id, session_id=session_id, now=now
    )
    if not has_something_to_finish(uow, session):
        raise Conflict("session.no_sets", field="session")
    return training.finish_session(
        uow=uow,
        principal=principal,
        person_id=person_id,
        session_id=session_id,
        pain_during=pain_during,
        pain_after=pain_after,
        leg_symptoms=leg_symptoms,
        today=today,
        now=now,
    )


def check_in_after_finish(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    session_id: int,
    pain_next_morning: int,
    red_flags: dict[str, bool],
    today: dt.date,
    now: dt.datetime,
) -> tuple[ScreeningOutcome, Plan | None]:
    """The next-morning check-in (`training.check_in`) of a finished session."""
    session = training.get_session(
        uow=uow, principal=principal, person_id=person_id, session_id=session_id, now=now
    )
    if session.finished_at is None:
        raise Conflict("session.not_finished", field="session")
    return training.check_in(
        uow=uow,
        principal=principal,
        person_id=person_id,
        session_id=session_id,
        pain_next_morning=pain_next_morning,
        red_flags=red_flags,
        today=today,
        now=now,
    )


def has_something_to_finish(uow: UnitOfWork, session: training.SessionView) -> bool:
    """A set saved, an exercise stopped (it hurt, or could not be done), or a pain before the
    session so high that the method asked for the drills only: the pains of such a day must
    reach the engine and the check-in. An empty session on an ordinary day has nothing."""
    return (
        bool(session.sets)
        or session.pain_before >= VERY_HIGH_PAIN_BEFORE
        or stop_log.has_stops(uow, session.id)
    )
