"""`backcoach import`: a person's export made into an account of another backcoach loses nothing;
a bad document, a taken email or a bad password writes nothing; SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from backcoach.cli import app, import_command
from backcoach.engine.screening import CHECK_IN_IDS, all_clear
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.services import accounts, export, importer, onboarding, tight, training
from backcoach.services.access import principal_of
from backcoach.services.errors import Invalid
from backcoach.store.db import Database
from backcoach.store.migrate import upgrade
from backcoach.store.tables import Base, User
from tests.support.postgres import fresh_database

PASSWORD, NEW_PASSWORD = "the old long password", "a brand new password"
ME, OTHER = "walker@example.org", "walker.moved@example.org"
#: Microseconds on purpose: times must come back to the microsecond.
START = dt.datetime(2026, 9, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
#: Tables an export leaves out on purpose: logins, failed logins, the server's key, and the
#: audit log (its actors are accounts of the old server; the new one starts its own).
NOT_CARRIED = {"auth_sessions", "login_attempts", "app_secrets", "audit_events"}
#: Columns pointing at another table's row, and that table (followed through the id maps).
REFERENCES = {
    ("users", "cleared_screening_id"): "screenings",
    ("plans", "decided_from_session_id"): "training_sessions",
    ("training_sessions", "plan_id"): "plans",
    ("set_logs", "session_id"): "training_sessions",
}
#: What the import gives anew: the secret calendar address and the password. (The role is not
#: exported: an import makes a person, as the accounts here all are.)
NEW_ON_IMPORT = {"calendar_token", "password_hash"}


# --- databases and a person with a long history --------------------------------------------------


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    upgrade(database_url)
    opened = Database(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def other_database_url(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Any:
    """A second empty database of the same kind as ``database_url``: another backcoach."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    with fresh_database(request.getfixturevalue("postgres_url")) as url:
        yield url


def _at(hours: float) -> dt.datetime:
    return START + dt.timedelta(hours=hours)


def _user(uow: Any, email: str) -> User:
    return uow.session.scalars(select(User).where(User.email == email)).one()


def _train(
    uow: Any, user: User, *, hours: float, sets: int, legs: LegSymptoms, morning: int | None
) -> None:
    """A session with ``sets`` sets of each of the first two exercises, finished with these leg
    symptoms, and checked in the next morning unless ``morning`` is None."""
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
            entry = training.SetInput(
                exercise_id=item.exercise.id,
                number=number,
                amount=item.dose_max,
                felt=Felt.TARGET if number < sets else Felt.LOW_BACK,
                load_kg=2.5 * number if n == 0 else None,
                rir=2 if n == 0 else None,
            )
            training.log_set(
                uow=uow,
                principal=principal_of(user),
                person_id=user.id,
                session_id=session.id,
                entry=entry,
                now=_at(hours + 0.1),
            )
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


def build_rich_account(database: Database, email: str = ME) -> None:
    """Through the real services: a referral cleared by a clinician, measures of five
    instruments, two profiles, plans decided from sessions, sets, check-ins, tight moments."""
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
        answers = {
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
            profile={**profile, "days_per_week": 4, "equipment": ["band", "dumbbell"]},
            today=_at(70).date(),
            now=_at(70),
        )
        _train(uow, user, hours=72, sets=3, legs=LegSymptoms.SAME, morning=1)
        _train(uow, user, hours=120, sets=1, legs=LegSymptoms.NONE, morning=None)
        tight.log_tight_moment(
            uow=uow, principal=principal_of(user), person_id=user.id, now=_at(121)
        )
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
            rows = connection.execute(query.order_by(table.c.id)).mappings()
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
            old["id"]: new["id"] for old, new in zip(original[name], imported[name], strict=True)
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


def test_every_personal_table_and_reference_is_covered() -> None:
    """A table or a column pointing at rows added later must be carried, or left out on
    purpose here: this test fails until someone decides."""
    for name, table in Base.metadata.tables.items():
        if name in NOT_CARRIED:
            continue
        for column in table.c:
            points = bool(column.foreign_keys) or column.name.endswith("_id")
            if points and column.name not in {"user_id", "exercise_id"}:
                assert (name, column.name) in REFERENCES, f"{name}.{column.name}"


# --- the round trip ------------------------------------------------------------------------------


