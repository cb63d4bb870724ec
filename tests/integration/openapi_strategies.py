"""Values drawn from the JSON Schemas of an OpenAPI 3.1 document, for the API's property test.

It covers what FastAPI and pydantic write (types, bounds, lengths, patterns, enums, formats,
``anyOf``/``oneOf``/``allOf``, ``$ref``, ``additionalProperties``), nothing more. It is written
here because hypothesis-jsonschema 0.23 no longer runs on the hypothesis we use (it calls an
internal hypothesis changed since), and schemathesis would bring a large tree of packages for the
part that this module does.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator

Json = Any
REF_PREFIX = "#/components/schemas/"
#: Short strings, mostly printable: a field's words, ids, names (and now and then anything).
_TEXT = st.one_of(
    st.text(string.ascii_letters + string.digits + "_-. ", max_size=12),
    st.text(max_size=12),
)
_ANY_JSON: st.SearchStrategy[Json] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)


class SchemaValues:
    """Strategies for the schemas of one OpenAPI document (its components resolve ``$ref``).

    ``known`` gives, by a field's name, real values worth trying (a person's session id, an
    exercise of their plan): such a field takes one of those that its schema allows about half
    the time, so that drawn requests reach real data and not only refusals.
    """

    def __init__(
        self, document: Mapping[str, Any], known: Mapping[str, Sequence[Json]] | None = None
    ) -> None:
        self.document = document
        self.components: Mapping[str, Any] = document.get("components", {}).get("schemas", {})
        self.known = dict(known or {})

    def validator(self, schema: Mapping[str, Any]) -> Draft202012Validator:
        """A validator of ``schema`` whose ``$ref`` resolve in the document's components."""
        rooted = {**schema, "components": self.document.get("components", {})}
        return Draft202012Validator(rooted, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def field(self, name: str, schema: Mapping[str, Any]) -> st.SearchStrategy[Json]:
        """Values of the field ``name``: one of its known values, or one drawn from ``schema``."""
        drawn = self.values(schema)
        validator = self.validator(schema)
        known = [value for value in self.known.get(name, ()) if validator.is_valid(value)]
        return st.one_of(st.sampled_from(known), drawn) if known else drawn

    def values(self, schema: Mapping[str, Any], depth: int = 0) -> st.SearchStrategy[Json]:
        """Values valid for ``schema`` (bounds kept; formats of dates and UUIDs as strings)."""
        if depth > 8:  # a recursive model: stop with the smallest value the schema allows
            return st.none() if _allows_null(schema) else st.nothing()
        if "$ref" in schema:
            return self.values(self._resolve(schema["$ref"]), depth + 1)
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(list(schema["enum"]))
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                return st.one_of([self.values(part, depth + 1) for part in schema[keyword]])
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                merged.update(self._resolve(part["$ref"]) if "$ref" in part else part)
            return self.values(merged, depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            return st.one_of([self.values({**schema, "type": one}, depth + 1) for one in kind])
        if kind == "object" or "properties" in schema:
            return self._object(schema, depth)
        if kind == "array":
            items = self.values(schema.get("items", {}), depth + 1)
            return st.lists(
                items,
                min_size=int(schema.get("minItems", 0)),
                max_size=min(int(schema.get("maxItems", 4)), 4 + int(schema.get("minItems", 0))),
            )
        if kind == "string":
            return _string(schema)
        if kind == "integer":
            return _integer(schema)
        if kind == "number":
            low, high = _bounds(schema, -1e6, 1e6)
            return st.floats(low, high, allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return _ANY_JSON

    def junk_or(self, schema: Mapping[str, Any]) -> st.SearchStrategy[Json]:
        """Mostly valid values, now and then any JSON at all (the API must refuse it well)."""
        valid = self.values(schema)
        return st.one_of(valid, valid, valid, _ANY_JSON)

    def _object(self, schema: Mapping[str, Any], depth: int) -> st.SearchStrategy[Json]:
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        fields = {
            name: self.field(name, part) if name in self.known else self.values(part, depth + 1)
            for name, part in properties.items()
        }
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, Mapping):
            return st.dictionaries(_TEXT, self.values(extra, depth + 1), max_size=3)
        return st.fixed_dictionaries(
            {name: value for name, value in fields.items() if name in required},
            optional={name: value for name, value in fields.items() if name not in required},
        )

    def _resolve(self, reference: str) -> Mapping[str, Any]:
        assert reference.startswith(REF_PREFIX), reference
        found: Mapping[str, Any] = self.components[reference.removeprefix(REF_PREFIX)]
        return found


def _allows_null(schema: Mapping[str, Any]) -> bool:
    parts = schema.get("anyOf", []) + schema.get("oneOf", [])
    return schema.get("type") == "null" or any(part.get("type") == "null" for part in parts)


def _string(schema: Mapping[str, Any]) -> st.SearchStrategy[str]:
    shape = schema.get("format")
    if shape == "uuid":
        return st.uuids().map(str)
    if shape == "date":
        return st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
    if shape == "date-time":
        moments = st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 12, 31))
        return moments.map(lambda moment: moment.replace(tzinfo=dt.UTC).isoformat())
    low = int(schema.get("minLength", 0))
    high = int(schema.get("maxLength", low + 24))
    if "pattern" in schema:
        matching = st.from_regex(str(schema["pattern"]), fullmatch=True)
        return matching.filter(lambda text: low <= len(text) <= high)
    return st.one_of(
        st.text(string.ascii_letters + string.digits + "_-. ", min_size=low, max_size=high),
        st.text(min_size=low, max_size=high),
    )


def _integer(schema: Mapping[str, Any]) -> st.SearchStrategy[int]:
    low, high = _bounds(schema, -(2**63), 2**63)
    return st.one_of(
        st.integers(int(max(low, -20)), int(min(high, 20)))
        if low <= 20 and high >= -20
        else st.nothing(),
        st.integers(int(low), int(high)),
    )


def _bounds(schema: Mapping[str, Any], low: float, high: float) -> tuple[float, float]:
    if "minimum" in schema:
        low = schema["minimum"]
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + 1
    if "maximum" in schema:
        high = schema["maximum"]
    if "exclusiveMaximum" in schema:
        high = schema["exclusiveMaximum"] - 1
    return low, high
