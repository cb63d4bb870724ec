"""`backcoach import`: a person's export made into an account of another backcoach loses nothing;
a bad document or a taken email writes nothing; SQLite and PostgreSQL. The command line is in
test_import_command.py."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

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
    THIRD,
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
            # The owner is renumbered with the account; exercises are the catalogue's ids.
            if points and column.name not in {"user_id", "exercise_id", "to_exercise_id"}:
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
    assert document["version"] == 3
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
    assert len(original["profiles"]) == 3 and len(original["tight_moments"]) == 2
    assert any(row["decided_from_session_id"] for row in original["plans"])
    assert {row["leg_symptoms"] for row in original["training_sessions"]} == {
        "less_far",
        "same",
        "none",
    }
    assert sum(row["pain_next_morning"] is not None for row in original["training_sessions"]) == 2
    assert [
        (row["reason"], row["action"], row["to_exercise_id"] is not None)
        for row in original["exercise_stops"]
    ] == [("pain", "easier", True), ("cannot", "skip", False)]
    assert [row["ends_on"] is None for row in original["program_pauses"]] == [False, True]
    assert original["program_pauses"][0]["resumed_at"] is not None
    assert [row["plan_id"] is not None for row in original["profile_changes"]] == [True]
    assert original["profile_changes"][0]["changes"]
    assert [
        (row["enabled"], row["by_email"], row["minute_of_day"])
        for row in original["reminder_settings"]
    ] == [(True, True, 7 * 60 + 45)]

    upgrade(other_database_url)
    elsewhere = Database(other_database_url)
    try:
        moved = import_into(elsewhere, document)
        assert moved.email == ME
        assert moved.counts == {
            name: len(rows) for name, rows in original.items() if name not in ("users", "set_logs")
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


def _as_version_2(document: dict[str, Any]) -> None:
    """What version 3 added, taken out."""
    for name in ("exercise_stops", "program_pauses", "profile_changes"):
        del document[name]
    del document["account"]["reminders"]
    document["version"] = 2


def test_version_2_and_version_1_exports_import(database: Database) -> None:
    """Older exports import what they hold; what came later is left empty."""
    build_rich_account(database)
    document = export_of(database, ME)
    original = account_rows(database, ME)
    _as_version_2(document)

    result = import_into(database, copy.deepcopy(document), email=OTHER)

    imported = account_rows(database, OTHER)
    for name in ("exercise_stops", "program_pauses", "profile_changes", "reminder_settings"):
        assert original[name] and imported[name] == [], name
        assert name not in result.counts
    assert len(imported["set_logs"]) == len(original["set_logs"])
    assert imported["users"][0]["cleared_screening_id"] is not None
    assert [row["leg_symptoms"] for row in imported["training_sessions"]] == [
        row["leg_symptoms"] for row in original["training_sessions"]
    ]

    del document["account"]["cleared_screening_id"]
    for plan in document["plans"]:
        del plan["decided_from_session_id"]
    for session in document["training_sessions"]:
        del session["leg_symptoms"]
    del document["messages"]  # the thread came in version 2
    document["version"] = 1

    result = import_into(database, document, email=THIRD)

    imported = account_rows(database, THIRD)
    assert result.counts["sets"] == len(imported["set_logs"]) > 0
    assert imported["users"][0]["cleared_screening_id"] is None
    assert imported["users"][0]["cleared_at"] == original["users"][0]["cleared_at"]
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
    "future_version": "version: must be 1, 2 or 3, not 4",
    "time_without_zone": "plans[1].at: must be a time with its offset",
    "reference_to_nothing": "decided_from_session_id: no training session in the document "
    "has id 999999",
    "unknown_field": "tight_moments[0].mood: is not a field of a backcoach export",
    "felt_unknown": "training_sessions[0].sets[1].felt: must be one of target, low_back",
    "two_active_plans": "plans[1].active: only one plan can be active, and plans[0] is",
}


#: Version 3's sections, refused in the same way before anything is written (read_export runs
#: first, as the cases above show): checked on one document, to keep the suite short.
BROKEN_VERSION_3 = {
    "stop_of_no_session": "exercise_stops[0].session_id: no training session in the document "
    "has id 999999",
    "stopped_twice": "exercise_stops[1].exercise_id: stopped twice in one session",
    "skip_with_a_rung": "exercise_stops[1].to_exercise_id: must be null for a skip",
    "stop_reason_unknown": "exercise_stops[0].reason: must be one of pain, cannot",
    "pause_ends_before_it_starts": "program_pauses[0].ends_on: must not be before starts_on",
    "change_of_no_plan": "profile_changes[0].plan_id: no plan in the document has id 999999",
    "change_not_a_code": "profile_changes[0].changes: must be a list of changes, each an object",
    "reminder_at_no_time": "account.reminders.minute_of_day: must be at most 1439",
}


def test_version_3_sections_are_checked_and_name_the_field(database: Database) -> None:
    build_rich_account(database)
    document = export_of(database, ME)
    importer.read_export(document)
    for change, problem in BROKEN_VERSION_3.items():
        broken = copy.deepcopy(document)
        break_document(broken, change)
        with pytest.raises(importer.DocumentError) as refused:
            importer.read_export(broken)
        assert problem in str(refused.value), change


def test_a_broken_document_names_the_field_and_writes_nothing(database: Database) -> None:
    """Every case on one rich account per database (building it cost most of each case's time
    when each had its own): each refusal names its field and leaves every table as it was."""
    build_rich_account(database)
    document = export_of(database, ME)
    before = every_row_count(database)
    for change, problem in sorted(BROKEN.items()):
        broken = copy.deepcopy(document)
        break_document(broken, change)
        with pytest.raises(importer.DocumentError) as refused:
            import_into(database, broken, email=OTHER)
        assert problem in str(refused.value), change
        assert every_row_count(database) == before, change
    assert import_into(database, document, email=OTHER).email == OTHER  # the rest was fine
