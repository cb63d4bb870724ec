"""The program's cautions as the pages show them (Today and the session player)."""

from __future__ import annotations

from typing import Any

from backcoach.engine.prescription import CAUTIONS, cautions
from backcoach.services.programs import ProgramView


def caution_context(program: ProgramView) -> dict[str, Any]:
    """The program's cautions (very high pain, late pregnancy, 75 and over), shown on every
    visit beside the program, and the other notes apart from them."""
    shown = tuple(CAUTIONS[code] for code in cautions(program.plan.profile))
    return {
        "cautions": shown,
        "why_notes": tuple(note for note in program.plan.notes if note not in shown),
    }
