"""The words of a program's general notes (engine/prescription.py, engine/schedule.py): its
cautions, why strengthening and not stretching, and how often; templates keyed by code, English.

The placeholders are each code's parameters (engine.prescription.NOTE_PARAMS). The cautions'
sources are in docs/clinical-rules.md.
"""

from __future__ import annotations

from backcoach.engine.plan import Plan
from backcoach.engine.prescription import (
    CAUTION_NOTE,
    DRILLS_WHEN_TIGHT,
    FEEL_IT_IN,
    STRENGTH_NOT_STRETCH,
    caution_notes,
)
from backcoach.engine.reasons import AS_WRITTEN, Reason
from backcoach.engine.schedule import (
    EVERY_OTHER_DAY_NOTE,
    FEWER_DAYS_NOTE,
    ONE_DAY_NOTE,
    THREE_DAYS_NOTE,
)
from backcoach.wording.i18n import N_
from backcoach.wording.reasons import say_in

NOTE_WORDS: dict[str, str] = {
    # The cautions (drills first while pain is very high, late pregnancy, 75 and over).
    CAUTION_NOTE + "very_high_pain": N_(
        "Your pain is very high right now. Until it settles, do only the mobility drills for "
        "tight moments, gently; if it stays this high for more than a few days, see a doctor or "
        "physiotherapist."
    ),
    CAUTION_NOTE + "late_pregnancy": N_(
        "After 12 weeks of pregnancy, exercises lying flat on your back are left out: lying on "
        "the back can press on a large vein and make you feel faint. Stop, and call your midwife "
        "or maternity unit the same day, if you have bleeding, fluid leaking, regular painful "
        "tightenings, chest pain, dizziness, or pain or swelling in a calf."
    ),
    CAUTION_NOTE + "older_age": N_(
        "At 75 and over, balance and bone strength matter as much as your back: do standing "
        "exercises next to a wall or sturdy chair, get down to and up from the floor slowly, "
        "and ask your GP about a falls and bone-health check if you have had a fall or a broken "
        "bone."
    ),
    # Why strengthening, not stretching (M1).
    STRENGTH_NOT_STRETCH: N_(
        "Stretching a tight low back brings relief for a short while, but the tightness comes "
        "back because the back is working hard to hold the spine while the abdominals and glutes "
        "do too little. This program strengthens those muscles so the back can let go."
    ),
    FEEL_IT_IN: N_(
        "Feel each set in the muscle named under 'feel it in'. If you feel it mostly in your low "
        "back, tell the log: the next session will change the exercise or the cue."
    ),
    DRILLS_WHEN_TIGHT: N_(
        "When your back feels tight, use the mobility drills for two or three minutes instead of "
        "stretching your low back or hamstrings."
    ),
    # How often (M7).
    EVERY_OTHER_DAY_NOTE: N_(
        "Every other day: a rest day between sessions lets the muscles recover and grow."
    ),
    THREE_DAYS_NOTE: N_(
        "Three days a week with a rest day between each: close to every other day."
    ),
    ONE_DAY_NOTE: N_("1 day a week still helps a lot."),
    FEWER_DAYS_NOTE: N_("{sessions} days a week still helps a lot."),
    AS_WRITTEN: "{text}",  # words from an older document: nothing to translate
}


def say_plan_note(note: Reason) -> str:
    """A program's general note (or its frequency note) in words."""
    return say_in(NOTE_WORDS, note)


def caution_words(plan: Plan) -> tuple[str, ...]:
    """The cautions the program carries for its person, in words (shown on every visit)."""
    return tuple(say_plan_note(note) for note in caution_notes(plan.profile))


def other_note_words(plan: Plan) -> tuple[str, ...]:
    """The program's notes apart from its cautions (why strength, not stretching), in words;
    an older plan's notes kept as written are told apart by their words."""
    shown = caution_words(plan)
    said = (say_plan_note(note) for note in plan.notes)
    return tuple(text for text in said if text not in shown)
