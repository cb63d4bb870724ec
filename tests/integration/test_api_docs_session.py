"""docs/api.md's worked session runs as written: its ```` ```sh session ```` blocks, in order, in
one bash with real curl and the real ``backcoach`` command, against a live server on a fresh
database, so that the guide cannot go stale. A block marked ``sh session refused`` must fail
(its curl gets a refusal); any other curl that gets an error status fails the run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from backcoach.settings import Settings
from backcoach.web.app import create_app
from tests.support.availability import unavailable
from tests.support.live_server import live_server

GUIDE = Path(__file__).parents[2] / "docs" / "api.md"
#: Where the guide's reader runs their server; the test puts its own in its place.
READERS_SERVER = "http://localhost:8000"
BLOCK = re.compile(r"^```sh session( refused)?\n(.*?)^```$", re.MULTILINE | re.DOTALL)
#: Before the guide's blocks: stop at the first failure, and let curl fail on an error status
#: (showing the problem document), which the guide's own commands leave out for readability.
PROLOGUE = """set -euo pipefail
curl() { command curl --fail-with-body --show-error "$@"; }
"""


def session_script(guide: str, server: str) -> str:
    """The guide's session blocks as one bash script against ``server``."""
    parts = [PROLOGUE]
    for refused, block in BLOCK.findall(guide):
        block = block.replace(READERS_SERVER, server)
        if refused:
            parts.append(
                f"if (\n{block}); then\n"
                '  echo "a block the guide says is refused went through" >&2; exit 1\nfi\n'
            )
        else:
            parts.append(block)
    return "\n".join(parts)


def test_the_guide_marks_its_session_and_one_refusal() -> None:
    blocks = BLOCK.findall(GUIDE.read_text())
    assert len(blocks) >= 6
    assert sum(1 for refused, _ in blocks if refused) == 1
    script = session_script(GUIDE.read_text(), "http://127.0.0.1:1")
    assert READERS_SERVER not in script and "backcoach token create" in script


def test_the_worked_session_of_the_guide_runs_against_a_live_server(
    migrated_sqlite_template: Path, tmp_path: Path
) -> None:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        unavailable("curl and bash run the guide's session")
    database = tmp_path / "guide.db"
    shutil.copy(migrated_sqlite_template, database)
    url = f"sqlite:///{database}"
    environment = {
        **os.environ,
        "BACKCOACH_DATABASE_URL": url,
        # The ``backcoach`` command of this environment, as the guide's reader has theirs.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    environment.pop("DATABASE_URL", None)
    with live_server(create_app(Settings(database_url=url))) as server:
        script = session_script(GUIDE.read_text(), server)
        run = subprocess.run(
            ["bash", "-c", script],
            env=environment,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 0, f"the guide's session failed:\n{run.stdout}\n{run.stderr}"
    assert "the same answer twice:" in run.stdout
    assert '"code":"operation.conflict"' in run.stdout.replace(" ", "")
