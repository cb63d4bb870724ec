"""One person with a long training history, for bench/growth.py.

Onboarding, measures and tight moments go through the real services with the clock set in the
past. Each session is written one of two ways, with the same rows and the same stored plans:

- ``through_services=True``: start_session, log_set for every set, finish_session and
  check_in, as the pages call them. The finish and the check-in each read the whole log to
  decide the next plan, so seeding 1,000 sessions this way is quadratic (many minutes).
- ``through_services=False`` (the default): the same rows inserted directly: the session, its
  sets, and what finish and check-in add — a check-in screening (`safety.add_screening`) and
  a new plan from `engine.progression.decide_next` stored by `onboarding.add_plan` (so in the
  same `formats.stored_plan` form), decided from the plan the session followed, as
  `training._decide` does. The one difference: the engine reads the last WINDOW sessions
  rather than the whole log, which keeps seeding linear; the decisions look back no further
  in practice (a break, a flare and the pace read recent sessions).

`row_counts` lets growth.py --check-seed compare the two ways.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from dataclasses import dataclass
from typing import TypedDict

from sqlalchemy import func, select

from backcoach.catalogue import default_catalogue
from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.plan import Plan
from backcoach.engine.progression import decide_next
from backcoach.engine.screening import CHECK_IN_IDS, all_clear
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.services import accounts, onboarding, safety, tight, training
from backcoach.services.access import Principal, principal_of
from backcoach.services.programs import stored_plan
from backcoach.services.sets import SetInput
from backcoach.store.db import Database, UnitOfWork
from backcoach.store.migrate import upgrade
from backcoach.store.tables import (
    Base,
    SetRecord,
    TrainingSession,
    User,
)

EMAIL, PASSWORD = "long.history@example.com", "a long enough password"
#: "Now" for the timed requests: a Monday morning, the day after the last seeded session.
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
#: Sessions the engine reads when the fast path decides the next plan.
WINDOW = 60
#: A session every other day; measures every two weeks; a tight moment every third session.
DAYS_BETWEEN, MEASURE_EVERY, TIGHT_EVERY = 2, dt.timedelta(days=14), 3
CHECKED_IN_SHARE = 0.85
PROFILE = {"pain": 5, "level": "beginner", "days_per_week": 4, "equipment": ["band"]}
#: Where sets are felt, and how often (mostly where they should be, M9).
FELT = (Felt.TARGET, Felt.NOTHING, Felt.LOW_BACK, Felt.ELSEWHERE)
FELT_WEIGHTS = (70, 15, 10, 5)


def at(day: dt.date, hour: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + dt.timedelta(hours=hour)


def session_days(sessions: int) -> list[dt.date]:
    """Every other day, the last one yesterday (so the dates span about 2n days)."""
    yesterday = NOW.date() - dt.timedelta(days=1)
    return [yesterday - dt.timedelta(days=DAYS_BETWEEN * k) for k in range(sessions)][::-1]


def measures(rng: random.Random) -> dict[str, dict[str, object]]:
    """NPRS, PSFS, STarT Back and ODI, as the reassessment form gives them."""
    # The psychosocial subscore is part of the total, and items 1-4 add at most 4 points.
    startback = rng.randint(1, 5)
    psychosocial = rng.randint(max(0, startback - 4), min(startback, 3))
    return {
        "nprs": {"score": rng.randint(2, 6)},
        "psfs": {"activities": [{"name": "Putting on socks", "score": rng.randint(3, 8)}]},
        "startback": {"score": startback, "psychosocial": psychosocial},
        "odi": {"sections": [rng.randint(0, 3) for _ in range(9)] + [None]},
    }


class Who(TypedDict):
    """Who acts on whose data, as every service call names them."""

    uow: UnitOfWork
    principal: Principal
    person_id: int


@dataclass(frozen=True, slots=True)
class Pains:
    before: int
    during: int
    after: int
    morning: int | None  # None: no check-in


def pains(rng: random.Random, checked_in: bool) -> Pains:
    before = rng.randint(1, 4)
    during = min(10, before + rng.randint(-1, 2))
    after = max(0, min(10, before + rng.randint(-1, 1)))
    return Pains(before, max(0, during), after, rng.randint(0, 4) if checked_in else None)


def planned_sets(plan: Plan, rng: random.Random) -> list[SetInput]:
    """Every planned set of every exercise (2-3 each), with where it was felt."""
    done = []
    for item in plan.exercises:
        for number in range(1, item.sets + 1):
            felt = rng.choices(FELT, FELT_WEIGHTS)[0]
            amount = rng.randint(item.dose_min, item.dose_max)
            # The load as prescribed (the player fills it in).
            done.append(SetInput(item.exercise.id, number, amount, felt.value, item.load_kg))
    return done


class Seeder:
    """Writes one person's history in order, oldest first, in one unit of work."""

    def __init__(self, uow: UnitOfWork, user: User, *, through_services: bool, seed: int) -> None:
        self.uow, self.person_id = uow, user.id
        self.principal: Principal = principal_of(user)
        self.through_services = through_services
        self.rng = random.Random(seed)
        self.log: deque[SessionLog] = deque(maxlen=WINDOW)
        record = onboarding.active_plan(uow=uow, person_id=user.id)
        assert record is not None, "no program after onboarding"
        self.plan_id, self.plan = record.id, stored_plan(record).plan

    def session(self, day: dt.date, *, check_in: bool) -> None:
        given = pains(self.rng, check_in)
        if self.through_services:
            self._through_services(day, given)
        else:
            self._direct(day, given)

    def _through_services(self, day: dt.date, given: Pains) -> None:
        who: Who = {"uow": self.uow, "principal": self.principal, "person_id": self.person_id}
        started = training.start_session(
            **who, pain_before=given.before, today=day, now=at(day, 18)
        )
        program = training.current_program(**who, now=at(day, 18))
        assert program is not None
        for entry in planned_sets(program.plan, self.rng):
            training.log_set(**who, session_id=started.id, entry=entry, now=at(day, 18.2))
        training.finish_session(
            **who,
            session_id=started.id,
            pain_during=given.during,
            pain_after=given.after,
            leg_symptoms=LegSymptoms.NONE,
            today=day,
            now=at(day, 18.7),
        )
        if given.morning is not None:
            training.check_in(
                **who,
                session_id=started.id,
                pain_next_morning=given.morning,
                red_flags=dict.fromkeys(CHECK_IN_IDS, False),
                today=day + dt.timedelta(days=1),
                now=at(day, 24 + 8),
            )

    def _direct(self, day: dt.date, given: Pains) -> None:
        followed_id, followed = self.plan_id, self.plan
        row = TrainingSession(
            user_id=self.person_id,
            plan_id=followed_id,
            day=day,
            started_at=at(day, 18),
            finished_at=at(day, 18.7),
            pain_before=given.before,
            pain_during=given.during,
            pain_after=given.after,
            leg_symptoms=LegSymptoms.NONE.value,
        )
        self.uow.session.add(row)
        self.uow.session.flush()
        entries = planned_sets(followed, self.rng)
        self.uow.session.add_all(
            SetRecord(
                session_id=row.id,
                exercise_id=entry.exercise_id,
                number=entry.number,
                amount=entry.amount,
                load_kg=entry.load_kg,
                rir=entry.rir,
                felt=entry.felt,
                at=at(day, 18.2),
            )
            for entry in entries
        )
        by_exercise: dict[str, list[SetLog]] = {}
        for entry in sorted(entries, key=lambda e: (e.exercise_id, e.number)):
            by_exercise.setdefault(entry.exercise_id, []).append(
                SetLog(entry.amount, Felt(entry.felt), entry.load_kg, entry.rir)
            )
        exercises = tuple(ExerciseLog(key, tuple(sets)) for key, sets in by_exercise.items())
        self.log.append(self._logged(day, given, exercises, morning=None))
        self._decide(row.id, followed, day, at(day, 18.7))
        if given.morning is None:
            return
        row.pain_next_morning, row.checked_in_at = given.morning, at(day, 24 + 8)
        safety.add_screening(
            uow=self.uow,
            person_id=self.person_id,
            answers=dict.fromkeys(CHECK_IN_IDS, False),
            context="check_in",
            now=at(day, 24 + 8),
        )
        self.log[-1] = self._logged(day, given, exercises, morning=given.morning)
        self._decide(row.id, followed, day + dt.timedelta(days=1), at(day, 24 + 8))

    @staticmethod
    def _logged(
        day: dt.date, given: Pains, exercises: tuple[ExerciseLog, ...], *, morning: int | None
    ) -> SessionLog:
        """The session as `session_logs.sessions_log` reads it back."""
        return SessionLog(
            day=day,
            pain_before=given.before,
            pain_during=given.during,
            pain_after=given.after,
            exercises=exercises,
            pain_next_morning=morning,
            leg_symptoms=LegSymptoms.NONE,
        )

    def _decide(self, session_id: int, followed: Plan, today: dt.date, now: dt.datetime) -> None:
        result = decide_next(followed, tuple(self.log), today, default_catalogue())
        if not isinstance(result, Plan):  # pragma: no cover - the seeded log raises no flag
            return
        record = onboarding.add_plan(
            uow=self.uow, person_id=self.person_id, plan=result, now=now, decided_from=session_id
        )
        self.plan_id, self.plan = record.id, result

    def reassess(self, day: dt.date) -> None:
        onboarding.record_measures(
            uow=self.uow,
            principal=self.principal,
            person_id=self.person_id,
            answers=measures(self.rng),
            today=day,
            now=at(day, 17),
        )

    def tight_moment(self, day: dt.date) -> None:
        tight.log_tight_moment(
            uow=self.uow, principal=self.principal, person_id=self.person_id, now=at(day, 12)
        )


