"""The layers of docs/architecture.md hold: import-linter's contracts ([tool.importlinter] in
pyproject.toml) pass on the code, and break when a lower layer imports a higher one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SOURCE = ROOT / "src"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    """Check the contracts against the backcoach package found in `source`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(source)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_module_imports_from_a_higher_layer() -> None:
    result = _lint_imports(SOURCE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "said"),
    [
        # The engine is the bottom layer; services serve the web; paper never reads the store.
        ("engine/vocabulary.py", "import backcoach.store.db", "engine is not allowed to import"),
        ("services/export.py", "from backcoach.web import pages", "services is not allowed"),
        ("reports/handout.py", "import backcoach.store.tables", "reports is not allowed"),
        # The store keeps rows only.
        ("store/db.py", "import backcoach.catalogue", "store is not allowed to import"),
        # Every top-level module sits in a layer (the contract is exhaustive).
        ("coach.py", '"""A new top-level module outside every layer."""', "not listed as layers"),
    ],
)
def test_a_module_outside_the_rules_breaks_the_contracts(
    tmp_path: Path, module: str, planted: str, said: str
) -> None:
    package = tmp_path / "backcoach"
    for path in (SOURCE / "backcoach").rglob("*.py"):
        copy = package / path.relative_to(SOURCE / "backcoach")
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    target = package / module
    target.write_text(
        (target.read_text(encoding="utf-8") if target.exists() else "") + f"\n{planted}\n",
        encoding="utf-8",
    )
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert said in result.stdout, result.stdout
