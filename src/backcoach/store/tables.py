"""The database tables: everything a person entered, each row with its time."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Times stored and read back as aware UTC, on SQLite (which keeps no zone) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC time")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        dt.datetime: UtcDateTime,
    }


def _owner(*, index: bool = True) -> Mapped[int]:
    # Deleting a user deletes all their rows, in the database itself. ``index=False`` where a
    # composite index starts with user_id: it serves the same look-ups (and the cascade).
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=index)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: Secret part of the private calendar (ICS) address.
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True)
    #: Set when the person confirms a clinician has cleared them after a red flag.
    cleared_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    cleared_note: Mapped[str | None] = mapped_column(Text)
    #: The referring screening the clearance covers: any later referral refers again (ids, not
    #: times, so that two rows written in the same instant are still in order).
    cleared_screening_id: Mapped[int | None] = mapped_column(Integer)
    #: person, coach or admin (services/access.py says what each may do).
    role: Mapped[str] = mapped_column(String(20), default="person", server_default="person")
    #: IANA name of the zone that decides the person's "today"; None: the server's.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    #: Who recorded the clearance when a coach did (a clinician's, replacing the person's own
    #: word while a coach is linked); an id, kept if that account goes. None: the person.
    cleared_by_id: Mapped[int | None] = mapped_column(Integer)
    #: The name the person gives, shown to their coach (None: the email is shown).
    display_name: Mapped[str | None] = mapped_column(String(80))
    #: A coach's practice (at most one); its coaches share their clients.
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", ondelete="SET NULL", name="fk_users_practice_id_practices")
    )

    auth_sessions: Mapped[list[AuthSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


class AuthSession(Base):
    """A login: the cookie holds a random token, the table only its hash."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(back_populates="auth_sessions")


