"""`backcoach import`: a person's export (the Account page's JSON) made into an account here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from backcoach.formats.documents import InputError
from backcoach.services import accounts, importer
from backcoach.services.errors import ServiceError
from backcoach.store.db import Database
from backcoach.store.migrate import upgrade
from backcoach.wording.errors import error_words


def import_file(*, export_file: Path, email: str | None, database_url: str) -> list[str]:
    """Check the file, read the new password, import; the lines to print (counts per table)."""
    document = _read_json(export_file)
    try:
        importer.read_export(document)  # a bad file is said before a password is asked for
    except importer.DocumentError as error:
        raise InputError(f"{export_file}: {error}") from None
    try:
        password_hash = accounts.hash_password(_new_password())
    except ServiceError as error:
        raise InputError(f"password: {error_words(error.code, error.params)}") from None
    upgrade(database_url)
    database = Database(database_url)
    try:
        with database.unit_of_work() as uow:
            result = importer.import_export(
                uow=uow, document=document, email=email, password_hash=password_hash
            )
    except importer.DocumentError as error:
        raise InputError(f"{export_file}: {error}") from None
    except importer.ImportRefused as error:  # a taken or unusable email
        raise InputError(str(error)) from None
    finally:
        database.dispose()
    width = max(len(table) for table in result.counts)
    return [
        f"imported {export_file} as {result.email}",
        *(f"  {table:<{width}}  {count}" for table, count in result.counts.items()),
    ]


def _read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise InputError(f"{path}: cannot read it: {reason}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: not JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
            "use the JSON export, not the CSV zip"
        ) from None


def _new_password() -> str:
    """Asked twice at a terminal; otherwise the first line of standard input (for scripts)."""
    if _at_terminal():
        return str(typer.prompt("New password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError("password: give the new password on the first line of standard input")
    return line


def _at_terminal() -> bool:
    return sys.stdin.isatty()
