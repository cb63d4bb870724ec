"""Reminders of training days (M7), at the time of day a person chooses, in their time zone:
an alarm on each training day of their calendar feed (services/calendar.py), a notification in
the open app (static/reminders.js asks `due_today`), and, where the server sends email, an
email on each training day (`send_due`, run by `backcoach reminders send` from cron)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from backcoach.services import calendar
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.accounts import person_zone
from backcoach.services.errors import Invalid
from backcoach.services.mail import Email, Sender
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import ReminderSent, ReminderSetting, User
from backcoach.wording.i18n import gettext
from backcoach.wording.sign_in_words import (
    REMINDER_BODY,
    REMINDER_LINK,
    REMINDER_SUBJECT,
)

#: The time offered until a person chooses one.
DEFAULT_TIME = dt.time(8, 0)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReminderChoice:
    """Whether reminders are on, at what time of the person's day, and by email too."""

    enabled: bool
    at: dt.time
    by_email: bool


@dataclass(frozen=True, slots=True)
class DueToday:
    """Today's reminder for the open app: whether today is a training day still to do, when."""

    training_day: bool
    at: dt.time
    #: The instant of ``at`` today, in the person's zone.
    at_instant: dt.datetime


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int
    failed: int


def reminder_choice(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> ReminderChoice:
    authorize(uow, principal, Action.READ, person_id, what="reminders", now=now)
    row = uow.session.get(ReminderSetting, person_id)
    if row is None:
        return ReminderChoice(enabled=False, at=DEFAULT_TIME, by_email=False)
    return ReminderChoice(row.enabled, _time_of(row.minute_of_day), row.by_email)


def parse_time(text: str) -> dt.time:
    """``08:30`` (or ``8:30``) to a time of day; refused with ``reminders.bad_time``."""
    found = _TIME.match(text.strip())
    if not found:
        raise Invalid("reminders.bad_time", field="at")
    return dt.time(int(found.group(1)), int(found.group(2)))


def set_reminders(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    enabled: bool,
    at: str,
    by_email: bool,
    email_possible: bool,
    now: dt.datetime,
) -> ReminderChoice:
    """Keep the person's choice; email only where the server sends email (``email_possible``)."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="reminders", now=now)
    time_of_day = parse_time(at)
    if by_email and not email_possible:
        raise Invalid("reminders.no_email", field="by_email")
    row = uow.session.get(ReminderSetting, person_id)
    if row is None:
        row = ReminderSetting(user_id=person_id)
        uow.session.add(row)
    row.enabled, row.by_email, row.updated_at = enabled, by_email, now
    row.minute_of_day = time_of_day.hour * 60 + time_of_day.minute
    uow.commit()
    return ReminderChoice(enabled, time_of_day, by_email)


def due_today(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    today: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> DueToday | None:
    """Today's reminder, for a notification in the open app; None when reminders are off."""
    choice = reminder_choice(uow=uow, principal=principal, person_id=person_id, now=now)
    if not choice.enabled:
        return None
    return DueToday(
        training_day=_training_still_to_do(uow, person_id, today, zone) is not None,
        at=choice.at,
        at_instant=dt.datetime.combine(today, choice.at, zone),
    )


def send_due(
    *,
    uow: UnitOfWork,
    now: dt.datetime,
    server_zone: ZoneInfo,
    send: Sender,
    base_url: str | None,
) -> SendReport:
    """Email each person whose reminder time has come on a training day still to do, once a
    day: each send is recorded before it goes (two runs at once send it once), and a send that
    fails is forgotten so that the next run tries again."""
    rows = uow.session.execute(
        select(ReminderSetting, User)
        .join(User, User.id == ReminderSetting.user_id)
        .where(ReminderSetting.enabled.is_(True), ReminderSetting.by_email.is_(True))
        .order_by(ReminderSetting.user_id)
    ).all()
    sent = failed = 0
    for setting, user in rows:
        zone = person_zone(user.time_zone, server_zone)
        local = now.astimezone(zone)
        if local.time() < _time_of(setting.minute_of_day):
            continue
        today = local.date()
        exercises = _training_still_to_do(uow, user.id, today, zone)
        if exercises is None or _already_sent(uow, user.id, today):
            continue
        if not _claim(uow, user.id, today, now):
            continue  # another run claimed it a moment ago
        try:
            send(_reminder_email(user.email, exercises, base_url))
        except Exception:  # any SMTP or network failure: try again at the next run
            log.warning("reminder email not sent; the next run tries again", exc_info=True)
            uow.session.execute(
                delete(ReminderSent).where(
                    ReminderSent.user_id == user.id, ReminderSent.day == today
                )
            )
            uow.commit()
            failed += 1
            continue
        sent += 1
    return SendReport(sent, failed)


def _training_still_to_do(
    uow: UnitOfWork, person_id: int, today: dt.date, zone: dt.tzinfo
) -> tuple[str, ...] | None:
    """Today's exercises when today is a training day without a finished session, else None."""
    planned = calendar.planned_days(
        uow=uow, person_id=person_id, today=today, zone=zone, first_day=today, last_day=today
    )
    if not planned:
        return None
    if calendar.done_days(uow=uow, person_id=person_id, first_day=today, last_day=today):
        return None
    return planned[0].exercises


def _already_sent(uow: UnitOfWork, person_id: int, day: dt.date) -> bool:
    found = uow.session.scalar(
        select(ReminderSent.id).where(ReminderSent.user_id == person_id, ReminderSent.day == day)
    )
    return found is not None


def _claim(uow: UnitOfWork, person_id: int, day: dt.date, now: dt.datetime) -> bool:
    uow.session.add(ReminderSent(user_id=person_id, day=day, sent_at=now))
    try:
        uow.commit()
    except IntegrityError:
        uow.session.rollback()
        return False
    return True


def _reminder_email(to: str, exercises: tuple[str, ...], base_url: str | None) -> Email:
    link = gettext(REMINDER_LINK).format(link=f"{base_url}/today") if base_url else ""
    body = gettext(REMINDER_BODY).format(exercises="; ".join(exercises), link=link)
    return Email(to=to, subject=gettext(REMINDER_SUBJECT), body=body)


def _time_of(minute_of_day: int) -> dt.time:
    return dt.time(minute_of_day // 60, minute_of_day % 60)
