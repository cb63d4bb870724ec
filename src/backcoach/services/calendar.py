"""The training calendar: the days planned, a month to show, and the private ICS feed (M7)."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select

from backcoach.services import safety
from backcoach.services.access import Action, Principal, authorize
from backcoach.services.accounts import person_zone
from backcoach.services.pause_windows import pause_windows, paused
from backcoach.services.programs import stored_plan
from backcoach.services.safety import Gate
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import PlanRecord, ReminderSetting, TrainingSession, User
from backcoach.wording.calendar_words import CALENDAR_NAME, SUMMARY, describe, event_description
from backcoach.wording.i18n import gettext
from backcoach.wording.sign_in_words import REMINDER_ALARM

#: How far back the feed goes: calendar apps keep what they show in step with the feed, so
#: older training days leave the calendar; the app's own schedule still shows every month.
FEED_PAST = dt.timedelta(weeks=8)
#: What calendar_token values look like (secrets.token_urlsafe); anything else is not looked up.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True, slots=True)
class PlannedDay:
    """A training day, with the exercises of the plan in charge of it."""

    day: dt.date
    plan_id: int
    exercises: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    planned: bool
    done: bool
    today: bool


@dataclass(frozen=True, slots=True)
class MonthView:
    """One month of the calendar: weeks of days from Monday, and the planned days in it."""

    first: dt.date
    weeks: tuple[tuple[CalendarDay, ...], ...]
    planned: tuple[PlannedDay, ...]
    done: tuple[dt.date, ...]
    previous: dt.date
    following: dt.date
    #: The first planned day from today, in any month.
    upcoming: PlannedDay | None


def planned_days(
    *,
    uow: UnitOfWork,
    person_id: int,
    today: dt.date,
    zone: dt.tzinfo,
    first_day: dt.date,
    last_day: dt.date = dt.date.max,
    with_exercises: bool = True,
) -> tuple[PlannedDay, ...]:
    """The training days from ``first_day`` to ``last_day``: each plan's days up to the day a
    newer plan replaced it, then the active plan's days.

    A plan made after a session only schedules days ahead; keeping the earlier plans' past days
    keeps what was due (and missed) visible, for the calendar and for adherence. Only the plans
    that can hold a day of the window are read (those replaced on or after its first day, and
    none made after its last day but the one that replaced the last), and of those only the
    schedule unless ``with_exercises``: the cost is the window's, not the history's.
    """
    plans = _plans_around(uow, person_id, first_day, last_day, zone)
    days: dict[dt.date, PlannedDay] = {}
    # While the referral gate is shut, no day ahead is planned, whatever the plan says.
    gate_open = safety.gate(uow=uow, person_id=person_id) is Gate.OPEN
    for index, plan in enumerate(plans):
        if index + 1 < len(plans):
            until = plans[index + 1].at.astimezone(zone).date()
        elif plan.active and gate_open:
            until = dt.date.max
        else:
            # No active plan, or the gate is shut (a red flag): keep only the days already gone.
            until = today - dt.timedelta(days=1)
        until = min(until, last_day)
        for text in plan.schedule:
            day = dt.date.fromisoformat(text)
            if first_day <= day <= until:
                days[day] = PlannedDay(day, plan.id, ())
    # A paused day is not planned, even one an earlier plan had (services/pause_windows.py).
    windows = pause_windows(uow, person_id=person_id, zone=zone)
    if windows:
        days = {day: planned for day, planned in days.items() if not paused(day, windows)}
    if with_exercises:
        described = _exercises_of(uow, {planned.plan_id for planned in days.values()})
        days = {d: PlannedDay(d, p.plan_id, described[p.plan_id]) for d, p in days.items()}
    return tuple(days[day] for day in sorted(days))


@dataclass(frozen=True, slots=True)
class _PlanDays:
    id: int
    at: dt.datetime
    active: bool
    schedule: tuple[str, ...]


def _plans_around(
    uow: UnitOfWork, person_id: int, first_day: dt.date, last_day: dt.date, zone: dt.tzinfo
) -> list[_PlanDays]:
    """The plans whose days can fall from ``first_day`` to ``last_day``, oldest first: the last
    one made before the window (in charge until the next) and those made in it. Each plan's
    schedule is read from its stored document alone, without decoding the rest of it."""
    # Which plans first, from the index alone; then the schedules of those only (sorting rows
    # that carry their documents would read every plan's document).
    keys = select(PlanRecord.id).where(PlanRecord.user_id == person_id)
    opens = _start_of(first_day, zone)
    before = keys.where(PlanRecord.at < opens).order_by(PlanRecord.at.desc(), PlanRecord.id.desc())
    after = keys.where(PlanRecord.at >= opens)
    if last_day < dt.date.max - dt.timedelta(days=1):
        # A plan schedules from the day it is made, so one made after the window's last day
        # holds none of its days; it would end its predecessor after the window, too late to
        # change a day of it.
        after = after.where(PlanRecord.at < _start_of(last_day + dt.timedelta(days=1), zone))
    wanted = [*uow.session.scalars(before.limit(1)), *uow.session.scalars(after)]
    if not wanted:
        return []
    rows = uow.session.execute(
        select(PlanRecord.id, PlanRecord.at, PlanRecord.active, PlanRecord.data["schedule"])
        .where(PlanRecord.id.in_(wanted))
        .order_by(PlanRecord.at, PlanRecord.id)
    )
    return [
        _PlanDays(plan_id, at, active, tuple(schedule or ()))
        for plan_id, at, active, schedule in rows
    ]


def _start_of(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), zone)


def _exercises_of(uow: UnitOfWork, plan_ids: set[int]) -> dict[int, tuple[str, ...]]:
    """Each plan's exercises in words, for the days a calendar shows (one statement)."""
    if not plan_ids:
        return {}
    rows = uow.session.scalars(select(PlanRecord).where(PlanRecord.id.in_(plan_ids)))
    return {
        row.id: tuple(describe(item) for item in stored_plan(row).plan.exercises) for row in rows
    }


