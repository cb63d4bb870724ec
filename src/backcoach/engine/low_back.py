"""M9, a set felt in the low back: a cue, then an easier rung or a gentler swap, then a review.

Rule 7 of docs/progression.md. It is apart from the core decision because it is the one rule
that walks further back than two sessions (to count a run for the review) and the one whose
swaps must be no harder and no longer a lever (`Ladder.gentler`); the core only asks it once the
latest session's sets were felt in the low back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from backcoach.engine.decisions import (
    LOW_BACK_CUE,
    LOW_BACK_REVIEW,
    REGRESS_LOW_BACK,
    SWAP_LOW_BACK,
    hold,
    switch,
)
from backcoach.engine.ladder import Ladder
from backcoach.engine.log import SessionLog
from backcoach.engine.plan import PlannedExercise
from backcoach.engine.reasons import STEADY_BACK_CUE, Reason
from backcoach.engine.vocabulary import Decision

#: Sessions in a row felt in the low back on the easiest rung before a coach or clinician looks.
LOW_BACK_SESSIONS_FOR_REVIEW = 3


def felt_in_low_back(
    item: PlannedExercise,
    repeated: bool,
    ladder: Ladder,
    history: Sequence[SessionLog],
    today: date,
) -> PlannedExercise:
    """M9, felt in the low back: a cue; twice running, easier or gentler; three times, a review."""
    exercise = item.exercise
    fault = exercise.low_back_fix
    cue = fault.fix if fault else STEADY_BACK_CUE
    if repeated:
        easier = ladder.easier(exercise)
        if easier is not None:
            why = Reason(REGRESS_LOW_BACK, (("to_exercise", easier.id),))
            return switch(item, easier, Decision.REGRESS, why, today, cue=cue)
        run = low_back_run(history, exercise.id)
        if run >= LOW_BACK_SESSIONS_FOR_REVIEW:
            return hold(item, Reason(LOW_BACK_REVIEW, (("sessions", run),)), cue=cue)
        other = ladder.gentler(exercise)  # never a higher level or a longer lever
        if other is not None:
            why = Reason(SWAP_LOW_BACK, (("to_exercise", other.id),))
            return switch(item, other, Decision.SWAP, why, today, cue=cue)
    return hold(item, _CUE, cue=cue)


_CUE = Reason(LOW_BACK_CUE)


def low_back_run(history: Sequence[SessionLog], exercise_id: str) -> int:
    """How many of the exercise's latest logged sessions in a row were felt in the low back.

    Read only on the rare path that needs a third session, so the common one walks two.
    """
    run = 0
    for session in reversed(history):
        logged = session.exercise(exercise_id)
        if logged is None or not logged.sets:
            continue
        if not logged.felt_in_low_back or run == LOW_BACK_SESSIONS_FOR_REVIEW:
            break
        run += 1
    return run
