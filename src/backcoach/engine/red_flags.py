"""The safety questions asked before any exercise advice, and the combinations that escalate.

Each question has a stable id, the urgency a "yes" carries on its own and the sources it rests
on (the keys are listed with full references in docs/clinical-rules.md). Its words (the question,
a label, what a "yes" may mean) are reason codes, ``flag.<id>.question`` and so on, said by
backcoach.wording.screening_words. The rules that weigh the answers together live in screening.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.engine.reasons import Param, Reason, reason
from backcoach.engine.vocabulary import Pregnancy, Urgency

#: New back pain that starts outside these ages is weighed with the other answers.
ONSET_AGE_LOW, ONSET_AGE_HIGH = 20, 50
#: The parameters of the words that name those ages.
_ONSET_AGES: dict[str, Param] = {"low": ONSET_AGE_LOW, "high": ONSET_AGE_HIGH}
_SAID_WITH_AGES = frozenset({"recent_onset", "age_at_onset", "age_with_warning_signs"})


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One warning sign: the yes/no question a person answers and what a "yes" may mean.

    ``urgency`` None marks a risk factor that refers only together with other answers.
    ``recheck`` marks a sign that can newly appear, so the morning check-in asks it again.
    ``go_ahead`` marks a situation that needs a clinician's go-ahead rather than a diagnosis.
    """

    id: str
    urgency: Urgency | None
    sources: tuple[str, ...]
    recheck: bool = False
    go_ahead: bool = False
    #: The question asks about change (new, getting worse): a "yes" is never the same answer
    #: as at a clearance, so a clinician's clearance does not silence it later.
    progressive: bool = False

    @property
    def question(self) -> Reason:
        """The yes/no question as it is asked (``flag.<id>.question``)."""
        return reason(f"flag.{self.id}.question")

    @property
    def label(self) -> Reason:
        """A few words naming the question, for error messages and summaries."""
        return reason(f"flag.{self.id}.label")

    @property
    def reason(self) -> Reason:
        """What a "yes" may mean, said when it refers (``flag.<id>.reason``)."""
        return _why(f"flag.{self.id}.reason", self.id)


