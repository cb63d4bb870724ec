"""The coach's resources as JSON (issue 12, item 4): the caseload with its attention reasons, a
client's timeline and program, overrides, clearance and invitations. Each response model is made
from a service's result (``of``); every reason comes as its code, its parameters and its words,
so a script acts on the code and a person reads the words."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backcoach.catalogue import default_catalogue
from backcoach.engine.attention import RED_FLAG, AttentionItem
from backcoach.engine.change import MCID, Change
from backcoach.engine.plan import PlannedExercise
from backcoach.engine.reasons import Reason, params_to_json
from backcoach.services.caseload import MAX_NOTE as MAX_ACK_NOTE
from backcoach.services.caseload import CaseloadRow
from backcoach.services.client_record import (
    ClientRecord,
    Entry,
    MeasureEntry,
    PlanVersion,
    ScreeningEntry,
    SessionEntry,
)
from backcoach.services.cohort import Scope
from backcoach.wording import dose_words
from backcoach.wording.attention_words import say_attention
from backcoach.wording.client_words import change_words, felt_words, leg_words
from backcoach.wording.reasons import say, say_note
from backcoach.wording.screening_words import say_reasons

#: Text a person typed: no control characters but tabs and line breaks (no one types them, and
#: PostgreSQL cannot keep a NUL).
TYPED = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def exercise_name(exercise_id: str) -> str:
    """An exercise's name in the shipped catalogue (its id when it is not there)."""
    catalogue = default_catalogue()
    return catalogue.get(exercise_id).name if exercise_id in catalogue else exercise_id


class Said(BaseModel):
    """A reason: its stable code, its parameters and the words a person reads."""

    code: str
    params: dict[str, Any]
    words: str

    @classmethod
    def of(cls, reason: Reason, words: str | None = None) -> Said:
        return cls(
            code=reason.code,
            params=params_to_json(reason.params),
            words=say(reason) if words is None else words,
        )


# --- the caseload -------------------------------------------------------------------------------


class AttentionReason(Said):
    """Why a client needs their coach (docs/attention.md): lower ``rank`` is more urgent."""

    rank: int
    #: The day it began, and the day it last happened (an acknowledgement compares with it).
    since: dt.date
    happened: dt.date
    #: A red flag is closed only by a clinician's clearance, never acknowledged.
    can_acknowledge: bool

    @classmethod
    def of_item(cls, item: AttentionItem) -> AttentionReason:
        return cls(
            code=item.code,
            params=params_to_json(item.reason.params),
            words=say_attention(item),
            rank=item.rank,
            since=item.since,
            happened=item.happened,
            can_acknowledge=item.code != RED_FLAG,
        )


class CaseloadClient(BaseModel):
    """One client of the caseload, with what needs attention (most urgent first)."""

    client_id: int
    #: The name the client gives their coach, else their email.
    name: str
    coach_email: str
    #: Whether the client is this coach's own (else a practice colleague's).
    mine: bool
    #: The link's id, for ending it (``POST /coach/links/{link_id}/end``): the coach's own only.
    link_id: int | None
    red_flag: bool
    unread_messages: int
    reasons: list[AttentionReason]

    @classmethod
    def of(cls, row: CaseloadRow, coach_id: int, unread: int) -> CaseloadClient:
        mine = row.coach_id == coach_id
        return cls(
            client_id=row.client_id,
            name=row.name,
            coach_email=row.coach_email,
            mine=mine,
            link_id=row.link_id if mine else None,
            red_flag=row.red_flag,
            unread_messages=unread,
            reasons=[AttentionReason.of_item(item) for item in row.items],
        )


