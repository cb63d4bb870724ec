"""The words of a change on a measure (engine/change.py): templates keyed by code, English.

The placeholders are each code's parameters (engine.change.STATEMENT_PARAMS); ``{instrument}``
names what was measured and ``{direction}`` says which way it moved, from VALUES. ``{amount}`` is
a part of the phrase, said from the same table.
"""

from __future__ import annotations

from backcoach.engine.change import (
    MCID_REACHED,
    NOT_YET,
    ONE_POINT,
    ONE_POINT_PERCENT,
    POINTS,
    POINTS_PERCENT,
    RECOVERED,
    SAME,
    UPS_AND_DOWNS,
    WORSENED,
    Change,
)
from backcoach.engine.measures import Instrument
from backcoach.wording.i18n import N_
from backcoach.wording.reasons import say_in

CHANGE_WORDS: dict[str, str] = {
    SAME: N_("{instrument} is the same as at the start ({score:g} out of {top:g})."),
    MCID_REACHED: N_("{instrument} has {direction} by {amount}: a change large enough to matter."),
    WORSENED: N_(
        "{instrument} has {direction} by {amount}: a change large enough to matter; worth "
        "talking over with your coach or doctor."
    ),
    NOT_YET: N_(
        "{instrument} has {direction} by {amount}: a start, though not yet a change large "
        "enough to matter."
    ),
    UPS_AND_DOWNS: N_(
        "{instrument} has {direction} by {amount}: a small change, within everyday ups and downs."
    ),
    ONE_POINT: N_("{points:g} point"),
    POINTS: N_("{points:g} points"),
    ONE_POINT_PERCENT: N_("{points:g} point ({percent:g}%)"),
    POINTS_PERCENT: N_("{points:g} points ({percent:g}%)"),
    RECOVERED + Instrument.NPRS: N_(
        "That is within what we count as recovered: pain of 0 or {score:g} out of 10."
    ),
    RECOVERED + Instrument.ODI: N_(
        "That is within what we count as recovered: an ODI score of {score:g} or less."
    ),
    RECOVERED + Instrument.RMDQ: N_(
        "That is within what we count as recovered: an RMDQ score of {score:g} or less."
    ),
    RECOVERED + Instrument.PSFS: N_(
        "That is within what we count as recovered: an average rating of {score:g} or more "
        "out of 10."
    ),
}

#: Words for the named values of the codes above.
VALUES: dict[str, dict[str, str]] = {
    "instrument": {
        Instrument.NPRS: N_("Your pain"),
        Instrument.ODI: N_("Your back's effect on daily life (ODI)"),
        Instrument.RMDQ: N_("Your back's effect on daily life (RMDQ)"),
        Instrument.PSFS: N_("Your rating of the activities you chose"),
    },
    "direction": {"up": N_("risen"), "down": N_("dropped")},
}


def say_change(change: Change) -> str:
    """The change in one or two plain sentences (the change, then recovery when reached)."""
    return " ".join(say_in(CHANGE_WORDS, part, values=VALUES) for part in change.statement)