def done_days(
    *, uow: UnitOfWork, person_id: int, first_day: dt.date, last_day: dt.date = dt.date.max
) -> tuple[dt.date, ...]:
    """Days with a finished session, from ``first_day`` to ``last_day``."""
    rows = uow.session.scalars(
        select(TrainingSession.day)
        .where(
            TrainingSession.user_id == person_id,
            TrainingSession.finished_at.is_not(None),
            TrainingSession.day >= first_day,
            TrainingSession.day <= last_day,
        )
        .distinct()
    )
    return tuple(sorted(rows))


def month_view(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    month: dt.date,
    today: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> MonthView:
    """The month holding ``month``, each day marked planned, done and today."""
    authorize(uow, principal, Action.READ, person_id, what="schedule", now=now)
    first = month.replace(day=1)
    grid = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    # The month's weeks, and from today on for the next session wherever it falls.
    shown = (grid[0][0], grid[-1][-1])
    window = (min(shown[0], today), dt.date.max if shown[1] >= today else shown[1])
    planned = planned_days(
        uow=uow,
        person_id=person_id,
        today=today,
        zone=zone,
        first_day=window[0],
        last_day=window[1],
    )
    done = done_days(uow=uow, person_id=person_id, first_day=window[0], last_day=window[1])
    if window[1] < today:  # a past month: the next session is read on its own
        planned += planned_days(
            uow=uow, person_id=person_id, today=today, zone=zone, first_day=today
        )
        done += done_days(uow=uow, person_id=person_id, first_day=today)
    planned_set, done_set = {p.day for p in planned}, set(done)
    weeks = tuple(
        tuple(
            CalendarDay(
                day=day,
                in_month=day.month == first.month,
                planned=day in planned_set,
                done=day in done_set,
                today=day == today,
            )
            for day in week
        )
        for week in grid
    )
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return MonthView(
        first=first,
        weeks=weeks,
        planned=tuple(p for p in planned if first <= p.day <= last),
        done=tuple(d for d in done if first <= d <= last),
        previous=(first - dt.timedelta(days=1)).replace(day=1),
        following=last + dt.timedelta(days=1),
        upcoming=next((p for p in planned if p.day >= today and p.day not in done_set), None),
    )


def days_ahead(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    today: dt.date,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> tuple[PlannedDay, ...]:
    """The training days still ahead, from today (less today once trained), with their
    exercises: what the schedule page marks "planned" (for the API)."""
    authorize(uow, principal, Action.READ, person_id, what="schedule", now=now)
    planned = planned_days(uow=uow, person_id=person_id, today=today, zone=zone, first_day=today)
    done = set(done_days(uow=uow, person_id=person_id, first_day=today, last_day=today))
    return tuple(item for item in planned if item.day not in done)


def calendar_token(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> str:
    """The secret of the person's private calendar address (their page shows the address)."""
    authorize(uow, principal, Action.READ, person_id, what="calendar_address", now=now)
    return uow.session.get_one(User, person_id).calendar_token


def rotate_token(*, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime) -> str:
    """Make a new private calendar address; the old one stops working at once."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="calendar_address", now=now)
    user = uow.session.get_one(User, person_id)
    user.calendar_token = secrets.token_urlsafe(32)
    uow.commit()
    return user.calendar_token


def feed(*, uow: UnitOfWork, token: str, now: dt.datetime, server_zone: ZoneInfo) -> bytes | None:
    """The ICS feed for a calendar token, or None when no one holds it: the training days of
    the last `FEED_PAST` and ahead, in the owner's time zone (the server's when they chose
    none), each day still to do with an alarm at their reminder time when reminders are on."""
    if not _TOKEN.match(token):
        return None
    user = uow.session.scalar(select(User).where(User.calendar_token == token))
    if user is None:
        return None
    zone = person_zone(user.time_zone, server_zone)
    today = now.astimezone(zone).date()
    cal = Calendar()
    cal.add("prodid", "-//backcoach//training calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", gettext(CALENDAR_NAME))
    since = today - FEED_PAST
    alarm = _alarm_time(uow, user.id)
    done = set(done_days(uow=uow, person_id=user.id, first_day=today)) if alarm else set()
    for planned in planned_days(
        uow=uow, person_id=user.id, today=today, zone=zone, first_day=since
    ):
        due = alarm is not None and planned.day >= today and planned.day not in done
        cal.add_component(_event(token, planned, now, alarm if due else None))
    body: bytes = cal.to_ical()
    return body


def event_uid(token: str, day: dt.date) -> str:
    """An event id stable per address and day (calendar apps update rather than duplicate)
    that reveals no internal id: an HMAC of the day keyed by the calendar token."""
    digest = hmac.new(token.encode(), day.isoformat().encode(), hashlib.sha256).hexdigest()
    return f"{digest[:32]}@backcoach"


def _alarm_time(uow: UnitOfWork, person_id: int) -> dt.time | None:
    """The person's reminder time (services/reminders.py keeps it); None when reminders are off."""
    row = uow.session.get(ReminderSetting, person_id)
    if row is None or not row.enabled:
        return None
    return dt.time(row.minute_of_day // 60, row.minute_of_day % 60)


def _event(token: str, planned: PlannedDay, now: dt.datetime, alarm: dt.time | None) -> Event:
    event = Event()
    event.add("uid", event_uid(token, planned.day))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", planned.day)
    event.add("dtend", planned.day + dt.timedelta(days=1))
    event.add("summary", gettext(SUMMARY))
    event.add("description", event_description(planned.exercises))
    event.add("transp", "TRANSPARENT")
    if alarm is not None:
        # Relative to the all-day event's start, the day's midnight: the calendar app rings at
        # that time of the day where it is, which is the person's own zone when they are home
        # (a trigger relative to the start is the form every calendar app understands).
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", gettext(REMINDER_ALARM))
        reminder.add("trigger", dt.timedelta(hours=alarm.hour, minutes=alarm.minute))
        event.add_component(reminder)
    return event
