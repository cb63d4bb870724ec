"""Red-flag screening before any exercise advice: who must see a clinician first, and how soon.

Sources for every flag and its urgency are in docs/clinical-rules.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backcoach.engine.vocabulary import URGENCY_RANK, Urgency

_CAUDA_EQUINA = "pressure on the nerves at the base of the spine (cauda equina syndrome)"


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One warning sign: the yes/no question a person answers and what a "yes" may mean."""

    id: str
    question: str
    urgency: Urgency
    reason: str


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        id="saddle_numbness",
        question=(
            "Have you noticed numbness or a change in feeling around your genitals, buttocks or "
            "inner thighs (where you would sit on a saddle)?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=f"Numbness in the saddle area can be a sign of {_CAUDA_EQUINA}.",
    ),
    RedFlag(
        id="bladder_bowel_change",
        question=(
            "Have you recently had new trouble passing urine, leaked urine or stool without "
            "meaning to, or lost the feeling that your bladder or bowel is full?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=f"A new change in bladder or bowel control can be a sign of {_CAUDA_EQUINA}.",
    ),
    RedFlag(
        id="sexual_dysfunction",
        question=(
            "Have you recently noticed a new change in sexual function, such as less feeling in "
            "your genitals or being unable to get an erection or to ejaculate?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=f"A new change in sexual function can be a sign of {_CAUDA_EQUINA}.",
    ),
    RedFlag(
        id="both_legs",
        question="Do you have pain, numbness, pins and needles or weakness in both legs?",
        urgency=Urgency.EMERGENCY,
        reason=f"Nerve symptoms in both legs can be a sign of {_CAUDA_EQUINA}.",
    ),
    RedFlag(
        id="worsening_weakness",
        question=(
            "Is a leg or foot getting weaker, for example your foot catching or slapping on the "
            "ground, or a leg giving way?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=(
            "Weakness that is getting worse can mean a nerve is under growing pressure and needs "
            "checking straight away."
        ),
    ),
    RedFlag(
        id="fever_unwell",
        question=(
            "Along with your back pain, do you have a fever, chills or night sweats, or feel "
            "generally unwell?"
        ),
        urgency=Urgency.URGENT,
        reason=(
            "Back pain with a fever or feeling unwell can be a sign of an infection in the spine."
        ),
    ),
    RedFlag(
        id="immunosuppressed",
        question=(
            "Is your immune system weakened, for example by steroid tablets, chemotherapy, "
            "medicines after a transplant, or a condition such as HIV?"
        ),
        urgency=Urgency.URGENT,
        reason=(
            "A weakened immune system makes an infection in the spine more likely, so new back "
            "pain should be checked."
        ),
    ),
    RedFlag(
        id="iv_drug_use",
        question="Have you ever injected drugs into a vein?",
        urgency=Urgency.URGENT,
        reason=(
            "Injecting drugs makes an infection in the spine more likely, so new back pain should "
            "be checked."
        ),
    ),
    RedFlag(
        id="cancer_history",
        question="Have you ever been treated for cancer?",
        urgency=Urgency.SOON,
        reason=(
            "After cancer, new back pain should be checked in case the cancer has spread to the "
            "spine."
        ),
    ),
    RedFlag(
        id="weight_loss",
        question="Have you lost weight in the last few months without trying to?",
        urgency=Urgency.SOON,
        reason=(
            "Losing weight without trying, together with back pain, can be a sign of an illness "
            "such as cancer or an infection."
        ),
    ),
    RedFlag(
        id="night_pain",
        question=(
            "Is your back pain there all the time and bad at night, without easing when you lie "
            "still or change position?"
        ),
        urgency=Urgency.SOON,
        reason=(
            "Constant pain that does not ease with rest or changing position can have a cause "
            "other than strained muscles or joints, such as a tumour or an infection."
        ),
    ),
    RedFlag(
        id="trauma",
        question=(
            "Did your back pain start after a hard fall, an accident or a blow, or after a small "
            "fall if you have thin bones?"
        ),
        urgency=Urgency.SOON,
        reason="Back pain after a fall or an accident can come from a broken bone in the spine.",
    ),
    RedFlag(
        id="osteoporosis_steroids",
        question=(
            "Have you been told you have osteoporosis (thin bones), or have you taken steroid "
            "tablets for more than three months?"
        ),
        urgency=Urgency.SOON,
        reason=(
            "Thin bones, or long use of steroid tablets, make a small break in a bone of the "
            "spine more likely."
        ),
    ),
)

RED_FLAG_IDS: frozenset[str] = frozenset(flag.id for flag in RED_FLAGS)
_BY_ID: dict[str, RedFlag] = {flag.id: flag for flag in RED_FLAGS}
_POSITION: dict[str, int] = {flag.id: index for index, flag in enumerate(RED_FLAGS)}

#: What to do, by the most urgent flag raised; None is the "no warning signs" message.
MESSAGES: dict[Urgency | None, str] = {
    Urgency.EMERGENCY: (
        "Please go to an emergency department now, or call your local emergency number "
        "(for example 999, 112 or 911). Do not wait to see if it passes, and do not do any of "
        "the exercises."
    ),
    Urgency.URGENT: (
        "Please see a doctor today: a same-day appointment with your GP, an urgent care centre or "
        "an out-of-hours service. Leave the exercises until a doctor has checked you. If you get "
        "worse quickly, go to an emergency department."
    ),
    Urgency.SOON: (
        "Please book an appointment with a doctor within the next few days to a week or two, and "
        "tell them about this before you start the exercises. If things get worse or new "
        "problems appear, get help sooner."
    ),
    None: (
        "No warning signs in your answers, so you can start the program. If any of these signs "
        "appear later, stop the exercises and get checked by a doctor."
    ),
}


class ScreeningError(ValueError):
    """The screening answers are malformed; the message names the offending field."""


def red_flag(flag_id: str) -> RedFlag:
    """Return the red flag with this id, or raise ScreeningError naming it."""
    try:
        return _BY_ID[flag_id]
    except KeyError:
        raise ScreeningError(_unknown(flag_id)) from None


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    """The result of a screening: whether to refer, how urgently, and why."""

    refer: bool
    urgency: Urgency | None
    flags: tuple[RedFlag, ...]
    reasons: tuple[str, ...]
    message: str
    unanswered: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data for the web app and the CLI."""
        return {
            "status": "refer" if self.refer else "ok",
            "urgency": None if self.urgency is None else self.urgency.value,
            "reasons": list(self.reasons),
            "flags": [flag.id for flag in self.flags],
            "message": self.message,
            "unanswered": list(self.unanswered),
        }


def screen(answers: Mapping[str, object]) -> ScreeningOutcome:
    """Screen yes/no answers keyed by red flag id; a missing id counts as "no"."""
    if not isinstance(answers, Mapping):
        raise ScreeningError("red_flags: expected an object of red flag id to true or false")
    for key, value in answers.items():
        if key not in RED_FLAG_IDS:
            raise ScreeningError(_unknown(key))
        if not isinstance(value, bool):
            raise ScreeningError(f"red_flags.{key}: must be true or false")
    raised = sorted(
        (_BY_ID[key] for key, value in answers.items() if value),
        key=lambda flag: (URGENCY_RANK[flag.urgency], _POSITION[flag.id]),
    )
    urgency = raised[0].urgency if raised else None
    return ScreeningOutcome(
        refer=bool(raised),
        urgency=urgency,
        flags=tuple(raised),
        reasons=tuple(flag.reason for flag in raised),
        message=MESSAGES[urgency],
        unanswered=tuple(flag.id for flag in RED_FLAGS if flag.id not in answers),
    )


def _unknown(key: object) -> str:
    known = ", ".join(flag.id for flag in RED_FLAGS)
    return f"red_flags.{key}: unknown red flag id; known: {known}"
