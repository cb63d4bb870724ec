"""Everything a person entered, to take away: one JSON document, or a zip of CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backcoach.services.access import Action, Principal, authorize
from backcoach.store.care_tables import Message
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import (
    ExerciseStop,
    Measure,
    PlanRecord,
    ProfileChange,
    ProfileRecord,
    ProgramPause,
    ReminderSetting,
    Screening,
    TightMoment,
    TrainingSession,
    User,
)

FORMAT = "backcoach-export"
#: 2 added each session's leg symptoms, which session decided a plan, and which screening a
#: clinician's clearance covers (``account.cleared_screening_id``); version 1 lacks them.
#: ``account.time_zone`` (the person's own, None for the server's) came later within version 2:
#: an import reads its absence as None. So did ``account.display_name`` (the name the person
#: gives their coach; None: none given), and ``messages``: the person's thread with their coach
#: (what they wrote and were sent; an import reads but does not keep it, as it makes no coach).
#: 3 added the exercises stopped in the player (``exercise_stops``, each by its session's id),
#: the program's pauses (``program_pauses``), each change of profile with the plan it made
#: (``profile_changes``) and the person's reminder choice (``account.reminders``, None: never
#: chosen); versions 1 and 2 lack them.
VERSION = 3
#: The CSV files of the zip, in order; "sets" is split out of "training_sessions".
CSV_FILES = (
    "account",
    "screenings",
    "measures",
    "profiles",
    "plans",
    "training_sessions",
    "sets",
    "tight_moments",
    "exercise_stops",
    "program_pauses",
    "profile_changes",
    "messages",
)
# A spreadsheet runs a cell starting with one of these as a formula; a leading ' stops it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_data(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> dict[str, Any]:
    """The person's account and every row they entered, oldest first, as plain JSON values.

    Left out: the password hash, login tokens, password reset links and the calendar address,
    which are secrets, not data the person entered; failed logins and the record of reminder
    emails sent, which are this server's bookkeeping. Each export is written to the audit log.
    """
    authorize(uow, principal, Action.EXPORT, person_id, what="export", now=now)
    header = _header(uow, person_id, now)
    return header | {name: list(rows) for name, rows in _sections(uow, person_id)}


def export_json(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> bytes:
    data = export_data(uow=uow, principal=principal, person_id=person_id, now=now)
    uow.commit()  # the audit line
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def export_json_stream(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> Iterator[bytes]:
    """The same document as `export_json`, byte for byte, written as it is read: rows come
    from the database a batch at a time and leave in chunks, so a long history needs no more
    memory than a short one. Authorized and audited before the first byte; ``uow`` must stay
    open while the chunks are read."""
    authorize(uow, principal, Action.EXPORT, person_id, what="export", now=now)
    header = _header(uow, person_id, now)
    uow.commit()  # the audit line
    return _stream(uow, person_id, header)


def _stream(uow: UnitOfWork, person_id: int, header: dict[str, Any]) -> Iterator[bytes]:
    pending: list[str] = []
    size = 0
    opening = json.dumps(header, indent=2, ensure_ascii=False)[:-2]  # without "\n}"
    for part in _document_parts(opening, _sections(uow, person_id)):
        pending.append(part)
        size += len(part)
        if size >= _CHUNK:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    yield "".join(pending).encode("utf-8")


#: About how many characters each streamed chunk holds.
_CHUNK = 64 * 1024


def _document_parts(
    opening: str, sections: Iterator[tuple[str, Iterator[dict[str, Any]]]]
) -> Iterator[str]:
    """The text of ``json.dumps(document, indent=2)`` piece by piece: the header's members,
    then each section's rows, each indented as the whole document would indent it."""
    yield opening
    for name, rows in sections:
        yield f",\n  {json.dumps(name)}: ["
        first = True
        for row in rows:
            text = json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n    ")
            yield ("\n    " if first else ",\n    ") + text
            first = False
        yield "]" if first else "\n  ]"
    yield "\n}"


def _header(uow: UnitOfWork, person_id: int, now: dt.datetime) -> dict[str, Any]:
    user = uow.session.get_one(User, person_id)
    reminders = uow.session.get(ReminderSetting, person_id)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(now),
        "account": {
            "email": user.email,
            "created_at": _iso(user.created_at),
            "cleared_by_clinician_at": _iso(user.cleared_at),
            "cleared_note": user.cleared_note,
            "cleared_screening_id": user.cleared_screening_id,
            "time_zone": user.time_zone,
            "display_name": user.display_name,
            "reminders": None
            if reminders is None
            else {
                "enabled": reminders.enabled,
                "minute_of_day": reminders.minute_of_day,
                "by_email": reminders.by_email,
                "updated_at": _iso(reminders.updated_at),
            },
        },
    }


#: Rows read from the database at a time.
_BATCH = 200


