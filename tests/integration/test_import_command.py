"""`backcoach import` on the command line: the password from standard input or asked twice at
a terminal, the counts printed, and one line naming what is wrong; SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app, import_command
from backcoach.services import accounts
from backcoach.store.db import Database
from tests.integration.import_steps import (
    ME,
    NEW_PASSWORD,
    OTHER,
    _at,
    account_rows,
    break_document,
    build_rich_account,
    every_row_count,
    export_of,
)


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
    break_document(document, "amount_as_text")
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
