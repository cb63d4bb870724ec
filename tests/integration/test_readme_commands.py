"""The README's command-line examples run as written, from the project's folder, without
activating the virtual environment first (each names `.venv/bin/backcoach`)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.cli import app, handout

ROOT = Path(__file__).parents[2]
PROGRAM = ".venv/bin/backcoach"


def _readme_commands() -> list[str]:
    """The lines of the README's shell blocks that run the command line."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if re.search(r"(^|/)backcoach (?!serve)", line)]


def test_every_cli_example_names_the_program_in_the_virtual_environment() -> None:
    commands = _readme_commands()
    assert len(commands) >= 7
    assert [line for line in commands if not line.startswith(PROGRAM + " ")] == []
    assert (ROOT / "pyproject.toml").read_text().count('backcoach = "backcoach.cli') == 1


def test_the_cli_examples_run_in_order_from_the_project_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A copy of the project's folder as far as the examples go: files they write land here.
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    # Drawing the handout takes seconds; tests/integration/test_cli_pdf.py checks the real one.
    drawn: list[Path] = []
    monkeypatch.setattr(handout, "write_handout", lambda result, path, today: drawn.append(path))
    runner = CliRunner()
    for line in _readme_commands():
        words = shlex.split(line.removeprefix(PROGRAM + " "), comments=True)
        written = None
        if ">" in words:
            words, written = words[: words.index(">")], words[words.index(">") + 1]
        result = runner.invoke(app, words)
        assert result.exit_code == 0, (line, result.stdout, result.stderr)
        if written:
            Path(written).write_text(result.stdout)
    assert {"plan.json", "bridge.svg"} <= {p.name for p in tmp_path.iterdir()}
    assert drawn == [Path("program.pdf")]
