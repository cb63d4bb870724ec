"""One settings object: documented, validated, failing loudly with the variable's name."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.settings import Settings

DOCS = Path(__file__).parents[2] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    for name in Settings.model_fields:
        assert f"BACKCOACH_{name.upper()}" in text, f"BACKCOACH_{name.upper()} is undocumented"


def test_database_url_is_read_from_the_plain_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/backcoach")
    assert Settings().database_url == "postgresql+psycopg://u:p@db/backcoach"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BACKCOACH_PORT", "eighty"),
        ("BACKCOACH_TIMEZONE", "Mars/Olympus"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("BACKCOACH_SECRET_KEY", "short"),
    ],
)
def test_a_bad_setting_is_refused(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError):
        Settings()


def test_serve_names_a_bad_setting_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCOACH_TIMEZONE", "Mars/Olympus")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "BACKCOACH_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr
