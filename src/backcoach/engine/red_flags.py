"""The safety questions asked before any exercise advice, and the combinations that escalate.

Each question has an id, lay wording, the urgency a "yes" carries on its own and the sources it
rests on (the keys are listed with full references in docs/clinical-rules.md). The rules that
weigh the answers together live in screening.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.engine.vocabulary import Pregnancy, Urgency

_CES = "pressure on the bundle of nerves at the base of the spine (cauda equina syndrome)"
_MSCC = "pressure on the spinal cord or nerves from cancer that has spread to the spine"


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One warning sign: the yes/no question a person answers and what a "yes" may mean.

    ``urgency`` None marks a risk factor that refers only together with other answers.
    ``recheck`` marks a sign that can newly appear, so the morning check-in asks it again.
    ``go_ahead`` marks a situation that needs a clinician's go-ahead rather than a diagnosis.
    """

    id: str
    question: str
    urgency: Urgency | None
    reason: str
    sources: tuple[str, ...]
    #: A few words naming the question, for error messages and summaries.
    label: str = ""
    recheck: bool = False
    go_ahead: bool = False
    #: The question asks about change (new, getting worse): a "yes" is never the same answer
    #: as at a clearance, so a clinician's clearance does not silence it later.
    progressive: bool = False


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        id="saddle_numbness",
        label="Feeling between the legs",
        question=(
            "Is there numbness, tingling or less feeling between your legs: around your "
            "genitals, your back passage or your buttocks, or when you wipe yourself with toilet "
            "paper after using the toilet?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=f"Less feeling between the legs can be a sign of {_CES}.",
        sources=("GIRFT 2023", "NICE CKS", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="bladder_bowel_change",
        label="Bladder or bowel",
        question=(
            "Have you recently had new trouble with your bladder or bowel: difficulty starting "
            "or stopping the flow of urine, not feeling urine as it passes, not knowing whether "
            "your bladder is full or empty, or leaking urine or stool without meaning to?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=f"A new change in bladder or bowel control can be a sign of {_CES}.",
        sources=("GIRFT 2023", "NICE CKS", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="sexual_dysfunction",
        label="Sexual function",
        question=(
            "Have you recently noticed less feeling in your genitals during sex, or a new problem "
            "getting an erection or ejaculating?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=f"A new change in sexual function can be a sign of {_CES}.",
        sources=("GIRFT 2023", "NICE CKS"),
        recheck=True,
    ),
    RedFlag(
        id="both_legs",
        label="Both legs, new or worse",
        question=(
            "In the last two weeks, have pain, numbness, pins and needles or weakness started in "
            "both legs, or have symptoms you already had in both legs been getting worse?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=f"New or worsening nerve symptoms in both legs can be an early sign of {_CES}.",
        sources=("GIRFT 2023", "NICE CKS"),
        recheck=True,
        progressive=True,
    ),
    RedFlag(
        id="both_legs_longstanding",
        label="Both legs, for a while",
        question=(
            "Have you had pain, numbness or pins and needles in both legs for longer than two "
            "weeks, staying about the same (not getting worse)?"
        ),
        urgency=Urgency.SOON,
        reason=(
            "Symptoms in both legs that have lasted a while without getting worse should be "
            "checked by a doctor, though they are not an emergency. If they get worse, or your "
            "bladder, bowel or the feeling between your legs changes, go to an emergency "
            "department at once."
        ),
        sources=("GIRFT 2023",),
    ),
    RedFlag(
        id="worsening_weakness",
        label="A leg getting weaker",
        question=(
            "Is a leg or foot getting weaker, for example your foot catching or slapping on the "
            "ground, or a leg giving way?"
        ),
        urgency=Urgency.EMERGENCY,
        reason=(
            "Weakness that is getting worse can mean a nerve is under growing pressure and needs "
            "checking straight away."
        ),
        sources=("NICE CKS", "Finucane 2020"),
        recheck=True,
        progressive=True,
    ),
    RedFlag(
        id="unsteady_walking",
        label="Unsteady walking",
        question=(
            "Have you become unsteady on your feet lately: stumbling, tripping more than usual or "
            "finding it hard to walk in a straight line?"
        ),
        urgency=Urgency.URGENT,
        reason=(
            "New unsteadiness when walking can come from pressure on the spinal cord or nerves "
            "and should be checked the same day."
        ),
        sources=("NICE NG234", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="fever_unwell",
        label="Fever or unwell",
        question=(
            "Along with your back pain, do you have a fever, chills or night sweats, or feel "
            "generally unwell?"
        ),
        urgency=Urgency.URGENT,
        reason=(
            "Back pain with a fever or feeling unwell can be a sign of an infection in the spine."
        ),
        sources=("NICE CKS", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="night_pain",
        label="Constant or night pain",
        question=(
            "Is your back pain there all the time, or bad at night, without easing when you lie "
            "still or change position?"
        ),
        urgency=Urgency.SOON,
        reason=(
            "Constant pain that does not ease with rest or changing position can have a cause "
            "other than strained muscles or joints, such as a tumour or an infection."
        ),
        sources=("NICE CKS", "NICE NG234", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="weight_loss",
        label="Weight loss",
        question="Have you lost weight in the last few months without trying to?",
        urgency=Urgency.SOON,
        reason=(
            "Losing weight without trying, together with back pain, can be a sign of an illness "
            "such as cancer or an infection."
        ),
        sources=("NICE CKS", "Finucane 2020"),
        recheck=True,
    ),
    RedFlag(
        id="thoracic_pain",
        label="Mid-back pain",
        question="Do you also have pain in your mid-back, between or below your shoulder blades?",
        urgency=Urgency.SOON,
        reason=(
            "Pain in the mid-back is less often from strained muscles than low back pain is, "
            "and should be checked."
        ),
        sources=("NICE NG234", "Finucane 2020"),
    ),
    RedFlag(
        id="cancer_history",
        label="Cancer treatment",
        question="Have you ever been treated for cancer?",
        urgency=Urgency.SOON,
        reason=(
            "After cancer, new back pain should be checked in case the cancer has spread to the "
            "spine."
        ),
        sources=("NICE NG234", "Henschke 2013", "Finucane 2020"),
    ),
    RedFlag(
        id="spinal_surgery_or_injection",
        label="Spine surgery or injection",
        question=(
            "In the last 12 months, have you had an operation on your spine, or an injection "
            "into your spine (such as an epidural or a nerve-root injection)?"
        ),
        urgency=Urgency.SOON,
        reason=(
            "After recent surgery or an injection in the spine, the clinician who treated you "
            "should say when and how to start exercising; with a fever, an infection must be "
            "ruled out."
        ),
        sources=("Finucane 2020",),
        go_ahead=True,
    ),
    RedFlag(
        id="immunosuppressed",
        label="Weakened immune system",
        question=(
            "Is your immune system weakened, for example by steroid tablets, chemotherapy, "
            "medicines after a transplant, or a condition such as HIV?"
        ),
        urgency=Urgency.SOON,
        reason=(
            "A weakened immune system makes an infection in the spine more likely, so back pain "
            "should be checked soon, and the same day if you also have a fever or feel unwell."
        ),
        sources=("Finucane 2020", "NICE CKS"),
    ),
    RedFlag(
        id="iv_drug_use",
        label="Injected drugs",
        question="Have you ever injected drugs into a vein?",
        urgency=Urgency.SOON,
        reason=(
            "Injecting drugs makes an infection in the spine more likely, so back pain should be "
            "checked soon, and the same day if you also have a fever or feel unwell."
        ),
        sources=("Finucane 2020", "NICE CKS"),
    ),
    RedFlag(
        id="trauma",
        label="A fall or accident",
        question=(
            "Did this back pain start in the last three months after a hard fall, a road "
            "accident or a blow to the back, or after a small fall or lift if you have thin "
            "bones?"
        ),
        urgency=Urgency.SOON,
        reason="Back pain after a fall or an accident can come from a broken bone in the spine.",
        sources=("NICE CKS", "Finucane 2020"),
    ),
    RedFlag(
        id="osteoporosis_steroids",
        label="Thin bones or steroids",
        question=(
            "Have you been told you have osteoporosis (thin bones), or have you taken steroid "
            "tablets for more than three months?"
        ),
        urgency=Urgency.SOON,
        reason=(
            "Thin bones, or long use of steroid tablets, make a small break in a bone of the "
            "spine more likely."
        ),
        sources=("NICE CKS", "Finucane 2020"),
    ),
    RedFlag(
        id="recent_onset",
        label="When the pain began",
        question="Did this back pain first start less than three months ago?",
        urgency=None,
        reason=(
            "Back pain that first starts before 20 or after 50 is weighed together with your "
            "other answers."
        ),
        sources=("Henschke 2013", "Finucane 2020", "Greenhalgh & Selfe 2010"),
    ),
)

#: Signs derived from answers that are not yes/no questions (age, pregnancy).
AGE_AT_ONSET = RedFlag(
    id="age_at_onset",
    question="",
    urgency=None,
    reason=(
        "Back pain that first starts before the age of 20 or after 50 is more often from a "
        "cause that needs a doctor, so it counts together with your other answers."
    ),
    sources=("Henschke 2013", "Finucane 2020", "Greenhalgh & Selfe 2010"),
)
POSTPARTUM = RedFlag(
    id=Pregnancy.POSTPARTUM_UNDER_12_WEEKS.value,
    question="",
    urgency=Urgency.SOON,
    reason=(
        "In the first 12 weeks after giving birth, your midwife, GP or physiotherapist should "
        "say when core and hip exercises are right for you."
    ),
    sources=("ACOG 2020",),
    go_ahead=True,
)
DERIVED: tuple[RedFlag, ...] = (AGE_AT_ONSET, POSTPARTUM)

#: New back pain that starts outside these ages is weighed with the other answers.
ONSET_AGE_LOW, ONSET_AGE_HIGH = 20, 50

#: Questions that are not yes/no: the person's age (whole years) and pregnancy.
AGE, PREGNANCY = "age", "pregnancy"
MIN_AGE, MAX_AGE = 16, 110
PREGNANCY_QUESTION = "Are you pregnant, or have you given birth in the last 12 weeks?"
PREGNANCY_CHOICES: dict[Pregnancy, str] = {
    Pregnancy.NONE: "No",
    Pregnancy.UP_TO_12_WEEKS: "Pregnant, up to 12 weeks",
    Pregnancy.AFTER_12_WEEKS: "Pregnant, more than 12 weeks",
    Pregnancy.POSTPARTUM_UNDER_12_WEEKS: "I gave birth less than 12 weeks ago",
}


@dataclass(frozen=True, slots=True)
class Combination:
    """Answers that together call for more urgency than any of them alone."""

    id: str
    needs: str
    with_any: frozenset[str]
    urgency: Urgency
    reason: str
    sources: tuple[str, ...]


COMBINATIONS: tuple[Combination, ...] = (
    Combination(
        id="cancer_with_nerve_signs",
        needs="cancer_history",
        with_any=frozenset(
            {"worsening_weakness", "unsteady_walking", "both_legs", "both_legs_longstanding"}
        ),
        urgency=Urgency.EMERGENCY,
        reason=f"After cancer, nerve symptoms in the legs can be a sign of {_MSCC}.",
        sources=("NICE NG234",),
    ),
    Combination(
        id="cancer_with_spinal_pain",
        needs="cancer_history",
        with_any=frozenset({"night_pain", "weight_loss", "thoracic_pain"}),
        urgency=Urgency.URGENT,
        reason=(
            "After cancer, constant or night pain, weight loss or mid-back pain can be a sign "
            "that the cancer has spread to the spine; this needs a doctor within 24 hours."
        ),
        sources=("NICE NG234", "Finucane 2020"),
    ),
    Combination(
        id="infection_risk_with_fever",
        needs="fever_unwell",
        with_any=frozenset({"immunosuppressed", "iv_drug_use", "spinal_surgery_or_injection"}),
        urgency=Urgency.URGENT,
        reason=(
            "A fever or feeling unwell, with a raised risk of infection, can be a sign of an "
            "infection in the spine; this needs a doctor the same day."
        ),
        sources=("NICE CKS", "Finucane 2020"),
    ),
    Combination(
        id="age_with_warning_signs",
        needs=AGE_AT_ONSET.id,
        with_any=frozenset({"night_pain", "weight_loss", "thoracic_pain", "trauma"}),
        urgency=Urgency.URGENT,
        reason=(
            "Back pain that first started before 20 or after 50, with constant or night pain, "
            "weight loss, mid-back pain or a fall, is more likely to have a serious cause; this "
            "needs a doctor within 24 hours."
        ),
        sources=("Henschke 2013", "Finucane 2020"),
    ),
)
