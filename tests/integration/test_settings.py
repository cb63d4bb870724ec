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


def test_the_default_database_is_in_the_per_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("BACKCOACH_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert Settings().database_url == f"sqlite:///{tmp_path}/data/backcoach/backcoach.db"
    # Unset, empty or relative (the XDG rules ignore those): ~/.local/share.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for value in ("", "relative/data"):
        monkeypatch.setenv("XDG_DATA_HOME", value)
        expected = f"sqlite:///{tmp_path}/home/.local/share/backcoach/backcoach.db"
        assert Settings().database_url == expected
    monkeypatch.delenv("XDG_DATA_HOME")
    assert Settings().database_url == expected
    assert not (tmp_path / "home").exists()  # reading the settings makes nothing


def test_a_database_command_makes_the_data_folder_owner_only_and_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("BACKCOACH_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "missing" / "data"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "missing" / "data" / "backcoach"
    assert (folder / "backcoach.db").is_file()
    for made in (tmp_path / "missing", tmp_path / "missing" / "data", folder):
        assert made.stat().st_mode & 0o777 == 0o700, made
    assert not (tmp_path / "backcoach.db").exists()
    assert "note:" not in result.stderr


def test_a_database_left_here_by_an_older_backcoach_is_pointed_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("BACKCOACH_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "backcoach.db").write_bytes(b"")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path}/backcoach.db was an older backcoach's default" in result.stderr
    assert "DATABASE_URL" in result.stderr


def test_a_database_url_of_ones_own_makes_no_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/mine.db")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine.db").is_file()
    assert not (tmp_path / "data").exists()
