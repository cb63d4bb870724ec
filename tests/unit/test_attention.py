"""The caseload's attention (engine/attention.py): each rule raises its item when it should and
not when it should not, an acknowledgement drops an item until it happens again, a red flag is
never dismissed, items and clients sort in the issue's order, and every code has words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.attention import (
    ATTENTION_PARAMS,
    FLARE,
    LEGS_SPREADING,
    LOW_BACK,
    MCID_REACHED,
    NO_MORNING_ANSWERS,
    NOTHING,
    PAIN_RISING,
    RANK,
    REASSESS_DUE,
    RECOVERED,
    RED_FLAG,
    SESSIONS_MISSED,
    STARTBACK_HIGH,
    Acknowledgement,
    ClientSnapshot,
    DatedChange,
    DatedStartBack,
    OpenReferral,
    attention,
    rank_key,
)
from backcoach.engine.change import assess_change
from backcoach.engine.log import FLARE_AFTER, FLARE_DURING, FLARE_MORNING, SessionLog
from backcoach.engine.measures import startback_from_scores
from backcoach.engine.screening import all_clear, screen
from backcoach.engine.vocabulary import Felt, LegSymptoms, Urgency
from backcoach.wording.attention_words import ATTENTION_WORDS, PLURALS, VALUES, say_attention
from backcoach.wording.reasons import placeholders
from tests.builders import session, sets

TODAY = date(2026, 12, 10)
BRIDGE = "glute_bridge"
CLAM = "clam"


def _day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def _codes(snapshot: ClientSnapshot, today: date = TODAY) -> list[str]:
    return [item.code for item in attention(snapshot, today)]


def _ack(code: str, seen: date) -> Acknowledgement:
    return Acknowledgement(code, datetime(seen.year, seen.month, seen.day, 18), seen)


def _calm(
    offset: int, *, before: int = 3, during: int = 3, after: int = 3, morning: int | None = 3
) -> SessionLog:
    """A session with settled pain, answered the next morning, felt in the target."""
    return session(
        _day(offset), {BRIDGE: sets(10)}, before=before, during=during, after=after, morning=morning
    )


# Red flags: by urgency, never dismissed.


@pytest.mark.parametrize(
    ("urgency", "go_ahead", "rank", "said"),
    [
        (Urgency.EMERGENCY, False, 0, "emergency"),
        (Urgency.URGENT, False, 1, "urgent"),
        (Urgency.SOON, False, 2, "soon"),
        (Urgency.SOON, True, 3, "go_ahead"),
    ],
)
def test_an_uncleared_red_flag_ranks_by_its_urgency(
    urgency: Urgency, go_ahead: bool, rank: int, said: str
) -> None:
    referral = OpenReferral(urgency, _day(-1), go_ahead=go_ahead)
    (item,) = attention(ClientSnapshot(referral=referral), TODAY)
    assert item.code == RED_FLAG
    assert item.rank == rank < RANK[LEGS_SPREADING]
    assert item.reason.values == {"urgency": said, "day": _day(-1).isoformat()}
    assert attention(ClientSnapshot(), TODAY) == ()


def test_a_referral_is_read_from_the_screening_outcome() -> None:
    emergency = screen({**all_clear(), "saddle_numbness": True})
    assert OpenReferral.of(emergency, TODAY) == OpenReferral(Urgency.EMERGENCY, TODAY)
    go_ahead = screen({**all_clear(), "spinal_surgery_or_injection": True})
    assert OpenReferral.of(go_ahead, TODAY) == OpenReferral(Urgency.SOON, TODAY, go_ahead=True)
    assert OpenReferral.of(screen(all_clear()), TODAY) is None


def test_a_red_flag_cannot_be_acknowledged_only_cleared() -> None:
    referral = OpenReferral(Urgency.URGENT, _day(-3))
    acks = (_ack(RED_FLAG, TODAY), _ack(RED_FLAG, _day(30)))
    assert _codes(ClientSnapshot(referral=referral, acknowledgements=acks)) == [RED_FLAG]
    assert _codes(ClientSnapshot(referral=None, acknowledgements=acks)) == []


# The pain rules, as progression reads them.


def test_leg_symptoms_spreading_in_the_latest_session_need_the_coach() -> None:
    spreading = replace(_calm(-2), leg_symptoms=LegSymptoms.FURTHER_DOWN)
    assert LEGS_SPREADING in _codes(ClientSnapshot(sessions=(_calm(-4), spreading)))
    assert LEGS_SPREADING not in _codes(ClientSnapshot(sessions=(spreading, _calm(-1))))
    centralising = replace(_calm(-2), leg_symptoms=LegSymptoms.LESS_FAR)
    assert _codes(ClientSnapshot(sessions=(centralising,))) == []


def test_a_flare_in_the_latest_session_needs_the_coach_with_what_flared() -> None:
    flared = _calm(-2, before=4, during=7, after=6, morning=6)
    (item,) = attention(ClientSnapshot(sessions=(_calm(-4), flared)), TODAY)
    assert item.code == FLARE and item.since == item.happened == _day(-2)
    parts = item.reason.values["flare"]
    assert isinstance(parts, tuple)
    assert [part.code for part in parts] == [FLARE_DURING, FLARE_AFTER, FLARE_MORNING]


def test_high_pain_that_did_not_rise_with_the_session_is_not_a_flare() -> None:
    stable = _calm(-2, before=7, during=7, after=7, morning=7)
    assert FLARE not in _codes(ClientSnapshot(sessions=(stable,)))
    assert FLARE not in _codes(ClientSnapshot(sessions=(_calm(-6, during=8), _calm(-2))))


def test_pain_rising_week_on_week_needs_the_coach() -> None:
    rising = (_calm(-12, before=2), _calm(-9, before=2), _calm(-5, before=3), _calm(-3, before=4))
    items = attention(ClientSnapshot(sessions=rising), TODAY)
    assert [item.code for item in items] == [PAIN_RISING]
    assert items[0].reason.values == {"before": 2.0, "now": 3.5}
    assert (items[0].since, items[0].happened) == (_day(-5), _day(-3))
    steady = (_calm(-12, before=2), _calm(-9, before=3), _calm(-5, before=3), _calm(-3, before=3))
    assert _codes(ClientSnapshot(sessions=steady)) == []


# M9: felt in the low back, twice running.


def _felt(offset: int, felt: Felt, exercise: str = BRIDGE) -> SessionLog:
    return session(_day(offset), {exercise: sets(10, felt=felt)}, morning=3)


def test_sets_felt_in_the_low_back_in_two_sessions_running_need_the_coach() -> None:
    twice = (_felt(-6, Felt.LOW_BACK), _felt(-4, Felt.LOW_BACK))
    (item,) = attention(ClientSnapshot(sessions=twice, program=frozenset({BRIDGE})), TODAY)
    assert item.code == LOW_BACK
    assert item.reason.values == {"exercise": BRIDGE, "sessions": 2}
    assert (item.since, item.happened) == (_day(-6), _day(-4))


@pytest.mark.parametrize(
    "sessions",
    [
        (_felt(-4, Felt.LOW_BACK),),  # once: the engine gives a cue
        (_felt(-6, Felt.LOW_BACK), _felt(-4, Felt.TARGET)),  # the latest was fine
        (_felt(-8, Felt.LOW_BACK), _felt(-6, Felt.TARGET), _felt(-4, Felt.LOW_BACK)),
    ],
)
def test_the_low_back_needs_two_sessions_running_of_the_exercise(
    sessions: tuple[SessionLog, ...],
) -> None:
    assert _codes(ClientSnapshot(sessions=sessions, program=frozenset({BRIDGE}))) == []


def test_only_an_exercise_still_in_the_program_counts_for_the_low_back() -> None:
    twice = (_felt(-6, Felt.LOW_BACK), _felt(-4, Felt.LOW_BACK))
    # The engine moved the person off the bridge: nothing is left to look at.
    assert _codes(ClientSnapshot(sessions=twice, program=frozenset({CLAM}))) == []
    # A session without the exercise does not break its run (as progression reads it).
    between = (_felt(-6, Felt.LOW_BACK), _felt(-5, Felt.TARGET, CLAM), _felt(-4, Felt.LOW_BACK))
    assert _codes(ClientSnapshot(sessions=between, program=frozenset({BRIDGE, CLAM}))) == [LOW_BACK]


# STarT Back, adherence, morning answers, re-assessment.


def test_a_high_startback_score_needs_the_coach_until_acknowledged() -> None:
    high = DatedStartBack(startback_from_scores(7, 4), _day(-20))
    assert _codes(ClientSnapshot(startback=high)) == [STARTBACK_HIGH]
    medium = DatedStartBack(startback_from_scores(7, 3), _day(-20))
    assert _codes(ClientSnapshot(startback=medium)) == []
    seen = (_ack(STARTBACK_HIGH, _day(-20)),)
    assert _codes(ClientSnapshot(startback=high, acknowledgements=seen)) == []
    again = DatedStartBack(startback_from_scores(8, 5), _day(-2))
    assert _codes(ClientSnapshot(startback=again, acknowledgements=seen)) == [STARTBACK_HIGH]


def _planned(*offsets: int) -> tuple[date, ...]:
    return tuple(_day(offset) for offset in offsets)


def test_fewer_than_half_the_planned_sessions_done_over_14_days_needs_the_coach() -> None:
    planned = _planned(-13, -11, -9, -7, -5, -3)
    done = (_calm(-13), _calm(-11))
    (item,) = attention(ClientSnapshot(sessions=done, planned_days=planned), TODAY)
    assert item.code == SESSIONS_MISSED
    assert item.reason.values == {"done": 2, "planned": 6, "days": 14}
    assert (item.since, item.happened) == (_day(-9), _day(-3))
    half = (*done, _calm(-9))
    assert _codes(ClientSnapshot(sessions=half, planned_days=planned)) == []


def test_adherence_is_not_judged_on_one_planned_day_nor_on_today() -> None:
    assert _codes(ClientSnapshot(planned_days=_planned(-3))) == []
    # Today's session may still be done; a day 15 days ago is outside the window.
    assert _codes(ClientSnapshot(planned_days=_planned(-15, 0))) == []
    assert _codes(ClientSnapshot(planned_days=_planned(-3, 0))) == []
    # A session today makes up a missed day.
    made_up = ClientSnapshot(sessions=(_calm(-5), _calm(0)), planned_days=_planned(-5, -3, -1))
    assert _codes(made_up) == []
    assert _codes(replace(made_up, sessions=(_calm(-5),))) == [SESSIONS_MISSED]
    assert _codes(ClientSnapshot(planned_days=_planned(-14, -1))) == [SESSIONS_MISSED]


def test_missed_sessions_acknowledged_come_back_when_another_is_missed() -> None:
    planned = _planned(-9, -7, -5)
    seen = (_ack(SESSIONS_MISSED, _day(-5)),)
    assert _codes(ClientSnapshot(planned_days=planned, acknowledgements=seen)) == []
    later = (*planned, _day(-2))
    assert _codes(ClientSnapshot(planned_days=later, acknowledgements=seen)) == [SESSIONS_MISSED]


def test_two_sessions_running_without_a_next_morning_answer_need_the_coach() -> None:
    unanswered = (_calm(-8), _calm(-6, morning=None), _calm(-3, morning=None))
    (item,) = attention(ClientSnapshot(sessions=unanswered), TODAY)
    assert item.code == NO_MORNING_ANSWERS
    assert item.reason.values == {"sessions": 2}
    assert (item.since, item.happened) == (_day(-6), _day(-3))
    once = (_calm(-6), _calm(-3, morning=None))
    assert _codes(ClientSnapshot(sessions=once)) == []
    # Yesterday's session can still be answered today: it does not count yet.
    fresh = (_calm(-6), _calm(-3, morning=None), _calm(-1, morning=None))
    assert _codes(ClientSnapshot(sessions=fresh)) == []


def test_a_reassessment_due_needs_the_coach_and_comes_back_every_14_days() -> None:
    assert _codes(ClientSnapshot(reassess_due_on=_day(1))) == []
    assert _codes(ClientSnapshot(reassess_due_on=TODAY)) == [REASSESS_DUE]
    seen = ClientSnapshot(
        reassess_due_on=_day(-3), acknowledgements=(_ack(REASSESS_DUE, _day(-3)),)
    )
    assert _codes(seen) == []
    assert _codes(seen, _day(10)) == []
    assert _codes(seen, _day(11)) == [REASSESS_DUE]


# Good news (M10).


def test_good_news_is_a_change_that_matters_and_recovery_reached() -> None:
    better = DatedChange(assess_change("nprs", 6, 1), _day(-2))
    items = attention(ClientSnapshot(changes=(better,)), TODAY)
    assert [item.code for item in items] == [MCID_REACHED, RECOVERED]
    assert items[0].reason.values == {
        "instrument": "nprs",
        "baseline": 6,
        "latest": 1,
        "points": 5.0,
    }
    not_yet = DatedChange(assess_change("odi", 30, 22), _day(-2))
    assert _codes(ClientSnapshot(changes=(not_yet,))) == []
    # Recovered from the start is no news; reaching it without the MCID is.
    assert _codes(ClientSnapshot(changes=(DatedChange(assess_change("nprs", 1, 0), TODAY),))) == []
    small = DatedChange(assess_change("nprs", 2, 1), TODAY)
    assert _codes(ClientSnapshot(changes=(small,))) == [RECOVERED]


# Acknowledging: an item drops until it happens on a later day.


def test_an_acknowledged_flare_drops_until_a_later_session_flares() -> None:
    flared = _calm(-4, before=3, during=8)
    seen = (_ack(FLARE, _day(-4)),)
    assert _codes(ClientSnapshot(sessions=(flared,), acknowledgements=seen)) == []
    calm_then = (flared, _calm(-2))
    assert _codes(ClientSnapshot(sessions=calm_then, acknowledgements=seen)) == []
    again = (flared, _calm(-2, before=3, during=8))
    assert _codes(ClientSnapshot(sessions=again, acknowledgements=seen)) == [FLARE]
    # An acknowledgement of one item leaves the others.
    spreading = replace(flared, leg_symptoms=LegSymptoms.FURTHER_DOWN)
    both = ClientSnapshot(sessions=(spreading,), acknowledgements=seen)
    assert _codes(both) == [LEGS_SPREADING]


def test_acknowledged_low_back_comes_back_when_the_run_goes_on() -> None:
    twice = (_felt(-6, Felt.LOW_BACK), _felt(-4, Felt.LOW_BACK))
    program, seen = frozenset({BRIDGE}), (_ack(LOW_BACK, _day(-4)),)
    assert _codes(ClientSnapshot(sessions=twice, program=program, acknowledgements=seen)) == []
    three = (*twice, _felt(-2, Felt.LOW_BACK))
    snapshot = ClientSnapshot(sessions=three, program=program, acknowledgements=seen)
    assert _codes(snapshot) == [LOW_BACK]


# The order of items, and of clients.

EVERYTHING = ClientSnapshot(
    referral=OpenReferral(Urgency.SOON, _day(-1)),
    sessions=(
        session(_day(-12), {BRIDGE: sets(10)}, before=2, morning=2),
        session(_day(-9), {BRIDGE: sets(10, felt=Felt.LOW_BACK)}, before=2),
        replace(
            session(_day(-5), {BRIDGE: sets(10, felt=Felt.LOW_BACK)}, before=4, during=8),
            leg_symptoms=LegSymptoms.FURTHER_DOWN,
        ),
    ),
    program=frozenset({BRIDGE}),
    planned_days=_planned(-13, -11, -9, -7, -5, -3, -1),
    startback=DatedStartBack(startback_from_scores(7, 4), _day(-30)),
    reassess_due_on=_day(-2),
    changes=(DatedChange(assess_change("rmdq", 12, 2), _day(-2)),),
)


def test_items_come_in_the_order_of_the_issue() -> None:
    assert _codes(EVERYTHING) == [
        RED_FLAG,
        LEGS_SPREADING,
        FLARE,
        PAIN_RISING,
        LOW_BACK,
        STARTBACK_HIGH,
        SESSIONS_MISSED,
        NO_MORNING_ANSWERS,
        REASSESS_DUE,
        MCID_REACHED,
        RECOVERED,
    ]
    assert list(RANK) == _codes(EVERYTHING)


def test_clients_sort_by_their_most_urgent_item_then_by_how_long_it_waited() -> None:
    emergency = attention(ClientSnapshot(referral=OpenReferral(Urgency.EMERGENCY, _day(-1))), TODAY)
    old_flare = attention(ClientSnapshot(sessions=(_calm(-9, during=8),)), TODAY)
    new_flare = attention(ClientSnapshot(sessions=(_calm(-2, during=8),)), TODAY)
    good = attention(EVERYTHING, TODAY)[-2:]
    clients = {
        "nothing": (),
        "good": good,
        "new_flare": new_flare,
        "old_flare": old_flare,
        "emergency": emergency,
    }
    ordered = sorted(clients, key=lambda name: rank_key(clients[name]))
    assert ordered == ["emergency", "old_flare", "new_flare", "good", "nothing"]
    assert rank_key(()) == (NOTHING, 0)
    assert rank_key(attention(EVERYTHING, TODAY))[0] == 2  # a referral "soon"


# Properties over made-up clients.

_PAIN = st.integers(0, 10)


@st.composite
def _sessions(draw: st.DrawFn) -> tuple[SessionLog, ...]:
    offsets = draw(st.lists(st.integers(-27, 0), max_size=8, unique=True))
    return tuple(
        replace(
            session(
                _day(offset),
                {BRIDGE: sets(10, felt=draw(st.sampled_from(list(Felt))))},
                before=draw(_PAIN),
                during=draw(_PAIN),
                after=draw(_PAIN),
                morning=draw(st.none() | _PAIN),
            ),
            leg_symptoms=draw(st.none() | st.sampled_from(list(LegSymptoms))),
        )
        for offset in sorted(offsets)
    )


@st.composite
def _snapshots(draw: st.DrawFn) -> ClientSnapshot:
    referral = draw(
        st.none()
        | st.builds(
            OpenReferral,
            st.sampled_from(list(Urgency)),
            st.dates(_day(-60), TODAY),
            go_ahead=st.booleans(),
        )
    )
    acks = draw(
        st.lists(
            st.builds(
                _ack, st.sampled_from(sorted(ATTENTION_PARAMS)), st.dates(_day(-60), _day(60))
            ),
            max_size=6,
        )
    )
    instrument = draw(st.sampled_from(["nprs", "psfs"]))
    change = assess_change(instrument, draw(st.integers(0, 10)), draw(st.integers(0, 10)))
    return ClientSnapshot(
        referral=referral,
        sessions=draw(_sessions()),
        program=frozenset({BRIDGE}),
        planned_days=tuple(draw(st.lists(st.dates(_day(-16), TODAY), max_size=8))),
        startback=DatedStartBack(
            startback_from_scores(*draw(st.sampled_from([(3, 2), (7, 3), (7, 4), (9, 5)]))),
            _day(-10),
        )
        if draw(st.booleans())
        else None,
        reassess_due_on=draw(st.none() | st.dates(_day(-40), _day(10))),
        changes=(DatedChange(change, _day(-1)),),
        acknowledgements=tuple(acks),
    )


@given(_snapshots())
def test_a_red_flag_always_comes_first_and_no_acknowledgement_hides_it(
    snapshot: ClientSnapshot,
) -> None:
    items = attention(snapshot, TODAY)
    assert [item.rank for item in items] == sorted(item.rank for item in items)
    red = [item for item in items if item.code == RED_FLAG]
    if snapshot.referral is None:
        assert red == []
    else:
        assert items[0].code == RED_FLAG and len(red) == 1
        assert rank_key(items)[0] <= 3 < min(RANK[code] for code in RANK if code != RED_FLAG)
    for item in items:
        assert set(item.reason.values) == ATTENTION_PARAMS[item.code], item
        assert item.since <= item.happened
        said = say_attention(item)
        assert "{" not in said and "attention." not in said, said


@given(_snapshots())
def test_acknowledging_only_ever_removes_items(snapshot: ClientSnapshot) -> None:
    shown = attention(snapshot, TODAY)
    everything = attention(replace(snapshot, acknowledgements=()), TODAY)
    assert set(shown) <= set(everything)
    # Acknowledging everything as it is now leaves only the red flag.
    seen = tuple(_ack(item.code, item.happened) for item in everything)
    left = attention(replace(snapshot, acknowledgements=seen), TODAY)
    assert [item.code for item in left] == [RED_FLAG] * (snapshot.referral is not None)


# Words.


def test_every_code_has_words_naming_exactly_its_parameters() -> None:
    parts = {FLARE_DURING, FLARE_AFTER, FLARE_MORNING}
    assert set(ATTENTION_WORDS) | set(PLURALS) == set(ATTENTION_PARAMS) | parts
    assert not set(ATTENTION_WORDS) & set(PLURALS)
    for code, names in ATTENTION_PARAMS.items():
        if code in PLURALS:
            counted, words = PLURALS[code]
            assert counted in names, code
            for count in (1, 2, 5):
                assert placeholders(words(count)) == names, (code, count)
        else:
            assert placeholders(ATTENTION_WORDS[code]) == names, code
    assert placeholders(ATTENTION_WORDS[FLARE_DURING]) == {"during", "acceptable", "before"}
    assert placeholders(ATTENTION_WORDS[FLARE_AFTER]) == {"after", "acceptable", "before"}
    assert placeholders(ATTENTION_WORDS[FLARE_MORNING]) == {"morning", "rise", "before"}
    assert set(VALUES["urgency"]) == {*Urgency, "go_ahead"}


def test_the_items_are_said_in_words_for_a_coach() -> None:
    said = [say_attention(item) for item in attention(EVERYTHING, TODAY)]
    assert said == [
        "Red flag on Wed 9 Dec, not cleared by a clinician: a GP or physiotherapist within "
        "two weeks.",
        "Leg symptoms spread further down the leg after the session on Sat 5 Dec: a clinician "
        "should look at the back soon.",
        "Pain flare after the session on Sat 5 Dec: 8/10 during, above 5 and the 4 before.",
        "Pain before sessions is rising: 4.0/10 on average this week, 2.0 the week before.",
        "Glute bridge felt in the low back in 2 sessions running.",
        "STarT Back high risk on Tue 10 Nov (7/9, psychosocial 4/5): clinician-led, "
        "psychologically informed care is suggested.",
        "Sessions missed: 3 of 7 planned sessions done in the last 14 days.",
        "No next-morning answers after the last 2 sessions.",
        "Questionnaires due again since Tue 8 Dec: pain, activities and STarT Back.",
        "Disability (RMDQ) improved from 12 to 2 (10 points): a change large enough to matter.",
        "Disability (RMDQ) is 2: within what we count as recovered.",
    ]


def test_the_docs_list_every_code_with_its_parameters() -> None:
    text = (Path(__file__).parents[2] / "docs" / "attention.md").read_text()
    for code, names in ATTENTION_PARAMS.items():
        assert f"`{code}`" in text, code
        for name in names:
            assert f"`{name}`" in text, (code, name)
