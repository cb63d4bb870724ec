"""The words of a cue the engine gives as a code (``cue.<name>``, engine/reasons.py) rather than
as the catalogue's words; said in the active language (`backcoach.wording.i18n`)."""

from __future__ import annotations

from backcoach.engine.reasons import STEADY_BACK_CUE
from backcoach.wording.i18n import N_, gettext

CUE_WORDS: dict[str, str] = {
    STEADY_BACK_CUE: N_("Slow down and keep your ribs down and your back still."),
}


def say_cue(cue: str) -> str:
    """A planned exercise's cue in words: a code's from here, the catalogue's as they are."""
    words = CUE_WORDS.get(cue)
    return cue if words is None else gettext(words)
