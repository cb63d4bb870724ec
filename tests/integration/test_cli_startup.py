"""The engine's commands start quickly: `backcoach --help`, catalogue, screen, score, plan, next,
outcomes and schema load none of the web server, the database, the password hasher, the charts or
the PDF, and importing backcoach computes no password hash (it cost about 3 s of CPU a command)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from backcoach.services import accounts
from backcoach.services.errors import Invalid
from backcoach.store.db import Database
from backcoach.store.migrate import upgrade

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"

#: Modules only the server, the database, accounts, charts, pictures and the handout need.
HEAVY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "argon2",
    "pygal",
    "fpdf",
    "PIL",
    "jinja2",
    "icalendar",
)

#: Runs commands one after another in a fresh interpreter; prints the heavy modules loaded so far
#: after the import and after each command.
PROBE = """
import json, sys
from typer.testing import CliRunner
from backcoach.cli import app

heavy = set(json.loads(sys.argv[1]))
def loaded():
    return sorted(heavy & {name.split(".")[0] for name in sys.modules})

seen = {"import backcoach.cli": loaded()}
runner = CliRunner()
for args in json.loads(sys.argv[2]):
    result = runner.invoke(app, args)
    if result.exit_code != 0:
        sys.exit(f"{args} ended with {result.exit_code}: {result.output}")
    seen[" ".join(args)] = loaded()
print(json.dumps(seen))
"""


def _heavy_modules_after(commands: list[list[str]]) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), json.dumps(commands)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen: dict[str, list[str]] = json.loads(result.stdout)
    return seen


def test_help_and_the_engine_commands_load_no_server_database_or_pdf() -> None:
    seen = _heavy_modules_after(
        [
            ["--help"],
            ["catalogue"],
            ["catalogue", "bird_dog", "--format", "json"],
            ["screen", str(EXAMPLES / "answers" / "red-flags.json")],
            ["score", "startback", str(EXAMPLES / "answers" / "startback.json")],
            ["plan", str(EXAMPLES / "profile.yaml"), "--start", "2026-11-02"],
            ["next", str(EXAMPLES / "plan.json"), str(EXAMPLES / "log.json")],
            ["outcomes", str(EXAMPLES / "plan.json"), str(EXAMPLES / "log.json")],
            ["schema", "profile"],
        ]
    )
    assert len(seen) == 10
    assert {command: modules for command, modules in seen.items() if modules} == {}


def test_the_handout_loads_the_pdf_library_when_asked_for(tmp_path: Path) -> None:
    # The other side of the probe: a command that needs a heavy module does load it.
    handout = tmp_path / "program.pdf"
    plan = ["plan", str(EXAMPLES / "profile.yaml"), "--start", "2026-11-02", "--pdf", str(handout)]
    seen = _heavy_modules_after([plan])
    assert "fpdf" in seen[" ".join(plan)]
    assert "sqlalchemy" not in seen[" ".join(plan)]
    assert handout.read_bytes().startswith(b"%PDF")


def test_importing_the_services_and_the_web_app_computes_no_password_hash() -> None:
    probe = """
import argon2
made = []
real = argon2.PasswordHasher.hash
def counting(self, password, **options):
    made.append(password)
    return real(self, password, **options)
argon2.PasswordHasher.hash = counting
import backcoach.services.accounts, backcoach.web.app, backcoach.cli.app
print(len(made))
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


def test_a_login_for_an_unknown_email_still_verifies_against_the_hashers_own_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The hash of no one's password is made at the first unknown email, not at import: it must be
    # made by the hasher in use (its cost is what keeps both answers equally slow), and only once.
    hasher = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    verified: list[str] = []

    class Recording:
        def __getattr__(self, name: str) -> object:
            return getattr(hasher, name)

        def verify(self, password_hash: str, password: str) -> bool:
            verified.append(password_hash)
            return hasher.verify(password_hash, password)

    monkeypatch.setattr(accounts, "_hasher", Recording())
    url = f"sqlite:///{tmp_path / 'logins.db'}"
    upgrade(url)
    database = Database(url)
    try:
        for attempt in range(2):
            with database.unit_of_work() as uow, pytest.raises(Invalid, match=r"login\.no_match"):
                accounts.log_in(
                    uow=uow,
                    email=f"nobody{attempt}@example.com",
                    password="a long wrong guess",
                    now=dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC),
                    attempts_allowed=5,
                    window=dt.timedelta(minutes=15),
                    session_length=dt.timedelta(days=1),
                )
    finally:
        database.dispose()
    assert len(verified) == 2 and verified[0] == verified[1]
    assert "$m=2048,t=2,p=1$" in verified[0]