def _why(code: str, key: str) -> Reason:
    return Reason(code, tuple(_ONSET_AGES.items()) if key in _SAID_WITH_AGES else ())


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        id="saddle_numbness",
        urgency=Urgency.EMERGENCY,
        sources=("GIRFT 2023", "NICE CKS", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="bladder_bowel_change",
        urgency=Urgency.EMERGENCY,
        sources=("GIRFT 2023", "NICE CKS", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="sexual_dysfunction",
        urgency=Urgency.EMERGENCY,
        sources=("GIRFT 2023", "NICE CKS"),
        recheck=True,
    ),
    RedFlag(
        id="both_legs",
        urgency=Urgency.EMERGENCY,
        sources=("GIRFT 2023", "NICE CKS"),
        recheck=True,
        progressive=True,
    ),
    RedFlag(
        id="both_legs_longstanding",
        urgency=Urgency.SOON,
        sources=("GIRFT 2023",),
    ),
    RedFlag(
        id="worsening_weakness",
        urgency=Urgency.EMERGENCY,
        sources=("NICE CKS", "Finucane 2020"),
        recheck=True,
        progressive=True,
    ),
    RedFlag(
        id="unsteady_walking",
        urgency=Urgency.URGENT,
        sources=("NICE NG234", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="fever_unwell",
        urgency=Urgency.URGENT,
        sources=("NICE CKS", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="night_pain",
        urgency=Urgency.SOON,
        sources=("NICE CKS", "NICE NG234", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="weight_loss",
        urgency=Urgency.SOON,
        sources=("NICE CKS", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="thoracic_pain",
        urgency=Urgency.SOON,
        sources=("NICE NG234", "Finucane 2020"),
    ),
    RedFlag(
        id="cancer_history",
        urgency=Urgency.SOON,
        sources=("NICE NG234", "Henschke 2013", "Finucane 2020"),
    ),
    RedFlag(
        id="spinal_surgery_or_injection",
        urgency=Urgency.SOON,
        sources=("Finucane 2020",),
        go_ahead=True,
    ),
    RedFlag(
        id="immunosuppressed",
        urgency=Urgency.SOON,
        sources=("Finucane 2020", "NICE CKS"),
    ),
    RedFlag(
        id="iv_drug_use",
        urgency=Urgency.SOON,
        sources=("Finucane 2020", "NICE CKS"),
    ),
    RedFlag(
        id="trauma",
        urgency=Urgency.SOON,
        sources=("NICE CKS", "Finucane 2020"),
    ),
    RedFlag(
        id="osteoporosis_steroids",
        urgency=Urgency.SOON,
        sources=("NICE CKS", "Finucane 2020"),
    ),
    RedFlag(
        id="recent_onset",
        urgency=None,
        sources=("Henschke 2013", "Finucane 2020", "Greenhalgh & Selfe 2010"),
    ),
)

#: Signs derived from answers that are not yes/no questions (age, pregnancy).
AGE_AT_ONSET = RedFlag(
    id="age_at_onset",
    urgency=None,
    sources=("Henschke 2013", "Finucane 2020", "Greenhalgh & Selfe 2010"),
)
POSTPARTUM = RedFlag(
    id=Pregnancy.POSTPARTUM_UNDER_12_WEEKS.value,
    urgency=Urgency.SOON,
    sources=("ACOG 2020",),
    go_ahead=True,
)
DERIVED: tuple[RedFlag, ...] = (AGE_AT_ONSET, POSTPARTUM)

#: Questions that are not yes/no: the person's age (whole years) and pregnancy.
AGE, PREGNANCY = "age", "pregnancy"
MIN_AGE, MAX_AGE = 16, 110
PREGNANCY_QUESTION = reason("pregnancy.question")
#: The answers to the pregnancy question, in the order they are offered.
PREGNANCY_CHOICES: dict[Pregnancy, Reason] = {
    choice: reason(f"pregnancy.{choice.value}") for choice in Pregnancy
}


@dataclass(frozen=True, slots=True)
class Combination:
    """Answers that together call for more urgency than any of them alone."""

    id: str
    needs: str
    with_any: frozenset[str]
    urgency: Urgency
    sources: tuple[str, ...]

    @property
    def reason(self) -> Reason:
        """What the answers together may mean (``combination.<id>.reason``)."""
        return _why(f"combination.{self.id}.reason", self.id)


COMBINATIONS: tuple[Combination, ...] = (
    Combination(
        id="cancer_with_nerve_signs",
        needs="cancer_history",
        with_any=frozenset(
            {"worsening_weakness", "unsteady_walking", "both_legs", "both_legs_longstanding"}
        ),
        urgency=Urgency.EMERGENCY,
        sources=("NICE NG234",),
    ),
    Combination(
        id="cancer_with_spinal_pain",
        needs="cancer_history",
        with_any=frozenset({"night_pain", "weight_loss", "thoracic_pain"}),
        urgency=Urgency.URGENT,
        sources=("NICE NG234", "Finucane 2020"),
    ),
    Combination(
        id="infection_risk_with_fever",
        needs="fever_unwell",
        with_any=frozenset({"immunosuppressed", "iv_drug_use", "spinal_surgery_or_injection"}),
        urgency=Urgency.URGENT,
        sources=("NICE CKS", "Finucane 2020"),
    ),
    Combination(
        id="age_with_warning_signs",
        needs=AGE_AT_ONSET.id,
        with_any=frozenset({"night_pain", "weight_loss", "thoracic_pain", "trauma"}),
        urgency=Urgency.URGENT,
        sources=("Henschke 2013", "Finucane 2020"),
    ),
)
