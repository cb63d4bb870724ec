"""What a clinical progress report shows, as plain values (services/report.py fills it).

It lives beside the PDF rather than in the services because the reports layer sits below them:
the PDF reads only these values and the engine's, never the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from backcoach.engine.catalogue import Exercise
from backcoach.engine.measures import StartBackRisk
from backcoach.engine.outcomes import MeasureRecord, OutcomeReport
from backcoach.engine.plan import Plan
from backcoach.engine.reasons import Reason
from backcoach.engine.screening import ScreeningOutcome
from backcoach.engine.vocabulary import Decision
from backcoach.formats.stored_plan import ENGINE, DecidedBy


@dataclass(frozen=True, slots=True)
class Answer:
    """One questionnaire answered: its day, its score and, for STarT Back, the risk group."""

    day: dt.date
    instrument: str
    score: float
    risk: StartBackRisk | None = None


@dataclass(frozen=True, slots=True)
class WeekDone:
    """Sessions planned up to the report's day, and done, in one week."""

    week_start: dt.date
    planned: int
    done: int


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    """A change to one exercise after a session: what, why, when and who decided."""

    day: dt.date
    exercise: Exercise
    decision: Decision
    reason: Reason
    decided_by: DecidedBy = ENGINE


@dataclass(frozen=True, slots=True)
class ScreeningEntry:
    """A screening as it was weighed: when, and the outcome."""

    at: dt.datetime
    outcome: ScreeningOutcome


@dataclass(frozen=True, slots=True)
class SafetyRecord:
    """Red flags and clearances: the latest screening, the latest referral and the clearance."""

    latest: ScreeningEntry | None
    referral: ScreeningEntry | None
    #: True while a referral keeps the program shut (no clearance recorded after it).
    referral_open: bool
    cleared_at: dt.datetime | None
    cleared_note: str | None
    #: Who recorded a clinician's clearance, when a coach did (None: the person said so).
    cleared_by: str | None = None


@dataclass(frozen=True, slots=True)
class OverrideEntry:
    """A coach's change to the program (engine/overrides.py), as kept: what, who, when, why,
    and when it was undone (None: still in force)."""

    at: dt.datetime
    kind: str
    #: The override's parameters as stored: exercise, to_exercise, sets, dose_min, dose_max,
    #: load_kg, locked, days_per_week, weekdays (those its kind has).
    values: Mapping[str, object]
    coach: str | None
    note: str | None
    undone_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the progress report prints for one person, read in bounded windows."""

    person: str
    start: dt.date
    today: dt.date
    #: The first day the week-by-week figures, the answers and the decisions cover.
    window_start: dt.date
    outcomes: OutcomeReport
    #: Each questionnaire's first answer, however old: the baseline of ``outcomes.changes``.
    first_measures: Mapping[str, MeasureRecord]
    #: The answers of the window, oldest first, after the first answers older than it.
    answers: tuple[Answer, ...]
    #: Answers of the window left out to keep the table short (the oldest go first).
    answers_left_out: int
    sessions_done: int
    weeks: tuple[WeekDone, ...]
    plan: Plan | None
    decided_by: Mapping[str, DecidedBy] = field(default_factory=dict)
    #: Newest first, at most `services.report.MAX_DECISIONS`.
    decisions: tuple[DecisionEntry, ...] = ()
    safety: SafetyRecord = SafetyRecord(None, None, False, None, None)
    #: The coach's overrides, newest first; None when the report was not asked for them (the
    #: person's own copy), () when a coach asked and there are none.
    overrides: tuple[OverrideEntry, ...] | None = None

    def decider(self, exercise_id: str) -> DecidedBy:
        return self.decided_by.get(exercise_id, ENGINE)
