"""plans in the stored form, version 2: each decision kept with its reason code, parameters,
who decided it and the profile it was decided under (formats/stored_plan.py)

Rows written before (the CLI's plan document) are converted here: a reason with its code and
parameters keeps them, one without keeps its words as written (note.as_written {text}), the
notes are kept as written, and every decision is the engine's.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:30:00
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_plans = sa.table("plans", sa.column("id", sa.Integer), sa.column("data", sa.JSON))

# The conversion is written out here, not imported, so that this migration stays what it was
# when released whatever the application's stored form becomes.
_AS_WRITTEN = "note.as_written"
_DOSES = ("reps", "seconds", "steps")
_PROFILE_KEYS = (
    "age",
    "pain",
    "level",
    "days_per_week",
    "equipment",
    "avoid",
    "weekdays",
    "pregnancy",
    "red_flags",
)


def upgrade() -> None:
    connection = op.get_bind()
    for row_id, data in connection.execute(sa.select(_plans.c.id, _plans.c.data)).all():
        if isinstance(data, Mapping) and "version" not in data:
            connection.execute(
                _plans.update().where(_plans.c.id == row_id).values(data=to_version_2(data))
            )


def downgrade() -> None:
    # Back to the CLI's plan document, with the words the older version stores beside each
    # code. A downgrade runs with this version installed, so its reader and wording layer say
    # every code it wrote; a coach's authorship has no place in the older shape and is lost.
    from backcoach.catalogue import default_catalogue
    from backcoach.formats.plan import plan_document
    from backcoach.formats.stored_plan import read_stored_plan

    connection = op.get_bind()
    catalogue = default_catalogue()
    for row_id, data in connection.execute(sa.select(_plans.c.id, _plans.c.data)).all():
        if isinstance(data, Mapping) and data.get("version") == 2:
            document = plan_document(read_stored_plan(data, catalogue).plan)
            connection.execute(_plans.update().where(_plans.c.id == row_id).values(data=document))


def to_version_2(document: Mapping[str, Any]) -> dict[str, Any]:
    """One plan document (the CLI's shape) in the stored form, version 2."""
    day_codes = document.get("day_codes") or []
    day_params = document.get("day_params") or []
    if day_codes and len(day_codes) == len(day_params):
        day_notes = [
            {"code": code, "params": params}
            for code, params in zip(day_codes, day_params, strict=True)
        ]
    else:
        day_notes = [_as_written(text) for text in document.get("day_notes") or []]
    profile = document.get("profile") or {}
    return {
        "version": 2,
        "start": document.get("start"),
        "profile": {key: profile[key] for key in _PROFILE_KEYS if profile.get(key) is not None},
        "exercises": [_exercise(item) for item in document.get("exercises") or []],
        "mobility": [_exercise(item) for item in document.get("mobility") or []],
        "schedule": list(document.get("schedule") or []),
        "cautions": None,
        "notes_as_written": list(document.get("notes") or []),
        "decided_on": document.get("decided_on"),
        "day_notes": day_notes,
    }


def _exercise(item: Mapping[str, Any]) -> dict[str, Any]:
    kinds = [item["dose"]] if item.get("dose") in _DOSES else list(_DOSES)
    low = high = None
    for kind in kinds:
        low, high = item.get(f"{kind}_min"), item.get(f"{kind}_max")
        if low is None and high is None and kind != "reps":
            low = high = item.get(kind)
        if low is not None:
            break
    code, params = item.get("code"), item.get("params")
    if isinstance(code, str) and code and isinstance(params, Mapping):
        reason = {"code": code, "params": dict(params)}
    else:
        reason = _as_written(item.get("reason", ""))
    return {
        "id": item.get("id"),
        "sets": item.get("sets"),
        "dose_min": low,
        "dose_max": high,
        "load_kg": item.get("load_kg"),
        "since": item.get("since"),
        "decision": item.get("decision", "start"),
        "reason": reason,
        "cue": item.get("cue") or "",
        "decided_by": {"kind": "engine", "id": None},
    }


def _as_written(text: Any) -> dict[str, Any]:
    return {"code": _AS_WRITTEN, "params": {"text": str(text)}}
