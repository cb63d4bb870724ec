"""The words of the safety questions and of a screening's outcome (engine/red_flags.py,
engine/screening.py): templates keyed by code, English.

Each question has three codes: ``flag.<id>.question`` (what is asked), ``flag.<id>.label`` (a
few words naming it, for error messages) and ``flag.<id>.reason`` (what a "yes" may mean); a
combination of answers has ``combination.<id>.reason``. What to do is ``screening.refer.<urgency>``,
``screening.go_ahead``, ``screening.clear`` or ``screening.incomplete``, with the notes
``screening.note.*`` after it. The placeholders are each code's parameters
(engine.screening.SCREENING_PARAMS): the ages ``{low}`` and ``{high}`` that weigh back pain
starting outside them.
"""

from __future__ import annotations

from typing import Any

from backcoach.engine.reasons import Reason
from backcoach.engine.screening import ScreeningOutcome
from backcoach.wording.i18n import N_
from backcoach.wording.reasons import say_in

SCREENING_WORDS: dict[str, str] = {
    "flag.saddle_numbness.label": N_("Feeling between the legs"),
    "flag.saddle_numbness.question": N_(
        "Is there numbness, tingling or less feeling between your legs: around your genitals, your "
        "back passage or your buttocks, or when you wipe yourself with toilet paper after using "
        "the toilet?"
    ),
    "flag.saddle_numbness.reason": N_(
        "Less feeling between the legs can be a sign of pressure on the bundle of nerves at the "
        "base of the spine (cauda equina syndrome)."
    ),
    "flag.bladder_bowel_change.label": N_("Bladder or bowel"),
    "flag.bladder_bowel_change.question": N_(
        "Have you recently had new trouble with your bladder or bowel: difficulty starting or "
        "stopping the flow of urine, not feeling urine as it passes, not knowing whether your "
        "bladder is full or empty, or leaking urine or stool without meaning to?"
    ),
    "flag.bladder_bowel_change.reason": N_(
        "A new change in bladder or bowel control can be a sign of pressure on the bundle of "
        "nerves at the base of the spine (cauda equina syndrome)."
    ),
    "flag.sexual_dysfunction.label": N_("Sexual function"),
    "flag.sexual_dysfunction.question": N_(
        "Have you recently noticed less feeling in your genitals during sex, or a new problem "
        "getting an erection or ejaculating?"
    ),
    "flag.sexual_dysfunction.reason": N_(
        "A new change in sexual function can be a sign of pressure on the bundle of nerves at the "
        "base of the spine (cauda equina syndrome)."
    ),
    "flag.both_legs.label": N_("Both legs, new or worse"),
    "flag.both_legs.question": N_(
        "In the last two weeks, have pain, numbness, pins and needles or weakness started in both "
        "legs, or have symptoms you already had in both legs been getting worse?"
    ),
    "flag.both_legs.reason": N_(
        "New or worsening nerve symptoms in both legs can be an early sign of pressure on the "
        "bundle of nerves at the base of the spine (cauda equina syndrome)."
    ),
    "flag.both_legs_longstanding.label": N_("Both legs, for a while"),
    "flag.both_legs_longstanding.question": N_(
        "Have you had pain, numbness or pins and needles in both legs for longer than two weeks, "
        "staying about the same (not getting worse)?"
    ),
    "flag.both_legs_longstanding.reason": N_(
        "Symptoms in both legs that have lasted a while without getting worse should be checked by "
        "a doctor, though they are not an emergency. If they get worse, or your bladder, bowel or "
        "the feeling between your legs changes, go to an emergency department at once."
    ),
    "flag.worsening_weakness.label": N_("A leg getting weaker"),
    "flag.worsening_weakness.question": N_(
        "Is a leg or foot getting weaker, for example your foot catching or slapping on the "
        "ground, or a leg giving way?"
    ),
    "flag.worsening_weakness.reason": N_(
        "Weakness that is getting worse can mean a nerve is under growing pressure and needs "
        "checking straight away."
    ),
    "flag.unsteady_walking.label": N_("Unsteady walking"),
    "flag.unsteady_walking.question": N_(
        "Have you become unsteady on your feet lately: stumbling, tripping more than usual or "
        "finding it hard to walk in a straight line?"
    ),
    "flag.unsteady_walking.reason": N_(
        "New unsteadiness when walking can come from pressure on the spinal cord or nerves and "
        "should be checked the same day."
    ),
    "flag.fever_unwell.label": N_("Fever or unwell"),
    "flag.fever_unwell.question": N_(
        "Along with your back pain, do you have a fever, chills or night sweats, or feel generally "
        "unwell?"
    ),
    "flag.fever_unwell.reason": N_(
        "Back pain with a fever or feeling unwell can be a sign of an infection in the spine."
    ),
    "flag.night_pain.label": N_("Constant or night pain"),
    "flag.night_pain.question": N_(
        "Is your back pain there all the time, or bad at night, without easing when you lie still "
        "or change position?"
    ),
    "flag.night_pain.reason": N_(
        "Constant pain that does not ease with rest or changing position can have a cause other "
        "than strained muscles or joints, such as a tumour or an infection."
    ),
    "flag.weight_loss.label": N_("Weight loss"),
    "flag.weight_loss.question": N_(
        "Have you lost weight in the last few months without trying to?"
    ),
    "flag.weight_loss.reason": N_(
        "Losing weight without trying, together with back pain, can be a sign of an illness such "
        "as cancer or an infection."
    ),
    "flag.thoracic_pain.label": N_("Mid-back pain"),
    "flag.thoracic_pain.question": N_(
        "Do you also have pain in your mid-back, between or below your shoulder blades?"
    ),
    "flag.thoracic_pain.reason": N_(
        "Pain in the mid-back is less often from strained muscles than low back pain is, and "
        "should be checked."
    ),
    "flag.cancer_history.label": N_("Cancer treatment"),
    "flag.cancer_history.question": N_("Have you ever been treated for cancer?"),
    "flag.cancer_history.reason": N_(
        "After cancer, new back pain should be checked in case the cancer has spread to the spine."
    ),
    "flag.spinal_surgery_or_injection.label": N_("Spine surgery or injection"),
    "flag.spinal_surgery_or_injection.question": N_(
        "In the last 12 months, have you had an operation on your spine, or an injection into your "
        "spine (such as an epidural or a nerve-root injection)?"
    ),
    "flag.spinal_surgery_or_injection.reason": N_(
        "After recent surgery or an injection in the spine, the clinician who treated you should "
        "say when and how to start exercising; with a fever, an infection must be ruled out."
    ),
    "flag.immunosuppressed.label": N_("Weakened immune system"),
    "flag.immunosuppressed.question": N_(
        "Is your immune system weakened, for example by steroid tablets, chemotherapy, medicines "
        "after a transplant, or a condition such as HIV?"
    ),
    "flag.immunosuppressed.reason": N_(
        "A weakened immune system makes an infection in the spine more likely, so back pain should "
        "be checked soon, and the same day if you also have a fever or feel unwell."
    ),
    "flag.iv_drug_use.label": N_("Injected drugs"),
    "flag.iv_drug_use.question": N_("Have you ever injected drugs into a vein?"),
    "flag.iv_drug_use.reason": N_(
        "Injecting drugs makes an infection in the spine more likely, so back pain should be "
        "checked soon, and the same day if you also have a fever or feel unwell."
    ),
    "flag.trauma.label": N_("A fall or accident"),
    "flag.trauma.question": N_(
        "Did this back pain start in the last three months after a hard fall, a road accident or a "
        "blow to the back, or after a small fall or lift if you have thin bones?"
    ),
    "flag.trauma.reason": N_(
        "Back pain after a fall or an accident can come from a broken bone in the spine."
    ),
    "flag.osteoporosis_steroids.label": N_("Thin bones or steroids"),
    "flag.osteoporosis_steroids.question": N_(
        "Have you been told you have osteoporosis (thin bones), or have you taken steroid tablets "
        "for more than three months?"
    ),
    "flag.osteoporosis_steroids.reason": N_(
        "Thin bones, or long use of steroid tablets, make a small break in a bone of the spine "
        "more likely."
    ),
    "flag.recent_onset.label": N_("When the pain began"),
    "flag.recent_onset.question": N_("Did this back pain first start less than three months ago?"),
    "flag.recent_onset.reason": N_(
        "Back pain that first starts before {low} or after {high} is weighed together with your "
        "other answers."
    ),
    "flag.age_at_onset.reason": N_(
        "Back pain that first starts before the age of {low} or after {high} is more often from a "
        "cause that needs a doctor, so it counts together with your other answers."
    ),
    "flag.postpartum_under_12_weeks.reason": N_(
        "In the first 12 weeks after giving birth, your midwife, GP or physiotherapist should say "
        "when core and hip exercises are right for you."
    ),
    "combination.cancer_with_nerve_signs.reason": N_(
        "After cancer, nerve symptoms in the legs can be a sign of pressure on the spinal cord or "
        "nerves from cancer that has spread to the spine."
    ),
    "combination.cancer_with_spinal_pain.reason": N_(
        "After cancer, constant or night pain, weight loss or mid-back pain can be a sign that the "
        "cancer has spread to the spine; this needs a doctor within 24 hours."
    ),
    "combination.infection_risk_with_fever.reason": N_(
        "A fever or feeling unwell, with a raised risk of infection, can be a sign of an infection "
        "in the spine; this needs a doctor the same day."
    ),
    "combination.age_with_warning_signs.reason": N_(
        "Back pain that first started before {low} or after {high}, with constant or night pain, "
        "weight loss, mid-back pain or a fall, is more likely to have a serious cause; this needs "
        "a doctor within 24 hours."
    ),
    "screening.refer.emergency": N_(
        "Go to an emergency department (A&E) now, or call your local emergency number (999 in the "
        "UK, 112 in Europe, 911 in North America). Do not wait for a GP appointment or to see if "
        "it passes, and do not do any of the exercises."
    ),
    "screening.refer.urgent": N_(
        "See a doctor today, within 24 hours: ask your GP practice for an urgent same-day "
        "appointment, or go to an urgent care centre or out-of-hours service (in England, call NHS "
        "111). Leave the exercises until a doctor has checked you. If you get worse quickly, or "
        "numbness, weakness or bladder or bowel changes appear, go to an emergency department at "
        "once."
    ),
    "screening.refer.soon": N_(
        "Book an appointment with your GP or a physiotherapist within the next one to two weeks, "
        "and tell them about this before you start the exercises. If things get worse or new "
        "problems appear, get help sooner."
    ),
    "screening.clear": N_(
        "No warning signs in your answers, so you can start the program. If any of these signs "
        "appear later, stop the exercises and get checked by a doctor."
    ),
    "screening.go_ahead": N_(
        "Ask the clinician who looks after you (your GP, physiotherapist or midwife, or the "
        "surgeon who operated) whether these exercises are right for you now, and start once they "
        "say yes. Book that within the next one to two weeks. If you get a fever, or new numbness "
        "or weakness, see a doctor the same day."
    ),
    "screening.incomplete": N_(
        "Some safety questions are not answered yet. Please answer every one before starting: a "
        "question left blank is not the same as a no."
    ),
    "screening.note.unanswered": N_(
        "Some questions are still unanswered, so this is the least urgency: answer them too, as "
        "they may make it more urgent."
    ),
    "screening.note.age_at_onset": N_(
        "Because this back pain first started before {low} or after {high}, mention it to your "
        "doctor at your next routine visit, and get checked sooner if it does not ease over a few "
        "weeks."
    ),
    "pregnancy.question": N_("Are you pregnant, or have you given birth in the last 12 weeks?"),
    "pregnancy.none": N_("No"),
    "pregnancy.up_to_12_weeks": N_("Pregnant, up to 12 weeks"),
    "pregnancy.after_12_weeks": N_("Pregnant, more than 12 weeks"),
    "pregnancy.postpartum_under_12_weeks": N_("I gave birth less than 12 weeks ago"),
}


def say_screening(said: Reason) -> str:
    """A question, its label, a reason or a piece of advice in words."""
    return say_in(SCREENING_WORDS, said)


def say_advice(outcome: ScreeningOutcome) -> str:
    """What to do, in one paragraph (the advice, then its notes)."""
    return " ".join(say_screening(part) for part in outcome.advice)


def say_reasons(outcome: ScreeningOutcome) -> list[str]:
    """Why, one sentence a sign or combination, most urgent first."""
    return [say_screening(part) for part in outcome.reasons]


def screening_document(outcome: ScreeningOutcome) -> dict[str, Any]:
    """The outcome as `backcoach screen` prints it: the codes with their parameters
    (``advice``, ``reason_codes``) and beside them the words (``message``, ``reasons``)."""
    return {**outcome.to_dict(), "message": say_advice(outcome), "reasons": say_reasons(outcome)}
