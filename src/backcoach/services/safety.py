"""Safety: screenings kept with their outcome, the referral gate, and when to ask again.

The gate is the one rule every path that builds, shows or extends a program goes through: a
person whose latest screening refers (and who has not been cleared since), or who has not
answered every safety question, gets no program, no session and no handout.

`program_gate` is the use case the doors call; the other functions take a ``person_id`` alone
and are for the services, which call them after `authorize`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, func, select, update

from backcoach.engine.red_flags import MAX_AGE, MIN_AGE
from backcoach.engine.screening import (
    AGE,
    CHECK_IN_IDS,
    PREGNANCY,
    QUESTION_IDS,
    RED_FLAGS,
    ScreeningOutcome,
    Status,
    carry_clearance,
    screen,
)
from backcoach.engine.vocabulary import Pregnancy
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.errors import Conflict, Invalid
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import CoachLink, PlanRecord, Screening, TrainingSession, User

#: After a break this long, the safety questions are asked again before the next session.
RESCREEN_AFTER_DAYS = 28
#: While pregnant or just after birth, the questions come again this often (our choice).
PREGNANCY_EVERY_DAYS = 14


class Gate(StrEnum):
    """Why no program can be shown or trained now; OPEN when it can."""

    OPEN = "open"
    SCREENING = "screening"  # never screened, or a question is unanswered
    REFERRED = "referred"  # a red flag, not cleared by a clinician since
    RESCREEN = "rescreen"  # a long break: ask the questions again before the next session


class ProgramClosed(Conflict):
    """The referral gate is shut: no program, session or handout until it opens.

    Its code names the gate (``program.referred`` ...), so each door can say what to do next.
    """

    def __init__(self, gate: Gate) -> None:
        super().__init__(f"program.{gate.value}", field="program")
        self.gate = gate


@dataclass(frozen=True, slots=True)
class Latest:
    """The person's latest screening, read back and weighed again."""

    row: Screening
    outcome: ScreeningOutcome


