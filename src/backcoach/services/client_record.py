"""A client's record as their coach reads it (issue 11, item 3): who they are and since when
they share, what needs the coach first (an open referral), a timeline of what they logged and
answered, their current program with each decision's reason, how the program came to be, and
the figures the person's own progress page charts.

The timeline covers `WEEKS` weeks back from a day (today, or ``before`` when paging to older
entries) and says where the next older entry is, so a long history costs what a short one
does: every read is bounded by the window or by a limit, and the whole history is only
counted. The read is authorized once and so written once to the audit log (as
``client_record``); the reads it is made of are the services' unaudited helpers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import func, select

from backcoach.engine.change import Change, assess_change, far_enough_apart
from backcoach.engine.log import ExerciseLog, SessionLog
from backcoach.engine.outcomes import TRACKED
from backcoach.engine.reasons import Reason
from backcoach.engine.screening import CHECK_IN_IDS, RED_FLAGS, ScreeningOutcome
from backcoach.engine.vocabulary import Decision, LegSymptoms
from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.errors import Forbidden, NotFound
from backcoach.services.onboarding import active_plan
from backcoach.services.programs import ProgramView, program_of, stored_plan
from backcoach.services.progress import Progress, progress_of
from backcoach.services.safety import open_referral
from backcoach.services.session_logs import sessions_log
from backcoach.store.care_tables import CoachOverride
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import (
    CoachLink,
    Measure,
    PlanRecord,
    Screening,
    TightMoment,
    TrainingSession,
    User,
)

#: What the audit log calls this read (the client's account page says it in words).
WHAT = "client_record"
#: The timeline's weeks a page.
WEEKS = 12
#: How many program versions and coach overrides the history shows (newest first).
HISTORY_LIMIT = 20


@dataclass(frozen=True, slots=True)
class SessionEntry:
    """A finished session: its sets by exercise, the four pains and the leg symptoms."""

    kind: ClassVar[str] = "session"

    day: dt.date
    #: When it started (the timeline's order within a day).
    at: dt.datetime
    log: SessionLog

    @property
    def exercises(self) -> tuple[ExerciseLog, ...]:
        return self.log.exercises

    @property
    def leg_symptoms(self) -> LegSymptoms | None:
        return self.log.leg_symptoms

    @property
    def flare(self) -> tuple[Reason, ...]:
        return self.log.flare

    @property
    def felt_in_low_back(self) -> bool:
        return any(exercise.felt_in_low_back for exercise in self.log.exercises)


@dataclass(frozen=True, slots=True)
class ScreeningEntry:
    """A morning check-in (or a full screening asked again): the signs asked and those
    answered "yes", and whether it referred."""

    kind: ClassVar[str] = "screening"

    day: dt.date
    at: dt.datetime
    context: str
    #: The signs this screening asked about, in the order of the questions.
    asked: tuple[str, ...]
    #: Of those, the ones answered "yes".
    raised: tuple[str, ...]
    refer: bool
    urgency: str | None


@dataclass(frozen=True, slots=True)
class TightEntry:
    """An "I feel tight" moment and how many drills it offered."""

    kind: ClassVar[str] = "tight"

    day: dt.date
    at: dt.datetime
    drills: int


@dataclass(frozen=True, slots=True)
class MeasureEntry:
    """A questionnaire answered, with its change from the first answer (None for the first
    answer itself and for STarT Back, which sorts risk and has no change rule)."""

    kind: ClassVar[str] = "measure"

    day: dt.date
    at: dt.datetime
    instrument: str
    score: float
    change: Change | None


Entry = SessionEntry | ScreeningEntry | TightEntry | MeasureEntry


@dataclass(frozen=True, slots=True)
class Timeline:
    """One page of the timeline, newest first."""

    #: The window: from ``since`` up to the day before ``until``.
    since: dt.date
    until: dt.date
    entries: tuple[Entry, ...]
    #: Everything ever logged and answered (sessions, screenings, tight moments, measures).
    total: int
    #: The ``before`` of the next older page (the day after the newest older entry), or None.
    older_before: dt.date | None
    #: Whether this page is an older one (a link back to the newest).
    paged: bool

    @property
    def last_day(self) -> dt.date:
        return self.until - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """One program as it was decided: when, by whom, and each exercise's decision."""

    id: int
    at: dt.datetime
    active: bool
    #: The day of the session the engine decided from (None: a new program, or not known).
    from_session_day: dt.date | None
    #: The coaches who settled a decision in it, by name (empty: the engine alone).
    coaches: tuple[str, ...]
    decisions: tuple[tuple[str, Decision, Reason], ...]


