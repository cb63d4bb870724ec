"""A coach's program overrides (engine/overrides.py): made, applied at once, kept, undone.

An override is kept in `CoachOverride` with who made it, when and the coach's note. It applies
at once: a new plan is made from the active one with the override applied (its exercises carry
`coach.*` codes, so the stored plan says the coach decided them), and from then on every
decision of the engine (`training._decide`) receives the active overrides (`active_overrides`)
and keeps them. Undoing one marks it undone (who, when) and makes a new plan that restores what
it changed (docs/progression.md, "Coach overrides"), never above what the engine's easing-off
holds (services/override_safety.py). An override is in force only during the coach link it was
made in. Only a coach who may WRITE the client's data (their own coach or a practice colleague)
makes or undoes one; the client reads the notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, func, select

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Catalogue
from backcoach.engine.decisions import COACH_DOSE_SET, COACH_HELD, COACH_LOCKED, hold
from backcoach.engine.overrides import (
    Add,
    Constraints,
    Dose,
    Hold,
    Override,
    Overrides,
    Schedule,
    Swap,
    problems,
)
from backcoach.engine.plan import Plan, PlannedExercise
from backcoach.engine.reasons import Param, Reason
from backcoach.engine.schedule import build_schedule, frequency_for, next_training_day
from backcoach.formats.documents import InputError
from backcoach.formats.profile import read_profile
from backcoach.formats.stored_plan import read_stored_plan
from backcoach.services import attention, safety
from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.errors import Conflict, Forbidden, Invalid, NotFound
from backcoach.services.onboarding import active_plan, add_plan
from backcoach.services.override_history import HISTORY_LIMIT as HISTORY_LIMIT
from backcoach.services.override_history import OverrideView as OverrideView
from backcoach.services.override_history import history as history
from backcoach.services.override_history import views_of
from backcoach.services.override_input import (
    FIELD_OF,
    added_again,
    alone,
    concerns,
    data_of,
    override_of,
    parsed,
    refusal,
)
from backcoach.services.override_safety import eased_for_today, safely_restored
from backcoach.services.programs import stored_plan
from backcoach.services.safety import Gate, ProgramClosed
from backcoach.store.care_tables import CoachOverride
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import CoachLink, PlanRecord, ProfileRecord, TrainingSession


@dataclass(frozen=True, slots=True)
class CoachNotes:
    """What the client reads of their coach's active overrides: the notes."""

    #: The latest note on each exercise the coach swapped in, dosed, held or added.
    by_exercise: Mapping[str, str]
    #: Notes on the whole program (a hold of everything, the days).
    program: tuple[str, ...]


def add_override(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    kind: str,
    values: Mapping[str, object],
    note: str,
    today: dt.date,
    now: dt.datetime,
) -> OverrideView:
    """Keep an override and apply it to the client's program at once.

    `Invalid` names each field of an impossible one (the engine's `problems`, coded); a newer
    override of the same kind for the same exercise (or the days) replaces the older, which is
    kept as undone by this coach.
    """
    authorize(uow, principal, Action.WRITE, client_id, what="override", now=now)
    _require_coach(principal, client_id)
    record, plan = _open_program(uow, client_id)
    override, typed_wrong = parsed(kind, values, coach_id=principal.user_id, today=today, note=note)
    catalogue = default_catalogue()
    # What the engine finds impossible too, each field named once (a typing problem first).
    named = {problem.field for problem in typed_wrong}
    found = [refusal(reason, override) for reason in problems(alone(override), plan, catalogue)]
    found += added_again(override, plan)
    every = typed_wrong + [problem for problem in found if problem.field not in named]
    if every:
        raise Invalid.all_of(every)
    for older in _active_rows(uow, client_id):
        if _same_target(older, kind, override):
            older.undone_at, older.undone_by_id = now, principal.user_id
    row = CoachOverride(
        client_id=client_id,
        coach_id=principal.user_id,
        at=now,
        kind=kind,
        data=data_of(override) | {"before": record.data},
        note=override.note or None,
    )
    uow.session.add(row)
    changed = _applied(plan, override, catalogue, today, _last_day(uow, client_id))
    add_plan(
        uow=uow,
        person_id=client_id,
        plan=changed,
        now=now,
        decided_from=record.decided_from_session_id,
    )
    attention.refresh_if_coached(uow, person_id=client_id, today=today, now=now)
    uow.commit()
    return views_of(uow, [row])[0]


