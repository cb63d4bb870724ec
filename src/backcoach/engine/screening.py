"""Red-flag screening before any exercise advice: who must see a clinician first, and how soon.

The questions and combinations are in red_flags.py; sources for each are in
docs/clinical-rules.md. An unanswered question is never read as "no". An outcome says what to
do and why as reason codes (``screening.refer.emergency``, ``flag.saddle_numbness.reason``);
the words are in backcoach.wording.screening_words.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from backcoach.engine.reasons import Reason, reason
from backcoach.engine.red_flags import (
    AGE,
    AGE_AT_ONSET,
    COMBINATIONS,
    DERIVED,
    MAX_AGE,
    MIN_AGE,
    ONSET_AGE_HIGH,
    ONSET_AGE_LOW,
    POSTPARTUM,
    PREGNANCY,
    PREGNANCY_CHOICES,
    PREGNANCY_QUESTION,
    RED_FLAGS,
    Combination,
    RedFlag,
)
from backcoach.engine.vocabulary import URGENCY_RANK, Pregnancy, Urgency

__all__ = [
    "ADVICE",
    "AGE",
    "CHECK_IN_IDS",
    "PREGNANCY",
    "QUESTION_IDS",
    "RED_FLAGS",
    "RED_FLAG_IDS",
    "SCREENING_PARAMS",
    "RedFlag",
    "ScreeningError",
    "ScreeningOutcome",
    "Status",
    "all_clear",
    "carry_clearance",
    "red_flag",
    "screen",
    "still_referring",
]

#: The yes/no questions, by id.
RED_FLAG_IDS: frozenset[str] = frozenset(flag.id for flag in RED_FLAGS)
#: Every question of a full screening: the yes/no questions, then age and pregnancy.
QUESTION_IDS: tuple[str, ...] = (*(flag.id for flag in RED_FLAGS), AGE, PREGNANCY)
#: What the morning check-in asks again: the signs that can newly appear, not lifetime history.
CHECK_IN_IDS: tuple[str, ...] = tuple(flag.id for flag in RED_FLAGS if flag.recheck)

_BY_ID: dict[str, RedFlag] = {flag.id: flag for flag in (*RED_FLAGS, *DERIVED)}
_POSITION: dict[str, int] = {flag_id: index for index, flag_id in enumerate(_BY_ID)}
_PREGNANCY_VALUES = frozenset(p.value for p in Pregnancy)


class Status(StrEnum):
    """What a screening says: start, see a clinician first, or answer the rest first."""

    OK = "ok"
    REFER = "refer"
    INCOMPLETE = "incomplete"


#: What to do, by the most urgent sign raised; None: no warning signs, the program can start.
ADVICE: dict[Urgency | None, Reason] = {
    Urgency.EMERGENCY: reason("screening.refer.emergency"),
    Urgency.URGENT: reason("screening.refer.urgent"),
    Urgency.SOON: reason("screening.refer.soon"),
    None: reason("screening.clear"),
}
#: A referral for a clinician's go-ahead only (after spinal surgery, soon after giving birth).
GO_AHEAD = reason("screening.go_ahead")
#: Some questions are unanswered and nothing raised refers: a blank is never a "no".
INCOMPLETE = reason("screening.incomplete")
#: Added to a referral made while some questions are unanswered: they may make it more urgent.
UNANSWERED_NOTE = reason("screening.note.unanswered")
#: Added to the "no warning signs" advice when a risk factor was noted without referring.
AGE_NOTE = reason("screening.note.age_at_onset", low=ONSET_AGE_LOW, high=ONSET_AGE_HIGH)


class ScreeningError(ValueError):
    """The screening answers are malformed; the message names the offending field."""


def red_flag(flag_id: str) -> RedFlag:
    """Return the red flag with this id, or raise ScreeningError naming it."""
    try:
        return _BY_ID[flag_id]
    except KeyError:
        raise ScreeningError(_unknown(flag_id)) from None


def all_clear(*, age: int = 40, pregnancy: Pregnancy = Pregnancy.NONE) -> dict[str, object]:
    """A complete screening with every yes/no question answered "no" (for examples and tests)."""
    return {**dict.fromkeys(RED_FLAG_IDS, False), AGE: age, PREGNANCY: pregnancy.value}


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    """The result of a screening: start, refer (how urgently and why), or answer the rest."""

    status: Status
    urgency: Urgency | None
    #: Raised signs that refer, most urgent first (signs a clinician has cleared are left out).
    flags: tuple[RedFlag, ...]
    #: Combinations of answers that escalated the urgency.
    combinations: tuple[Combination, ...]
    #: Why: each combination's reason, then each flag's, most urgent first.
    reasons: tuple[Reason, ...]
    #: What to do (ADVICE, GO_AHEAD or INCOMPLETE), then the notes that go with it.
    advice: tuple[Reason, ...]
    unanswered: tuple[str, ...]
    #: Every sign raised, cleared or not, derived ones included (to compare at a check-in).
    raised: frozenset[str]
    #: Raised signs that a clinician saw when clearing the person; they do not refer again.
    cleared: tuple[str, ...] = ()
    #: Risk factors noted that do not refer on their own (e.g. age_at_onset).
    factors: tuple[str, ...] = ()

    @property
    def refer(self) -> bool:
        return self.status is Status.REFER

    @property
    def go_ahead(self) -> bool:
        """The referral asks only for a clinician's go-ahead (no sign of disease raised)."""
        return self.refer and not self.combinations and all(flag.go_ahead for flag in self.flags)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data for the web app and the CLI."""
        return {
            "status": self.status.value,
            "urgency": None if self.urgency is None else self.urgency.value,
            "reason_codes": [part.to_dict() for part in self.reasons],
            "flags": [flag.id for flag in self.flags],
            "combinations": [combination.id for combination in self.combinations],
            "go_ahead": self.go_ahead,
            "advice": [part.to_dict() for part in self.advice],
            "unanswered": list(self.unanswered),
            "cleared": list(self.cleared),
            "factors": list(self.factors),
        }


def screen(
    answers: Mapping[str, object],
    *,
    asked: Collection[str] = QUESTION_IDS,
    cleared: Collection[str] = (),
) -> ScreeningOutcome:
    """Weigh the answers: the most urgent sign or combination raised decides what to do.

    ``asked`` are the questions this screening had to answer (a missing one makes it
    incomplete); ``cleared`` are signs a clinician saw when clearing the person, which do not
    refer again when answered the same.
    """
    raised = _check(answers)
    age, pregnancy = answers.get(AGE), answers.get(PREGNANCY)
    if not raised and pregnancy != POSTPARTUM.id:
        # Nothing raised, the usual case: every prescription screens, so skip the weighing.
        # Every key was checked to be a known question, so as many keys as questions is all.
        if asked is QUESTION_IDS and len(answers) == len(QUESTION_IDS):
            return _ALL_CLEAR
        unanswered = tuple(key for key in asked if key not in answers)
        return _ALL_CLEAR if not unanswered else _nothing_raised(unanswered)
    if (
        "recent_onset" in raised
        and isinstance(age, int)
        and not ONSET_AGE_LOW <= age <= ONSET_AGE_HIGH
    ):
        raised.add(AGE_AT_ONSET.id)
    if pregnancy == POSTPARTUM.id:
        raised.add(POSTPARTUM.id)
    seen = frozenset(cleared)
    # New or worse in both legs says more than "for a while": one reason, not two that clash.
    shown = raised - seen - ({"both_legs_longstanding"} if "both_legs" in raised else set())
    flags = sorted(
        (_BY_ID[key] for key in shown if _BY_ID[key].urgency is not None),
        key=lambda flag: (URGENCY_RANK[flag.urgency or Urgency.SOON], _POSITION[flag.id]),
    )
    combinations = sorted(
        (c for c in COMBINATIONS if _fires(c, raised) and _is_new(c, raised, seen)),
        key=lambda c: URGENCY_RANK[c.urgency],
    )
    urgencies = [flag.urgency for flag in flags if flag.urgency] + [c.urgency for c in combinations]
    urgency = min(urgencies, key=URGENCY_RANK.__getitem__) if urgencies else None
    unanswered = tuple(key for key in asked if key not in answers)
    factors = tuple(key for key in (AGE_AT_ONSET.id,) if key in raised and urgency is None)
    if urgency is not None:
        status = Status.REFER
    elif unanswered:
        status = Status.INCOMPLETE
    else:
        status = Status.OK
    outcome = ScreeningOutcome(
        status=status,
        urgency=urgency,
        flags=tuple(flags),
        combinations=tuple(combinations),
        reasons=tuple(c.reason for c in combinations) + tuple(flag.reason for flag in flags),
        advice=(),
        unanswered=unanswered,
        raised=frozenset(raised),
        cleared=tuple(key for key in _BY_ID if key in raised and key in seen),
        factors=factors,
    )
    return _with_advice(outcome)


#: Signs that ask about change: a clearance never silences them afterwards.
PROGRESSIVE_IDS: frozenset[str] = frozenset(flag.id for flag in RED_FLAGS if flag.progressive)


def carry_clearance(seen: Collection[str], later: Iterable[Mapping[str, object]]) -> frozenset[str]:
    """The signs a clearance still covers after the later answers, oldest first.

    A clearance covers a sign only while it is answered "yes" at every screening since: once
    answered "no", a later "yes" is new. Signs that ask about change (new or worsening leg
    symptoms, worsening weakness) are never covered afterwards.
    """
    covered = set(seen) - PROGRESSIVE_IDS
    for answers in later:
        covered -= {key for key in covered if key in answers and answers[key] is not True}
    return frozenset(covered)


def still_referring(
    check_ins: Iterable[tuple[date, Mapping[str, bool]]],
    *,
    baseline: Mapping[str, object] | None = None,
    cleared_on: date | None = None,
) -> ScreeningOutcome | None:
    """The referral a log still carries: a sign raised at any check-in keeps referring until a
    clearance is recorded after its day; a later check-in without answers forgets nothing.

    ``check_ins`` are (day, answers) pairs in any order; ``baseline`` holds the lifetime answers
    a check-in does not ask again (for combinations). Signs raised before ``cleared_on`` were
    seen by the clinician who cleared the person and do not refer again while answered the same
    (see carry_clearance).
    """
    dated = sorted(check_ins, key=lambda pair: pair[0])
    # Only days before the clearance are covered: with dates alone, a check-in on the day of
    # the clearance may have come after it, and the safer reading is that it did.
    before = [answers for day, answers in dated if cleared_on is not None and day < cleared_on]
    after = [(day, answers) for day, answers in dated if cleared_on is None or day >= cleared_on]
    seen = frozenset(key for answers in before for key, value in answers.items() if value is True)
    for index, (_, answers) in enumerate(after):
        if not any(value is True for value in answers.values()):
            continue
        covered = carry_clearance(seen, [a for _, a in after[:index]])
        outcome = screen({**(baseline or {}), **answers}, asked=(), cleared=covered)
        if outcome.refer:
            return outcome
    return None


def _nothing_raised(unanswered: tuple[str, ...]) -> ScreeningOutcome:
    status = Status.INCOMPLETE if unanswered else Status.OK
    advice = INCOMPLETE if unanswered else ADVICE[None]
    return ScreeningOutcome(status, None, (), (), (), (advice,), unanswered, frozenset())


_ALL_CLEAR = _nothing_raised(())


def _with_advice(outcome: ScreeningOutcome) -> ScreeningOutcome:
    advice: tuple[Reason, ...]
    if outcome.status is Status.INCOMPLETE:
        advice = (INCOMPLETE,)
    elif outcome.go_ahead:
        advice = (GO_AHEAD,)
    else:
        advice = (ADVICE[outcome.urgency],)
        if outcome.factors:
            advice += (AGE_NOTE,)
    if outcome.refer and outcome.unanswered:
        advice += (UNANSWERED_NOTE,)
    return replace(outcome, advice=advice)


def _fires(combination: Combination, raised: set[str]) -> bool:
    return combination.needs in raised and bool(combination.with_any & raised)


def _is_new(combination: Combination, raised: set[str], seen: frozenset[str]) -> bool:
    """A combination refers again only when one of its raised parts was not cleared."""
    parts = ({combination.needs} | combination.with_any) & raised
    return not parts <= seen


def _check(answers: Mapping[str, object]) -> set[str]:
    """Refuse a malformed answer, naming it; return the yes/no questions answered "yes"."""
    if not isinstance(answers, Mapping):
        raise ScreeningError("red_flags: expected an object of red flag id to true or false")
    raised: set[str] = set()
    for key, value in answers.items():
        # The common cases first: every prescription screens.
        if value is False and key in RED_FLAG_IDS:
            continue
        if value is True and key in RED_FLAG_IDS:
            raised.add(key)
            continue
        if key == AGE:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ScreeningError(f"age: must be a whole number {MIN_AGE}-{MAX_AGE}")
            if not MIN_AGE <= value <= MAX_AGE:
                raise ScreeningError(f"age: must be a whole number {MIN_AGE}-{MAX_AGE}")
        elif key == PREGNANCY:
            if value not in _PREGNANCY_VALUES:
                choices = ", ".join(p.value for p in Pregnancy)
                raise ScreeningError(f"pregnancy: must be one of {choices}")
        elif key not in RED_FLAG_IDS:
            raise ScreeningError(_unknown(key))
        else:
            raise ScreeningError(f"red_flags.{key}: must be true or false")
    return raised


def _unknown(key: object) -> str:
    known = ", ".join(flag.id for flag in RED_FLAGS)
    return f"red_flags.{key}: unknown red flag id; known: {known}"


def _every_code() -> dict[str, frozenset[str]]:
    said = (
        *(flag.question for flag in RED_FLAGS),
        *(flag.label for flag in RED_FLAGS),
        *(flag.reason for flag in (*RED_FLAGS, *DERIVED)),
        *(combination.reason for combination in COMBINATIONS),
        *ADVICE.values(),
        GO_AHEAD,
        INCOMPLETE,
        UNANSWERED_NOTE,
        AGE_NOTE,
        PREGNANCY_QUESTION,
        *PREGNANCY_CHOICES.values(),
    )
    return {part.code: frozenset(part.values) for part in said}


#: Every code the safety questions and a screening's outcome give, with its parameters' names
#: (the contract with backcoach.wording.screening_words).
SCREENING_PARAMS: dict[str, frozenset[str]] = _every_code()