def test_an_export_imported_elsewhere_or_here_loses_nothing(
    database: Database, other_database_url: str
) -> None:
    build_rich_account(database)
    document = export_of(database, ME)
    assert document["version"] == 2
    original = account_rows(database, ME)
    # The history is as rich as the test claims.
    assert {row["instrument"] for row in original["measures"]} == {
        "nprs",
        "psfs",
        "startback",
        "odi",
        "rmdq",
    }
    assert any(row["refer"] for row in original["screenings"])
    assert original["users"][0]["cleared_screening_id"] is not None
    assert len(original["profiles"]) == 2 and len(original["tight_moments"]) == 2
    assert any(row["decided_from_session_id"] for row in original["plans"])
    assert {row["leg_symptoms"] for row in original["training_sessions"]} == {
        "less_far",
        "same",
        "none",
    }
    assert sum(row["pain_next_morning"] is not None for row in original["training_sessions"]) == 2

    upgrade(other_database_url)
    elsewhere = Database(other_database_url)
    try:
        moved = import_into(elsewhere, document)
        assert moved.email == ME
        assert moved.counts == {
            name: len(rows)
            for name, rows in original.items()
            if name
            in ("screenings", "measures", "profiles", "plans", "training_sessions", "tight_moments")
        } | {"sets": len(original["set_logs"])}
        assert_same_account(original, account_rows(elsewhere, ME), email=ME)
        assert without_ids(export_of(elsewhere, ME)) == without_ids(document)
    finally:
        elsewhere.dispose()

    here = import_into(database, document, email=f"  {OTHER.upper()} ")
    assert here.email == OTHER
    assert_same_account(original, account_rows(database, OTHER), email=OTHER)
    again = export_of(database, OTHER)
    assert again["account"]["email"] == OTHER
    assert without_ids(again) == without_ids(document)
    assert account_rows(database, ME) == original  # the person it came from is untouched


def test_the_imported_person_logs_in_with_the_new_password_only(database: Database) -> None:
    build_rich_account(database)
    import_into(database, export_of(database, ME), email=OTHER)

    def log_in(password: str) -> str:
        with database.unit_of_work() as uow:
            return accounts.log_in(
                uow=uow,
                email=OTHER,
                password=password,
                now=_at(300),
                attempts_allowed=5,
                window=dt.timedelta(minutes=15),
                session_length=dt.timedelta(days=30),
            )

    assert log_in(NEW_PASSWORD)
    with pytest.raises(Invalid, match=r"login\.no_match"):
        log_in(PASSWORD)
    with database.unit_of_work() as uow:
        other = _user(uow, OTHER)
        program = training.current_program(
            uow=uow, principal=principal_of(other), person_id=other.id, now=_at(300)
        )
        assert program is not None  # the program carried over is the one they follow


def test_a_version_1_export_imports(database: Database) -> None:
    build_rich_account(database)
    document = export_of(database, ME)
    del document["account"]["cleared_screening_id"]
    for plan in document["plans"]:
        del plan["decided_from_session_id"]
    for session in document["training_sessions"]:
        del session["leg_symptoms"]
    document["version"] = 1

    result = import_into(database, document, email=OTHER)

    imported = account_rows(database, OTHER)
    assert result.counts["sets"] == len(imported["set_logs"]) > 0
    assert imported["users"][0]["cleared_screening_id"] is None
    assert (
        imported["users"][0]["cleared_at"] == account_rows(database, ME)["users"][0]["cleared_at"]
    )
    assert all(row["decided_from_session_id"] is None for row in imported["plans"])
    assert all(row["leg_symptoms"] is None for row in imported["training_sessions"])


# --- refusals write nothing ----------------------------------------------------------------------


def test_a_taken_email_is_refused_and_nothing_is_written(database: Database) -> None:
    build_rich_account(database)
    document = export_of(database, ME)
    before = every_row_count(database)
    with pytest.raises(importer.EmailTaken, match=r"walker@example\.org already has an account"):
        import_into(database, document)
    with pytest.raises(importer.EmailTaken):
        import_into(database, document, email=ME.upper())
    assert every_row_count(database) == before


def _break(document: dict[str, Any], change: str) -> None:
    if change == "amount_as_text":
        document["training_sessions"][1]["sets"][0]["amount"] = "12"
    elif change == "amount_too_big":
        document["training_sessions"][0]["sets"][0]["amount"] = 2**40
    elif change == "unknown_format":
        document["format"] = "somebody-else-export"
    elif change == "missing_score":
        del document["measures"][2]["score"]
    elif change == "future_version":
        document["version"] = 3
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


