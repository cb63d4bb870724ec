"""The API's reference as a plain HTML page at /api/v1/docs, rendered on the server from the
API's own OpenAPI document: no script and nothing fetched from elsewhere (the content policy of
web/security.py forbids both), so it reads in any browser, a screen reader or a text one.

Each operation is listed under its area (its first tag, else the first part of its path) with its
method, path, summary, parameters, request body, and answers; each model the document names is a
table of its fields, linked from wherever it is used. docs/api.md is the guide; this is the
reference, and it cannot go stale: it is the document itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, Template, select_autoescape
from markupsafe import Markup, escape

from backcoach.api.problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE

router = APIRouter()

METHODS = ("get", "put", "post", "patch", "delete")
REF_PREFIX = "#/components/schemas/"
#: Validation keywords worth a reader's eye, with how to say them.
CONSTRAINTS = (
    ("minimum", "at least {}"),
    ("exclusiveMinimum", "more than {}"),
    ("maximum", "at most {}"),
    ("exclusiveMaximum", "less than {}"),
    ("minLength", "at least {} characters"),
    ("maxLength", "at most {} characters"),
    ("minItems", "at least {} items"),
    ("maxItems", "at most {} items"),
    ("pattern", "matches {}"),
)


@dataclass(frozen=True, slots=True)
class TypeText:
    """A schema said in a few words, with the models it names (each becomes a link)."""

    words: str
    models: tuple[str, ...] = ()

    def segments(self) -> list[tuple[str, str | None]]:
        """The words in pieces, each with the model it names (a link) or None (plain text)."""
        if not self.models:
            return [(self.words, None)]
        names = "|".join(re.escape(name) for name in sorted(self.models, key=len, reverse=True))
        pieces = re.split(rf"\b({names})\b", self.words)
        return [(piece, piece if piece in self.models else None) for piece in pieces if piece]


@dataclass(frozen=True, slots=True)
class FieldRow:
    name: str
    where: str
    type: TypeText
    required: bool
    notes: str


@dataclass(frozen=True, slots=True)
class Answer:
    status: str
    description: str
    media_types: tuple[str, ...]
    type: TypeText | None


@dataclass(frozen=True, slots=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[FieldRow, ...]
    body_media_types: tuple[str, ...]
    body: TypeText | None
    body_required: bool
    answers: tuple[Answer, ...]


@dataclass(slots=True)
class Area:
    name: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)
    #: The document's words for its tag, if it has any.
    description: str = ""


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    anchor: str
    description: str
    fields: tuple[FieldRow, ...]
    #: A model that is not an object of fields (an enum, a list): its type.
    type: TypeText | None


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def api_reference(request: Request) -> HTMLResponse:
    """The API's reference, from its own OpenAPI document."""
    document = request.app.openapi()
    return HTMLResponse(render(document, prefix=request.scope.get("root_path", "")))


def render(document: Mapping[str, Any], *, prefix: str = "") -> str:
    """The reference page of ``document``; ``prefix`` is where the API is mounted."""
    info = document.get("info", {})
    return _template().render(
        title=info.get("title", "API"),
        version=info.get("version", ""),
        description=info.get("description", ""),
        prefix=prefix,
        areas=areas_of(document),
        models=models_of(document),
        model_anchor=model_anchor,
    )


