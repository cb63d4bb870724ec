"""What the import tests share: a person with a long history built through the services, the
databases to import into, and comparing two accounts row by row."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select

from backcoach.engine.screening import CHECK_IN_IDS, all_clear
from backcoach.engine.stops import StopAction, StopReason
from backcoach.engine.vocabulary import Equipment, Felt, LegSymptoms, Level
from backcoach.services import (
    accounts,
    export,
    importer,
    onboarding,
    profile_change,
    program_pause,
    reminders,
    stops,
    tight,
    training,
)
from backcoach.services.access import principal_of
from backcoach.services.sets import SetInput
from backcoach.store.db import Database, UnitOfWork
from backcoach.store.tables import Base, User

PASSWORD, NEW_PASSWORD = "the old long password", "a brand new password"
ME, OTHER, THIRD = "walker@example.org", "walker.moved@example.org", "walker.3@example.org"
#: Microseconds on purpose: times must come back to the microsecond.
START = dt.datetime(2026, 9, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
#: Tables an export leaves out on purpose: logins, failed logins, the server's key, and the
#: audit log (its actors are accounts of the old server; the new one starts its own).
# Coaching (practices, a coach's links and invitations) is between accounts of one server: an
# import makes a person with no coach, as a new account is.
NOT_CARRIED = {
    "auth_sessions",
    "login_attempts",
    "app_secrets",
    "audit_events",
    "practices",
    "coach_links",
    "coach_invites",
    # A coach's care is between accounts of one server too: what needs attention, its
    # acknowledgements, the coach's notes, the message thread and the coach's overrides.
    "client_attention",
    "attention_acks",
    "coach_notes",
    "messages",
    "coach_overrides",
    # The API's: access tokens are this server's secrets (made anew where one moves), and the
    # operations a phone sent are this server's record of what it already did.
    "api_tokens",
    "client_operations",
    # Sign-in's and reminders' bookkeeping, not what the person entered: password reset links
    # are secrets of this server (made anew where one moves, as logins are), failed logins from
    # a known device are counted like login_attempts, and the reminder emails sent record what
    # this server's mail did (the new one sends its own, from the carried reminder choice).
    "password_resets",
    "known_device_failures",
    "reminders_sent",
}
#: Columns of carried tables pointing at what is not carried: a coach's practice, and the coach
#: who recorded a clinician's clearance.
NOT_CARRIED_COLUMNS = {("users", "practice_id"), ("users", "cleared_by_id")}
#: Columns pointing at another table's row, and that table (followed through the id maps).
REFERENCES = {
    ("users", "cleared_screening_id"): "screenings",
    ("plans", "decided_from_session_id"): "training_sessions",
    ("training_sessions", "plan_id"): "plans",
    ("set_logs", "session_id"): "training_sessions",
    ("exercise_stops", "session_id"): "training_sessions",
    ("profile_changes", "plan_id"): "plans",
}
#: What the import gives anew: the secret calendar address and the password. (The role is not
#: exported: an import makes a person, as the accounts here all are.)
NEW_ON_IMPORT = {"calendar_token", "password_hash"}


# --- databases and a person with a long history --------------------------------------------------


def _at(hours: float) -> dt.datetime:
    return START + dt.timedelta(hours=hours)


def _user(uow: UnitOfWork, email: str) -> User:
    return uow.session.scalars(select(User).where(User.email == email)).one()


def _train(
    uow: Any,
    user: User,
    *,
    hours: float,
    sets: int,
    legs: LegSymptoms,
    morning: int | None,
    stop: bool = False,
) -> None:
    """A session with ``sets`` sets of each of the first two exercises, finished with these leg
    symptoms, and checked in the next morning unless ``morning`` is None; with ``stop``, one
    exercise hurt (its easier rung done instead) and another could not be done (skipped)."""
    day = _at(hours).date()
    session = training.start_session(
        uow=uow,
        principal=principal_of(user),
        person_id=user.id,
        pain_before=4,
        today=day,
        now=_at(hours),
    )
    program = training.current_program(
        uow=uow, principal=principal_of(user), person_id=user.id, now=_at(hours)
    )
    assert program is not None
    for n, item in enumerate(program.plan.exercises[:2]):
        for number in range(1, sets + 1):
            entry = SetInput(
                exercise_id=item.exercise.id,
                number=number,
                amount=item.dose_max,
                felt=Felt.TARGET if number < sets else Felt.LOW_BACK,
                load_kg=2.5 * number if n == 0 else None,
                rir=2 if n == 0 else None,
                camera_reps=item.dose_max - 1 if n == 0 and number == 1 else None,
            )
            training.log_set(
                uow=uow,
                principal=principal_of(user),
                person_id=user.id,
                session_id=session.id,
                entry=entry,
                now=_at(hours + 0.1),
            )
    if stop:
        planned = [item.exercise.id for item in program.plan.exercises]
        _stop_two(uow, user, session.id, planned, now=_at(hours + 0.2))
    training.finish_session(
        uow=uow,
        principal=principal_of(user),
        person_id=user.id,
        session_id=session.id,
        pain_during=3,
        pain_after=2,
        leg_symptoms=legs,
        today=day,
        now=_at(hours + 0.5),
    )
    if morning is not None:
        training.check_in(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            session_id=session.id,
            pain_next_morning=morning,
            red_flags=dict.fromkeys(CHECK_IN_IDS, False),
            today=day + dt.timedelta(days=1),
            now=_at(hours + 23),
        )


def _stop_two(
    uow: Any, user: User, session_id: int, planned: list[str], *, now: dt.datetime
) -> None:
    easier = stops.easier_instead(
        uow=uow, principal=principal_of(user), person_id=user.id, session_id=session_id, now=now
    )
    # One with an easier rung hurt (after its sets, perhaps), another could not be done.
    hurt = next(exercise_id for exercise_id in planned if easier[exercise_id] is not None)
    cannot = next(exercise_id for exercise_id in planned if exercise_id != hurt)
    for exercise_id, reason, action in (
        (hurt, StopReason.PAIN, StopAction.EASIER),
        (cannot, StopReason.CANNOT, StopAction.SKIP),
    ):
        stops.record_stop(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            session_id=session_id,
            exercise_id=exercise_id,
            reason=reason.value,
            action=action.value,
            now=now,
            today=now.date(),
        )


def _pause_change_and_remind(uow: Any, user: User) -> None:
    """A week's pause, resumed early; an open pause ahead; a change of kit and days; reminders
    by email at 07:45."""
    me, today = principal_of(user), _at(122).date()
    program_pause.pause_program(
        uow=uow,
        principal=me,
        person_id=user.id,
        starts_on=today,
        ends_on=today + dt.timedelta(days=6),
        today=today,
        now=_at(122),
    )
    program_pause.resume_program(
        uow=uow, principal=me, person_id=user.id, today=today, now=_at(125)
    )
    choice = profile_change.ProfileChoice(
        level=Level.BEGINNER,
        days_per_week=3,
        equipment=frozenset({Equipment.BAND}),
        weekdays=(0, 2, 4),
    )
    profile_change.change_profile(
        uow=uow, principal=me, person_id=user.id, choice=choice, today=today, now=_at(126)
    )
    program_pause.pause_program(
        uow=uow,
        principal=me,
        person_id=user.id,
        starts_on=today + dt.timedelta(days=20),
        ends_on=None,
        today=today,
        now=_at(127),
    )
    reminders.set_reminders(
        uow=uow,
        principal=me,
        person_id=user.id,
        enabled=True,
        at="07:45",
        by_email=True,
        email_possible=True,
        now=_at(128),
    )


def build_rich_account(database: Database, email: str = ME) -> None:
    """Through the real services: a referral cleared by a clinician, measures of five
    instruments, profiles, plans decided from sessions, sets, check-ins, tight moments, exercises
    stopped in a session, pauses, a change of profile and the reminder choice."""
    with database.unit_of_work() as uow:
        assert accounts.sign_up(uow=uow, email=email, password=PASSWORD, now=_at(0))
    with database.unit_of_work() as uow:
        user = _user(uow, email)
        flagged = all_clear(age=51) | {"saddle_numbness": True}
        onboarding.record_screening(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            answers=flagged,
            today=_at(1).date(),
            now=_at(1),
        )
        onboarding.confirm_cleared(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            note="Seen by Dr Rao, go ahead",
            now=_at(2),
        )
        onboarding.record_screening(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            answers=all_clear(age=51),
            today=_at(2.5).date(),
            now=_at(2.5),
        )
        answers: dict[str, dict[str, Any]] = {
            "nprs": {"score": 6},
            "psfs": {"activities": [{"name": "Putting on socks", "score": 4}]},
            "startback": {"score": 2, "psychosocial": 1},
            "odi": {"sections": [2, 1, None, 3, 2, 1, 0, 2, 1, 1]},
            "rmdq": {"score": 9},
        }
        onboarding.record_measures(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            answers=answers,
            today=_at(3).date(),
            now=_at(3),
        )
        profile = {"pain": 6, "level": "beginner", "days_per_week": 3, "equipment": ["band"]}
        onboarding.start_program(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            profile=profile,
            today=_at(3).date(),
            now=_at(3.5),
        )
        _train(uow, user, hours=24, sets=2, legs=LegSymptoms.LESS_FAR, morning=2)
        tight.log_tight_moment(
            uow=uow, principal=principal_of(user), person_id=user.id, now=_at(60)
        )
        onboarding.start_program(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            profile={
                **profile,
                "level": "intermediate",
                "days_per_week": 4,
                "equipment": ["band", "dumbbell"],
            },
            today=_at(70).date(),
            now=_at(70),
        )
        _train(uow, user, hours=72, sets=3, legs=LegSymptoms.SAME, morning=1, stop=True)
        _train(uow, user, hours=120, sets=1, legs=LegSymptoms.NONE, morning=None)
        tight.log_tight_moment(
            uow=uow, principal=principal_of(user), person_id=user.id, now=_at(121)
        )
        _pause_change_and_remind(uow, user)
        onboarding.record_measures(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            answers={"nprs": {"score": 3}},
            today=_at(130).date(),
            now=_at(130),
        )


def export_of(database: Database, email: str) -> dict[str, Any]:
    with database.unit_of_work() as uow:
        person = _user(uow, email)
        document = export.export_json(
            uow=uow, principal=principal_of(person), person_id=person.id, now=_at(200)
        )
    loaded: dict[str, Any] = json.loads(document)
    return loaded


def import_into(
    database: Database, document: Any, email: str | None = None
) -> importer.ImportResult:
    with database.unit_of_work() as uow:
        return importer.import_export(
            uow=uow,
            document=document,
            email=email,
            password_hash=accounts.hash_password(NEW_PASSWORD),
        )


# --- comparing two accounts row by row -----------------------------------------------------------


def account_rows(database: Database, email: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every personal table that belongs to the person, by id, column by column."""
    with database.unit_of_work() as uow:
        connection = uow.session.connection()
        users = Base.metadata.tables["users"]
        user = connection.execute(select(users).where(users.c.email == email)).mappings().one()
        found: dict[str, list[dict[str, Any]]] = {"users": [dict(user)]}
        sessions = Base.metadata.tables["training_sessions"]
        for name, table in Base.metadata.tables.items():
            if name in NOT_CARRIED or name == "users":
                continue
            if "user_id" in table.c:
                query = select(table).where(table.c.user_id == user["id"])
            else:  # sets belong to the person through their session
                mine = select(sessions.c.id).where(sessions.c.user_id == user["id"])
                query = select(table).where(table.c.session_id.in_(mine))
            rows = connection.execute(query.order_by(*table.primary_key.columns)).mappings()
            found[name] = [dict(row) for row in rows]
        return found