class Acknowledgement(BaseModel):
    """The coach saw an attention item: it drops until it happens again."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=MAX_ACK_NOTE, pattern=TYPED)


class ClientAttention(BaseModel):
    """What still needs attention about a client."""

    client_id: int
    reasons: list[AttentionReason]


# --- a client's record --------------------------------------------------------------------------


class LoggedSet(BaseModel):
    amount: int
    felt: str
    felt_words: str
    load_kg: float | None
    rir: int | None


class LoggedExercise(BaseModel):
    exercise_id: str
    name: str
    felt_in_low_back: bool
    sets: list[LoggedSet]


class SessionItem(BaseModel):
    """A finished session: its sets and where each was felt, the four pains, leg symptoms."""

    kind: Literal["session"] = "session"
    day: dt.date
    at: dt.datetime
    pain_before: int
    pain_during: int
    pain_after: int
    pain_next_morning: int | None
    leg_symptoms: str | None
    leg_symptoms_words: str
    felt_in_low_back: bool
    #: Why its pain response called for easing off (empty: it did not).
    flare: list[Said]
    exercises: list[LoggedExercise]

    @classmethod
    def of(cls, entry: SessionEntry) -> SessionItem:
        log = entry.log
        legs = log.leg_symptoms.value if log.leg_symptoms else None
        return cls(
            day=entry.day,
            at=entry.at,
            pain_before=log.pain_before,
            pain_during=log.pain_during,
            pain_after=log.pain_after,
            pain_next_morning=log.pain_next_morning,
            leg_symptoms=legs,
            leg_symptoms_words=leg_words(legs),
            felt_in_low_back=entry.felt_in_low_back,
            flare=[Said.of(part) for part in entry.flare],
            exercises=[
                LoggedExercise(
                    exercise_id=done.exercise_id,
                    name=exercise_name(done.exercise_id),
                    felt_in_low_back=done.felt_in_low_back,
                    sets=[
                        LoggedSet(
                            amount=one.amount,
                            felt=one.felt.value,
                            felt_words=felt_words(one.felt.value),
                            load_kg=one.load_kg,
                            rir=one.rir,
                        )
                        for one in done.sets
                    ],
                )
                for done in entry.exercises
            ],
        )


class ScreeningItem(BaseModel):
    """A morning check-in or the safety questions asked again: the signs asked and raised."""

    kind: Literal["screening"] = "screening"
    day: dt.date
    at: dt.datetime
    context: str
    asked: list[str]
    raised: list[str]
    refer: bool
    urgency: str | None


class TightItem(BaseModel):
    """An "I feel tight" moment and how many drills it offered."""

    kind: Literal["tight"] = "tight"
    day: dt.date
    at: dt.datetime
    drills: int


class MeasureChange(BaseModel):
    """A questionnaire's change from the first answer; ``difference`` > 0 is always better."""

    baseline: float
    latest: float
    difference: float
    percent_improvement: float | None
    #: The smallest change that matters to a person (MCID), in points.
    mcid_points: float | None
    mcid_reached: bool
    worsened: bool
    recovered: bool
    words: str

    @classmethod
    def of(cls, change: Change) -> MeasureChange:
        minimal = MCID.get(change.instrument)
        return cls(
            baseline=change.baseline,
            latest=change.latest,
            difference=change.difference,
            percent_improvement=change.percent_improvement,
            mcid_points=minimal.points if minimal else None,
            mcid_reached=change.mcid_reached,
            worsened=change.worsened,
            recovered=change.recovered,
            words=change_words(change),
        )


class MeasureItem(BaseModel):
    """A questionnaire answered (no change for the first answer, nor for STarT Back)."""

    kind: Literal["measure"] = "measure"
    day: dt.date
    at: dt.datetime
    instrument: str
    score: float
    change: MeasureChange | None


TimelineItem = Annotated[
    SessionItem | ScreeningItem | TightItem | MeasureItem, Field(discriminator="kind")
]


def timeline_item(entry: Entry) -> TimelineItem:
    if isinstance(entry, SessionEntry):
        return SessionItem.of(entry)
    if isinstance(entry, ScreeningEntry):
        return ScreeningItem(
            day=entry.day,
            at=entry.at,
            context=entry.context,
            asked=list(entry.asked),
            raised=list(entry.raised),
            refer=entry.refer,
            urgency=entry.urgency,
        )
    if isinstance(entry, MeasureEntry):
        change = MeasureChange.of(entry.change) if entry.change else None
        return MeasureItem(
            day=entry.day,
            at=entry.at,
            instrument=entry.instrument,
            score=entry.score,
            change=change,
        )
    return TightItem(day=entry.day, at=entry.at, drills=entry.drills)


class Timeline(BaseModel):
    """One window of the timeline, newest first: from ``since`` up to the day before ``until``.
    The next older window is ``?before={older_before}`` (None: nothing older)."""

    since: dt.date
    until: dt.date
    #: Everything the client ever logged and answered, over every window.
    total: int
    older_before: dt.date | None
    items: list[TimelineItem]


