"""A person changes their kit, level, days or weekdays after onboarding: the program is
re-prescribed at once (engine/replan.py), keeping the progress made and the coach's overrides,
and what changed is kept as codes with the plan it made (`ProfileChange`).

The new plan is built from the profile (decided from no session), as onboarding's is: a morning
check-in answered afterwards for an earlier session is kept in the log and decides nothing on
top of it (services/training.py settles only the plan the session followed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from backcoach.catalogue import default_catalogue
from backcoach.engine.overrides import Constraints
from backcoach.engine.prescription import PrescriptionError
from backcoach.engine.reasons import Reason, reason_from_json
from backcoach.engine.replan import replan
from backcoach.engine.vocabulary import Equipment, Level
from backcoach.formats.profile import WEEKDAYS, read_profile
from backcoach.services import attention, safety, stop_log
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.errors import Conflict, Invalid
from backcoach.services.onboarding import active_plan, add_plan, screened
from backcoach.services.overrides import active_overrides
from backcoach.services.programs import stored_plan
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import PlanRecord, ProfileChange, ProfileRecord, TrainingSession

#: The changes a person reads on their program page: the latest few.
CHANGES_SHOWN = 5


@dataclass(frozen=True, slots=True)
class ProfileChoice:
    """What a person may change of their profile at any time."""

    level: Level
    days_per_week: int
    equipment: frozenset[Equipment]
    #: Preferred weekdays, 0 = Monday; empty: any day.
    weekdays: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ChangeView:
    """One change of profile: when, the plan it made (None: the program stayed as it was),
    and what changed, as the engine's codes (backcoach.wording.account_words says them)."""

    id: int
    at: dt.datetime
    plan_id: int | None
    changes: tuple[Reason, ...]


def change_profile(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    choice: ProfileChoice,
    today: dt.date,
    now: dt.datetime,
) -> ChangeView:
    """Save the new profile and re-prescribe the active program for it.

    Only while the referral gate is open (`safety.ProgramClosed` otherwise) and with a program
    to change (`Conflict` ``profile.no_program``); weekdays other than as many as the days (or
    none) are `Invalid` (``profile.weekdays_count``: fewer would plan fewer sessions than asked,
    silently), and kit with which no program fits is ``profile.no_fit``.
    """
    authorize(uow, principal, Action.WRITE, person_id, what="program", now=now)
    weekdays = tuple(sorted(set(choice.weekdays)))
    if weekdays and len(weekdays) != choice.days_per_week:
        raise Invalid(
            "profile.weekdays_count",
            field="weekdays",
            chosen=len(weekdays),
            days=choice.days_per_week,
        )
    safety.require_open(uow=uow, person_id=person_id, today=today)
    record = active_plan(uow=uow, person_id=person_id)
    if record is None:
        raise Conflict("profile.no_program", field="form")
    saved = _saved_profile(uow, person_id)
    document = {
        **saved,
        "level": choice.level.value,
        "days_per_week": choice.days_per_week,
        "equipment": sorted(item.value for item in choice.equipment),
        "weekdays": [WEEKDAYS[day] for day in weekdays],
    }
    try:
        row = replan_from(uow, person_id, record, document, today, now)
    except PrescriptionError:
        raise Invalid("profile.no_fit", field="equipment") from None
    attention.refresh_if_coached(uow, person_id=person_id, today=today, now=now)
    uow.commit()
    return _view(row)


def replan_from(
    uow: UnitOfWork,
    person_id: int,
    record: PlanRecord,
    profile_document: Mapping[str, Any],
    today: dt.date,
    now: dt.datetime,
) -> ProfileChange:
    """For the services (no commit): keep the profile (with the latest safety answers) and
    re-prescribe the active plan for it (engine/replan.py), within the coach's overrides in
    force and the stops of the player (rule 7a: a stopped exercise is never made harder); the
    change is kept with the plan it made (none when nothing changed)."""
    plan = stored_plan(record).plan
    document = {**profile_document, **screened(uow, person_id)}
    document.setdefault("pain", plan.profile.pain)
    profile = read_profile(document)
    catalogue = default_catalogue()
    constraints = Constraints(active_overrides(uow=uow, client_id=person_id), plan, catalogue)
    result = replan(
        plan,
        profile,
        catalogue,
        today,
        last_session=_last_session(uow, person_id),
        pinned=constraints.pinned,
        never=constraints.swapped_out,
        coach_days=constraints.schedule is not None,
        stops=stop_log.recent_stops(uow, person_id, today),
    )
    uow.session.add(ProfileRecord(user_id=person_id, at=now, data=document))
    made = None
    if result.plan != plan:
        made = add_plan(uow=uow, person_id=person_id, plan=result.plan, now=now).id
    row = ProfileChange(
        user_id=person_id,
        at=now,
        plan_id=made,
        changes=[change.to_dict() for change in result.changes],
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def recent_changes(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> tuple[ChangeView, ...]:
    """The latest changes of profile, newest first (at most `CHANGES_SHOWN`)."""
    authorize(uow, principal, Action.READ, person_id, what="program", now=now)
    rows = uow.session.scalars(
        select(ProfileChange)
        .where(ProfileChange.user_id == person_id)
        .order_by(ProfileChange.at.desc(), ProfileChange.id.desc())
        .limit(CHANGES_SHOWN)
    )
    return tuple(_view(row) for row in rows)


def equipment_of(values: Collection[str]) -> frozenset[Equipment]:
    """Kit values as the engine takes them, unknown ones left out (the form refuses them)."""
    known = {item.value: item for item in Equipment}
    return frozenset(known[value] for value in values if value in known)


def _saved_profile(uow: UnitOfWork, person_id: int) -> dict[str, object]:
    latest = uow.session.scalar(
        select(ProfileRecord.data)
        .where(ProfileRecord.user_id == person_id)
        .order_by(ProfileRecord.at.desc(), ProfileRecord.id.desc())
        .limit(1)
    )
    return dict(latest) if latest else {}


def _last_session(uow: UnitOfWork, person_id: int) -> dt.date | None:
    return uow.session.scalar(
        select(func.max(TrainingSession.day)).where(
            TrainingSession.user_id == person_id, TrainingSession.finished_at.is_not(None)
        )
    )


def _view(row: ProfileChange) -> ChangeView:
    return ChangeView(
        row.id,
        row.at,
        row.plan_id,
        tuple(reason_from_json(item["code"], item.get("params")) for item in row.changes),
    )