def undo_override(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    override_id: int,
    today: dt.date,
    now: dt.datetime,
) -> OverrideView:
    """Mark an override undone (who, when) and make a new plan without it.

    What undo restores: a swapped-in or dosed exercise goes back to the exercise and dose it had
    when the override was made; an added exercise leaves; a hold's exercises keep their dose and
    the engine may move them again; the days go back to the person's own; none of it above the
    dose an easing-off holds now. From there the engine decides as usual. Undoing one already
    undone changes nothing; one out of force (an ended link's) is only marked.
    """
    authorize(uow, principal, Action.WRITE, client_id, what="override", now=now)
    _require_coach(principal, client_id)
    row = _own_row(uow, client_id, override_id)
    if row.undone_at is not None:
        return views_of(uow, [row])[0]
    in_force = row in _active_rows(uow, client_id)
    row.undone_at, row.undone_by_id = now, principal.user_id
    # The stored plan changes whatever the referral gate says: the gate stops training, not
    # the coach's bookkeeping, and a plan kept while the gate is shut is the one it reopens on.
    if in_force:
        _restore_all(uow, client_id, [row], today, now)
    attention.refresh_if_coached(uow, person_id=client_id, today=today, now=now)
    uow.commit()
    return views_of(uow, [row])[0]


def release_overrides(
    *, uow: UnitOfWork, client_id: int, since: dt.datetime, now: dt.datetime
) -> None:
    """For `coaching.end_link` and `coaching.move_client`, once the link is ended (no commit):
    the overrides made during the link that began at ``since`` leave the program at once,
    each restored as its undo would (with the engine's easing-off kept). Their rows stay as
    they were (not undone by anyone): they are out of force because the link ended, and the
    history says so. Calling it again changes nothing."""
    rows = uow.session.scalars(
        select(CoachOverride)
        .where(
            CoachOverride.client_id == client_id,
            CoachOverride.undone_at.is_(None),
            CoachOverride.at >= since,
        )
        .order_by(CoachOverride.at.desc(), CoachOverride.id.desc())
    ).all()
    if rows:
        # The person's own day is not known here; the UTC day at most moves the schedule's
        # first day by one.
        _restore_all(uow, client_id, rows, now.date(), now)


def overrides(
    *, uow: UnitOfWork, principal: Principal, client_id: int, now: dt.datetime
) -> tuple[OverrideView, ...]:
    """The client's overrides, active and undone, newest first, with who and when."""
    authorize(uow, principal, Action.READ, client_id, what="override", now=now)
    return history(uow=uow, client_id=client_id)


def coach_notes(
    *, uow: UnitOfWork, principal: Principal, client_id: int, now: dt.datetime
) -> CoachNotes:
    """The notes of the client's active overrides, for Today's "set by your coach"."""
    authorize(uow, principal, Action.READ, client_id, what="override", now=now)
    active = active_overrides(uow=uow, client_id=client_id)
    by_exercise: dict[str, str] = {}
    for item in active.all():
        key = concerns(item)
        if key is not None and item.note:
            by_exercise[key] = active.note_for(key)
    program = tuple(
        item.note
        for item in active.all()
        if item.note and (isinstance(item, Schedule) or concerns(item) is None)
    )
    return CoachNotes(by_exercise, program)


def active_overrides(*, uow: UnitOfWork, client_id: int) -> Overrides:
    """The overrides in force for the client, as the engine takes them (for the services,
    after `authorize`): one indexed read of the few rows not undone."""
    found: dict[str, list[Override]] = {name: [] for name in FIELD_OF.values()}
    for row in _active_rows(uow, client_id):
        found[FIELD_OF[row.kind]].append(override_of(row))
    schedules = found.pop("schedule")
    return Overrides(
        swaps=tuple(item for item in found["swaps"] if isinstance(item, Swap)),
        doses=tuple(item for item in found["doses"] if isinstance(item, Dose)),
        holds=tuple(item for item in found["holds"] if isinstance(item, Hold)),
        added=tuple(item for item in found["added"] if isinstance(item, Add)),
        # The newest days win (an older one is undone when replaced; this is the backstop).
        schedule=next((item for item in reversed(schedules) if isinstance(item, Schedule)), None),
    )


