"""A stored program as the services hand it out: the engine's plan and each latest decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backcoach.catalogue import default_catalogue
from backcoach.engine.plan import Plan
from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Decision
from backcoach.formats.stored_plan import ENGINE, DecidedBy, StoredPlan, read_stored_plan
from backcoach.store.tables import PlanRecord
from backcoach.wording.cue_words import say_cue


@dataclass(frozen=True, slots=True)
class NextStep:
    """What was decided for one exercise after the last session, why, and by whom."""

    decision: Decision
    #: Why, as a code and parameters (the pages say it with `backcoach.wording.say`).
    reason: Reason
    #: The cue in words (the catalogue's, or those of a cue code: `wording.cue_words`).
    cue: str = ""
    decided_by: DecidedBy = ENGINE

    @property
    def code(self) -> str:
        """The reason's code, e.g. "ease_off.pain_flare"."""
        return self.reason.code


@dataclass(frozen=True, slots=True)
class ProgramView:
    """A stored program read back: which one (id, when made), the engine's plan and each
    exercise's latest decision."""

    plan_id: int
    at: dt.datetime
    plan: Plan
    next_steps: dict[str, NextStep]
    #: What the engine noticed about the whole day when it decided (a flare, a long break),
    #: as codes (the pages say them with `backcoach.wording.say_note`).
    day_notes: tuple[Reason, ...] = ()


def stored_plan(record: PlanRecord) -> StoredPlan:
    """The plan a row keeps, with who decided each exercise (for the services)."""
    return read_stored_plan(record.data, default_catalogue())


def program_of(record: PlanRecord) -> ProgramView:
    """The stored plan row read into a view (no row leaves the services)."""
    stored = stored_plan(record)
    plan = stored.plan
    steps = {
        item.exercise.id: NextStep(
            item.decision, item.reason, say_cue(item.cue), stored.decider(item.exercise.id)
        )
        for item in plan.exercises
    }
    return ProgramView(record.id, record.at, plan, steps, plan.day_notes)
