"""Many clients and their coaches, for bench/caseload.py: written through the store in bulk.

One person is onboarded through the real services (growth_seed.seed_history: screening,
measures, profile, a program decided session by session); every client is a copy of that person's
rows under a new account, with a training log of their own drawn at random: ``sessions`` sessions
of ``sets_per_session`` sets each, every other day up to a day that differs per client (some
stopped training two weeks ago, so sessions are missed), pain that sometimes flares, sets now and
then felt in the low back (a few clients in the two latest sessions), a few red flags at a
check-in, and NPRS answered again with a change that sometimes reaches the MCID.

Coaches: ``coaches`` accounts in practices of five; the first coach has ``first_coach_clients``
clients, the others share the rest. Rows are inserted with SQLAlchemy Core in batches (ids chosen
here, sequences moved on afterwards on PostgreSQL), so 5 million sets take a minute or two, not
hours. The attention of every client is then worked out by the service that keeps it on write.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from backcoach.catalogue import default_catalogue
from backcoach.engine.screening import CHECK_IN_IDS
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.formats.stored_plan import read_stored_plan
from backcoach.store.care_tables import ClientAttention
from backcoach.store.db import Database
from backcoach.store.tables import (
    Base,
    User,
)
from growth_seed import EMAIL, NOW, PASSWORD, at, seed_history

__all__ = ["EMAIL", "NOW", "PASSWORD", "Built", "build"]

#: Rows per INSERT batch.
BATCH = 5_000
#: Of every 100 clients: how many stopped training two weeks ago, flare in their latest session,
#: felt an exercise in the low back in the two latest, and answered a red flag at a check-in.
STOPPED, FLARING, LOW_BACK, RED_FLAG = 15, 5, 4, 1
PRACTICE_SIZE = 5


@dataclass(frozen=True, slots=True)
class Built:
    clients: int
    coaches: int
    sessions: int
    sets: int
    first_coach_id: int
    first_coach_email: str
    first_coach_clients: int
    #: A few clients of the first coach (their pages are timed).
    sample_client_ids: tuple[int, ...]


def build(
    url: str,
    *,
    clients: int,
    coaches: int,
    first_coach_clients: int,
    sessions: int = 50,
    sets_per_session: int = 10,
    seed: int = 1,
) -> Built:
    """Fill the empty database at ``url`` (migrated here) and return what it holds."""
    seed_history(url, 8, seed=seed)  # the template person, through the services
    database = Database(url)
    rng = random.Random(seed)
    try:
        with database.engine.begin() as conn:
            template = _template(conn)
            client_ids = _users(conn, template, clients, role="person", prefix="client")
            coach_ids = _users(conn, template, coaches, role="coach", prefix="coach")
            _practices(conn, coach_ids)
            _copies(conn, template, client_ids)
            session_count, set_count = _training(
                conn, template, client_ids, sessions, sets_per_session, rng
            )
            _links(conn, coach_ids, client_ids, first_coach_clients)
            _move_sequences(conn)
        first_clients = client_ids[:first_coach_clients]
        _attention(database, client_ids)
    finally:
        database.dispose()
    return Built(
        clients=clients,
        coaches=coaches,
        sessions=session_count,
        sets=set_count,
        first_coach_id=coach_ids[0],
        first_coach_email="coach0@example.com",
        first_coach_clients=first_coach_clients,
        sample_client_ids=tuple(first_clients[:: max(1, len(first_clients) // 10)][:10]),
    )


_TABLES = Base.metadata.tables


# --- the template person ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Template:
    user: dict[str, Any]
    profile: dict[str, Any]
    plan: dict[str, Any]
    screening: dict[str, Any]
    measures: list[dict[str, Any]]
    #: The program's exercises and their sets, as logged: (exercise id, sets, dose min, max).
    exercises: list[tuple[str, int, int, int]]


def _template(conn: Connection) -> Template:
    user = conn.execute(select(_TABLES["users"]).where(User.email == EMAIL)).mappings().one()
    person = user["id"]

    def latest(table: Table, *where: Any) -> dict[str, Any]:
        query = select(table).where(table.c.user_id == person, *where).order_by(table.c.id.desc())
        return dict(conn.execute(query.limit(1)).mappings().one())

    plan = latest(_TABLES["plans"], _TABLES["plans"].c.active)
    measures = [
        dict(row)
        for row in conn.execute(
            select(_TABLES["measures"])
            .where(_TABLES["measures"].c.user_id == person)
            .order_by(_TABLES["measures"].c.id)
        ).mappings()
    ]
    first_day = min(row["day"] for row in measures)
    program = read_stored_plan(plan["data"], default_catalogue()).plan
    exercises = [
        (item.exercise.id, item.sets, item.dose_min, item.dose_max) for item in program.exercises
    ]
    return Template(
        user=dict(user),
        profile=latest(_TABLES["profiles"]),
        plan=plan,
        screening=latest(_TABLES["screenings"], _TABLES["screenings"].c.context != "check_in"),
        measures=[row for row in measures if row["day"] == first_day],
        exercises=exercises,
    )


# --- accounts, practices and links -------------------------------------------------------------


def _next_id(conn: Connection, table: Table) -> int:
    return int(conn.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1


def _users(
    conn: Connection, template: Template, count: int, *, role: str, prefix: str
) -> list[int]:
    table = _TABLES["users"]
    first = _next_id(conn, table)
    ids = list(range(first, first + count))
    rows = [
        {
            **{key: template.user[key] for key in ("password_hash", "created_at")},
            "id": user_id,
            "email": f"{prefix}{n}@example.com",
            "calendar_token": secrets.token_urlsafe(24),
            "role": role,
            "display_name": f"{prefix.title()} {n}",
        }
        for n, user_id in enumerate(ids)
    ]
    _insert(conn, table, rows)
    return ids


def _practices(conn: Connection, coach_ids: Sequence[int]) -> None:
    table = _TABLES["practices"]
    first = _next_id(conn, table)
    groups = [coach_ids[k : k + PRACTICE_SIZE] for k in range(0, len(coach_ids), PRACTICE_SIZE)]
    _insert(
        conn,
        table,
        [
            {
                "id": first + n,
                "name": f"Practice {n}",
                "join_code": secrets.token_hex(6),
                "created_at": NOW,
            }
            for n in range(len(groups))
        ],
    )
    for n, group in enumerate(groups):
        conn.execute(
            _TABLES["users"]
            .update()
            .where(_TABLES["users"].c.id.in_(group))
            .values(practice_id=first + n)
        )


def _links(
    conn: Connection, coach_ids: Sequence[int], client_ids: Sequence[int], first_count: int
) -> None:

    others = coach_ids[1:] or coach_ids
    rows = []
    for n, client_id in enumerate(client_ids):
        coach = coach_ids[0] if n < first_count else others[n % len(others)]
        rows.append(
            {
                "coach_id": coach,
                "client_id": client_id,
                "started_at": NOW - dt.timedelta(days=120),
                "shared": ["program", "sessions", "measures"],
            }
        )
    _insert(conn, _TABLES["coach_links"], rows)


# --- each client's rows --------------------------------------------------------------------------


def _copies(conn: Connection, template: Template, client_ids: Sequence[int]) -> None:
    """The profile, the onboarding screening, the first measures and the program, per client."""
    strip = ("id", "user_id")

    def rows(source: dict[str, Any]) -> Iterator[dict[str, Any]]:
        kept = {key: value for key, value in source.items() if key not in strip}
        for client_id in client_ids:
            yield {**kept, "user_id": client_id}

    _insert(conn, _TABLES["profiles"], list(rows(template.profile)))
    _insert(conn, _TABLES["screenings"], list(rows(template.screening)))
    plan = {**template.plan, "decided_from_session_id": None}
    _insert(conn, _TABLES["plans"], list(rows(plan)))
    for measure in template.measures:
        _insert(conn, _TABLES["measures"], list(rows(measure)))


def _training(
    conn: Connection,
    template: Template,
    client_ids: Sequence[int],
    sessions: int,
    sets_per_session: int,
    rng: random.Random,
) -> tuple[int, int]:
    """Every client's log; returns the sessions and sets written."""
    session_table = _TABLES["training_sessions"]
    session_id = _next_id(conn, session_table)
    slots = [
        (exercise_id, number)
        for exercise_id, sets, _low, _high in template.exercises
        for number in range(1, sets + 1)
    ]
    doses = {exercise_id: (low, high) for exercise_id, _sets, low, high in template.exercises}
    slots = (slots * (sets_per_session // len(slots) + 1))[:sets_per_session]
    session_rows: list[dict[str, Any]] = []
    set_rows: list[dict[str, Any]] = []
    check_ins: list[dict[str, Any]] = []
    sessions_written = sets_written = 0
    today = NOW.date()
    for n, client_id in enumerate(client_ids):
        kind = n % 100
        stopped = kind < STOPPED
        last_day = today - dt.timedelta(days=15 if stopped else rng.randint(1, 2))
        days = [last_day - dt.timedelta(days=2 * k) for k in range(sessions)][::-1]
        for index, day in enumerate(days):
            latest = index == len(days) - 1
            flare = latest and STOPPED <= kind < STOPPED + FLARING
            low_back = index >= len(days) - 2 and STOPPED + FLARING <= kind < 30
            before = rng.randint(1, 4)
            morning = None if latest and kind % 7 == 0 else rng.randint(0, 4)
            session_rows.append(
                {
                    "id": session_id,
                    "user_id": client_id,
                    "plan_id": None,
                    "day": day,
                    "started_at": at(day, 18),
                    "finished_at": at(day, 18.7),
                    "pain_before": before,
                    "pain_during": min(10, before + (5 if flare else rng.randint(-1, 1))),
                    "pain_after": max(0, before + rng.randint(-1, 1)),
                    "pain_next_morning": morning,
                    "leg_symptoms": LegSymptoms.NONE.value,
                    "checked_in_at": None if morning is None else at(day, 32),
                }
            )
            for exercise_id, number in _unique(slots):
                low, high = doses[exercise_id]
                felt = Felt.LOW_BACK if low_back and number == 1 else _felt(rng)
                set_rows.append(
                    {
                        "session_id": session_id,
                        "exercise_id": exercise_id,
                        "number": number,
                        "amount": rng.randint(low, high),
                        "load_kg": None,
                        "rir": None,
                        "felt": felt.value,
                        "at": at(day, 18.3),
                    }
                )
            if morning is not None and latest:
                red = kind == 99  # one client in a hundred answers a red flag
                answers = dict.fromkeys(CHECK_IN_IDS, False)
                if red:
                    answers[CHECK_IN_IDS[0]] = True
                check_ins.append(
                    {
                        "user_id": client_id,
                        "at": at(day, 32),
                        "context": "check_in",
                        "answers": {**template.screening["answers"], **answers},
                        "refer": red,
                        "urgency": "urgent" if red else None,
                    }
                )
            session_id += 1
            sessions_written += 1
        if len(set_rows) >= BATCH * 10:
            sets_written += _flush(conn, session_rows, set_rows)
    sets_written += _flush(conn, session_rows, set_rows)
    _insert(conn, _TABLES["screenings"], check_ins)
    return sessions_written, sets_written


def _unique(slots: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Slots as (exercise, number) once each: a set is unique per session, exercise, number."""
    seen: dict[str, int] = {}
    unique = []
    for exercise_id, _number in slots:
        seen[exercise_id] = seen.get(exercise_id, 0) + 1
        unique.append((exercise_id, seen[exercise_id]))
    return unique


_FELT = (Felt.TARGET, Felt.NOTHING, Felt.LOW_BACK, Felt.ELSEWHERE)
_FELT_WEIGHTS = (80, 12, 4, 4)


def _felt(rng: random.Random) -> Felt:
    return rng.choices(_FELT, _FELT_WEIGHTS)[0]


def _flush(
    conn: Connection, session_rows: list[dict[str, Any]], set_rows: list[dict[str, Any]]
) -> int:
    _insert(conn, _TABLES["training_sessions"], session_rows)
    _insert(conn, _TABLES["set_logs"], set_rows)
    written = len(set_rows)
    session_rows.clear()
    set_rows.clear()
    return written


def _insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(table), list(rows[start : start + BATCH]))


def _move_sequences(conn: Connection) -> None:
    """Ids were chosen here: PostgreSQL's sequences must carry on after them."""
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not column.primary_key:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE(MAX(id), 1)) FROM {table.name}"
            )
        )


# --- attention -------------------------------------------------------------------------------


def _attention(database: Database, client_ids: Sequence[int]) -> None:
    """Every client's attention, as the services keep it when their data changes."""
    from backcoach.services import attention

    # As of the real day the server will be asked on (as the nightly refresh leaves the rows),
    # so the timed pages find them fresh; the log stops at NOW, some days before.
    now = dt.datetime.now(dt.UTC)
    for start in range(0, len(client_ids), 200):
        with database.unit_of_work() as uow:
            for client_id in client_ids[start : start + 200]:
                attention.refresh(uow, client_id=client_id, today=now.date(), now=now)
            uow.commit()
    with database.unit_of_work() as uow:
        stored = uow.session.scalar(select(func.count()).select_from(ClientAttention))
    if stored != len(client_ids):
        raise RuntimeError(f"attention stored for {stored} of {len(client_ids)} clients")