def with_coach_days(plan: Plan, active: Overrides) -> Plan:
    """The engine's decision with the coach's days in its profile: the stored plan reads the
    frequency from the profile's days, and `decide_next` keeps the profile it was given."""
    days = active.schedule
    if days is None or (days.days_per_week, days.weekdays) == (
        plan.profile.days_per_week,
        plan.profile.weekdays,
    ):
        return plan
    profile = replace(plan.profile, days_per_week=days.days_per_week, weekdays=days.weekdays)
    return replace(plan, profile=profile)


# --- applying and restoring -------------------------------------------------------------------


def _applied(
    plan: Plan, override: Override, catalogue: Catalogue, today: dt.date, last: dt.date | None
) -> Plan:
    """The plan with one override made today, as the client will see it at once: with the
    precedence `decide_next` keeps (the engine's easing-off wins over a dose or an addition)."""
    changed = _coach_applied(plan, override, catalogue, today, last)
    return replace(changed, exercises=eased_for_today(plan, changed.exercises))


def _coach_applied(
    plan: Plan, override: Override, catalogue: Catalogue, today: dt.date, last: dt.date | None
) -> Plan:
    if isinstance(override, Schedule):
        return _rescheduled(plan, override.days_per_week, override.weekdays, today, last)
    if isinstance(override, Hold):
        why = Reason(COACH_HELD, _by(override))
        held = tuple(
            hold(item, why, cue=item.cue)
            if override.exercise_id in (None, item.exercise.id)
            else item
            for item in plan.exercises
        )
        return replace(plan, exercises=held)
    coach = Constraints(alone(override), plan, catalogue)
    exercises = coach.before(plan.exercises, today)
    if isinstance(override, Dose):
        code = COACH_LOCKED if override.locked else COACH_DOSE_SET
        exercises = [
            hold(item, Reason(code, _by(override)), cue=item.cue)
            if item.exercise.id == override.exercise_id
            else item
            for item in exercises
        ]
    return replace(plan, exercises=tuple(exercises))


def _restored(
    plan: Plan,
    kind: str,
    data: Mapping[str, Any],
    before: Plan,
    today: dt.date,
    last: dt.date | None,
    own_days: tuple[int, tuple[int, ...]],
) -> Plan:
    """The plan without one override: what it changed put back as it was when it was made,
    never above what the engine's easing-off holds now (`safely_restored`)."""
    if kind == "schedule":
        days, weekdays = own_days
        return _rescheduled(plan, days, weekdays, today, last)
    if kind == "add":
        kept = tuple(item for item in plan.exercises if item.exercise.id != data["exercise"])
        return replace(plan, exercises=kept) if kept else plan
    was = {item.exercise.id: item for item in before.exercises}
    # A swap put `to_exercise` where `exercise` was; a dose and a hold changed `exercise` itself.
    now_there = data["to_exercise"] if kind == "swap" else data.get("exercise")
    swapped_back: list[PlannedExercise] = []
    for item in plan.exercises:
        earlier = was.get(data["exercise"]) if data.get("exercise") else None
        if kind == "hold" and data.get("exercise") is None:
            earlier = was.get(item.exercise.id)
            # Only what the hold itself labelled goes back; the engine's later decisions stay.
            if earlier is None or item.code != COACH_HELD:
                earlier = None
        elif item.exercise.id != now_there:
            earlier = None
        swapped_back.append(item if earlier is None else safely_restored(earlier, item))
    return replace(plan, exercises=tuple(swapped_back))


