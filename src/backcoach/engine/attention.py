"""What about a client needs their coach, most urgent first: the caseload's attention.

Each item is a stable code with plain parameters (a `Reason`), a rank and the days it began
and last happened; the words are in backcoach.wording.attention_words. The rules, their
thresholds and sources are in docs/attention.md. The pain rules read the same `read_day_state`
and the same low-back run (`low_back.low_back_run`) as progression, so the caseload says what
the engine decided from. The input is a `ClientSnapshot` a service fills with a few bounded
reads (four weeks of sessions, 14 planned days, the latest measures), never the whole history.

A coach acknowledges an item (its code and the day it last happened, `Acknowledgement.seen`);
it drops until the same thing happens again on a later day. A red flag cannot be acknowledged:
it leaves the list only when a clinician's clearance closes the referral.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backcoach.engine.change import RECOVERY, Change
from backcoach.engine.day_state import read_day_state
from backcoach.engine.log import SessionLog
from backcoach.engine.low_back import low_back_run
from backcoach.engine.measures import StartBackResult, StartBackRisk
from backcoach.engine.reasons import Reason, reason
from backcoach.engine.screening import ScreeningOutcome
from backcoach.engine.vocabulary import URGENCY_RANK, Urgency

RED_FLAG = "attention.red_flag"
LEGS_SPREADING = "attention.legs_spreading"
FLARE = "attention.flare"
PAIN_RISING = "attention.pain_rising"
LOW_BACK = "attention.low_back"
STARTBACK_HIGH = "attention.startback_high"
SESSIONS_MISSED = "attention.sessions_missed"
NO_MORNING_ANSWERS = "attention.no_morning_answers"
REASSESS_DUE = "attention.reassess_due"
MCID_REACHED = "attention.mcid_reached"
RECOVERED = "attention.recovered"

#: A red flag's level, said as `urgency`: the referral's urgency, or a clinician's go-ahead.
GO_AHEAD = "go_ahead"

#: The order of the issue's list, most urgent first; a red flag ranks by its urgency.
RANK: Mapping[str, int] = {
    RED_FLAG: 0,  # + URGENCY_RANK (0-2), or GO_AHEAD_RANK for a go-ahead (see _red_flag)
    LEGS_SPREADING: 4,
    FLARE: 5,
    PAIN_RISING: 6,
    LOW_BACK: 7,
    STARTBACK_HIGH: 8,
    SESSIONS_MISSED: 9,
    NO_MORNING_ANSWERS: 10,
    REASSESS_DUE: 11,
    MCID_REACHED: 12,
    RECOVERED: 13,
}
GO_AHEAD_RANK = 3
#: The rank of a client with nothing to attend to (after every item's).
NOTHING = 99

#: The parameters of each code (the contract with backcoach.wording.attention_words). A flare's
#: `flare` is its parts, the codes of engine/log.py (flare.during ...).
ATTENTION_PARAMS: Mapping[str, frozenset[str]] = {
    code: frozenset(names)
    for code, names in {
        RED_FLAG: ("urgency", "day"),
        LEGS_SPREADING: ("day",),
        FLARE: ("day", "flare"),
        PAIN_RISING: ("before", "now"),
        LOW_BACK: ("exercise", "sessions"),
        STARTBACK_HIGH: ("score", "psychosocial", "day"),
        SESSIONS_MISSED: ("done", "planned", "days"),
        NO_MORNING_ANSWERS: ("sessions",),
        REASSESS_DUE: ("day",),
        MCID_REACHED: ("instrument", "baseline", "latest", "points"),
        RECOVERED: ("instrument", "latest"),
    }.items()
}

#: The window over which sessions done are counted against sessions planned (M7).
ADHERENCE_DAYS = 14
#: Fewer than this share of the planned sessions done in the window is "missed" (the issue's half).
ADHERENCE_SHARE = 0.5
#: Planned sessions in the window before adherence is judged (one missed of one is no pattern).
ADHERENCE_LEAST_PLANNED = 2
#: Finished sessions in a row without a next-morning answer before the coach is told.
MORNING_UNANSWERED_RUN = 2
#: Days after a session before its next-morning answer counts as missing (the morning after,
#: and that whole day to answer).
MORNING_GRACE_DAYS = 2
#: Sessions in a row felt in the low back: rule 7's second time (an easier rung or a swap).
LOW_BACK_RUN = 2
#: While a re-assessment stays overdue it is due again this often (services/progress.py asks
#: the questionnaires every 14 days), so an acknowledged one comes back.
REASSESS_EVERY_DAYS = 14


@dataclass(frozen=True, slots=True)
class OpenReferral:
    """A red flag no clinician has cleared: how urgent, and the day it was raised."""

    urgency: Urgency
    day: date
    #: Only a clinician's go-ahead is asked (recent surgery or injection, after a birth).
    go_ahead: bool = False

    @classmethod
    def of(cls, outcome: ScreeningOutcome, day: date) -> OpenReferral | None:
        """The referral of a screening outcome (None when it does not refer)."""
        if not outcome.refer or outcome.urgency is None:
            return None
        return cls(outcome.urgency, day, go_ahead=outcome.go_ahead)


@dataclass(frozen=True, slots=True)
class DatedStartBack:
    """The latest STarT Back result and the day it was answered."""

    result: StartBackResult
    day: date


@dataclass(frozen=True, slots=True)
class DatedChange:
    """A measure's change from the first answer to the latest, and the latest's day."""

    change: Change
    day: date


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """A coach saw an item: its code, when they acknowledged it, and the day it had last
    happened then (the item's `happened`); the item drops until it happens on a later day.

    The rules compare `seen`, not `at`: sessions carry a day, and a flare logged the evening
    after a morning acknowledgement must still come back. `at` is for the page ("seen on ...").
    """

    code: str
    at: datetime
    seen: date


@dataclass(frozen=True, slots=True)
class ClientSnapshot:
    """What the attention rules read of one client, each part a bounded read."""

    #: The referral that keeps referring (services/safety.open_referral), None when cleared.
    referral: OpenReferral | None = None
    #: Finished sessions by day, as the engine decides from them (services/session_logs.recent_log:
    #: the last four weeks, or the latest alone after a longer break).
    sessions: tuple[SessionLog, ...] = ()
    #: The exercise ids of the active program: only they can be felt in the low back "now".
    program: frozenset[str] = frozenset()
    #: Planned session days of the last `ADHERENCE_DAYS` days before today (the calendar's).
    planned_days: tuple[date, ...] = ()
    startback: DatedStartBack | None = None
    #: The day the questionnaires are due again (services/progress: 14 days after the last).
    reassess_due_on: date | None = None
    #: Per measure (NPRS, PSFS, ODI, RMDQ): the first answer against the latest.
    changes: tuple[DatedChange, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """One thing the coach should look at: why (a code and its parameters), how urgent (rank,
    lower first), the day it began and the day it last happened (which an acknowledgement
    compares with)."""

    reason: Reason
    rank: int
    since: date
    happened: date

    @property
    def code(self) -> str:
        return self.reason.code


def attention(snapshot: ClientSnapshot, today: date) -> tuple[AttentionItem, ...]:
    """Everything about a client that needs the coach, most urgent first."""
    sessions = sorted((s for s in snapshot.sessions if s.day <= today), key=_day)
    found = [
        *_red_flag(snapshot.referral),
        *_pain(sessions, today),
        *_low_back(sessions, snapshot.program),
        *_startback(snapshot.startback),
        *_sessions_missed(snapshot.planned_days, sessions, today),
        *_no_morning_answers(sessions, today),
        *_reassess(snapshot.reassess_due_on, today),
        *_good_news(snapshot.changes),
    ]
    seen = _seen(snapshot.acknowledgements)
    shown = [item for item in found if seen.get(item.code, date.min) < item.happened]
    return tuple(sorted(shown, key=lambda item: (item.rank, item.since)))


def rank_key(items: Sequence[AttentionItem]) -> tuple[int, int]:
    """Sort clients: the most urgent item's rank, then the earliest day it began (waited
    longest first); a client with nothing to attend to comes last."""
    if not items:
        return (NOTHING, 0)
    first = min(items, key=lambda item: (item.rank, item.since))
    return (first.rank, first.since.toordinal())


def _day(session: SessionLog) -> date:
    return session.day


def _seen(acknowledgements: Iterable[Acknowledgement]) -> dict[str, date]:
    """The latest day acknowledged per code; a red flag is never dismissed this way."""
    seen: dict[str, date] = {}
    for ack in acknowledgements:
        if ack.code != RED_FLAG and ack.seen > seen.get(ack.code, date.min):
            seen[ack.code] = ack.seen
    return seen


def _item(
    why: Reason, since: date, happened: date | None = None, rank: int | None = None
) -> AttentionItem:
    return AttentionItem(
        why,
        RANK[why.code] if rank is None else rank,
        since,
        since if happened is None else happened,
    )


def _red_flag(referral: OpenReferral | None) -> list[AttentionItem]:
    """An uncleared red flag, by urgency: emergency, urgent, soon, then a go-ahead."""
    if referral is None:
        return []
    level = GO_AHEAD if referral.go_ahead else referral.urgency.value
    # A go-ahead refers at "soon" but names no sign of disease: it ranks after every urgency.
    rank = RANK[RED_FLAG] + (GO_AHEAD_RANK if referral.go_ahead else URGENCY_RANK[referral.urgency])
    why = reason(RED_FLAG, urgency=level, day=referral.day.isoformat())
    return [_item(why, referral.day, rank=rank)]


def _pain(sessions: Sequence[SessionLog], today: date) -> list[AttentionItem]:
    """Rules 2-4 of docs/progression.md, read as progression reads them (`read_day_state`)."""
    state = read_day_state(sessions, today)
    latest = state.latest
    if latest is None:
        return []
    day = latest.day.isoformat()
    items = []
    if state.legs_spreading:
        items.append(_item(reason(LEGS_SPREADING, day=day), latest.day))
    if state.flare:
        items.append(_item(reason(FLARE, day=day, flare=state.flare), latest.day))
    if state.rising_pain is not None:
        week = [s for s in sessions if s.day > today - timedelta(days=7)]
        items.append(
            _item(
                Reason(PAIN_RISING, state.rising_pain.params),
                week[0].day,
                happened=week[-1].day,
            )
        )
    return items


def _low_back(sessions: Sequence[SessionLog], program: frozenset[str]) -> list[AttentionItem]:
    """Rule 7: an exercise of the program felt in the low back in its latest two sessions."""
    items = []
    for exercise_id in sorted(program):
        run = low_back_run(sessions, exercise_id)
        if run < LOW_BACK_RUN:
            continue
        days = [s.day for s in sessions if (logged := s.exercise(exercise_id)) and logged.sets]
        why = reason(LOW_BACK, exercise=exercise_id, sessions=run)
        items.append(_item(why, days[-run], happened=days[-1]))
    return items


def _startback(startback: DatedStartBack | None) -> list[AttentionItem]:
    """Keele STarT Back high risk (Hill et al. 2011): clinician-led care is suggested."""
    if startback is None or startback.result.risk is not StartBackRisk.HIGH:
        return []
    result = startback.result
    why = reason(
        STARTBACK_HIGH,
        score=result.score,
        psychosocial=result.psychosocial,
        day=startback.day.isoformat(),
    )
    return [_item(why, startback.day)]


def _sessions_missed(
    planned: Sequence[date], sessions: Sequence[SessionLog], today: date
) -> list[AttentionItem]:
    """M7: fewer than half the planned sessions done over the 14 days before today."""
    first = today - timedelta(days=ADHERENCE_DAYS)
    window = sorted({day for day in planned if first <= day < today})
    if len(window) < ADHERENCE_LEAST_PLANNED:
        return []
    # A session today counts: it may make up a missed day.
    trained = {s.day for s in sessions if first <= s.day <= today}
    done = min(len(trained), len(window))
    if done >= len(window) * ADHERENCE_SHARE:
        return []
    missed = [day for day in window if day not in trained]
    why = reason(SESSIONS_MISSED, done=done, planned=len(window), days=ADHERENCE_DAYS)
    return [_item(why, missed[0], happened=missed[-1])]


def _no_morning_answers(sessions: Sequence[SessionLog], today: date) -> list[AttentionItem]:
    """The latest finished sessions, two or more in a row, left without a next-morning answer
    (rule 15: nothing progresses without it)."""
    due = [s for s in sessions if (today - s.day).days >= MORNING_GRACE_DAYS]
    run: list[SessionLog] = []
    for session in reversed(due):
        if session.pain_next_morning is not None:
            break
        run.append(session)
    if len(run) < MORNING_UNANSWERED_RUN:
        return []
    return [_item(reason(NO_MORNING_ANSWERS, sessions=len(run)), run[-1].day, run[0].day)]


def _reassess(due_on: date | None, today: date) -> list[AttentionItem]:
    """The questionnaires are due again; while overdue, due again every 14 days."""
    if due_on is None or today < due_on:
        return []
    periods = (today - due_on).days // REASSESS_EVERY_DAYS
    again = due_on + timedelta(days=periods * REASSESS_EVERY_DAYS)
    return [_item(reason(REASSESS_DUE, day=due_on.isoformat()), due_on, happened=again)]


def _good_news(changes: Sequence[DatedChange]) -> list[AttentionItem]:
    """M10: a change large enough to matter (MCID), and recovery reached from outside it."""
    items = []
    for dated in changes:
        change = dated.change
        if change.mcid_reached:
            why = reason(
                MCID_REACHED,
                instrument=change.instrument,
                baseline=change.baseline,
                latest=change.latest,
                points=change.difference,
            )
            items.append(_item(why, dated.day))
        # Recovered only counts as news when the first answer was not recovered already.
        if change.recovered and not RECOVERY[change.instrument].reached(change.baseline):
            why = reason(RECOVERED, instrument=change.instrument, latest=change.latest)
            items.append(_item(why, dated.day))
    return items