def latest_screening(*, uow: UnitOfWork, person_id: int) -> Latest | None:
    row = uow.session.scalar(
        select(Screening)
        .where(Screening.user_id == person_id)
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    # Weighed again with today's rules: a question added since is unanswered, never "no".
    return Latest(row, screen(row.answers, cleared=cleared_signs(uow=uow, person_id=person_id)))


def gate(*, uow: UnitOfWork, person_id: int, today: dt.date | None = None) -> Gate:
    """Whether a program may be shown and trained (and, given today, whether to ask again)."""
    latest = latest_screening(uow=uow, person_id=person_id)
    if latest is None:
        return Gate.SCREENING
    # Any referral keeps referring until a clearance is recorded after it: a later screening
    # that raises nothing (a check-in answered "no") does not reopen the program.
    person = uow.session.get_one(User, person_id)
    if uow.session.scalar(_referrals_since_clearance(person).limit(1)) is not None:
        return Gate.REFERRED
    if latest.outcome.status is Status.INCOMPLETE:
        return Gate.SCREENING
    if latest.outcome.refer:
        return Gate.REFERRED
    if today is not None and rescreen_due(uow=uow, person_id=person_id, today=today):
        return Gate.RESCREEN
    return Gate.OPEN


def program_gate(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    now: dt.datetime,
    today: dt.date | None = None,
) -> Gate:
    """Whether the person's program may be shown and trained now (given today, whether the
    questions are due again first)."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    return gate(uow=uow, person_id=person_id, today=today)


def require_open(*, uow: UnitOfWork, person_id: int, today: dt.date | None = None) -> None:
    """Raise ProgramClosed unless the gate is open."""
    state = gate(uow=uow, person_id=person_id, today=today)
    if state is not Gate.OPEN:
        raise ProgramClosed(state)


def open_referral(*, uow: UnitOfWork, person_id: int) -> ScreeningOutcome | None:
    """The outcome of the screening that keeps referring (the latest that referred), if any."""
    if gate(uow=uow, person_id=person_id) is not Gate.REFERRED:
        return None
    row = uow.session.scalar(
        select(Screening)
        .where(Screening.user_id == person_id, Screening.refer)
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )
    if row is None:  # referred by today's rules on a screening stored before them
        latest = latest_screening(uow=uow, person_id=person_id)
        return None if latest is None else latest.outcome
    return screen(row.answers, cleared=cleared_signs(uow=uow, person_id=person_id))


def rescreen_due(*, uow: UnitOfWork, person_id: int, today: dt.date) -> bool:
    """True when the safety questions are due again before the next session: after a break of
    28 days or more since the last session or full screening, and every 14 days while pregnant
    or in the 12 weeks after birth (the answer that shapes the program changes with time)."""
    last_session = uow.session.scalar(
        select(func.max(TrainingSession.day)).where(TrainingSession.user_id == person_id)
    )
    full = _latest_full(uow, person_id)
    last_full = full.at.date() if full is not None else None
    days = [day for day in (last_session, last_full) if day]
    if days and (today - max(days)).days >= RESCREEN_AFTER_DAYS:
        return True
    changing = full is not None and full.answers.get(PREGNANCY) not in (None, Pregnancy.NONE.value)
    return changing and last_full is not None and (today - last_full).days >= PREGNANCY_EVERY_DAYS


def cleared_signs(*, uow: UnitOfWork, person_id: int) -> frozenset[str]:
    """The signs a clearance still covers: those of the screening the clinician cleared, while
    answered "yes" at every screening since (engine carry_clearance)."""
    cleared = _cleared_screening(uow, uow.session.get_one(User, person_id))
    if cleared is None:
        return frozenset()
    later = uow.session.scalars(
        select(Screening.answers)
        .where(Screening.user_id == person_id, Screening.id > cleared.id)
        .order_by(Screening.id)
    )
    return carry_clearance(screen(cleared.answers).raised, list(later))


def record_clearance(
    *, uow: UnitOfWork, person_id: int, now: dt.datetime, by_coach: int | None = None
) -> None:
    """Keep which referral the clinician cleared (without committing).

    While a coach looks after the person, the coach records it (``by_coach``, their id): the
    person's own word is refused (`clearance.by_coach`; docs/clinical-rules.md, "Clearance").
    """
    if by_coach is None and coach_linked(uow=uow, person_id=person_id):
        raise Conflict("clearance.by_coach", field="confirm")
    covered = uow.session.scalar(
        select(Screening.id)
        .where(Screening.user_id == person_id, Screening.refer)
        .order_by(Screening.id.desc())
        .limit(1)
    )
    person = uow.session.get_one(User, person_id)
    person.cleared_at = now
    person.cleared_screening_id = covered
    person.cleared_by_id = by_coach


def coach_linked(*, uow: UnitOfWork, person_id: int) -> bool:
    """Whether a coach looks after the person now (an open link)."""
    found = uow.session.scalar(
        select(CoachLink.id)
        .where(CoachLink.client_id == person_id, CoachLink.ended_at.is_(None))
        .limit(1)
    )
    return found is not None


def _cleared_screening(uow: UnitOfWork, user: User) -> Screening | None:
    if user.cleared_screening_id is not None:
        return uow.session.get(Screening, user.cleared_screening_id)
    if user.cleared_at is None:
        return None
    # Cleared before the screening id was kept: the latest referral up to the clearance.
    return uow.session.scalar(
        select(Screening)
        .where(Screening.user_id == user.id, Screening.refer, Screening.at <= user.cleared_at)
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )


def _referrals_since_clearance(user: User) -> Select[int]:
    query = select(Screening.id).where(Screening.user_id == user.id, Screening.refer)
    if user.cleared_screening_id is not None:
        return query.where(Screening.id > user.cleared_screening_id)
    if user.cleared_at is not None:
        return query.where(Screening.at > user.cleared_at)
    return query


def _latest_full(uow: UnitOfWork, person_id: int) -> Screening | None:
    return uow.session.scalar(
        select(Screening)
        .where(Screening.user_id == person_id, Screening.context != "check_in")
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )


def baseline_answers(*, uow: UnitOfWork, person_id: int) -> dict[str, object]:
    """The answers of the latest full screening (onboarding or asked again), for a check-in."""
    row = _latest_full(uow, person_id)
    return {} if row is None else dict(row.answers)


def add_screening(
    *,
    uow: UnitOfWork,
    person_id: int,
    answers: Mapping[str, object],
    context: str,
    now: dt.datetime,
) -> ScreeningOutcome:
    """Weigh and keep a screening (without committing); a referral closes the program.

    A check-in answers only the signs that can newly appear; the rest come from the latest
    full screening, so combinations (e.g. a history of cancer with new night pain) still count.
    """
    given = checked_answers(answers, check_in=context == "check_in")
    if context == "check_in":
        given = {**baseline_answers(uow=uow, person_id=person_id), **given}
    outcome = screen(given, asked=QUESTION_IDS, cleared=cleared_signs(uow=uow, person_id=person_id))
    uow.session.add(
        Screening(
            user_id=person_id,
            at=now,
            context=context,
            answers=given,
            refer=outcome.refer,
            urgency=outcome.urgency.value if outcome.urgency else None,
        )
    )
    if outcome.refer:
        close_programs(uow=uow, person_id=person_id)
    uow.session.flush()
    return outcome


def checked_answers(answers: Mapping[str, object], *, check_in: bool) -> dict[str, object]:
    """The answers with the age as a number, or `Invalid` carrying every problem found."""
    problems = answer_problems(answers, check_in=check_in)
    if problems:
        raise Invalid.all_of(problems)
    given = dict(answers)
    if not check_in:
        given[AGE] = _age(answers.get(AGE))
    return given


def answer_problems(answers: Mapping[str, object], *, check_in: bool) -> list[Invalid]:
    """Every problem of a screening's answers, each naming its question: a full screening
    gives the age in whole years, one pregnancy answer and every yes/no question; a check-in
    only its own questions, all of them. A blank is never a "no" (docs/clinical-rules.md)."""
    problems: list[Invalid] = []
    if check_in:
        unknown = set(answers) - set(CHECK_IN_IDS)
        if unknown:
            problems.append(Invalid("check_in.unknown_question", field=sorted(unknown)[0]))
    else:
        if _age(answers.get(AGE)) is None:
            problems.append(
                Invalid("screening.age_out_of_range", field=AGE, min=MIN_AGE, max=MAX_AGE)
            )
        pregnancy = answers.get(PREGNANCY)
        if not (isinstance(pregnancy, str) and pregnancy in _PREGNANCY_VALUES):
            problems.append(Invalid("screening.pregnancy_unanswered", field=PREGNANCY))
    asked = CHECK_IN_IDS if check_in else tuple(flag.id for flag in RED_FLAGS)
    problems += [
        Invalid("screening.unanswered", field=question)
        for question in asked
        if not isinstance(answers.get(question), bool)
    ]
    return problems


_PREGNANCY_VALUES = frozenset(choice.value for choice in Pregnancy)


def _age(given: object) -> int | None:
    """An age in whole years from MIN_AGE to MAX_AGE, given as a number or the text of one."""
    if isinstance(given, str) and given.strip().isdecimal() and len(given.strip()) <= 3:
        given = int(given.strip())
    if isinstance(given, bool) or not isinstance(given, int):
        return None
    return given if MIN_AGE <= given <= MAX_AGE else None


def close_programs(*, uow: UnitOfWork, person_id: int) -> None:
    """Make the person's active plan inactive, in one UPDATE run at once (not at the next
    flush), so a new plan inserted after it never meets it in the one-active-plan index."""
    uow.session.execute(
        update(PlanRecord)
        .where(PlanRecord.user_id == person_id, PlanRecord.active)
        .values(active=False)
    )
