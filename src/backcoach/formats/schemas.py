"""JSON Schemas of the documents backcoach reads, generated from the models that validate them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from backcoach.formats.answers import ANSWER_MODELS
from backcoach.formats.documents import InputError
from backcoach.formats.history import HistoryIn
from backcoach.formats.log import LogIn
from backcoach.formats.plan import PlanIn
from backcoach.formats.profile import ProfileIn

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

SCHEMAS: dict[str, type[BaseModel]] = {
    "profile": ProfileIn,
    "log": LogIn,
    "plan": PlanIn,
    "history": HistoryIn,
    **{f"answers-{name}": model for name, model in ANSWER_MODELS.items()},
}


def schema_for(name: str) -> dict[str, Any]:
    model = SCHEMAS.get(name)
    if model is None:
        raise InputError(f"schema: unknown name {name!r}; one of {', '.join(SCHEMAS)}")
    return {"$schema": SCHEMA_DIALECT, **model.model_json_schema()}
