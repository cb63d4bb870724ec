"""Trainers' and clinicians' terms that stay on a page, each with plain words first and a short
"what this means" (issue 13, item 9).

A page shows ``term("rir").name`` as the label and ``term("rir").meaning`` as its hint (the
pages have ``term`` as a template global, web/pages.py); the handout and the CLI may say them
too. The words are msgids, said in the active language when read.
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.wording.i18n import N_, gettext


@dataclass(frozen=True)
class Term:
    """A term in plain words (``name``, the term itself in brackets when it helps) and what it
    means, in one or two short sentences."""

    _name: str
    _meaning: str

    @property
    def name(self) -> str:
        return gettext(self._name)

    @property
    def meaning(self) -> str:
        return gettext(self._meaning)


TERMS: dict[str, Term] = {
    "rir": Term(
        N_("How many more you could have done (optional)"),
        N_(
            "With good form, before you would have had to stop: 0 means that set was as hard as "
            "you could go. Trainers call this “reps in reserve”."
        ),
    ),
    "tempo": Term(
        N_("Speed (tempo)"),
        N_(
            "How many seconds each part of a repetition takes: lowering, a pause, lifting and a "
            "pause. Slow and even keeps the work in the right muscles."
        ),
    ),
    "neutral": Term(
        N_("Back in its natural middle position (neutral)"),
        N_(
            "Neither arched nor flattened: the small natural curve of your lower back, held "
            "still while your arms or legs move."
        ),
    ),
    "hold": Term(
        N_("A hold (isometric)"),
        N_("You hold the position still, without moving, for the time given, and keep breathing."),
    ),
    "core": Term(
        N_("Belly muscles (core)"),
        N_("The muscles around your middle that hold your spine steady."),
    ),
    "hip_extension": Term(
        N_("Straightening the hips (hip extension)"),
        N_("Your buttocks push your hips forward and straight, as when you stand up."),
    ),
    "hip_external_rotation": Term(
        N_("Turning the hips out (hip external rotation)"),
        N_(
            "The side of your buttocks turns your thighs out and keeps your hips and knees "
            "steady as you stand and walk."
        ),
    ),
    "mobility": Term(
        N_("Gentle movement drills (mobility)"),
        N_(
            "Easy movements through a comfortable range for a minute or two, instead of "
            "holding a long stretch, when your back feels tight."
        ),
    ),
    "nprs": Term(
        N_("Pain from 0 to 10 (NPRS)"),
        N_("0 is no pain, 10 is the worst pain you can imagine."),
    ),
    "psfs": Term(
        N_("Your activities (PSFS)"),
        N_(
            "How well you can do the activities you named, from 0 (not at all) to 10 (as well "
            "as before your back pain). Clinicians call it the Patient-Specific Functional Scale."
        ),
    ),
    "odi": Term(
        N_("Oswestry score (ODI)"),
        N_(
            "A questionnaire about how much back pain gets in the way of everyday life, from 0 "
            "(not at all) to 100. Lower is better."
        ),
    ),
    "rmdq": Term(
        N_("Roland-Morris score (RMDQ)"),
        N_(
            "A questionnaire about how much back pain gets in the way of everyday life: how many "
            "of its 24 statements you ticked. Lower is better."
        ),
    ),
    "startback": Term(
        N_("STarT Back score"),
        N_(
            "A short questionnaire clinicians use to see what kind of care suits back pain best. "
            "A higher score asks for more support from a clinician."
        ),
    ),
    "psychosocial": Term(
        N_("Worry and mood part (psychosocial subscore)"),
        N_("The part of the STarT Back score about worry, mood and how much the pain bothers you."),
    ),
    "mcid": Term(
        N_("A change that matters (MCID)"),
        N_(
            "The smallest change in a score that people notice as a real difference in their "
            "lives; smaller changes may be day-to-day noise."
        ),
    ),
}


def term(key: str) -> Term:
    """The term ``key`` in plain words (a KeyError names a term with no words yet)."""
    return TERMS[key]