def assert_same_account(
    original: dict[str, list[dict[str, Any]]],
    imported: dict[str, list[dict[str, Any]]],
    *,
    email: str,
) -> None:
    """Each column equal; ids renumbered and every reference followed through the id maps."""
    assert set(original) == set(imported)
    new_id: dict[str, dict[int, int]] = {}
    for name in ("users", "screenings", "plans", "training_sessions", *sorted(original)):
        assert len(original[name]) == len(imported[name]), name
        new_id[name] = {
            old["id"]: new["id"]
            for old, new in zip(original[name], imported[name], strict=True)
            if "id" in old  # reminder_settings is keyed by its person
        }
    for name, rows in original.items():
        for n, (old, new) in enumerate(zip(rows, imported[name], strict=True)):
            assert set(old) == set(new), name
            for column, value in old.items():
                where = f"{name}[{n}].{column}"
                if column == "id":
                    continue
                if column == "user_id":
                    assert new[column] == new_id["users"][value], where
                elif (name, column) in REFERENCES:
                    target = REFERENCES[(name, column)]
                    expected = None if value is None else new_id[target][value]
                    assert new[column] == expected, where
                elif column == "email":
                    assert new[column] == email, where
                elif column in NEW_ON_IMPORT:
                    assert new[column] != value, where
                else:
                    assert new[column] == value, where
                    assert type(new[column]) is type(value), where