class LoginAttempt(Base):
    """Failed logins by email and client address, for rate limiting across every app server
    sharing the database."""

    __tablename__ = "login_attempts"
    # Attempts for one email in the window: count them and find the latest.
    __table_args__ = (Index("ix_login_attempts_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class AppSecret(Base):
    """The server's signing key when none is configured, shared by all app servers."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class Screening(Base):
    """Red-flag answers, at onboarding or at a check-in, with the outcome."""

    __tablename__ = "screenings"
    # The latest screening, and referrals since a clearance, in time order.
    __table_args__ = (Index("ix_screenings_user_id_at_id", "user_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    context: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]]
    refer: Mapped[bool] = mapped_column(Boolean)
    urgency: Mapped[str | None] = mapped_column(String(20))


class Measure(Base):
    """One questionnaire: the answers as given and the score the engine worked out."""

    __tablename__ = "measures"
    # The latest answer to one questionnaire, and when each was last asked.
    __table_args__ = (
        Index("ix_measures_user_id_instrument_day", "user_id", "instrument", "day"),
        # Every answer of a window of days (the progress charts).
        Index("ix_measures_user_id_day", "user_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    day: Mapped[dt.date] = mapped_column(Date)
    instrument: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]]
    score: Mapped[float] = mapped_column(Float)
    result: Mapped[dict[str, Any]]


class ProfileRecord(Base):
    """The onboarding answers that shape a program; a new row each time they change."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    data: Mapped[dict[str, Any]]


class PlanRecord(Base):
    """A program as the engine printed it (the CLI's plan document); one is active at a time."""

    __tablename__ = "plans"
    __table_args__ = (
        # The active plan.
        Index("ix_plans_user_id_active_at_id", "user_id", "active", "at", "id"),
        # The plans that hold a window of days (the schedule, the calendar feed, progress).
        Index("ix_plans_user_id_at_id", "user_id", "at", "id"),
        # One active plan per person, kept by the database: two at once would be two programs.
        Index(
            "uq_plans_one_active_per_user",
            "user_id",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    data: Mapped[dict[str, Any]]
    #: The session whose finish or check-in decided this plan (None: built from the profile).
    decided_from_session_id: Mapped[int | None] = mapped_column(Integer)


class TrainingSession(Base):
    """One workout: pain before, worst during, after, and the next-morning check-in."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        # The finished sessions (latest first, or all for the log) and the open one.
        Index("ix_training_sessions_user_id_finished_at_id", "user_id", "finished_at", "id"),
        # The log in the engine's order, and the last day trained.
        Index("ix_training_sessions_user_id_day_started_at", "user_id", "day", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    pain_before: Mapped[int] = mapped_column(Integer)
    pain_during: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    pain_next_morning: Mapped[int | None] = mapped_column(Integer)
    #: none, same, less_far or further_down (see engine LegSymptoms); None when not asked.
    leg_symptoms: Mapped[str | None] = mapped_column(String(20))
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    sets: Mapped[list[SetRecord]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(SetRecord.exercise_id, SetRecord.number)",
    )


class SetRecord(Base):
    """One logged set, saved as soon as it is done (closing the tab loses nothing)."""

    __tablename__ = "set_logs"
    __table_args__ = (UniqueConstraint("session_id", "exercise_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[str] = mapped_column(String(80))
    number: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    load_kg: Mapped[float | None] = mapped_column(Float)
    rir: Mapped[int | None] = mapped_column(Integer)
    #: The reps the phone's camera counted (None: typed by the person); ``amount`` is confirmed.
    camera_reps: Mapped[int | None] = mapped_column(Integer)
    felt: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    session: Mapped[TrainingSession] = relationship(back_populates="sets")


class TightMoment(Base):
    """An "I feel tight" moment (M1, M10), with the drills offered."""

    __tablename__ = "tight_moments"
    __table_args__ = (Index("ix_tight_moments_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    drills: Mapped[list[Any]]


class AuditEvent(Base):
    """Who read or changed whose health data, when, how and whether it was allowed.

    The subject's rows go with their account (CASCADE); the actor is kept as an id without a
    foreign key, so an entry outlives the account of whoever read (a coach who left).
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    subject_id: Mapped[int] = _owner()
    #: read, write, export or account (services/access.py Action)
    action: Mapped[str] = mapped_column(String(20))
    #: What was read or changed, e.g. "progress", "program", "export.json".
    what: Mapped[str] = mapped_column(String(40))
    #: web, api or cli.
    channel: Mapped[str] = mapped_column(String(10))
    allowed: Mapped[bool] = mapped_column(Boolean)


class Practice(Base):
    """A group of coaches who share their clients; a coach joins it with its code."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CoachLink(Base):
    """A client's agreement to share with a coach, from when it started to when it ended."""

    __tablename__ = "coach_links"
    __table_args__ = (
        # One open link per client, kept by the database: two coaches at once would each
        # believe they are the one in charge.
        Index(
            "uq_coach_links_one_open_per_client",
            "client_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        # A coach's clients (the open links first found by the coach).
        Index("ix_coach_links_coach_id_ended_at", "coach_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    #: Who ended it (the client, the coach or an admin); an id, kept if that account goes.
    ended_by_id: Mapped[int | None] = mapped_column(Integer)
    #: The codes of what the client agreed to share (services/coaching.py SHARED).
    shared: Mapped[list[Any]]


class CoachInvite(Base):
    """A single-use, expiring invitation from a coach; the link holds a token, the table its
    hash."""

    __tablename__ = "coach_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    used_by_id: Mapped[int | None] = mapped_column(Integer)


# The care and API tables live in their own modules; importing them registers them on Base.metadata.
from backcoach.store import api_tables as _api_tables  # noqa: E402, F401
from backcoach.store import care_tables as _care_tables  # noqa: E402, F401

# --- Account (issue 13): a program's pauses, and what a change of profile did to the program. --


class ProgramPause(Base):
    """A pause of the person's program: no training day is planned from ``starts_on`` to
    ``ends_on`` (inclusive; None: until they resume), so none can be missed."""

    __tablename__ = "program_pauses"
    __table_args__ = (Index("ix_program_pauses_user_id_starts_on", "user_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    made_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: When the person resumed before the end they had set (or ended an open pause).
    resumed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ProfileChange(Base):
    """A change of kit, level or days made after onboarding: what the program was re-prescribed
    with, as the engine's codes (engine/replan.py), and the plan it made."""

    __tablename__ = "profile_changes"
    __table_args__ = (Index("ix_profile_changes_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: The plan the change made (None when only the saved profile changed).
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    #: Each change as ``{"code": ..., "params": {...}}``, in the order said.
    changes: Mapped[list[Any]] = mapped_column(JSON)


# --- Sign-in and reminders (issue 13): password reset links, known devices' failed logins,
# each person's reminder choices and the email reminders sent. ---------------------------------


class PasswordReset(Base):
    """A single-use, expiring password reset link: the link holds a token, the table its hash."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: A digest of the password hash when the link was made: a password changed since (by this
    #: link, another, or the account page) voids the link without anyone having to find it.
    password_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class KnownDeviceFailure(Base):
    """A failed login from a browser that has logged in to that account before (it carries a
    signed device cookie): counted apart from everyone else's failures for the account, so that
    a stranger's guesses never slow the owner's own device (services/login_limits.py)."""

    __tablename__ = "known_device_failures"
    __table_args__ = (Index("ix_known_device_failures_device_at", "device", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The hash of the device cookie's random part, never the cookie itself.
    device: Mapped[str] = mapped_column(String(64))
    #: The client address, counted with everyone else's failures from it.
    address: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class ReminderSetting(Base):
    """A person's reminders: on or off, the time of day (in their own time zone), by email too."""

    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean)
    #: Minutes after midnight, in the person's time zone.
    minute_of_day: Mapped[int] = mapped_column(Integer)
    by_email: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ReminderSent(Base):
    """An email reminder sent for one training day: each day's is sent once, whoever runs
    `backcoach reminders send` and however often."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_reminders_sent_user_id_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    day: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ExerciseStop(Base):
    """An exercise the person stopped in a session ("this hurts", "I can't do it"): skipped, or
    swapped for the easier rung, with why. Progression reads it (docs/progression.md, rule 7a)."""

    __tablename__ = "exercise_stops"
    __table_args__ = (
        # One stop per exercise of a session: saying it again corrects it.
        UniqueConstraint("session_id", "exercise_id"),
        # What progression reads: a person's stops of the last weeks.
        Index("ix_exercise_stops_user_id_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner(index=False)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[str] = mapped_column(String(80))
    #: pain or cannot (engine/stops.py StopReason).
    reason: Mapped[str] = mapped_column(String(20))
    #: easier (the easier rung was done instead) or skip.
    action: Mapped[str] = mapped_column(String(20))
    #: The easier rung done instead (None for a skip).
    to_exercise_id: Mapped[str | None] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
