"""A person's export made into an account of this backcoach: every row, renumbered, or nothing."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backcoach.catalogue import default_catalogue
from backcoach.formats.documents import InputError
from backcoach.formats.stored_plan import as_stored, read_stored_plan
from backcoach.services.accounts import normalise_email
from backcoach.services.export import FORMAT, VERSION
from backcoach.services.import_document import ExportV1, ExportV2, ExportV3
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
    SetRecord,
    TightMoment,
    TrainingSession,
    User,
)

READABLE_VERSIONS = (1, 2, VERSION)
_MODELS: dict[int, type[ExportV1]] = {1: ExportV1, 2: ExportV2, 3: ExportV3}


class ImportRefused(ValueError):
    """The document cannot be imported, or not under that email; the message says why."""


class DocumentError(ImportRefused):
    """The document is not a backcoach export: the message names the field, e.g.
    ``training_sessions[3].sets[0].amount: must be a whole number``."""


class EmailTaken(ImportRefused):
    pass


@dataclass(frozen=True)
class ImportResult:
    """The new account's email and how many rows each table received."""

    email: str
    counts: dict[str, int]


# --- the document, checked at the edge ---------------------------------------------------------


def read_export(document: object) -> ExportV1:
    """The checked document (ExportV2 for version 2, ExportV3 for 3), or DocumentError naming
    the first bad field."""
    if not isinstance(document, dict):
        raise DocumentError("the document must be a JSON object (a backcoach export)")
    if document.get("format") != FORMAT:
        raise DocumentError(f'format: must be "{FORMAT}" (this is not a backcoach export)')
    version = document.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        *earlier, last = (str(v) for v in READABLE_VERSIONS)
        readable = f"{', '.join(earlier)} or {last}"
        raise DocumentError(f"version: must be {readable}, not {version!r}")
    model = _MODELS[version]
    try:
        checked = model.model_validate(document)
    except ValidationError as error:
        problems = error.errors(include_url=False)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DocumentError(_say(problems[0]) + more) from None
    _check_references(checked)
    _check_plans(checked)
    return checked


def _check_plans(doc: ExportV1) -> None:
    """Each plan reads as a program (the stored form, or an older version's plan document),
    so that an imported account never holds a plan its pages cannot show."""
    catalogue = default_catalogue()
    for n, plan in enumerate(doc.plans):
        try:
            read_stored_plan(as_stored(plan.data), catalogue, root=f"plans[{n}].data")
        except InputError as error:
            raise DocumentError(str(error)) from None


_PLAIN = {
    "missing": "is missing",
    "extra_forbidden": "is not a field of a backcoach export",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "list_type": "must be a list",
    "sequence_str": "must be a list",
}


def _say(problem: ErrorDetails) -> str:
    path = _path(problem["loc"])
    kind, context = problem["type"], problem.get("ctx", {})
    if kind in _PLAIN:
        message = _PLAIN[kind]
    elif kind == "literal_error":
        message = f"must be {context['expected']}"
    elif kind == "string_too_long":
        message = f"must be at most {context['max_length']} characters"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "greater_than_equal":
        message = f"must be at least {context['ge']}"
    elif kind == "less_than_equal":
        message = f"must be at most {context['le']}"
    else:
        message = problem["msg"]
    return f"{path}: {message}" if path else message


