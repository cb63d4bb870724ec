"""Scoring of the standard pain and disability measures, with strict checks of every answer.

Rules, bands and their sources are in docs/clinical-rules.md. The ODI, RMDQ and STarT Back item
wording belongs to its holders, so only answers and scores are entered here: no item text is
shipped. Field paths in error messages count from 0 (sections[0] is the first section).

Bands, risk groups and recommendations are enums; the words people read for them are in
backcoach.wording.measure_words. The input errors (MeasureError) stay as field-validation messages:
they name the field and what it must be, for the forms and the command line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, ClassVar, cast


class MeasureError(ValueError):
    """Answers to a measure are malformed; the message names the field path."""


class Instrument(StrEnum):
    """The measures the engine scores."""

    NPRS = "nprs"
    PSFS = "psfs"
    STARTBACK = "startback"
    ODI = "odi"
    RMDQ = "rmdq"


INSTRUMENTS: tuple[str, ...] = tuple(instrument.value for instrument in Instrument)


def round_half_up(value: float | Decimal, places: int = 1) -> float:
    """Round as people do (6.25 -> 6.3), not to the even neighbour as round() does."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def is_number(value: object) -> bool:
    """True for a finite int or float; a bool is not a number here."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _is_whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _answers(value: object, field: str, length: int) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise MeasureError(f"{field}: expected a list of {length} answers")
    if len(value) != length:
        raise MeasureError(f"{field}: expected {length} answers, got {len(value)}")
    return value


# NPRS: Numeric Pain Rating Scale, 0 (no pain) to 10 (worst pain imaginable).


class PainBand(StrEnum):
    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


def pain_band(score: float) -> PainBand:
    """Band a 0-10 pain score: 0 none, 1-3 mild, 4-6 moderate, 7-10 severe."""
    if score <= 0:
        return PainBand.NONE
    if score <= 3:
        return PainBand.MILD
    if score <= 6:
        return PainBand.MODERATE
    return PainBand.SEVERE


@dataclass(frozen=True, slots=True)
class NprsResult:
    instrument: ClassVar[str] = Instrument.NPRS.value
    score: int
    band: PainBand

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument, "score": self.score, "band": self.band.value}


def score_nprs(score: int) -> NprsResult:
    """Score a whole-number pain rating from 0 to 10."""
    if not _is_whole(score, 0, 10):
        raise MeasureError("score: must be a whole number 0-10")
    return NprsResult(score=score, band=pain_band(score))


# PSFS: Patient-Specific Functional Scale, 0 (unable) to 10 (able as before the problem).

PSFS_MAX_ACTIVITIES = 5
PSFS_NAME_MAX = 100


@dataclass(frozen=True, slots=True)
class PsfsActivity:
    name: str
    score: int


@dataclass(frozen=True, slots=True)
class PsfsResult:
    instrument: ClassVar[str] = Instrument.PSFS.value
    score: float
    activities: tuple[PsfsActivity, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "score": self.score,
            "activities": [{"name": a.name, "score": a.score} for a in self.activities],
        }


def score_psfs(activities: Sequence[Mapping[str, object]]) -> PsfsResult:
    """Score 1-5 chosen activities rated in whole numbers 0-10; the score is their mean."""
    if isinstance(activities, str | bytes) or not isinstance(activities, Sequence):
        raise MeasureError("activities: expected a list of activities")
    if not 1 <= len(activities) <= PSFS_MAX_ACTIVITIES:
        raise MeasureError(
            f"activities: expected 1-{PSFS_MAX_ACTIVITIES} activities, got {len(activities)}"
        )
    rated = tuple(_psfs_activity(item, f"activities[{i}]") for i, item in enumerate(activities))
    total = sum(a.score for a in rated)
    return PsfsResult(score=round_half_up(Decimal(total) / len(rated)), activities=rated)


def _psfs_activity(item: object, field: str) -> PsfsActivity:
    if not isinstance(item, Mapping):
        raise MeasureError(f"{field}: expected an object with name and score")
    for key in item:
        if key not in ("name", "score"):
            raise MeasureError(f"{field}.{key}: unknown field; expected name and score")
    for key in ("name", "score"):
        if key not in item:
            raise MeasureError(f"{field}.{key}: missing")
    name, score = item["name"], item["score"]
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= PSFS_NAME_MAX:
        raise MeasureError(f"{field}.name: must be text of 1-{PSFS_NAME_MAX} characters")
    # Stratford et al. 1995: an 11-point scale of whole numbers; 6.5 is not a rating on it.
    if not _is_whole(score, 0, 10):
        raise MeasureError(f"{field}.score: must be a whole number 0-10")
    return PsfsActivity(name=name.strip(), score=cast(int, score))


# STarT Back Screening Tool (Hill et al. 2008): risk of back pain that persists and disables,
# to match care to it. People enter the totals from a completed form (their clinician's or a
# paper copy); no item wording is shipped and no item is asked here.

#: The notice printed on Keele's form.
STARTBACK_NOTICE = "STarT Back Screening Tool © Keele University 01/08/07"
#: Keele's copyright and funding statement, to be kept wherever the tool is used.
STARTBACK_FUNDING = (
    "The copyright (©2007) of the STarT Back Screening Tool and associated materials is owned "
    "by Keele University, the development of which was part funded by Arthritis Research UK: "
    "i) the tool is designed for use by health care practitioners, with appropriate treatment "
    "packages for each of the stratified groups; ii) the tool is not intended to recommend the "
    "use of any particular product."
)
#: Answers to item 9, least to most bothersome; the last two score 1.
STARTBACK_BOTHERSOME: tuple[str, ...] = (
    "not_at_all",
    "slightly",
    "moderately",
    "very_much",
    "extremely",
)
_BOTHERSOME_SCORING = frozenset({"very_much", "extremely"})
STARTBACK_ITEMS = 9
#: Items 5-9 (indexes 4-8) form the psychosocial subscale; items 1-4 are the rest of the total.
STARTBACK_PSYCHOSOCIAL_FROM = 4
STARTBACK_PSYCHOSOCIAL_MAX = STARTBACK_ITEMS - STARTBACK_PSYCHOSOCIAL_FROM


class StartBackRisk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class StartBackRecommendation(StrEnum):
    """What a risk group's matched care asks of the person (Hill et al. 2011)."""

    #: See a physiotherapist (or other clinician) for psychologically informed care.
    CLINICIAN_LED_CARE = "clinician_led_care"