@functools.cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("backcoach.api", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["prose"] = prose
    return environment.get_template("api_docs.html")


def prose(text: str) -> Markup:
    """Text of the document, escaped, with its `code` spans (Markdown's backticks) as code."""
    pieces = str(text).split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: plain text
        return Markup(escape(text))
    return Markup("").join(
        Markup("<code>{}</code>").format(piece) if index % 2 else escape(piece)
        for index, piece in enumerate(pieces)
    )


def areas_of(document: Mapping[str, Any]) -> list[Area]:
    """The operations grouped by area, areas in the order they first appear."""
    areas: dict[str, Area] = {}
    described = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    for path, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            name = _area_name(operation, path)
            area = areas.setdefault(
                name, Area(name, "area-" + _slug(name), description=described.get(name, ""))
            )
            area.operations.append(_operation(method, path, operation, shared))
    return list(areas.values())


def models_of(document: Mapping[str, Any]) -> list[Model]:
    schemas: Mapping[str, Any] = document.get("components", {}).get("schemas", {})
    return [_model(name, schemas[name]) for name in sorted(schemas, key=str.lower)]


def model_anchor(name: str) -> str:
    return "model-" + _slug(name)


def operation_anchor(method: str, path: str) -> str:
    return _slug(f"{method}-{path}")


def describe(schema: Mapping[str, Any]) -> TypeText:
    """A schema in a few words: ``list of SetLog``, ``integer or null``, ``one of "a", "b"``."""
    if "$ref" in schema:
        name = str(schema["$ref"]).removeprefix(REF_PREFIX)
        return TypeText(name, (name,))
    if "const" in schema:
        return TypeText(_quoted(schema["const"]))
    if "enum" in schema:
        return TypeText("one of " + ", ".join(_quoted(value) for value in schema["enum"]))
    for keyword in ("anyOf", "oneOf", "allOf"):
        if keyword in schema:
            parts = [describe(part) for part in schema[keyword]]
            joiner = " and " if keyword == "allOf" else " or "
            return _joined(parts, joiner)
    kind = schema.get("type")
    if isinstance(kind, list):
        return _joined([describe({**schema, "type": one}) for one in kind], " or ")
    if kind == "array":
        items = describe(schema.get("items", {}))
        return TypeText("list of " + items.words, items.models)
    if kind == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        if isinstance(extra, Mapping) and extra:
            values = describe(extra)
            return TypeText("object of " + values.words, values.models)
        return TypeText("object")
    words = str(kind) if kind else "any"
    if "format" in schema:
        words += f" ({schema['format']})"
    return TypeText(words)


def notes_of(schema: Mapping[str, Any]) -> str:
    """A field's description, constraints and default, in one line."""
    parts = [str(schema.get("description") or "").strip()]
    bounds = [words.format(schema[key]) for key, words in CONSTRAINTS if key in schema]
    parts.append(", ".join(bounds))
    if "default" in schema and schema["default"] is not None:
        parts.append(f"default {_quoted(schema['default'])}")
    return "; ".join(part for part in parts if part)


def _operation(
    method: str, path: str, operation: Mapping[str, Any], shared: Iterable[Mapping[str, Any]]
) -> Operation:
    parameters = tuple(
        FieldRow(
            name=str(parameter["name"]),
            where=str(parameter.get("in", "")),
            type=describe(parameter.get("schema", {})),
            required=bool(parameter.get("required", False)),
            notes=notes_of(
                {**parameter.get("schema", {}), "description": parameter.get("description", "")}
            ),
        )
        for parameter in [*shared, *operation.get("parameters", [])]
    )
    body = operation.get("requestBody", {})
    body_content: Mapping[str, Any] = body.get("content", {})
    first_body: Mapping[str, Any] = next(iter(body_content.values()), {})
    body_schema = first_body.get("schema")
    answers = tuple(
        _answer(status, answer) for status, answer in sorted(operation["responses"].items())
    )
    summary = str(operation.get("summary") or "")
    description = str(operation.get("description") or "")
    return Operation(
        anchor=operation_anchor(method, path),
        method=method.upper(),
        path=path,
        summary=summary,
        description="" if description == summary else description,
        parameters=parameters,
        body_media_types=tuple(body_content),
        body=describe(body_schema) if body_schema else None,
        body_required=bool(body.get("required", False)),
        answers=answers,
    )


def _answer(status: str, answer: Mapping[str, Any]) -> Answer:
    content: Mapping[str, Any] = answer.get("content", {})
    schema = next((media["schema"] for media in content.values() if media.get("schema")), None)
    media_types = tuple(content)
    if schema == {"$ref": REF_PREFIX + "Problem"}:
        # FastAPI files every model of ``responses=`` under application/json; a refusal is
        # sent as a problem document (api/problems.py), so say what a client will get.
        media_types = (PROBLEM_MEDIA_TYPE,)
    return Answer(
        status=status,
        description=str(answer.get("description", "")),
        media_types=media_types,
        type=describe(schema) if schema else None,
    )


def _model(name: str, schema: Mapping[str, Any]) -> Model:
    properties: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    fields = tuple(
        FieldRow(
            name=key,
            where="",
            type=describe(value),
            required=key in required,
            notes=notes_of(value),
        )
        for key, value in properties.items()
    )
    return Model(
        name=name,
        anchor=model_anchor(name),
        description=str(schema.get("description") or "").strip(),
        fields=fields,
        type=None if properties else describe(schema),
    )


def _area_name(operation: Mapping[str, Any], path: str) -> str:
    tags = operation.get("tags") or []
    if tags:
        return str(tags[0])
    first = next((part for part in path.split("/") if part), "api")
    return first.strip("{}")


def _joined(parts: list[TypeText], joiner: str) -> TypeText:
    words: list[str] = []
    models: list[str] = []
    for part in parts:
        if part.words not in words:
            words.append(part.words)
        models.extend(model for model in part.models if model not in models)
    return TypeText(joiner.join(words), tuple(models))


def _quoted(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


def _slug(text: str) -> str:
    """An id for an anchor: letters, digits and dashes."""
    slug = "".join(char if char.isalnum() else "-" for char in text.lower())
    return "-".join(part for part in slug.split("-") if part)