def _rescheduled(
    plan: Plan, days: int, weekdays: tuple[int, ...], today: dt.date, last: dt.date | None
) -> Plan:
    frequency = frequency_for(days)
    start = next_training_day(last, today)
    # The stored plan reads its frequency from the profile's days: they go together.
    profile = replace(plan.profile, days_per_week=days, weekdays=weekdays)
    return replace(
        plan,
        profile=profile,
        sessions_per_week=frequency.sessions_per_week,
        frequency_note=frequency.note,
        schedule=build_schedule(start, days, weekdays=weekdays),
    )


def _by(override: Override) -> tuple[tuple[str, Param], ...]:
    return (("coach", override.coach_id), ("note", "yes" if override.note else "no"))


# --- rows -------------------------------------------------------------------------------------


def _require_coach(principal: Principal, client_id: int) -> None:
    """An override is a coach's: the client (who may write their own data) makes none."""
    if principal.role is not Role.COACH or principal.user_id == client_id:
        raise Forbidden("access.forbidden", what="override")


def _open_program(uow: UnitOfWork, client_id: int) -> tuple[PlanRecord, Plan]:
    state = safety.gate(uow=uow, person_id=client_id)
    if state is not Gate.OPEN:
        raise ProgramClosed(state)
    record = active_plan(uow=uow, person_id=client_id)
    if record is None:
        raise Conflict("program.none", field="plan")
    return record, stored_plan(record).plan


def _restore_all(
    uow: UnitOfWork,
    client_id: int,
    rows: Sequence[CoachOverride],
    today: dt.date,
    now: dt.datetime,
) -> None:
    """A new plan with each of ``rows`` restored in turn (none when nothing changes)."""
    record = active_plan(uow=uow, person_id=client_id)
    if record is None:
        return  # a referral closed the program: the next one is built anew
    catalogue = default_catalogue()
    plan = restored = stored_plan(record).plan
    last, own_days = _last_day(uow, client_id), _own_days(uow, client_id, plan)
    for row in rows:
        before = read_stored_plan(row.data["before"], catalogue).plan
        restored = _restored(restored, row.kind, row.data, before, today, last, own_days)
    if restored != plan:
        add_plan(
            uow=uow,
            person_id=client_id,
            plan=restored,
            now=now,
            decided_from=record.decided_from_session_id,
        )


def _active_rows(uow: UnitOfWork, client_id: int) -> Sequence[CoachOverride]:
    """The overrides in force: not undone, made during the client's open link (none without
    one: an override ends with the link it was made in)."""
    return uow.session.scalars(
        select(CoachOverride)
        .join(
            CoachLink,
            and_(CoachLink.client_id == CoachOverride.client_id, CoachLink.ended_at.is_(None)),
        )
        .where(
            CoachOverride.client_id == client_id,
            CoachOverride.undone_at.is_(None),
            CoachOverride.at >= CoachLink.started_at,
        )
        .order_by(CoachOverride.at, CoachOverride.id)
    ).all()


def _own_row(uow: UnitOfWork, client_id: int, override_id: int) -> CoachOverride:
    row = uow.session.get(CoachOverride, override_id) if 0 < override_id < 2**31 else None
    if row is None or row.client_id != client_id:
        raise NotFound("override.not_found", field="override")
    return row


def _last_day(uow: UnitOfWork, client_id: int) -> dt.date | None:
    return uow.session.scalar(
        select(func.max(TrainingSession.day)).where(
            TrainingSession.user_id == client_id, TrainingSession.finished_at.is_not(None)
        )
    )


def _own_days(uow: UnitOfWork, client_id: int, plan: Plan) -> tuple[int, tuple[int, ...]]:
    """The days the person gave in their latest profile (what undoing the days goes back to)."""
    saved = uow.session.scalar(
        select(ProfileRecord.data)
        .where(ProfileRecord.user_id == client_id)
        .order_by(ProfileRecord.at.desc(), ProfileRecord.id.desc())
        .limit(1)
    )
    try:
        own = read_profile(saved) if saved is not None else plan.profile
    except InputError:  # a profile saved under older rules: the plan's own days stand
        own = plan.profile
    return own.days_per_week, own.weekdays


def _same_target(row: CoachOverride, kind: str, override: Override) -> bool:
    if row.kind != kind or kind in ("swap", "add"):
        return False
    return kind == "schedule" or row.data.get("exercise") == concerns(override)