@dataclass(frozen=True, slots=True)
class StartBackResult:
    instrument: ClassVar[str] = Instrument.STARTBACK.value
    score: int
    psychosocial: int
    risk: StartBackRisk

    @property
    def recommendation(self) -> StartBackRecommendation | None:
        """High risk: clinician-led, psychologically informed care; otherwise nothing to add."""
        if self.risk is StartBackRisk.HIGH:
            return StartBackRecommendation.CLINICIAN_LED_CARE
        return None

    def to_dict(self) -> dict[str, Any]:
        recommendation = self.recommendation
        return {
            "instrument": self.instrument,
            "score": self.score,
            "psychosocial": self.psychosocial,
            "risk": self.risk.value,
            "recommendation": None if recommendation is None else recommendation.value,
            "notice": STARTBACK_NOTICE,
            "funding": STARTBACK_FUNDING,
        }


def startback_risk(score: int, psychosocial: int) -> StartBackRisk:
    """Keele's cut-offs: total 0-3 low; otherwise psychosocial 0-3 medium, 4-5 high."""
    if score <= 3:
        return StartBackRisk.LOW
    if psychosocial <= 3:
        return StartBackRisk.MEDIUM
    return StartBackRisk.HIGH


def score_startback(items: Sequence[bool | str]) -> StartBackResult:
    """Score the 9 answers of a completed form: items 1-8 agree (True) or not, then item 9."""
    answers = _answers(items, "items", STARTBACK_ITEMS)
    points: list[int] = []
    for index, answer in enumerate(answers[:-1]):
        if not isinstance(answer, bool):
            raise MeasureError(f"items[{index}]: must be true or false")
        points.append(int(answer))
    last = answers[-1]
    if not isinstance(last, str) or last not in STARTBACK_BOTHERSOME:
        choices = ", ".join(STARTBACK_BOTHERSOME)
        raise MeasureError(f"items[{STARTBACK_ITEMS - 1}]: must be one of {choices}")
    points.append(int(last in _BOTHERSOME_SCORING))
    total = sum(points)
    psychosocial = sum(points[STARTBACK_PSYCHOSOCIAL_FROM:])
    return StartBackResult(total, psychosocial, startback_risk(total, psychosocial))


