"""Change over time on a measure: did it improve enough to matter, worsen, or reach recovery (M10).

Thresholds and their sources are in docs/clinical-rules.md. The statement of a change is given
as reason codes with their numbers (``change.mcid_reached {instrument, direction, amount}``);
the words are in backcoach.wording.change_words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from backcoach.engine.measures import Instrument, MeasureError, is_number, round_half_up
from backcoach.engine.reasons import Reason, reason

#: What a change's statement says, by code, and the parameters each code carries.
SAME = "change.same"
MCID_REACHED = "change.mcid_reached"
WORSENED = "change.worsened"
NOT_YET = "change.not_yet"
UPS_AND_DOWNS = "change.ups_and_downs"
#: How much it moved: one of these is the ``amount`` of the codes above (but change.same).
ONE_POINT, POINTS = "change.amount.one_point", "change.amount.points"
ONE_POINT_PERCENT, POINTS_PERCENT = (
    "change.amount.one_point_percent",
    "change.amount.points_percent",
)
#: The least time between a first answer and one compared with it: change scores and their
#: MCIDs are read over weeks of care (the two-weekly check is the first such point), so an
#: answer given sooner is kept and shown, but no change, improvement or recovery is claimed.
MIN_CHANGE_INTERVAL = timedelta(days=14)


def far_enough_apart(first_day: date, later_day: date) -> bool:
    """Whether an answer on ``later_day`` may be compared with the first, of ``first_day``."""
    return later_day - first_day >= MIN_CHANGE_INTERVAL


#: Said after the change when the latest score counts as recovered, one code per instrument.
RECOVERED = "change.recovered."


@dataclass(frozen=True, slots=True)
class MinimalChange:
    """The smallest change that matters: at least `points`, however large it is in percent.

    `show_percent`: the change as a percentage of baseline is said beside the points; it never
    decides alone (at a low baseline a small change is a large percentage).
    """

    points: float
    show_percent: bool

    def to_dict(self) -> dict[str, Any]:
        return {"points": self.points, "show_percent": self.show_percent}


@dataclass(frozen=True, slots=True)
class Recovery:
    """Recovered when the latest score is at most (or, higher_is_better, at least) `score`."""

    score: float
    higher_is_better: bool

    def reached(self, latest: float) -> bool:
        return latest >= self.score if self.higher_is_better else latest <= self.score

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "higher_is_better": self.higher_is_better}


#: Minimal clinically important change per instrument, in points (Ostelo et al. 2008; PSFS ours).
MCID: dict[str, MinimalChange] = {
    Instrument.NPRS.value: MinimalChange(points=2, show_percent=True),
    Instrument.ODI.value: MinimalChange(points=10, show_percent=True),
    Instrument.RMDQ.value: MinimalChange(points=5, show_percent=True),
    Instrument.PSFS.value: MinimalChange(points=2, show_percent=False),
}

#: The score counted as recovered per instrument.
RECOVERY: dict[str, Recovery] = {
    Instrument.NPRS.value: Recovery(1, higher_is_better=False),
    Instrument.ODI.value: Recovery(10, higher_is_better=False),
    Instrument.RMDQ.value: Recovery(2, higher_is_better=False),
    Instrument.PSFS.value: Recovery(9, higher_is_better=True),
}

#: Highest possible score per instrument (all start at 0).
SCALE_MAX: dict[str, float] = {
    Instrument.NPRS.value: 10,
    Instrument.ODI.value: 100,
    Instrument.RMDQ.value: 24,
    Instrument.PSFS.value: 10,
}

#: The parameters of each statement code (the contract with backcoach.wording.change_words).
STATEMENT_PARAMS: dict[str, frozenset[str]] = {
    SAME: frozenset({"instrument", "score", "top"}),
    **dict.fromkeys(
        (MCID_REACHED, WORSENED, NOT_YET, UPS_AND_DOWNS),
        frozenset({"instrument", "direction", "amount"}),
    ),
    ONE_POINT: frozenset({"points"}),
    POINTS: frozenset({"points"}),
    ONE_POINT_PERCENT: frozenset({"points", "percent"}),
    POINTS_PERCENT: frozenset({"points", "percent"}),
    **{RECOVERED + name: frozenset({"score"}) for name in RECOVERY},
}


@dataclass(frozen=True, slots=True)
class Change:
    """How a measure moved from baseline to latest; difference > 0 is always better.

    `mcid_reached` and `worsened` compare the difference in points with the MCID;
    `percent_improvement` is only said beside it.
    """

    instrument: str
    baseline: float
    latest: float
    difference: float
    percent_improvement: float | None
    mcid_reached: bool
    worsened: bool
    recovered: bool
    #: What to say: the change (a code of STATEMENT_PARAMS), then recovery when reached.
    statement: tuple[Reason, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(part.code for part in self.statement)

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "baseline": self.baseline,
            "latest": self.latest,
            "difference": self.difference,
            "percent_improvement": self.percent_improvement,
            "mcid_reached": self.mcid_reached,
            "worsened": self.worsened,
            "recovered": self.recovered,
            "statement": [part.to_dict() for part in self.statement],
        }


def assess_change(instrument: str, baseline: float, latest: float) -> Change:
    """Compare the latest score with the baseline on one instrument."""
    if instrument == Instrument.STARTBACK:
        raise MeasureError("instrument: startback sorts risk at the start; it has no change rule")
    if instrument not in MCID:
        known = ", ".join(MCID)
        raise MeasureError(f"instrument: unknown instrument {instrument!r}; known: {known}")
    top = SCALE_MAX[instrument]
    for field, value in (("baseline", baseline), ("latest", latest)):
        if not is_number(value) or not 0 <= value <= top:
            raise MeasureError(f"{field}: must be a number 0-{top:g}")
    mcid, recovery = MCID[instrument], RECOVERY[instrument]
    # Decimal keeps 42.2 - 32.2 at exactly 10, so a boundary is not missed by float noise.
    start, end = Decimal(str(baseline)), Decimal(str(latest))
    better = end - start if recovery.higher_is_better else start - end
    percent = None if start == 0 else better * 100 / start
    # Points only, both ways: at a low baseline a small change is a large percentage.
    reached = better >= Decimal(str(mcid.points))
    worsened = -better >= Decimal(str(mcid.points))
    recovered = recovery.reached(latest)
    change = Change(
        instrument=instrument,
        baseline=baseline,
        latest=latest,
        difference=round_half_up(better),
        percent_improvement=None if percent is None else round_half_up(percent),
        mcid_reached=reached,
        worsened=worsened,
        recovered=recovered,
        statement=(),
    )
    return replace(change, statement=_statement(change, show_percent=mcid.show_percent))


def _statement(change: Change, *, show_percent: bool) -> tuple[Reason, ...]:
    """The change in codes, and recovery when reached."""
    recovery = RECOVERY[change.instrument]
    if change.difference == 0:
        said = reason(
            SAME,
            instrument=change.instrument,
            score=change.latest,
            top=SCALE_MAX[change.instrument],
        )
    else:
        went_up = (change.difference > 0) == recovery.higher_is_better
        size = abs(change.difference)
        if show_percent and change.percent_improvement is not None:
            percent = round_half_up(abs(change.percent_improvement), 0)
            code = ONE_POINT_PERCENT if size == 1 else POINTS_PERCENT
            amount = reason(code, points=size, percent=percent)
        else:
            amount = reason(ONE_POINT if size == 1 else POINTS, points=size)
        if change.mcid_reached:
            verdict = MCID_REACHED
        elif change.worsened:
            verdict = WORSENED
        elif change.difference > 0:
            verdict = NOT_YET
        else:
            verdict = UPS_AND_DOWNS
        said = reason(
            verdict,
            instrument=change.instrument,
            direction="up" if went_up else "down",
            amount=(amount,),
        )
    if not change.recovered:
        return (said,)
    return (said, reason(RECOVERED + change.instrument, score=recovery.score))