@dataclass(frozen=True, slots=True)
class OverrideEntry:
    """A coach's change to the program (services of item 4 make them)."""

    at: dt.datetime
    coach: str | None
    kind: str
    data: Mapping[str, Any]
    note: str | None
    undone_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ClientRecord:
    client_id: int
    #: The name the client gives their coach, else their email.
    name: str
    email: str
    #: When their open link started (to this coach or a colleague), and with which coach.
    linked_since: dt.datetime | None
    linked_coach: str | None
    #: The screening that keeps referring, until a clearance is recorded (None: none open).
    referral: ScreeningOutcome | None
    referral_at: dt.datetime | None
    timeline: Timeline
    #: The active program; while a referral keeps it closed, the latest one (``program_closed``).
    program: ProgramView | None
    program_closed: bool
    #: Who decided each exercise of the current program: a coach's name, or None (the engine).
    program_coaches: Mapping[str, str]
    versions: tuple[PlanVersion, ...]
    overrides: tuple[OverrideEntry, ...]
    #: What the person's progress page shows (its charts are drawn from it).
    progress: Progress

    @property
    def latest_legs_spreading(self) -> SessionEntry | None:
        """The newest session on this page, when its leg symptoms spread further down the leg
        (rule 2 of docs/progression.md: more urgent than a flare)."""
        for entry in self.timeline.entries:
            if isinstance(entry, SessionEntry):
                return entry if entry.leg_symptoms is LegSymptoms.FURTHER_DOWN else None
        return None

    @property
    def latest_flare(self) -> SessionEntry | None:
        """The newest session on this page, when its pain response called for easing off."""
        for entry in self.timeline.entries:
            if isinstance(entry, SessionEntry):
                return entry if entry.flare else None
        return None


def client_record(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    today: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
    weeks: int = WEEKS,
    before: dt.date | None = None,
) -> ClientRecord:
    """The client's record for a coach of theirs or a colleague of that coach's practice.

    ``today`` and ``zone`` are the client's (services/client_day.py), never the coach's: the
    timeline's window ends on the client's today and each entry is on the client's day.

    Anyone else is refused; an unknown client raises `NotFound`, which the pages answer
    exactly as a refusal (whether an account exists is nobody else's business).
    """
    client = uow.session.get(User, client_id)
    if client is None:
        raise NotFound("client.not_found")
    if principal.role is not Role.COACH and principal.user_id == client_id:
        # A person reads their own data on their own pages; this one is the coach's.
        raise Forbidden("access.forbidden", what=WHAT)
    authorize(uow, principal, Action.READ, client_id, what=WHAT, now=now)
    link = uow.session.execute(
        select(CoachLink.started_at, User.display_name, User.email)
        .join(User, User.id == CoachLink.coach_id)
        .where(CoachLink.client_id == client_id, CoachLink.ended_at.is_(None))
        .limit(1)
    ).first()
    progress = progress_of(uow=uow, person_id=client_id, today=today, zone=zone)
    plan_row = active_plan(uow=uow, person_id=client_id)
    closed = plan_row is None
    if closed:  # a referral closes the program: the coach still reads the one it closed
        plan_row = uow.session.scalar(
            select(PlanRecord)
            .where(PlanRecord.user_id == client_id)
            .order_by(PlanRecord.at.desc(), PlanRecord.id.desc())
            .limit(1)
        )
    coach_names = _coach_names(uow, plan_row)
    referral = open_referral(uow=uow, person_id=client_id)
    return ClientRecord(
        client_id=client_id,
        name=client.display_name or client.email,
        email=client.email,
        linked_since=link.started_at if link else None,
        linked_coach=(link.display_name or link.email) if link else None,
        referral=referral,
        referral_at=_referral_at(uow, client_id) if referral is not None else None,
        timeline=_timeline(uow, client_id, progress, today, zone, weeks, before),
        program=program_of(plan_row) if plan_row is not None else None,
        program_closed=closed and plan_row is not None,
        program_coaches=coach_names,
        versions=_versions(uow, client_id),
        overrides=_overrides(uow, client_id),
        progress=progress,
    )