class StartBackMismatch(StrEnum):
    """Why a total and a psychosocial subscore cannot come from one completed form."""

    ABOVE_TOTAL = "above_total"  # the subscore is part of the total
    BELOW_LEAST = "below_least"  # items 1-4 add at most 4 points, the rest is the subscore's


def startback_mismatch(total: int, subscore: int) -> StartBackMismatch | None:
    """How a total and subscore in range contradict each other, or None when they fit."""
    if subscore > total:
        return StartBackMismatch.ABOVE_TOTAL
    if total - subscore > STARTBACK_PSYCHOSOCIAL_FROM:
        return StartBackMismatch.BELOW_LEAST
    return None


def startback_from_scores(score: object, psychosocial: object) -> StartBackResult:
    """Take the total (0-9) and psychosocial subscore (0-5) worked out on a completed form."""
    if not _is_whole(score, 0, STARTBACK_ITEMS):
        raise MeasureError(f"score: must be a whole number 0-{STARTBACK_ITEMS}")
    if not _is_whole(psychosocial, 0, STARTBACK_PSYCHOSOCIAL_MAX):
        raise MeasureError(f"psychosocial: must be a whole number 0-{STARTBACK_PSYCHOSOCIAL_MAX}")
    total, subscore = cast(int, score), cast(int, psychosocial)
    mismatch = startback_mismatch(total, subscore)
    if mismatch is StartBackMismatch.ABOVE_TOTAL:
        raise MeasureError(
            f"psychosocial: the psychosocial subscore ({subscore}) is part of the total, so it "
            f"cannot be more than the total score ({total})"
        )
    if mismatch is StartBackMismatch.BELOW_LEAST:
        raise MeasureError(
            f"score, psychosocial: items 1-{STARTBACK_PSYCHOSOCIAL_FROM} add at most "
            f"{STARTBACK_PSYCHOSOCIAL_FROM} points, so a total of {total} needs a psychosocial "
            f"subscore of at least {total - STARTBACK_PSYCHOSOCIAL_FROM}, not {subscore}"
        )
    return StartBackResult(total, subscore, startback_risk(total, subscore))


# ODI: Oswestry Disability Index, 10 sections scored 0-5, as a percentage 0-100.

ODI_SECTIONS = 10
ODI_MIN_ANSWERED = 8


class OdiBand(StrEnum):
    MINIMAL = "minimal"
    MODERATE = "moderate"
    SEVERE = "severe"
    CRIPPLING = "crippling"
    BED_BOUND = "bed_bound"


#: Upper bound (inclusive) of each band on the 0-100 score.
ODI_BAND_LIMITS: tuple[tuple[float, OdiBand], ...] = (
    (20, OdiBand.MINIMAL),
    (40, OdiBand.MODERATE),
    (60, OdiBand.SEVERE),
    (80, OdiBand.CRIPPLING),
    (100, OdiBand.BED_BOUND),
)


def odi_band(score: float) -> OdiBand:
    """Band a 0-100 ODI score: 0-20 minimal, 21-40 moderate, ... 81-100 bed-bound."""
    for limit, band in ODI_BAND_LIMITS:
        if score <= limit:
            return band
    return OdiBand.BED_BOUND


@dataclass(frozen=True, slots=True)
class OdiResult:
    instrument: ClassVar[str] = Instrument.ODI.value
    score: float
    band: OdiBand
    answered: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "score": self.score,
            "band": self.band.value,
            "answered": self.answered,
        }


def score_odi(sections: Sequence[int | None]) -> OdiResult:
    """Score 10 sections (0-5, None when skipped) as a percentage of the answered maximum."""
    answers = _answers(sections, "sections", ODI_SECTIONS)
    given: list[int] = []
    for index, answer in enumerate(answers):
        if answer is None:
            continue
        if not _is_whole(answer, 0, 5):
            raise MeasureError(f"sections[{index}]: must be a whole number 0-5 or null")
        given.append(cast(int, answer))
    if len(given) < ODI_MIN_ANSWERED:
        raise MeasureError(
            f"sections: at least {ODI_MIN_ANSWERED} of {ODI_SECTIONS} sections must be "
            f"answered, got {len(given)}"
        )
    score = round_half_up(Decimal(sum(given) * 100) / (5 * len(given)))
    return OdiResult(score=score, band=odi_band(score), answered=len(given))


