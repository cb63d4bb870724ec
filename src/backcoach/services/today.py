"""Today's page in one call: the program, whether the safety questions are due again, the last
and open sessions, and what to do now (continue, start, check in, or rest with the drills), with
the referral gate worked out once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from backcoach.engine.morning import is_morning_after
from backcoach.services import safety
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.onboarding import active_plan
from backcoach.services.program_pause import PauseView, current_pause
from backcoach.services.programs import ProgramView, program_of
from backcoach.services.safety import Gate
from backcoach.services.training import SessionView, last_session_view, open_session_view
from backcoach.store.db import UnitOfWork


class NextStep(StrEnum):
    """What Today offers first: one of these, always above the program."""

    #: A session was started and not finished: pick it up.
    CONTINUE = "continue"
    #: Four weeks or more away: the safety questions come before the next session.
    SCREEN_AGAIN = "screen_again"
    #: A training day (a planned day today, or one missed since the last session): start.
    START = "start"
    #: Not a training day: the drills for tight moments, a session only if the person insists.
    REST = "rest"
    #: A session was done today: rest, with the drills.
    DONE = "done"
    #: The person paused the program and today is inside the pause: no session is expected.
    PAUSED = "paused"


class CheckIn(StrEnum):
    """The morning check-in on the last session (how the back felt the morning after)."""

    NONE = "none"
    #: Asked the day after the session or later: it decides whether anything moves up.
    DUE = "due"
    #: The session was today: the check-in comes tomorrow morning.
    TOMORROW = "tomorrow"


@dataclass(frozen=True, slots=True)
class TodayView:
    program: ProgramView
    #: OPEN, or RESCREEN when the safety questions are due again before the next session.
    gate: Gate
    last: SessionView | None
    open_session: SessionView | None
    next_step: NextStep
    check_in: CheckIn
    #: The next planned training day from today on (today itself when a session is due).
    next_day: dt.date | None
    #: The pause in force today or coming (None when the program runs on).
    pause: PauseView | None = None


def today_view(
    *, uow: UnitOfWork, principal: Principal, person_id: int, today: dt.date, now: dt.datetime
) -> TodayView | None:
    """None before onboarding ends or while the referral gate is shut (the page sends the
    person to /start), as `training.current_program` does."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    gate = safety.gate(uow=uow, person_id=person_id, today=today)
    # RESCREEN still shows the program: the questions come before the next session starts.
    if gate not in (Gate.OPEN, Gate.RESCREEN):
        return None
    record = active_plan(uow=uow, person_id=person_id)
    if record is None:
        return None
    program = program_of(record)
    last = last_session_view(uow, person_id)
    open_session = open_session_view(uow, person_id)
    due = _session_due(program.plan.schedule, last, today)
    pause = current_pause(uow=uow, principal=principal, person_id=person_id, today=today, now=now)
    paused = pause is not None and pause.covers(today)
    return TodayView(
        program=program,
        gate=gate,
        last=last,
        open_session=open_session,
        next_step=_next_step(gate, open_session, last, today, due=due, paused=paused),
        check_in=_check_in(last, today, now),
        next_day=today if due else _next_planned(program.plan.schedule, today),
        pause=pause,
    )


def _session_due(schedule: tuple[dt.date, ...], last: SessionView | None, today: dt.date) -> bool:
    """A planned day is today, or one passed since the last session without a session (a
    missed day is made up as soon as possible, not skipped to the next planned one)."""
    if last is not None and last.day >= today:
        return False
    return any(day <= today and (last is None or day > last.day) for day in schedule)


def _next_step(
    gate: Gate,
    open_session: SessionView | None,
    last: SessionView | None,
    today: dt.date,
    *,
    due: bool,
    paused: bool,
) -> NextStep:
    if open_session is not None:
        return NextStep.CONTINUE
    # A paused day asks nothing (not even the safety questions, which come before the next
    # session: training during a pause ends it, and the start then checks them).
    if paused:
        return NextStep.PAUSED
    if gate is Gate.RESCREEN:
        return NextStep.SCREEN_AGAIN
    if last is not None and last.day == today:
        return NextStep.DONE
    return NextStep.START if due else NextStep.REST


def _check_in(last: SessionView | None, today: dt.date, now: dt.datetime) -> CheckIn:
    if last is None or last.checked_in_at is not None or last.finished_at is None:
        return CheckIn.NONE
    # The same rule as the check-in itself: the pain answer opens the morning after.
    opens = is_morning_after(
        session_day=last.day, finished_at=last.finished_at, today=today, now=now
    )
    return CheckIn.DUE if opens else CheckIn.TOMORROW


def _next_planned(schedule: tuple[dt.date, ...], today: dt.date) -> dt.date | None:
    return next((day for day in schedule if day > today), None)
