"""The program's general notes as the pages show them (Today and the session player)."""

from __future__ import annotations

from typing import Any

from backcoach.services.programs import ProgramView
from backcoach.wording.note_words import caution_words, other_note_words, say_plan_note


def caution_context(program: ProgramView) -> dict[str, Any]:
    """The program's cautions (very high pain, late pregnancy, 75 and over), shown on every
    visit beside the program, the other notes apart from them, and how often, in words."""
    plan = program.plan
    return {
        "cautions": caution_words(plan),
        "why_notes": other_note_words(plan),
        "how_often": say_plan_note(plan.frequency_note),
    }
