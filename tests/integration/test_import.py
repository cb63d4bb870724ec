"""`backcoach import`: a person's export made into an account of another backcoach loses nothing;
a bad document or a taken email writes nothing; SQLite and PostgreSQL. The command line is in
test_import_command.py."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from backcoach.services import accounts, export, importer, training
from backcoach.services.access import principal_of
from backcoach.services.errors import Invalid
from backcoach.store.db import Database
from backcoach.store.migrate import upgrade
from backcoach.store.tables import Base
from tests.integration.import_steps import (
    ME,
    NEW_PASSWORD,
    NOT_CARRIED,
    NOT_CARRIED_COLUMNS,
    OTHER,
    PASSWORD,
    REFERENCES,
    _at,
    _user,
    account_rows,
    assert_same_account,
    break_document,
    build_rich_account,
    every_row_count,
    export_of,
    import_into,
    without_ids,
)


def test_every_personal_table_and_reference_is_covered() -> None:
    """A table or a column pointing at rows added later must be carried, or left out on
    purpose here: this test fails until someone decides."""
    for name, table in Base.metadata.tables.items():
        if name in NOT_CARRIED:
            continue
        for column in table.c:
            points = bool(column.foreign_keys) or column.name.endswith("_id")
            if (name, column.name) in NOT_CARRIED_COLUMNS:
                continue
            if points and column.name not in {"user_id", "exercise_id"}:
                assert (name, column.name) in REFERENCES, f"{name}.{column.name}"


#: Columns of ``users`` an export leaves out on purpose: the id (renumbered), the secrets an
#: import makes anew (NEW_ON_IMPORT), the role (an import makes a person) and a coach's practice.
#: cleared_by_id is an account of this server (the coach who recorded a clinician's clearance).
ACCOUNT_LEFT_OUT = {"id", "password_hash", "calendar_token", "role", "practice_id", "cleared_by_id"}
#: Columns the export's ``account`` object names otherwise.
ACCOUNT_FIELD_OF = {"cleared_at": "cleared_by_clinician_at"}


def test_every_account_column_is_exported_or_left_out_on_purpose(database: Database) -> None:
    """A column added to users must reach the export's account object, or be left out here."""
    now = _at(0)
    with database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email=ME, password=PASSWORD, now=now)
        user = _user(uow, ME)
        exported = export.export_data(
            uow=uow, principal=principal_of(user), person_id=user.id, now=now
        )["account"]
    for column in Base.metadata.tables["users"].c:
        if column.name not in ACCOUNT_LEFT_OUT:
            assert ACCOUNT_FIELD_OF.get(column.name, column.name) in exported, column.name


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
    del document["messages"]  # the thread came in version 2
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
    break_document(broken, change)
    before = every_row_count(database)
    with pytest.raises(importer.DocumentError) as refused:
        import_into(database, broken, email=OTHER)
    assert BROKEN[change] in str(refused.value)
    assert every_row_count(database) == before
    assert import_into(database, document, email=OTHER).email == OTHER  # the rest was fine
