"""The web reaches people's data only through use cases that take a principal.

A service function without a ``principal`` is a helper for other services, called after they
authorized; a page calling one would skip `authorize`. One without a unit of work reaches no
one's data: a page may call it to check what was typed against the services' rules (every
problem of a form at once, `measure_input.measure_problems`, `safety.answer_problems`). The
few that act before anyone is known (signing up, logging in, a password reset link, the calendar
feed found by its secret address) are named below.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

WEB = Path(__file__).parents[2] / "src" / "backcoach" / "web"
#: Called before there is a principal: who acts is what they establish.
BEFORE_ANYONE_IS_KNOWN = {
    "backcoach.services.accounts.sign_up",
    "backcoach.services.accounts.log_in",
    "backcoach.services.accounts.log_out",
    "backcoach.services.accounts.user_for_token",
    "backcoach.services.accounts.prepare_for_logins",
    "backcoach.services.calendar.feed",
    # A forgotten password: the person is known by the emailed link's secret alone.
    "backcoach.services.password_reset.request_link",
    "backcoach.services.password_reset.link_works",
    "backcoach.services.password_reset.reset_password",
    # The login page signs its known-device cookie with a digest of the account's password
    # hash, read by the email typed, before and after the login itself (services/login_limits).
    "backcoach.services.login_limits.password_stamp",
}


def service_calls(path: Path) -> list[tuple[str, int]]:
    """Each call in ``path`` of a function of backcoach.services, with its line."""
    tree = ast.parse(path.read_text())
    modules: dict[str, str] = {}  # local name -> services module
    functions: dict[str, str] = {}  # local name -> module.function
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "backcoach.services"
        ):
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == "backcoach.services":
                    modules[local] = f"backcoach.services.{alias.name}"
                else:
                    functions[local] = f"{node.module}.{alias.name}"
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            if target.value.id in modules:
                found.append((f"{modules[target.value.id]}.{target.attr}", node.lineno))
        elif isinstance(target, ast.Name) and target.id in functions:
            found.append((functions[target.id], node.lineno))
    return found


def resolve(dotted: str) -> object:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def test_every_service_the_web_calls_takes_a_principal() -> None:
    unchecked = []
    for path in sorted(WEB.rglob("*.py")):
        for dotted, line in service_calls(path):
            called = resolve(dotted)
            if not inspect.isfunction(called) or dotted in BEFORE_ANYONE_IS_KNOWN:
                continue  # a class (a view, an input) is no use case
            parameters = inspect.signature(called).parameters
            if "uow" not in parameters:
                continue  # no unit of work, no one's data: a pure check of input (its rules)
            if "principal" not in parameters:
                unchecked.append(f"{path.relative_to(WEB)}:{line} {dotted}")
    assert unchecked == [], "the web calls services that skip authorize"


def test_the_check_finds_calls_both_ways(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "from backcoach.services import safety as gates\n"
        "from backcoach.services.onboarding import active_plan\n"
        "gates.gate(uow=None, person_id=1)\n"
        "active_plan(uow=None, person_id=1)\n"
    )
    assert service_calls(page) == [
        ("backcoach.services.safety.gate", 3),
        ("backcoach.services.onboarding.active_plan", 4),
    ]
    assert (
        "principal"
        not in inspect.signature(
            cast(Callable[..., Any], resolve("backcoach.services.safety.gate"))
        ).parameters
    )