def _timeline(
    uow: UnitOfWork,
    client_id: int,
    progress: Progress,
    today: dt.date,
    zone: dt.tzinfo,
    weeks: int,
    before: dt.date | None,
) -> Timeline:
    until = min(before, today + dt.timedelta(days=1)) if before else today + dt.timedelta(days=1)
    since = until - dt.timedelta(weeks=max(1, weeks))
    start_at = dt.datetime.combine(since, dt.time(), zone)
    until_at = dt.datetime.combine(until, dt.time(), zone)
    logs = sessions_log(
        uow=uow, person_id=client_id, since=since, until=until - dt.timedelta(days=1)
    )
    # When each session started, for the order within a day: the log is by day then start,
    # so the n-th session of a day started at the n-th start of that day.
    starts: dict[dt.date, list[dt.datetime]] = defaultdict(list)
    for day, at in uow.session.execute(
        select(TrainingSession.day, TrainingSession.started_at)
        .where(
            TrainingSession.user_id == client_id,
            TrainingSession.finished_at.is_not(None),
            TrainingSession.day >= since,
            TrainingSession.day < until,
        )
        .order_by(TrainingSession.day, TrainingSession.started_at)
    ):
        starts[day].append(at)
    entries: list[Entry] = []
    for log in logs:
        day_starts = starts.get(log.day)
        at = day_starts.pop(0) if day_starts else dt.datetime.combine(log.day, dt.time(), zone)
        entries.append(SessionEntry(log.day, at, log))
    screenings = uow.session.execute(
        select(Screening.at, Screening.context, Screening.answers, Screening.refer)
        .add_columns(Screening.urgency)
        .where(Screening.user_id == client_id, Screening.at >= start_at, Screening.at < until_at)
    )
    entries.extend(_screening_entry(row, zone) for row in screenings)
    moments = uow.session.execute(
        select(TightMoment.at, TightMoment.drills).where(
            TightMoment.user_id == client_id,
            TightMoment.at >= start_at,
            TightMoment.at < until_at,
        )
    )
    entries.extend(
        TightEntry(at.astimezone(zone).date(), at, len(drills)) for at, drills in moments
    )
    firsts = progress.totals.first_measures
    measures = uow.session.execute(
        select(Measure.day, Measure.at, Measure.instrument, Measure.score)
        .where(Measure.user_id == client_id, Measure.day >= since, Measure.day < until)
        .order_by(Measure.at, Measure.id)
    )
    for day, at, instrument, score in measures:
        first = firsts.get(instrument)
        change = None
        if instrument in TRACKED and first is not None and far_enough_apart(first.day, day):
            change = assess_change(instrument, first.score, score)
        entries.append(MeasureEntry(day, at, instrument, score, change))
    entries.sort(key=_newest_first, reverse=True)
    older = _newest_before(uow, client_id, since, start_at, zone)
    return Timeline(
        since=since,
        until=until,
        entries=tuple(entries),
        total=_total(uow, client_id),
        older_before=older + dt.timedelta(days=1) if older else None,
        paged=until <= today,
    )


def _newest_first(entry: Entry) -> tuple[dt.date, dt.datetime]:
    """Sorted on (reversed): by day, then by the time it was entered."""
    return (entry.day, entry.at)


def _screening_entry(row: Any, zone: dt.tzinfo) -> ScreeningEntry:
    at, context, answers, refer, urgency = row
    asked = CHECK_IN_IDS if context == "check_in" else tuple(flag.id for flag in RED_FLAGS)
    raised = tuple(sign for sign in asked if answers.get(sign) is True)
    return ScreeningEntry(at.astimezone(zone).date(), at, context, asked, raised, refer, urgency)


