"""A stored program as the services hand it out: the engine's plan and each latest decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from backcoach.catalogue import default_catalogue
from backcoach.engine.plan import Plan
from backcoach.engine.vocabulary import Decision
from backcoach.formats.plan import read_plan
from backcoach.store.tables import PlanRecord


@dataclass(frozen=True, slots=True)
class NextStep:
    """What the engine decided for one exercise after the last session, and why."""

    decision: Decision
    reason: str
    cue: str = ""
    #: The engine's reason code (e.g. ease_off.pain_flare), "" on plans made before codes.
    code: str = ""


@dataclass(frozen=True, slots=True)
class ProgramView:
    """A stored program read back: which one (id, when made), the engine's plan and each
    exercise's latest decision."""

    plan_id: int
    at: dt.datetime
    plan: Plan
    next_steps: dict[str, NextStep]
    #: What the engine noticed about the whole day when it decided (a flare, a long break).
    day_notes: tuple[str, ...] = ()


def program_of(record: PlanRecord) -> ProgramView:
    """The stored plan row read into a view (no row leaves the services)."""
    # The plan reader keeps only what the engine needs; decisions and cues are read here.
    steps: dict[str, NextStep] = {}
    for item in record.data.get("exercises", []):
        decision = Decision(item.get("decision", Decision.START.value))
        steps[str(item["id"])] = NextStep(
            decision, str(item.get("reason", "")), _text(item, "cue"), _text(item, "code")
        )
    notes = tuple(str(note) for note in record.data.get("day_notes", []))
    plan = read_plan(record.data, default_catalogue())
    return ProgramView(record.id, record.at, plan, steps, notes)


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""
