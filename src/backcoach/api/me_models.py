"""The person's own resources in the API (``/me``): request bodies and answers.

Request bodies fix the shape (types, sizes, no unknown fields); what a value may be (an age
from 16, a pain rating 0-10, STarT Back totals that fit) is the services' rule, refused with
their codes and each problem's field. The questionnaires' items are never here: measures are
sent and read back as scores and codes, as the pages show them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from backcoach.api.coach_models import TYPED
from backcoach.engine.change import Change
from backcoach.engine.measures import ODI_SECTIONS, PSFS_NAME_MAX
from backcoach.engine.reasons import Reason
from backcoach.engine.red_flags import MAX_AGE, MIN_AGE, Combination, RedFlag
from backcoach.engine.screening import RED_FLAGS, ScreeningOutcome
from backcoach.engine.vocabulary import Equipment, Level, Pregnancy
from backcoach.services.errors import Invalid
from backcoach.services.measure_input import ActivityInput, MeasuresInput, StartBackInput
from backcoach.wording.change_words import say_change
from backcoach.wording.measure_words import with_words
from backcoach.wording.screening_words import SCREENING_WORDS, say_screening

#: A number as sent: its range is the service's rule; this bound only keeps it a number.
Number = Annotated[int, Field(strict=True, ge=0, le=999_999)]
YesOrNo = Annotated[bool, Field(strict=True)]
NOT_GIVEN = ""


# --- requests -------------------------------------------------------------------------------


class TimeZoneChange(BaseModel):
    """The IANA zone that decides your "today" (any case); empty for the server's."""

    model_config = ConfigDict(extra="forbid")
    time_zone: str = Field(default="", max_length=64, examples=["Europe/London"])


class NameChange(BaseModel):
    """The name your coach sees instead of your email; empty for the email."""

    model_config = ConfigDict(extra="forbid")
    display_name: str = Field(default="", max_length=200, pattern=TYPED)


class _AgeAndPregnancy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    age: Number | None = Field(
        default=None, description=f"Age in whole years, {MIN_AGE} to {MAX_AGE}."
    )
    pregnancy: Pregnancy | None = Field(
        default=None, description=SCREENING_WORDS["pregnancy.question"]
    )


def _question(flag: RedFlag) -> Any:
    words = SCREENING_WORDS[f"flag.{flag.id}.question"]
    return (YesOrNo | None, Field(default=None, description=f"{words} (true: yes)"))


if TYPE_CHECKING:
    ScreeningAnswers = _AgeAndPregnancy
else:
    ScreeningAnswers = create_model(
        "ScreeningAnswers",
        __base__=_AgeAndPregnancy,
        __doc__="The safety questions: age, pregnancy and each yes/no question by its id. "
        "Every one must be answered; one left out is unanswered, never a no.",
        **{flag.id: _question(flag) for flag in RED_FLAGS},
    )


class Clearance(BaseModel):
    """Your word that a clinician has seen you and cleared you to exercise."""

    model_config = ConfigDict(extra="forbid")
    confirm: Literal[True] = Field(description="true only when a clinician has cleared you.")
    note: str = Field(
        default="", max_length=500, pattern=TYPED, description="Who cleared you, and when."
    )


