"""`backcoach serve` (the README's run command) starts on an empty folder and answers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.ports import free_port


def test_serve_starts_on_a_fresh_sqlite_database_and_answers(tmp_path: Path) -> None:
    port = free_port()
    data_home = tmp_path / "data-home"  # stands for ~/.local/share, which does not exist yet
    env = {**os.environ, "BACKCOACH_PORT": str(port), "XDG_DATA_HOME": str(data_home)}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "backcoach.cli", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        response = None
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, "the server did not answer within 20 s"
        assert response.status_code == 200
        assert "backcoach" in response.text
        # The embedded database, made on start in the per-user data folder (owner-only), not
        # in the folder the command was started from.
        assert (data_home / "backcoach" / "backcoach.db").exists()
        assert (data_home / "backcoach").stat().st_mode & 0o777 == 0o700
        assert not (tmp_path / "backcoach.db").exists()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "Traceback" not in output