def _newest_before(
    uow: UnitOfWork, client_id: int, since: dt.date, start_at: dt.datetime, zone: dt.tzinfo
) -> dt.date | None:
    """The day of the newest entry older than the window (four indexed look-ups)."""
    days = [
        uow.session.scalar(
            select(func.max(TrainingSession.day)).where(
                TrainingSession.user_id == client_id,
                TrainingSession.finished_at.is_not(None),
                TrainingSession.day < since,
            )
        ),
        uow.session.scalar(
            select(func.max(Measure.day)).where(Measure.user_id == client_id, Measure.day < since)
        ),
    ]
    for column, owner in ((Screening.at, Screening.user_id), (TightMoment.at, TightMoment.user_id)):
        at = uow.session.scalar(
            select(func.max(column)).where(owner == client_id, column < start_at)
        )
        if at is not None:
            days.append(at.astimezone(zone).date())
    found = [day for day in days if day is not None]
    return max(found) if found else None


def _total(uow: UnitOfWork, client_id: int) -> int:
    counts = (
        select(func.count(TrainingSession.id)).where(
            TrainingSession.user_id == client_id, TrainingSession.finished_at.is_not(None)
        ),
        select(func.count(Screening.id)).where(Screening.user_id == client_id),
        select(func.count(TightMoment.id)).where(TightMoment.user_id == client_id),
        select(func.count(Measure.id)).where(Measure.user_id == client_id),
    )
    return sum(uow.session.scalar(count) or 0 for count in counts)


def _referral_at(uow: UnitOfWork, client_id: int) -> dt.datetime | None:
    return uow.session.scalar(
        select(Screening.at)
        .where(Screening.user_id == client_id, Screening.refer)
        .order_by(Screening.at.desc(), Screening.id.desc())
        .limit(1)
    )


def _coach_names(uow: UnitOfWork, plan_row: PlanRecord | None) -> dict[str, str]:
    """Who settled each exercise of the program when a coach did, by exercise id."""
    if plan_row is None:
        return {}
    deciders = stored_plan(plan_row).decided_by
    ids = {who.id for who in deciders.values() if who.kind == "coach" and who.id is not None}
    names = _names(uow, ids)
    return {
        exercise_id: names.get(who.id, "") if who.id is not None else ""
        for exercise_id, who in deciders.items()
        if who.kind == "coach"
    }


def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = uow.session.execute(
        select(User.id, User.display_name, User.email).where(User.id.in_(ids))
    )
    return {row.id: row.display_name or row.email for row in rows}


def _versions(uow: UnitOfWork, client_id: int) -> tuple[PlanVersion, ...]:
    """The latest `HISTORY_LIMIT` programs, newest first, with who decided each."""
    rows = uow.session.execute(
        select(PlanRecord, TrainingSession.day)
        .outerjoin(TrainingSession, TrainingSession.id == PlanRecord.decided_from_session_id)
        .where(PlanRecord.user_id == client_id)
        .order_by(PlanRecord.at.desc(), PlanRecord.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    stored = [(row, day, stored_plan(row)) for row, day in rows]
    coach_ids = {
        who.id for _, _, kept in stored for who in kept.decided_by.values() if who.id is not None
    }
    names = _names(uow, coach_ids)
    return tuple(
        PlanVersion(
            id=row.id,
            at=row.at,
            active=row.active,
            from_session_day=day,
            coaches=tuple(
                sorted({names.get(who.id, "") for who in kept.decided_by.values() if who.id})
            ),
            decisions=tuple(
                (item.exercise.id, item.decision, item.reason) for item in kept.plan.exercises
            ),
        )
        for row, day, kept in stored
    )


def _overrides(uow: UnitOfWork, client_id: int) -> tuple[OverrideEntry, ...]:
    rows = uow.session.execute(
        select(CoachOverride, User.display_name, User.email)
        .outerjoin(User, User.id == CoachOverride.coach_id)
        .where(CoachOverride.client_id == client_id)
        .order_by(CoachOverride.at.desc(), CoachOverride.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return tuple(
        OverrideEntry(row.at, name or email, row.kind, dict(row.data), row.note, row.undone_at)
        for row, name, email in rows
    )