def _sections(uow: UnitOfWork, uid: int) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Each table's rows as JSON values, read lazily, a batch at a time, in the document's
    order."""

    def rows(table: Any) -> Iterator[Any]:
        query = select(table).where(table.user_id == uid).order_by(table.id)
        if table is TrainingSession:  # each batch's sets in one more statement, not one each
            query = query.options(selectinload(TrainingSession.sets))
        return iter(uow.session.scalars(query.execution_options(yield_per=_BATCH)))

    yield (
        "screenings",
        (
            {
                "id": row.id,
                "at": _iso(row.at),
                "context": row.context,
                "answers": row.answers,
                "refer": row.refer,
                "urgency": row.urgency,
            }
            for row in rows(Screening)
        ),
    )
    yield (
        "measures",
        (
            {
                "id": row.id,
                "at": _iso(row.at),
                "day": _iso(row.day),
                "instrument": row.instrument,
                "answers": row.answers,
                "score": row.score,
                "result": row.result,
            }
            for row in rows(Measure)
        ),
    )
    yield (
        "profiles",
        ({"id": row.id, "at": _iso(row.at), "data": row.data} for row in rows(ProfileRecord)),
    )
    yield (
        "plans",
        (
            {
                "id": row.id,
                "at": _iso(row.at),
                "active": row.active,
                "data": row.data,
                "decided_from_session_id": row.decided_from_session_id,
            }
            for row in rows(PlanRecord)
        ),
    )
    yield "training_sessions", (_session(row) for row in rows(TrainingSession))
    yield (
        "tight_moments",
        ({"id": row.id, "at": _iso(row.at), "drills": row.drills} for row in rows(TightMoment)),
    )
    yield (
        "exercise_stops",
        (
            {
                "id": row.id,
                "session_id": row.session_id,
                "exercise_id": row.exercise_id,
                "reason": row.reason,
                "action": row.action,
                "to_exercise_id": row.to_exercise_id,
                "at": _iso(row.at),
            }
            for row in rows(ExerciseStop)
        ),
    )
    yield (
        "program_pauses",
        (
            {
                "id": row.id,
                "starts_on": _iso(row.starts_on),
                "ends_on": _iso(row.ends_on),
                "made_at": _iso(row.made_at),
                "resumed_at": _iso(row.resumed_at),
            }
            for row in rows(ProgramPause)
        ),
    )
    yield (
        "profile_changes",
        (
            {"id": row.id, "at": _iso(row.at), "plan_id": row.plan_id, "changes": row.changes}
            for row in rows(ProfileChange)
        ),
    )
    # The thread with their coach is the person's data too; a coach's private notes are not.
    thread = (
        select(Message)
        .where(Message.client_id == uid)
        .order_by(Message.id)
        .execution_options(yield_per=_BATCH)
    )
    yield (
        "messages",
        (
            {
                "id": row.id,
                "at": _iso(row.at),
                "from": "me" if row.from_client else "coach",
                "body": row.body,
                "read_at": _iso(row.read_at),
            }
            for row in uow.session.scalars(thread)
        ),
    )


def export_csv_zip(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> bytes:
    """One CSV per table (sets in their own file, by session id); nested values as JSON text."""
    data = export_data(uow=uow, principal=principal, person_id=person_id, now=now)
    uow.commit()  # the audit line
    tables: dict[str, list[dict[str, Any]]] = {
        "account": [data["account"]],
        **{name: data[name] for name in ("screenings", "measures", "profiles", "plans")},
        "training_sessions": [
            {k: v for k, v in session.items() if k != "sets"}
            for session in data["training_sessions"]
        ],
        "sets": [
            {"session_id": session["id"], **entry}
            for session in data["training_sessions"]
            for entry in session["sets"]
        ],
        **{
            name: data[name]
            for name in ("tight_moments", "exercise_stops", "program_pauses", "profile_changes")
        },
        "messages": data["messages"],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in CSV_FILES:
            archive.writestr(f"{name}.csv", _csv(tables[name], _COLUMNS[name]))
    return buffer.getvalue()


_COLUMNS: dict[str, tuple[str, ...]] = {
    "account": (
        "email",
        "created_at",
        "cleared_by_clinician_at",
        "cleared_note",
        "cleared_screening_id",
        "time_zone",
        "display_name",
        "reminders",
    ),
    "screenings": ("id", "at", "context", "answers", "refer", "urgency"),
    "measures": ("id", "at", "day", "instrument", "answers", "score", "result"),
    "profiles": ("id", "at", "data"),
    "plans": ("id", "at", "active", "data", "decided_from_session_id"),
    "training_sessions": (
        "id",
        "plan_id",
        "day",
        "started_at",
        "finished_at",
        "pain_before",
        "pain_during",
        "pain_after",
        "pain_next_morning",
        "leg_symptoms",
        "checked_in_at",
    ),
    "sets": (
        "session_id",
        "id",
        "exercise_id",
        "number",
        "amount",
        "load_kg",
        "rir",
        "camera_reps",
        "felt",
        "at",
    ),
    "tight_moments": ("id", "at", "drills"),
    "exercise_stops": (
        "id",
        "session_id",
        "exercise_id",
        "reason",
        "action",
        "to_exercise_id",
        "at",
    ),
    "program_pauses": ("id", "starts_on", "ends_on", "made_at", "resumed_at"),
    "profile_changes": ("id", "at", "plan_id", "changes"),
    "messages": ("id", "at", "from", "body", "read_at"),
}


def _session(row: TrainingSession) -> dict[str, Any]:
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "day": _iso(row.day),
        "started_at": _iso(row.started_at),
        "finished_at": _iso(row.finished_at),
        "pain_before": row.pain_before,
        "pain_during": row.pain_during,
        "pain_after": row.pain_after,
        "pain_next_morning": row.pain_next_morning,
        "leg_symptoms": row.leg_symptoms,
        "checked_in_at": _iso(row.checked_in_at),
        "sets": [
            {
                "id": entry.id,
                "exercise_id": entry.exercise_id,
                "number": entry.number,
                "amount": entry.amount,
                "load_kg": entry.load_kg,
                "rir": entry.rir,
                "camera_reps": entry.camera_reps,
                "felt": entry.felt,
                "at": _iso(entry.at),
            }
            for entry in sorted(row.sets, key=lambda s: s.id)
        ],
    }


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return str(value)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()