# RMDQ: Roland-Morris Disability Questionnaire, 24 yes/no statements; score = yes-count.

RMDQ_ITEMS = 24


@dataclass(frozen=True, slots=True)
class RmdqResult:
    instrument: ClassVar[str] = Instrument.RMDQ.value
    score: int

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument, "score": self.score}


def score_rmdq(items: Sequence[bool] | None = None, score: int | None = None) -> RmdqResult:
    """Score the 24 yes/no answers (True = yes), or take a score 0-24 counted elsewhere."""
    if (items is None) == (score is None):
        raise MeasureError(
            f"items, score: give exactly one: items ({RMDQ_ITEMS} true/false answers) "
            f"or score (0-{RMDQ_ITEMS})"
        )
    if score is not None:
        if not _is_whole(score, 0, RMDQ_ITEMS):
            raise MeasureError(f"score: must be a whole number 0-{RMDQ_ITEMS}")
        return RmdqResult(score=score)
    answers = _answers(items, "items", RMDQ_ITEMS)
    for index, answer in enumerate(answers):
        if not isinstance(answer, bool):
            raise MeasureError(f"items[{index}]: must be true or false")
    return RmdqResult(score=sum(1 for answer in answers if answer))


# One entry point for the CLI and the web app.

MeasureResult = NprsResult | PsfsResult | StartBackResult | OdiResult | RmdqResult

#: The answer keys each instrument takes (rmdq takes one of its two; startback takes items, or
#: score with psychosocial).
ANSWER_KEYS: dict[str, tuple[str, ...]] = {
    Instrument.NPRS: ("score",),
    Instrument.PSFS: ("activities",),
    Instrument.STARTBACK: ("items", "score", "psychosocial"),
    Instrument.ODI: ("sections",),
    Instrument.RMDQ: ("items", "score"),
}


def score_instrument(name: str, answers: Mapping[str, object]) -> MeasureResult:
    """Score answers for the named instrument, in the shapes of ANSWER_KEYS."""
    if name not in ANSWER_KEYS:
        raise MeasureError(
            f"instrument: unknown instrument {name!r}; known: {', '.join(INSTRUMENTS)}"
        )
    if not isinstance(answers, Mapping):
        raise MeasureError("answers: expected an object")
    keys = ANSWER_KEYS[name]
    for key in answers:
        if key not in keys:
            raise MeasureError(f"{key}: unknown answer for {name}; expected {' or '.join(keys)}")
    if name == Instrument.STARTBACK:
        return _startback_answers(answers)
    if name == Instrument.RMDQ:
        return score_rmdq(
            items=cast("Sequence[bool] | None", answers.get("items")),
            score=cast("int | None", answers.get("score")),
        )
    (key,) = keys
    if key not in answers:
        raise MeasureError(f"{key}: missing")
    value: Any = answers[key]
    if name == Instrument.NPRS:
        return score_nprs(value)
    if name == Instrument.PSFS:
        return score_psfs(value)
    return score_odi(value)


def _startback_answers(answers: Mapping[str, object]) -> StartBackResult:
    """Items answered on the form, or the total and subscore worked out on it: exactly one."""
    with_items = "items" in answers
    if with_items == ("score" in answers or "psychosocial" in answers):
        raise MeasureError(
            f"items, score: give either items ({STARTBACK_ITEMS} answers from the form) or "
            f"score (0-{STARTBACK_ITEMS}) with psychosocial (0-{STARTBACK_PSYCHOSOCIAL_MAX})"
        )
    if with_items:
        return score_startback(cast("Sequence[bool | str]", answers["items"]))
    for key in ("score", "psychosocial"):
        if key not in answers:
            raise MeasureError(f"{key}: missing")
    return startback_from_scores(answers["score"], answers["psychosocial"])
