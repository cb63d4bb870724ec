"""The engine imports only the standard library and itself, and never reads the clock."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import backcoach.engine

ENGINE = Path(backcoach.engine.__file__).parent
MODULES = sorted(ENGINE.glob("*.py"))


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_engine_has_modules_to_check() -> None:
    assert len(MODULES) >= 8


def test_the_engine_imports_only_the_standard_library_and_itself() -> None:
    for path in MODULES:
        for name in _imports(path):
            top = name.split(".")[0]
            allowed = top in sys.stdlib_module_names or name.startswith("backcoach.engine")
            assert allowed, f"{path.name} imports {name}"


def test_the_engine_never_reads_the_clock() -> None:
    forbidden = {"today", "now", "utcnow", "time", "monotonic", "perf_counter"}
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in forbidden, f"{path.name} calls .{node.func.attr}()"