class ProgramExercise(BaseModel):
    """An exercise of the current program: its dose, the decision and why, and who decided."""

    exercise_id: str
    name: str
    category: str
    sets: int
    dose_min: int
    dose_max: int
    load_kg: float | None
    dose_words: str
    decision: str
    reason: Said
    #: ``coach`` when a coach settled it (``coach_name`` says who), else ``engine``.
    decided_by: Literal["engine", "coach"]
    coach_name: str | None

    @classmethod
    def of(cls, item: PlannedExercise, coach_name: str | None) -> ProgramExercise:
        return cls(
            exercise_id=item.exercise.id,
            name=item.exercise.name,
            category=item.exercise.category.value,
            sets=item.sets,
            dose_min=item.dose_min,
            dose_max=item.dose_max,
            load_kg=item.load_kg,
            dose_words=dose_words(item),
            decision=item.decision.value,
            reason=Said.of(item.reason),
            decided_by="coach" if coach_name is not None else "engine",
            coach_name=coach_name,
        )


class CurrentProgram(BaseModel):
    plan_id: int
    at: dt.datetime
    #: A referral keeps it closed (no training) until a clinician's clearance.
    closed: bool
    sessions_per_week: float
    exercises: list[ProgramExercise]
    #: What the engine noticed about the whole day when it decided (a flare, a long break).
    day_notes: list[Said]


class Decision(BaseModel):
    exercise_id: str
    decision: str
    reason: Said


class ProgramVersion(BaseModel):
    """A program as it was decided: when, by which coaches (none: the engine alone), and each
    exercise's decision with its reason."""

    id: int
    at: dt.datetime
    active: bool
    from_session_day: dt.date | None
    coaches: list[str]
    decisions: list[Decision]

    @classmethod
    def of(cls, version: PlanVersion) -> ProgramVersion:
        return cls(
            id=version.id,
            at=version.at,
            active=version.active,
            from_session_day=version.from_session_day,
            coaches=list(version.coaches),
            decisions=[
                Decision(exercise_id=exercise_id, decision=decision.value, reason=Said.of(why))
                for exercise_id, decision, why in version.decisions
            ],
        )


class Referral(BaseModel):
    """A red flag no clinician has cleared: the program waits (``POST .../clearance``)."""

    urgency: str | None
    at: dt.datetime | None
    reasons: list[str]


class ClientRecordOut(BaseModel):
    """A client's record for their coach: who, the open referral, the timeline's window, the
    current program with each decision, and the latest program versions (newest first)."""

    client_id: int
    name: str
    email: str
    linked_since: dt.datetime | None
    linked_coach: str | None
    referral: Referral | None
    program: CurrentProgram | None
    timeline: Timeline
    versions: list[ProgramVersion]

    @classmethod
    def of(cls, record: ClientRecord) -> ClientRecordOut:
        referral = None
        if record.referral is not None:
            urgency = record.referral.urgency
            referral = Referral(
                urgency=urgency.value if urgency else None,
                at=record.referral_at,
                reasons=say_reasons(record.referral),
            )
        program = None
        if record.program is not None:
            view = record.program
            program = CurrentProgram(
                plan_id=view.plan_id,
                at=view.at,
                closed=record.program_closed,
                sessions_per_week=view.plan.sessions_per_week,
                exercises=[
                    ProgramExercise.of(item, record.program_coaches.get(item.exercise.id))
                    for item in view.plan.exercises
                ],
                day_notes=[Said.of(note, say_note(note)) for note in view.day_notes],
            )
        timeline = record.timeline
        return cls(
            client_id=record.client_id,
            name=record.name,
            email=record.email,
            linked_since=record.linked_since,
            linked_coach=record.linked_coach,
            referral=referral,
            program=program,
            timeline=Timeline(
                since=timeline.since,
                until=timeline.until,
                total=timeline.total,
                older_before=timeline.older_before,
                items=[timeline_item(entry) for entry in timeline.entries],
            ),
            versions=[ProgramVersion.of(version) for version in record.versions],
        )


# --- cohort outcomes -----------------------------------------------------------------------------


class CohortFigure(BaseModel):
    """One figure; ``value`` is None when it rests on fewer clients than ``min_clients``."""

    figure: str
    measure: str
    week: int | None
    clients: int
    count: int | None
    of: int | None
    value: float | None
    note: str


class CohortOut(BaseModel):
    """The cohort figures of the coach's clients (or their practice's): the same rows as the
    CSV (shares 0-1, pain in points, the trend in points a week)."""

    scope: Scope
    has_practice: bool
    min_clients: int
    figures: list[CohortFigure]


# --- invitations ---------------------------------------------------------------------------------


class InvitationOut(BaseModel):
    """A single-use invitation: send ``link`` to the client. It is shown this once (only its
    hash is kept)."""

    token: str
    link: str
    expires_at: dt.datetime
