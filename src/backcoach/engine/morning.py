"""When a session's next-morning answer may be given.

The pain-monitoring model judges a session by how the back feels the morning after it
(Silbernagel et al. 2007): an answer given the same evening, minutes after the session, says
nothing about that and must not settle a decision (docs/clinical-rules.md, "The next morning").
"""

from __future__ import annotations

import datetime as dt

#: The least time from a session's end to its morning answer: a short night's sleep. It keeps a
#: session finished just before midnight from being answered minutes later, on the next date.
MORNING_GAP = dt.timedelta(hours=6)


def is_morning_after(
    *, session_day: dt.date, finished_at: dt.datetime, today: dt.date, now: dt.datetime
) -> bool:
    """True once the person's day is later than the session's and a night's gap has passed
    since it ended (`today` is the person's date at `now`)."""
    return today > session_day and now - finished_at >= MORNING_GAP