class ActivityRating(BaseModel):
    """A PSFS activity you find hard, and how well you can do it now (0-10)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=PSFS_NAME_MAX, pattern=TYPED)
    score: Number | None = None


class StartBackTotals(BaseModel):
    """The STarT Back totals from a completed form, or ``none``: you have no score."""

    model_config = ConfigDict(extra="forbid")
    score: Number | None = Field(default=None, description="The total, 0-9.")
    psychosocial: Number | None = Field(default=None, description="The subscore, 0-5.")
    none: YesOrNo = False


class MeasuresEntry(BaseModel):
    """Scores from questionnaires already completed: pain (NPRS) and your activities (PSFS);
    STarT Back with the first measures (totals, or ``{"none": true}``), later when you have
    one; the ODI by section and the RMDQ score, if you like."""

    model_config = ConfigDict(extra="forbid")
    nprs: Number | None = Field(default=None, description="Pain now, 0-10.")
    activities: list[ActivityRating] = Field(default_factory=list, max_length=10)
    startback: StartBackTotals | None = None
    odi_sections: list[Number | None] = Field(
        default_factory=list, max_length=2 * ODI_SECTIONS, description="Each section 0-5."
    )
    rmdq: Number | None = Field(default=None, description="The RMDQ score, 0-24.")

    def to_input(self) -> MeasuresInput:
        startback = self.startback
        return MeasuresInput(
            nprs=_given(self.nprs),
            activities=tuple(ActivityInput(a.name, _given(a.score)) for a in self.activities),
            startback=None
            if startback is None
            else StartBackInput(
                _given(startback.score), _given(startback.psychosocial), none=startback.none
            ),
            odi_sections=tuple(_given(section) for section in self.odi_sections),
            rmdq=_given(self.rmdq),
        )


def _given(value: int | None) -> str | int:
    return NOT_GIVEN if value is None else value


class ProgramStart(BaseModel):
    """The profile a program is built from, as on the onboarding page."""

    model_config = ConfigDict(extra="forbid")
    level: Level
    days_per_week: int = Field(strict=True, ge=1, le=7)
    equipment: list[Equipment] = Field(default_factory=list, max_length=len(Equipment))


#: The measures service names each problem by the form's field; the body's are these.
_MEASURE_FIELDS = (
    (re.compile(r"psfs_name_(\d+)"), "activities.{}.name"),
    (re.compile(r"psfs_score_(\d+)"), "activities.{}.score"),
    (re.compile(r"odi_(\d+)"), "odi_sections.{}"),
)
_STARTBACK_FIELDS = {
    "startback_score": "startback.score",
    "startback_psychosocial": "startback.psychosocial",
    "startback_none": "startback.none",
}


def measure_problems_by_body_field(refused: Invalid) -> Invalid:
    """The same refusal (codes, params) naming the body's fields: ``psfs_score_2`` is
    ``activities.1.score``."""
    return Invalid.all_of(
        [
            Invalid(problem.code, field=_body_field(problem.field), **problem.params)
            for problem in refused.problems
        ]
    )


def _body_field(field: str | None) -> str | None:
    if field is None:
        return None
    for pattern, path in _MEASURE_FIELDS:
        found = pattern.fullmatch(field)
        if found:
            return path.format(int(found.group(1)) - 1)
    return _STARTBACK_FIELDS.get(field, field)


# --- answers --------------------------------------------------------------------------------


class Said(BaseModel):
    """A code with its parameters, and its words."""

    code: str
    params: dict[str, Any] = Field(default_factory=dict)
    words: str

    @classmethod
    def screening(cls, said: Reason) -> Said:
        return cls(code=said.code, params=said.to_dict()["params"], words=say_screening(said))


class Sign(BaseModel):
    """A warning sign (or a combination of answers) that refers: its code, how urgent, and
    what it may mean."""

    code: str
    urgency: str | None
    label: str | None = Field(description="A few words naming the question, where there are.")
    reason: Said

    @classmethod
    def of(cls, sign: RedFlag | Combination) -> Sign:
        label = f"flag.{sign.id}.label"
        return cls(
            code=sign.id,
            urgency=None if sign.urgency is None else sign.urgency.value,
            label=say_screening(Reason(label)) if label in SCREENING_WORDS else None,
            reason=Said.screening(sign.reason),
        )


class Outcome(BaseModel):
    """What a screening says: ``ok`` (start), ``refer`` (see a clinician first, how soon and
    why) or ``incomplete`` (answer the rest)."""

    status: str
    urgency: str | None
    refer: bool
    go_ahead: bool = Field(description="The referral asks only for a clinician's go-ahead.")
    red_flags: list[Sign]
    combinations: list[Sign]
    reasons: list[Said]
    advice: list[Said]
    message: str = Field(description="What to do, in words.")
    unanswered: list[str]
    cleared: list[str]
    factors: list[str]

    @classmethod
    def of(cls, outcome: ScreeningOutcome) -> Outcome:
        return cls(
            status=outcome.status.value,
            urgency=None if outcome.urgency is None else outcome.urgency.value,
            refer=outcome.refer,
            go_ahead=outcome.go_ahead,
            red_flags=[Sign.of(flag) for flag in outcome.flags],
            combinations=[Sign.of(combination) for combination in outcome.combinations],
            reasons=[Said.screening(part) for part in outcome.reasons],
            advice=[Said.screening(part) for part in outcome.advice],
            message=" ".join(say_screening(part) for part in outcome.advice),
            unanswered=list(outcome.unanswered),
            cleared=list(outcome.cleared),
            factors=list(outcome.factors),
        )


class Journey(BaseModel):
    """Where you are on the way to a program: ``screening``, ``referred`` (see a clinician
    first), ``measures``, ``profile`` (start the program) or ``ready``."""

    step: str
    plan_id: int | None


class Profile(BaseModel):
    """The profile your program was last built from."""

    saved_at: dt.datetime
    level: str | None
    equipment: list[str]
    days_per_week: int | None
    weekdays: list[str]


class Me(BaseModel):
    """Your account: who you are, your zone, the name your coach sees, your profile and the
    next step of onboarding (none for a coach's account)."""

    id: int
    email: str
    role: str
    time_zone: str | None = Field(description="Your chosen IANA zone; null: the server's.")
    time_zone_in_effect: str
    display_name: str = Field(description="The name your coach sees; empty: your email.")
    profile: Profile | None
    journey: Journey | None


class LatestScreening(BaseModel):
    at: dt.datetime
    context: str = Field(description="onboarding, rescreen or check_in.")
    answers: dict[str, Any]
    outcome: Outcome


class ScreeningState(BaseModel):
    """Your latest safety answers and their outcome; the referral still open, if any."""

    latest: LatestScreening | None
    open_referral: Outcome | None
    clearance_by_coach: bool = Field(
        description="A coach looks after you: they record a clinician's clearance, not you."
    )


class ScreeningRecorded(BaseModel):
    outcome: Outcome
    journey: Journey


class ClearanceRecorded(BaseModel):
    """Whether your word was kept (false: no referral was open), and the next step."""

    recorded: bool
    journey: Journey


class ChangeSinceStart(BaseModel):
    """How far a score moved from your first answer (M10); ``difference`` > 0 is better."""

    baseline: float
    latest: float
    difference: float
    percent_improvement: float | None
    mcid_reached: bool = Field(description="A change large enough to matter.")
    worsened: bool
    recovered: bool
    statement: list[dict[str, Any]] = Field(description="The change as codes and parameters.")
    words: str

    @classmethod
    def of(cls, change: Change) -> ChangeSinceStart:
        data = change.to_dict()
        del data["instrument"]
        return cls(**data, words=say_change(change))


class Activity(BaseModel):
    name: str
    score: int


class MeasureScore(BaseModel):
    """One questionnaire's score: its band or risk group as a code with words, and its change
    since your first answer where it has one."""

    id: int
    instrument: str
    day: dt.date
    score: float
    band: str | None = None
    band_text: str | None = None
    #: ODI: how many sections were answered.
    answered: int | None = None
    #: STarT Back: the psychosocial subscore beside the total.
    psychosocial: int | None = None
    risk: str | None = None
    risk_text: str | None = None
    recommendation: str | None = None
    recommendation_text: str | None = None
    activities: list[Activity] | None = None
    change: ChangeSinceStart | None = None


def measure_score(
    id: int,
    instrument: str,
    day: dt.date,
    score: float,
    result: dict[str, Any],
    change: Change | None,
) -> MeasureScore:
    said = with_words(result)
    known = {key: said[key] for key in MeasureScore.model_fields if key in said}
    for given in ("id", "instrument", "day", "score", "change"):
        known.pop(given, None)
    return MeasureScore(
        id=id,
        instrument=instrument,
        day=day,
        score=score,
        change=None if change is None else ChangeSinceStart.of(change),
        **known,
    )


class MeasuresRecorded(BaseModel):
    measures: list[MeasureScore]
    journey: Journey


class ProgramStarted(BaseModel):
    """The program built from your profile (read it at ``/program``)."""

    plan_id: int
    made_at: dt.datetime
    start: dt.date
    exercise_ids: list[str]
    journey: Journey


class WeekFigure(BaseModel):
    week_start: dt.date
    mean: float
    count: int


class PainTrend(BaseModel):
    """Pain before sessions, week by week, and its slope (points a week; negative: falling)."""

    weeks: list[WeekFigure]
    slope_per_week: float | None


class Reassessment(BaseModel):
    last: dt.date | None
    due_on: dt.date | None
    due: bool


class StartBack(BaseModel):
    score: int
    psychosocial: int
    risk: str
    risk_text: str
    recommendation: str | None
    recommendation_text: str | None


class Outcomes(BaseModel):
    """What the Progress page sums up (M10): sessions done, how pain moved, each measure's
    change since the start and whether it matters (MCID), and when to answer again."""

    today: dt.date
    start: dt.date
    has_program: bool
    sessions_done: int
    tight_moments: int
    sessions_due: int
    sessions_done_when_due: int
    adherence_rate: float | None
    pain_before_sessions: PainTrend
    changes: dict[str, ChangeSinceStart]
    reassessment: Reassessment
    startback: StartBack | None
