"""Every refusal a service raises has a code with words, and the words fill from its params."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from string import Formatter

import pytest

from backcoach.services.errors import Conflict, Invalid, Kind, NotFound, ServiceError
from backcoach.wording.errors import ERRORS, error_words

SERVICES = Path(__file__).parents[2] / "src" / "backcoach" / "services"
KINDS = {"Invalid", "NotFound", "Forbidden", "Conflict", "Limited", "ServiceError"}


@cache  # every parametrized case reads the same files: parse them once
def raised_codes() -> dict[str, set[str]]:
    """Each code a service raises (a literal first argument), with the params it passes."""
    found: dict[str, set[str]] = {}
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in KINDS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                params = {k.arg for k in node.keywords if k.arg and k.arg != "field"}
                found[str(node.args[0].value)] = params
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def test_the_services_raise_coded_errors() -> None:
    codes = raised_codes()
    assert {"login.no_match", "set.number_out_of_range", "session.not_found"} <= set(codes)


@pytest.mark.parametrize("code", sorted(raised_codes()))
def test_every_raised_code_has_words_that_its_params_fill(code: str) -> None:
    assert code in ERRORS, f"add words for {code} to wording/errors.py"
    params = raised_codes()[code]
    wanted = placeholders(ERRORS[code]) - {"wait"}  # wait is said from wait_seconds
    assert wanted <= params, (code, wanted - params)
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code)


def test_the_gate_codes_each_have_words() -> None:
    for gate in ("screening", "referred", "rescreen"):
        assert f"program.{gate}" in ERRORS


def test_words_fill_from_params() -> None:
    assert error_words("set.number_out_of_range", {"min": 1, "max": 6}) == (
        "Please enter a whole number from 1 to 6."
    )
    assert error_words("login.wait", {"wait_seconds": 10}) == (
        "Too many failed attempts. Please wait 10 seconds and try again."
    )
    assert error_words("login.wait", {"wait_seconds": 300}).endswith("5 minutes and try again.")
    assert error_words("no.such_code", {}) == "no.such_code"  # never a failed request


def test_an_error_carries_its_kind_code_field_and_params() -> None:
    error = Invalid("set.number_out_of_range", field="number", max=6)
    assert (error.kind, error.code, error.field, error.params) == (
        Kind.INVALID,
        "set.number_out_of_range",
        "number",
        {"max": 6},
    )
    assert isinstance(error, ServiceError)
    assert NotFound("x.y").kind is Kind.NOT_FOUND and Conflict("x.y").kind is Kind.CONFLICT
