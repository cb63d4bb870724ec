"""Reading JSON or YAML documents, and turning validation failures into one clear line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BeforeValidator, ValidationError

#: Documents are small; anything bigger is a mistake, not a plan.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


def _date_text(value: Any) -> Any:
    # Pydantic would read a bare number as a Unix time; a person never means that.
    if isinstance(value, bool | int | float):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_date_text)]


class InputError(ValueError):
    """Bad input from a person: the message names the field and says what is wrong."""


def read_document(path: Path, *, what: str) -> Any:
    """Parse a JSON or YAML file (by content: JSON is valid YAML, but its errors read better)."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(f"{what}: {path} is {size} bytes; the limit is {MAX_DOCUMENT_BYTES}")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what}: no such file {path}") from None
    except IsADirectoryError:
        raise InputError(f"{what}: {path} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise InputError(f"{what}: {path} is not UTF-8 text") from None
    except OSError as error:
        raise InputError(f"{what}: cannot read {path}: {error.strerror}") from None
    return parse_document(text, what=what, json_only=path.suffix.lower() == ".json")


def parse_document(text: str, *, what: str, json_only: bool = False) -> Any:
    stripped = text.lstrip()
    if json_only or stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                f"{what}: malformed JSON at line {error.lineno} column {error.colno}: {error.msg}"
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "cannot parse"
        raise InputError(f"{what}: malformed YAML{where}: {problem}") from None


def field_path(location: tuple[int | str, ...], root: str) -> str:
    """('sessions', 0, 'pain_during') -> 'sessions[0].pain_during'."""
    path = root
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def explain(error: ValidationError, root: str) -> InputError:
    """The first problem of a Pydantic error as one line naming the field."""
    first = error.errors(include_url=False)[0]
    # Union and tagged models add their own names to the location; they mean nothing to people.
    location = tuple(
        part
        for part in first["loc"]
        if not (isinstance(part, str) and (part.startswith("function-") or "[" in part))
    )
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "missing":
        message = "required field is missing"
    more = len(error.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return InputError(f"{field_path(location, root)}: {message}{suffix}")
