"""The value axis of the charts (web/charts.py): few ticks, on whole "nice" numbers from zero,
so a phone's narrow axis stays readable and a count never reads as 0.1 of a session."""

from __future__ import annotations

import math

#: Axis ticks, at most this many steps from zero to the top, on whole "nice" numbers.
MOST_TICKS = 5


def scale_ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to a scale's top (10, 24, 100), on a step dividing it."""
    for step in (1, 2, 4, 5, 6, 10, 20, 25, 50):
        if top % step == 0 and top // step <= MOST_TICKS + 1:
            return list(range(0, top + 1, step))
    return count_ticks(top)


def count_ticks(highest: float) -> list[int]:
    """Whole-number ticks from 0 to at least `highest`, at most `MOST_TICKS` steps on a step of
    1, 2 or 5 times a power of ten: a count's axis never says 0.1 sessions."""
    step = 1
    while step * MOST_TICKS < highest:
        for factor in (2, 5 / 2, 2):  # 1 -> 2 -> 5 -> 10 -> 20 ...
            step = round(step * factor)
            if step * MOST_TICKS >= highest:
                break
    top = max(step, math.ceil(highest / step) * step)
    return list(range(0, top + 1, step))


def unit_ticks(highest: float, unit: float = 1) -> list[float]:
    """Ticks from 0 to at least `highest` in whole `unit`s: 1 for counts, 0.5 for an average of
    counts (0, 0.5, 1 ...), each said without a needless ".0"."""
    return [_plain(step * unit) for step in count_ticks(highest / unit)]


def _plain(value: float) -> float:
    """1.0 as 1, so that the axis says "1", not "1.0"."""
    return int(value) if value == int(value) else value
