"""Form input: parsed, size-limited and validated, with one plain message per field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

MAX_FIELDS = 200
MAX_FIELD_BYTES = 8 * 1024
#: Longest text kept from one field; anything longer is refused with a message on that field.
MAX_FIELD_CHARS = 2 * 1024
#: A form here is a few short fields; a body larger than this is refused unread.
MAX_BODY_BYTES = 256 * 1024
_URLENCODED = "application/x-www-form-urlencoded"
_WHOLE = re.compile(r"[0-9]{1,6}")
#: Control characters other than tab and line breaks: never typed, and NUL breaks PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_MESSAGE = "This contains characters that cannot be saved; please type it again."
_TWICE_MESSAGE = "This was sent more than once; please send the form again."
Model = TypeVar("Model", bound=BaseModel)


class FormInput:
    """What the person typed (to show back) and the problems found, by field name."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    @property
    def ok(self) -> bool:
        return not self.errors


async def read_form(request: Request) -> FormInput:
    """Read a posted form within size limits; an oversized field is named, not a failure.

    Url-encoded bodies (every form here) are parsed directly: Starlette's parser stops at an
    oversized field without saying which. Other encodings go through Starlette with limits.
    """
    if request.headers.get("content-type", "").split(";")[0].strip() != _URLENCODED:
        return await _read_multipart(request)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return _unreadable("This form is too large. Please try again.")
    try:
        pairs = parse_qsl(
            body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS
        )
    except ValueError:
        return _unreadable("The form could not be read. Please try again.")
    return _collect(pairs)


async def _read_multipart(request: Request) -> FormInput:
    try:
        form: FormData = await request.form(max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES)
    except Exception:  # python-multipart raises several kinds for bad bodies
        return _unreadable("The form could not be read. Please try again.")
    return _collect((k, v) for k, v in form.multi_items() if isinstance(v, str))


def _collect(pairs: Iterable[tuple[str, str]]) -> FormInput:
    """Fields by name; `name[]` collects a list. A field sent twice, both as `x` and `x[]`, or
    holding a control character (a NUL byte breaks PostgreSQL) is refused, naming the field."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, value in pairs:
        if key == "csrftoken":
            continue
        name = key[:-2] if key.endswith("[]") else key
        if _CONTROL.search(key) or _CONTROL.search(value):
            problems.setdefault(_CONTROL.sub("", name) or "form", _CONTROL_MESSAGE)
            continue
        known = values.get(name)
        if key.endswith("[]"):
            if isinstance(known, str):
                problems.setdefault(name, _TWICE_MESSAGE)
                continue
            values.setdefault(name, []).append(value)
        elif known is not None:
            problems.setdefault(name, _TWICE_MESSAGE)
        else:
            values[name] = value
    result = FormInput(values)
    for key, value in values.items():
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            result.errors[key] = f"This is too long: use at most {MAX_FIELD_CHARS:,} characters."
    result.errors.update(problems)
    return result


def _unreadable(message: str) -> FormInput:
    result = FormInput({})
    result.errors["form"] = message
    return result


def validate(
    form: FormInput, model: type[Model], data: dict[str, Any] | None = None
) -> Model | None:
    """Validate into ``model``; on failure record a plain message per field and return None."""
    if not form.ok:
        return None
    try:
        return model.model_validate(form.values if data is None else data)
    except ValidationError as error:
        for problem in error.errors(include_url=False):
            field = ".".join(str(part) for part in problem["loc"]) or "form"
            form.errors.setdefault(field.split(".")[0], plain_message(problem))
        return None


def plain_message(problem: Any) -> str:
    kind = problem["type"]
    context = problem.get("ctx") or {}
    if kind == "missing":
        return "Please fill this in."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "Please enter a whole number."
    if kind in ("float_parsing", "float_type"):
        return "Please enter a number."
    if kind == "less_than_equal":
        return f"Please enter {context['le']} or less."
    if kind == "greater_than_equal":
        return f"Please enter {context['ge']} or more."
    if kind in ("enum", "literal_error"):
        return "Please choose one of the options."
    if kind == "string_too_long":
        return "This is too long."
    if kind == "string_too_short":
        return "Please fill this in."
    message = str(problem.get("msg", "This is not valid."))
    return message.removeprefix("Value error, ")


def text(values: dict[str, Any], name: str) -> str:
    value = values.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def whole(
    values: dict[str, Any],
    name: str,
    low: int,
    high: int,
    errors: dict[str, str],
    *,
    required: bool = True,
) -> int | None:
    """A whole number from ``low`` to ``high``; blank is an error only when required."""
    if name in errors:
        return None
    raw = values.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors[name] = "Please fill this in."
        return None
    if not isinstance(raw, str) or not _WHOLE.fullmatch(raw.strip()) or not low <= int(raw) <= high:
        errors[name] = f"Please enter a whole number from {low} to {high}."
        return None
    return int(raw)