BROKEN = {
    "amount_as_text": "training_sessions[1].sets[0].amount: must be a whole number",
    "amount_too_big": "training_sessions[0].sets[0].amount: must be at most 2147483647",
    "unknown_format": 'format: must be "backcoach-export"',
    "missing_score": "measures[2].score: is missing",
    "future_version": "version: must be 1 or 2, not 3",
    "time_without_zone": "plans[1].at: must be a time with its offset",
    "reference_to_nothing": "decided_from_session_id: no training session in the document "
    "has id 999999",
    "unknown_field": "tight_moments[0].mood: is not a field of a backcoach export",
    "felt_unknown": "training_sessions[0].sets[1].felt: must be one of target, low_back",
    "two_active_plans": "plans[1].active: only one plan can be active, and plans[0] is",
}


@pytest.mark.parametrize("change", sorted(BROKEN))
def test_a_broken_document_names_the_field_and_writes_nothing(
    database: Database, change: str
) -> None:
    build_rich_account(database)
    document = export_of(database, ME)
    broken = copy.deepcopy(document)
    _break(broken, change)
    before = every_row_count(database)
    with pytest.raises(importer.DocumentError) as refused:
        import_into(database, broken, email=OTHER)
    assert BROKEN[change] in str(refused.value)
    assert every_row_count(database) == before
    assert import_into(database, document, email=OTHER).email == OTHER  # the rest was fine


# --- the command line ----------------------------------------------------------------------------


def _import(monkeypatch: pytest.MonkeyPatch, url: str, *args: str, typed: str) -> Result:
    monkeypatch.setenv("DATABASE_URL", url)
    return CliRunner().invoke(app, ["import", *args], input=typed)


def test_the_import_command_makes_the_account_and_prints_the_counts(
    database: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_rich_account(database)
    path = tmp_path / "walker.json"
    path.write_text(json.dumps(export_of(database, ME)))

    done = _import(monkeypatch, database_url, str(path), "--email", OTHER, typed=NEW_PASSWORD)

    assert done.exit_code == 0, done.stderr
    rows = account_rows(database, OTHER)
    assert f"imported {path} as {OTHER}" in done.stdout
    assert f"training_sessions  {len(rows['training_sessions'])}" in done.stdout
    assert f"sets               {len(rows['set_logs'])}" in done.stdout
    assert NEW_PASSWORD not in done.stdout + done.stderr
    with database.unit_of_work() as uow:
        assert accounts.log_in(
            uow=uow,
            email=OTHER,
            password=NEW_PASSWORD,
            now=_at(300),
            attempts_allowed=5,
            window=dt.timedelta(minutes=15),
            session_length=dt.timedelta(days=30),
        )


def test_at_a_terminal_the_password_is_asked_twice(
    database: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_rich_account(database)
    path = tmp_path / "walker.json"
    path.write_text(json.dumps(export_of(database, ME)))
    monkeypatch.setattr(import_command, "_at_terminal", lambda: True)
    typed = f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    done = _import(monkeypatch, database_url, str(path), "--email", OTHER, typed=typed)
    assert done.exit_code == 0, done.stderr
    assert "New password" in done.stdout and "Repeat for confirmation" in done.stdout


def test_the_import_command_says_what_is_wrong_in_one_line(
    database: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_rich_account(database)
    document = export_of(database, ME)
    good = tmp_path / "walker.json"
    good.write_text(json.dumps(document))
    broken = tmp_path / "broken.json"
    _break(document, "amount_as_text")
    broken.write_text(json.dumps(document))
    not_json = tmp_path / "walker.zip"
    not_json.write_bytes(b"PK\x03\x04 a zip")
    before = every_row_count(database)

    cases = {
        "cannot read it: No such file or directory": (
            [str(tmp_path / "missing.json")],
            NEW_PASSWORD,
        ),
        "not JSON": ([str(not_json)], NEW_PASSWORD),
        "training_sessions[1].sets[0].amount: must be a whole number": (
            [str(broken), "--email", OTHER],
            NEW_PASSWORD,
        ),
        f"{ME} already has an account here": ([str(good)], NEW_PASSWORD),
        "password: Use at least 10 characters.": ([str(good), "--email", OTHER], "short"),
        "password: give the new password": ([str(good), "--email", OTHER], ""),
        "email: 'nobody' is not an email address": ([str(good), "--email", "nobody"], "x" * 12),
    }
    for problem, (args, typed) in cases.items():
        result = _import(monkeypatch, database_url, *args, typed=typed)
        assert result.exit_code == 2, (problem, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1 and problem in result.stderr, result.stderr
        assert result.stderr.startswith("error: ")
    assert every_row_count(database) == before
