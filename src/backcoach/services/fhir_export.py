"""A person's record as a FHIR R4 Bundle (``Patient/{id}/$everything``, `backcoach export fhir`).

The same rules as the JSON export (services/export.py): only the person themselves may take it
(a coach reads and changes, never exports: `access.can`), and every export is written to their
audit log. The rows are read here; the document is built by `backcoach.formats.fhir`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from backcoach.formats.fhir import MeasureRecord, PersonRecord, SessionRecord, everything_bundle
from backcoach.formats.fhir_careplan import ProgramRecord
from backcoach.services import safety
from backcoach.services.access import Action, Channel, Principal, Role, authorize
from backcoach.services.accounts import normalise_email
from backcoach.services.errors import Forbidden, NotFound
from backcoach.services.onboarding import active_plan
from backcoach.services.programs import stored_plan
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import Measure, TrainingSession, User

#: What the audit log calls this export.
AUDIT_WHAT = "export.fhir"


def patient_everything(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    now: dt.datetime,
    base_url: str | None = None,
) -> dict[str, Any]:
    """The Bundle of everything the person entered that FHIR carries (docs/fhir.md); audited.

    ``base_url``: the FHIR base the entries' ``fullUrl`` are made from (None: none given)."""
    authorize(uow, principal, Action.EXPORT, person_id, what=AUDIT_WHAT, now=now)
    user = uow.session.get_one(User, person_id)
    bundle = everything_bundle(
        person=PersonRecord(user.id, user.display_name),
        measures=_measures(uow, person_id),
        program=_program(uow, person_id),
        sessions=_sessions(uow, person_id),
        now=now,
        base_url=base_url,
    )
    uow.commit()  # the audit line
    return bundle


def patient_everything_by_email(
    *,
    uow: UnitOfWork,
    principal: Principal,
    email: str,
    now: dt.datetime,
    base_url: str | None = None,
) -> dict[str, Any]:
    """The same Bundle for the account with ``email``, taken by the server's operator at the
    command line: it is taken as that account, through the command line, so the account's audit
    log says it was exported there (as `operator_accounts.create_token_for` makes a token)."""
    if principal.role is not Role.ADMIN or principal.channel is not Channel.CLI:
        raise Forbidden("access.forbidden", what="export")
    user = uow.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound("account.not_found", field="email")
    holder = Principal(user.id, Role(user.role), Channel.CLI)
    return patient_everything(
        uow=uow, principal=holder, person_id=user.id, now=now, base_url=base_url
    )


def _measures(uow: UnitOfWork, person_id: int) -> list[MeasureRecord]:
    rows = uow.session.scalars(
        select(Measure).where(Measure.user_id == person_id).order_by(Measure.at, Measure.id)
    )
    return [MeasureRecord(row.id, row.at, row.instrument, row.score, row.result) for row in rows]


def _program(uow: UnitOfWork, person_id: int) -> ProgramRecord | None:
    """The active program; on hold while the referral gate is shut (the pages then hide it)."""
    record = active_plan(uow=uow, person_id=person_id)
    if record is None:
        return None
    on_hold = safety.gate(uow=uow, person_id=person_id) in _HELD
    return ProgramRecord(record.id, record.at, stored_plan(record).plan, on_hold)


#: A referral not yet cleared, or a screening left unanswered, holds the program (a long break's
#: questions asked again before the next session do not).
_HELD = frozenset({safety.Gate.REFERRED, safety.Gate.SCREENING})


def _sessions(uow: UnitOfWork, person_id: int) -> list[SessionRecord]:
    rows = uow.session.scalars(
        select(TrainingSession)
        .where(TrainingSession.user_id == person_id)
        .order_by(TrainingSession.day, TrainingSession.started_at, TrainingSession.id)
    )
    return [
        SessionRecord(
            id=row.id,
            started_at=row.started_at,
            finished_at=row.finished_at,
            checked_in_at=row.checked_in_at,
            pain_before=row.pain_before,
            pain_during=row.pain_during,
            pain_after=row.pain_after,
            pain_next_morning=row.pain_next_morning,
            leg_symptoms=row.leg_symptoms,
        )
        for row in rows
    ]