def without_ids(document: dict[str, Any]) -> dict[str, Any]:
    """The export without what an import changes: ids, the email and when it was exported."""
    ids = {"id", *(column for _table, column in REFERENCES)}

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ids}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    stripped: dict[str, Any] = strip(document)
    del stripped["exported_at"], stripped["account"]["email"]
    return stripped


def every_row_count(database: Database) -> dict[str, int]:
    with database.unit_of_work() as uow:
        return {
            name: uow.session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }


def break_document(document: dict[str, Any], change: str) -> None:
    if change == "amount_as_text":
        document["training_sessions"][1]["sets"][0]["amount"] = "12"
    elif change == "amount_too_big":
        document["training_sessions"][0]["sets"][0]["amount"] = 2**40
    elif change == "unknown_format":
        document["format"] = "somebody-else-export"
    elif change == "missing_score":
        del document["measures"][2]["score"]
    elif change == "future_version":
        document["version"] = 4
    elif change == "time_without_zone":
        document["plans"][1]["at"] = "2026-09-01T08:30:15"
    elif change == "reference_to_nothing":
        document["plans"][-1]["decided_from_session_id"] = 999_999
    elif change == "unknown_field":
        document["tight_moments"][0]["mood"] = "fine"
    elif change == "felt_unknown":
        document["training_sessions"][0]["sets"][1]["felt"] = "everywhere"
    elif change == "two_active_plans":
        for plan in document["plans"]:
            plan["active"] = True
    else:
        _break_version_3(document, change)


def _break_version_3(document: dict[str, Any], change: str) -> None:
    stops, pauses = document["exercise_stops"], document["program_pauses"]
    if change == "stop_of_no_session":
        stops[0]["session_id"] = 999_999
    elif change == "stopped_twice":
        stops[1] |= {"session_id": stops[0]["session_id"], "exercise_id": stops[0]["exercise_id"]}
    elif change == "skip_with_a_rung":
        stops[1]["to_exercise_id"] = stops[0]["exercise_id"]
    elif change == "stop_reason_unknown":
        stops[0]["reason"] = "bored"
    elif change == "pause_ends_before_it_starts":
        pauses[0]["ends_on"] = "2020-01-01"
    elif change == "change_of_no_plan":
        document["profile_changes"][0]["plan_id"] = 999_999
    elif change == "change_not_a_code":
        document["profile_changes"][0]["changes"] = ["level went up"]
    elif change == "reminder_at_no_time":
        document["account"]["reminders"]["minute_of_day"] = 24 * 60
    else:
        raise AssertionError(f"no such change: {change}")
