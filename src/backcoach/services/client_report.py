"""A coach's progress report of one client (issue 11, item 7): the person's clinical progress
report (services/report.py) with the coach's summary paragraph, the coach's overrides of the
program and who recorded a clinician's clearance.

Only a coach reaches it, and only of a client linked to them or to a colleague of their
practice (`access.can`, READ); each report made is written to the audit log by `report_data`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select

from backcoach.reports.progress_data import OverrideEntry, ReportData
from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.errors import Forbidden, Invalid
from backcoach.services.report import report_data
from backcoach.store.care_tables import CoachOverride
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import User

#: The longest summary paragraph: about a third of a page of the report.
MAX_SUMMARY = 2000
#: The overrides printed, newest first: a long care stays a few pages.
MAX_OVERRIDES = 40


@dataclass(frozen=True, slots=True)
class ReportSubject:
    """Who the report is about, as the coach's form names them."""

    client_id: int
    name: str


def report_subject(
    *, uow: UnitOfWork, principal: Principal, client_id: int, now: dt.datetime
) -> ReportSubject:
    """The client a coach may make a report of (for the form that asks for the summary)."""
    _require_coach(principal)
    authorize(uow, principal, Action.READ, client_id, what="report", now=now)
    user = uow.session.get_one(User, client_id)
    return ReportSubject(client_id, user.display_name or user.email)


def clean_summary(summary: str) -> str:
    """The summary as printed: trimmed; refused beyond `MAX_SUMMARY` characters."""
    text = summary.strip().replace("\r\n", "\n")
    if len(text) > MAX_SUMMARY:
        raise Invalid("report.summary_too_long", field="summary", max=MAX_SUMMARY, count=len(text))
    return text


def coach_report(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    summary: str,
    today: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> tuple[ReportData, str]:
    """The report's data with the coach's overrides and clearance, and the summary to print."""
    _require_coach(principal)
    text = clean_summary(summary)
    data = report_data(
        uow=uow, principal=principal, person_id=client_id, today=today, zone=zone, now=now
    )
    person = uow.session.get_one(User, client_id)
    name = person.display_name or person.email
    overrides = _overrides(uow, client_id, zone)
    return replace(data, person=name, overrides=overrides), text


def _require_coach(principal: Principal) -> None:
    if principal.role is not Role.COACH:
        raise Forbidden("coaching.coach_only")


def _name(uow: UnitOfWork, user_id: int) -> str | None:
    row = uow.session.execute(
        select(User.display_name, User.email).where(User.id == user_id)
    ).first()
    return None if row is None else (row.display_name or row.email)


def _overrides(uow: UnitOfWork, client_id: int, zone: dt.tzinfo) -> tuple[OverrideEntry, ...]:
    """The client's overrides, newest first (at most `MAX_OVERRIDES`), with the coach's name;
    read from the table, the record services/overrides.py keeps."""
    rows = uow.session.execute(
        select(CoachOverride, User.display_name, User.email)
        .outerjoin(User, User.id == CoachOverride.coach_id)
        .where(CoachOverride.client_id == client_id)
        .order_by(CoachOverride.at.desc(), CoachOverride.id.desc())
        .limit(MAX_OVERRIDES)
    ).all()
    return tuple(
        OverrideEntry(
            at=row.at.astimezone(zone),
            kind=row.kind,
            values=dict(row.data or {}),
            coach=display_name or email,
            note=row.note,
            undone_at=row.undone_at.astimezone(zone) if row.undone_at else None,
        )
        for row, display_name, email in rows
    )
