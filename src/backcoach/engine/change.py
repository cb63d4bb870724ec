"""Change over time on a measure: did it improve enough to matter, worsen, or reach recovery (M10).

Thresholds and their sources are in docs/clinical-rules.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from backcoach.engine.measures import Instrument, MeasureError, is_number, round_half_up


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
    text: str

    def reached(self, latest: float) -> bool:
        return latest >= self.score if self.higher_is_better else latest <= self.score

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "higher_is_better": self.higher_is_better, "text": self.text}


#: Minimal clinically important change per instrument, in points (Ostelo et al. 2008; PSFS ours).
MCID: dict[str, MinimalChange] = {
    Instrument.NPRS.value: MinimalChange(points=2, show_percent=True),
    Instrument.ODI.value: MinimalChange(points=10, show_percent=True),
    Instrument.RMDQ.value: MinimalChange(points=5, show_percent=True),
    Instrument.PSFS.value: MinimalChange(points=2, show_percent=False),
}

#: The score counted as recovered per instrument.
RECOVERY: dict[str, Recovery] = {
    Instrument.NPRS.value: Recovery(1, higher_is_better=False, text="pain of 0 or 1 out of 10"),
    Instrument.ODI.value: Recovery(10, higher_is_better=False, text="an ODI score of 10 or less"),
    Instrument.RMDQ.value: Recovery(2, higher_is_better=False, text="an RMDQ score of 2 or less"),
    Instrument.PSFS.value: Recovery(
        9, higher_is_better=True, text="an average rating of 9 or more out of 10"
    ),
}

#: Highest possible score per instrument (all start at 0).
SCALE_MAX: dict[str, float] = {
    Instrument.NPRS.value: 10,
    Instrument.ODI.value: 100,
    Instrument.RMDQ.value: 24,
    Instrument.PSFS.value: 10,
}

#: How the statement names what was measured.
_SUBJECT: dict[str, str] = {
    Instrument.NPRS.value: "Your pain",
    Instrument.ODI.value: "Your back's effect on daily life (ODI)",
    Instrument.RMDQ.value: "Your back's effect on daily life (RMDQ)",
    Instrument.PSFS.value: "Your rating of the activities you chose",
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
    statement: str

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
            "statement": self.statement,
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
        statement="",
    )
    return replace(change, statement=_statement(change, show_percent=mcid.show_percent))


def _statement(change: Change, *, show_percent: bool) -> str:
    """One plain sentence on the change, and on recovery when reached."""
    subject = _SUBJECT[change.instrument]
    higher_is_better = RECOVERY[change.instrument].higher_is_better
    recovered = f" That is within what we count as recovered: {RECOVERY[change.instrument].text}."
    if change.difference == 0:
        top = _num(SCALE_MAX[change.instrument])
        sentence = f"{subject} is the same as at the start ({_num(change.latest)} out of {top})."
    else:
        went_up = (change.difference > 0) == higher_is_better
        verb = "risen" if went_up else "dropped"
        size = abs(change.difference)
        amount = f"{_num(size)} point{'' if size == 1 else 's'}"
        if show_percent and change.percent_improvement is not None:
            amount += f" ({_num(round_half_up(abs(change.percent_improvement), 0))}%)"
        if change.mcid_reached:
            verdict = "a change large enough to matter."
        elif change.worsened:
            verdict = (
                "a change large enough to matter; worth talking over with your coach or doctor."
            )
        elif change.difference > 0:
            verdict = "a start, though not yet a change large enough to matter."
        else:
            verdict = "a small change, within everyday ups and downs."
        sentence = f"{subject} has {verb} by {amount}: {verdict}"
    return sentence + (recovered if change.recovered else "")


def _num(value: float) -> str:
    """Show 3.0 as "3" and 2.5 as "2.5"."""
    return f"{value:g}"