def _path(loc: Iterable[int | str]) -> str:
    """Pydantic's location as written in the document: ``training_sessions[3].sets[0].amount``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _check_references(doc: ExportV1) -> None:
    """Ids unique where rows point at them, one active plan, every pointer to a row of the
    document, and no set number twice for one exercise in a session (the database would refuse
    them)."""
    screenings = _unique_ids("screenings", [row.id for row in doc.screenings])
    plans = _unique_ids("plans", [row.id for row in doc.plans])
    sessions = _unique_ids("training_sessions", [row.id for row in doc.training_sessions])
    active = [n for n, plan in enumerate(doc.plans) if plan.active]
    if len(active) > 1:  # one program at a time, as the database enforces
        raise DocumentError(
            f"plans[{active[1]}].active: only one plan can be active, and plans[{active[0]}] is"
        )
    for n, session in enumerate(doc.training_sessions):
        _points_at(f"training_sessions[{n}].plan_id", session.plan_id, plans, "plan")
        taken: set[tuple[str, int]] = set()
        for m, entry in enumerate(session.sets):
            if (entry.exercise_id, entry.number) in taken:
                raise DocumentError(
                    f"training_sessions[{n}].sets[{m}].number: set {entry.number} of "
                    f"{entry.exercise_id} is in this session twice"
                )
            taken.add((entry.exercise_id, entry.number))
    if isinstance(doc, ExportV2):
        for n, plan in enumerate(doc.plans):
            where = f"plans[{n}].decided_from_session_id"
            _points_at(where, plan.decided_from_session_id, sessions, "training session")
        where = "account.cleared_screening_id"
        _points_at(where, doc.account.cleared_screening_id, screenings, "screening")
    if isinstance(doc, ExportV3):
        _check_version_3(doc, plans, sessions)


def _check_version_3(doc: ExportV3, plans: set[int], sessions: set[int]) -> None:
    """Stops point at a session of the document, one per exercise of a session, with the
    easier rung exactly when one was done; pauses end no earlier than they start; changes point
    at a plan of the document."""
    _unique_ids("exercise_stops", [row.id for row in doc.exercise_stops])
    stopped: set[tuple[int, str]] = set()
    for n, stop in enumerate(doc.exercise_stops):
        where = f"exercise_stops[{n}]"
        _points_at(f"{where}.session_id", stop.session_id, sessions, "training session")
        if (stop.session_id, stop.exercise_id) in stopped:
            raise DocumentError(
                f"{where}.exercise_id: stopped twice in one session ({stop.exercise_id}, "
                f"session {stop.session_id})"
            )
        stopped.add((stop.session_id, stop.exercise_id))
        if (stop.action == "easier") != (stop.to_exercise_id is not None):
            needs = "the easier rung done" if stop.action == "easier" else "null for a skip"
            raise DocumentError(f"{where}.to_exercise_id: must be {needs}")
    for n, pause in enumerate(doc.program_pauses):
        if pause.ends_on is not None and pause.ends_on < pause.starts_on:
            raise DocumentError(f"program_pauses[{n}].ends_on: must not be before starts_on")
    for n, change in enumerate(doc.profile_changes):
        _points_at(f"profile_changes[{n}].plan_id", change.plan_id, plans, "plan")


def _unique_ids(table: str, ids: list[int]) -> set[int]:
    seen: set[int] = set()
    for n, id_ in enumerate(ids):
        if id_ in seen:
            raise DocumentError(f"{table}[{n}].id: {id_} is used twice")
        seen.add(id_)
    return seen


def _points_at(where: str, target: int | None, known: set[int], what: str) -> None:
    if target is not None and target not in known:
        raise DocumentError(f"{where}: no {what} in the document has id {target}")


# --- the import --------------------------------------------------------------------------------


def import_export(
    *, uow: UnitOfWork, document: object, email: str | None, password_hash: str
) -> ImportResult:
    """Make an account from a backcoach export (version 1, 2 or 3) and commit it whole, or
    nothing.

    The account gets ``email``, or the export's when None, and the given password hash; every
    row gets a new id, and the ids rows point at are mapped to them. Rows go in the export's
    id order, so the new ids keep the order the care decisions read (screenings by id).
    A new calendar address is made; there are no login sessions.
    """
    doc = read_export(document)
    address = normalise_email(email if email is not None else doc.account.email)
    if "@" not in address or len(address) > 254:
        raise ImportRefused(f"email: {address!r} is not an email address")
    if uow.session.scalar(select(User.id).where(User.email == address)) is not None:
        raise EmailTaken(f"{address} already has an account here")
    user = User(
        email=address,
        password_hash=password_hash,
        created_at=doc.account.created_at,
        calendar_token=secrets.token_urlsafe(32),
        cleared_at=doc.account.cleared_by_clinician_at,
        cleared_note=doc.account.cleared_note,
        time_zone=doc.account.time_zone,
        display_name=doc.account.display_name,
    )
    uow.session.add(user)
    uow.session.flush()
    counts = _insert_rows(uow, user, doc)
    try:
        uow.commit()
    except IntegrityError:  # the same email taken at the same moment
        uow.session.rollback()
        raise EmailTaken(f"{address} already has an account here") from None
    return ImportResult(email=address, counts=counts)


def _insert_rows(uow: UnitOfWork, user: User, doc: ExportV1) -> dict[str, int]:
    owner = user.id
    screenings = _by_id(doc.screenings)
    new_screening = _add_all(
        uow,
        screenings,
        lambda row: Screening(
            user_id=owner,
            at=row.at,
            context=row.context,
            answers=row.answers,
            refer=row.refer,
            urgency=row.urgency,
        ),
    )
    measures = _by_id(doc.measures)
    _add_all(
        uow,
        measures,
        lambda row: Measure(
            user_id=owner,
            at=row.at,
            day=row.day,
            instrument=row.instrument,
            answers=row.answers,
            score=row.score,
            result=row.result,
        ),
    )
    profiles = _by_id(doc.profiles)
    _add_all(uow, profiles, lambda row: ProfileRecord(user_id=owner, at=row.at, data=row.data))
    plans = _by_id(doc.plans)
    new_plan = _add_all(
        uow,
        plans,
        lambda row: PlanRecord(
            user_id=owner, at=row.at, active=row.active, data=as_stored(row.data)
        ),
    )
    sessions = _by_id(doc.training_sessions)
    new_session = _add_all(
        uow,
        sessions,
        lambda row: TrainingSession(
            user_id=owner,
            plan_id=None if row.plan_id is None else new_plan[row.plan_id].id,
            day=row.day,
            started_at=row.started_at,
            finished_at=row.finished_at,
            pain_before=row.pain_before,
            pain_during=row.pain_during,
            pain_after=row.pain_after,
            pain_next_morning=row.pain_next_morning,
            leg_symptoms=getattr(row, "leg_symptoms", None),  # not in version 1
            checked_in_at=row.checked_in_at,
        ),
    )
    sets = sorted(
        ((session, entry) for session in sessions for entry in session.sets),
        key=lambda pair: pair[1].id,
    )
    for session, entry in sets:
        uow.session.add(
            SetRecord(
                session_id=new_session[session.id].id,
                exercise_id=entry.exercise_id,
                number=entry.number,
                amount=entry.amount,
                load_kg=entry.load_kg,
                rir=entry.rir,
                camera_reps=entry.camera_reps,
                felt=entry.felt,
                at=entry.at,
            )
        )
        uow.session.flush()
    moments = _by_id(doc.tight_moments)
    _add_all(uow, moments, lambda row: TightMoment(user_id=owner, at=row.at, drills=row.drills))
    if isinstance(doc, ExportV2):
        for plan in doc.plans:
            if plan.decided_from_session_id is not None:
                decided_from = new_session[plan.decided_from_session_id].id
                new_plan[plan.id].decided_from_session_id = decided_from
        if doc.account.cleared_screening_id is not None:
            user.cleared_screening_id = new_screening[doc.account.cleared_screening_id].id
    counts = {
        "screenings": len(screenings),
        "measures": len(measures),
        "profiles": len(profiles),
        "plans": len(plans),
        "training_sessions": len(sessions),
        "sets": len(sets),
        "tight_moments": len(moments),
    }
    if isinstance(doc, ExportV3):
        counts |= _insert_version_3(uow, user, doc, new_plan, new_session)
    uow.session.flush()
    return counts


def _insert_version_3(
    uow: UnitOfWork,
    user: User,
    doc: ExportV3,
    new_plan: dict[int, PlanRecord],
    new_session: dict[int, TrainingSession],
) -> dict[str, int]:
    """What version 3 added: the stops (by their session's new id), the pauses, the changes
    of profile (by their plan's new id) and the reminder choice."""
    owner = user.id
    stops = _by_id(doc.exercise_stops)
    _add_all(
        uow,
        stops,
        lambda row: ExerciseStop(
            user_id=owner,
            session_id=new_session[row.session_id].id,
            exercise_id=row.exercise_id,
            reason=row.reason,
            action=row.action,
            to_exercise_id=row.to_exercise_id,
            at=row.at,
        ),
    )
    pauses = _by_id(doc.program_pauses)
    _add_all(
        uow,
        pauses,
        lambda row: ProgramPause(
            user_id=owner,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            made_at=row.made_at,
            resumed_at=row.resumed_at,
        ),
    )
    changes = _by_id(doc.profile_changes)
    _add_all(
        uow,
        changes,
        lambda row: ProfileChange(
            user_id=owner,
            at=row.at,
            plan_id=None if row.plan_id is None else new_plan[row.plan_id].id,
            changes=row.changes,
        ),
    )
    reminders = doc.account.reminders
    if reminders is not None:
        uow.session.add(
            ReminderSetting(
                user_id=owner,
                enabled=reminders.enabled,
                minute_of_day=reminders.minute_of_day,
                by_email=reminders.by_email,
                updated_at=reminders.updated_at,
            )
        )
    return {
        "exercise_stops": len(stops),
        "program_pauses": len(pauses),
        "profile_changes": len(changes),
        "reminder_settings": 0 if reminders is None else 1,
    }


def _by_id(rows: Sequence[Any]) -> list[Any]:
    return sorted(rows, key=lambda row: row.id)


def _add_all(uow: UnitOfWork, rows: list[Any], make: Any) -> dict[int, Any]:
    """Insert one row at a time, so the new ids follow the old ones' order; old id -> new row."""
    made: dict[int, Any] = {}
    for row in rows:
        record = make(row)
        uow.session.add(record)
        uow.session.flush()
        made[row.id] = record
    return made