def seed_history(url: str, sessions: int, *, through_services: bool = False, seed: int = 1) -> None:
    """A migrated database at ``url`` holding one person with ``sessions`` finished sessions,
    the last one yesterday and not yet checked in on (growth.py times that check-in)."""
    upgrade(url)
    database = Database(url)
    days = session_days(sessions)
    joined = days[0] - dt.timedelta(days=1)
    rng = random.Random(seed)
    try:
        with database.unit_of_work() as uow:
            accounts.sign_up(uow=uow, email=EMAIL, password=PASSWORD, now=at(joined, 8))
            user = uow.session.scalars(select(User).where(User.email == EMAIL)).one()
            who: Who = {"uow": uow, "principal": principal_of(user), "person_id": user.id}
            onboarding.record_screening(
                **who, answers=all_clear(age=44), today=joined, now=at(joined, 8.5)
            )
            onboarding.record_measures(
                **who, answers=measures(rng), today=joined, now=at(joined, 8.6)
            )
            onboarding.start_program(**who, profile=PROFILE, today=joined, now=at(joined, 8.7))
            seeder = Seeder(uow, user, through_services=through_services, seed=seed)
            measured = joined
            for index, day in enumerate(days):
                if day - measured >= MEASURE_EVERY:
                    seeder.reassess(day)
                    measured = day
                last = index == len(days) - 1
                seeder.session(day, check_in=not last and rng.random() < CHECKED_IN_SHARE)
                if index % TIGHT_EVERY == 1:
                    seeder.tight_moment(day)  # commits, as the other services do
            uow.commit()
    finally:
        database.dispose()


def row_counts(url: str) -> dict[str, int]:
    """Rows per table, and the stored plans' total JSON size (for --check-seed)."""
    database = Database(url)
    try:
        with database.unit_of_work() as uow:
            counts = {
                table.name: int(uow.session.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables
            }
            size = func.sum(func.length(func.json(Base.metadata.tables["plans"].c.data)))
            counts["plans: JSON chars"] = int(uow.session.scalar(select(size)) or 0)
            return counts
    finally:
        database.dispose()
