"""Red-flag screening: who is referred, how urgently, and which answers are refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.screening import (
    RED_FLAG_IDS,
    RED_FLAGS,
    ScreeningError,
    red_flag,
    screen,
)
from backcoach.engine.vocabulary import URGENCY_RANK, Urgency

EXPECTED_URGENCY = {
    "saddle_numbness": Urgency.EMERGENCY,
    "bladder_bowel_change": Urgency.EMERGENCY,
    "sexual_dysfunction": Urgency.EMERGENCY,
    "both_legs": Urgency.EMERGENCY,
    "worsening_weakness": Urgency.EMERGENCY,
    "fever_unwell": Urgency.URGENT,
    "immunosuppressed": Urgency.URGENT,
    "iv_drug_use": Urgency.URGENT,
    "cancer_history": Urgency.SOON,
    "weight_loss": Urgency.SOON,
    "night_pain": Urgency.SOON,
    "trauma": Urgency.SOON,
    "osteoporosis_steroids": Urgency.SOON,
}


def all_no() -> dict[str, object]:
    return dict.fromkeys(RED_FLAG_IDS, False)


def test_it_holds_exactly_the_agreed_flags_with_their_urgencies() -> None:
    assert {flag.id: flag.urgency for flag in RED_FLAGS} == EXPECTED_URGENCY
    assert len(RED_FLAGS) == len(RED_FLAG_IDS)


def test_every_flag_has_a_question_and_a_reason() -> None:
    for flag in RED_FLAGS:
        assert flag.question.endswith("?"), flag.id
        assert flag.reason.endswith("."), flag.id


def test_it_refers_to_emergency_when_saddle_numbness() -> None:
    outcome = screen({**all_no(), "saddle_numbness": True})

    assert outcome.refer
    assert outcome.urgency is Urgency.EMERGENCY
    assert "cauda equina" in outcome.reasons[0]
    assert "emergency" in outcome.message


@pytest.mark.parametrize("flag_id", sorted(EXPECTED_URGENCY))
def test_each_flag_refers_with_its_urgency(flag_id: str) -> None:
    outcome = screen({**all_no(), flag_id: True})

    assert outcome.refer
    assert outcome.urgency is EXPECTED_URGENCY[flag_id]
    assert [flag.id for flag in outcome.flags] == [flag_id]
    assert outcome.reasons == (red_flag(flag_id).reason,)


@pytest.mark.parametrize(
    ("urgency", "words"),
    [
        (Urgency.EMERGENCY, "emergency department now"),
        (Urgency.URGENT, "see a doctor today"),
        (Urgency.SOON, "before you start the exercises"),
    ],
)
def test_the_message_says_where_to_go_for_the_urgency(urgency: Urgency, words: str) -> None:
    flag = next(flag for flag in RED_FLAGS if flag.urgency is urgency)

    assert words in screen({flag.id: True}).message


def test_the_most_urgent_flag_wins_and_flags_come_most_urgent_first() -> None:
    outcome = screen({"trauma": True, "fever_unwell": True, "both_legs": True})

    assert outcome.urgency is Urgency.EMERGENCY
    assert [flag.id for flag in outcome.flags] == ["both_legs", "fever_unwell", "trauma"]
    assert outcome.reasons == tuple(flag.reason for flag in outcome.flags)


def test_urgent_beats_soon() -> None:
    assert screen({"night_pain": True, "iv_drug_use": True}).urgency is Urgency.URGENT


def test_no_flags_means_ok_to_start() -> None:
    outcome = screen(all_no())

    assert not outcome.refer
    assert outcome.urgency is None
    assert outcome.flags == ()
    assert outcome.reasons == outcome.unanswered == ()
    assert outcome.message.startswith("No warning signs")


def test_missing_answers_count_as_no_but_are_listed_as_unanswered() -> None:
    outcome = screen({"trauma": False, "night_pain": False})

    assert not outcome.refer
    assert set(outcome.unanswered) == RED_FLAG_IDS - {"trauma", "night_pain"}
    assert "trauma" not in outcome.unanswered


def test_an_empty_screen_lists_every_flag_as_unanswered() -> None:
    assert screen({}).unanswered == tuple(flag.id for flag in RED_FLAGS)


def test_an_unknown_id_is_rejected_by_name() -> None:
    with pytest.raises(ScreeningError, match=r"^red_flags\.fever: unknown red flag id; known: "):
        screen({"fever": True})


@pytest.mark.parametrize("value", [1, 0, "yes", "true", None, 1.0])
def test_a_non_bool_answer_is_rejected_by_name(value: object) -> None:
    with pytest.raises(ScreeningError, match=r"^red_flags\.trauma: must be true or false$"):
        screen({"trauma": value})


def test_answers_that_are_not_an_object_are_rejected() -> None:
    with pytest.raises(ScreeningError, match=r"^red_flags: "):
        screen(["trauma"])  # type: ignore[arg-type]


def test_red_flag_looks_up_by_id_and_refuses_unknown_ids() -> None:
    assert red_flag("trauma").urgency is Urgency.SOON
    with pytest.raises(ScreeningError, match=r"red_flags\.nope"):
        red_flag("nope")


def test_to_dict_is_json_ready_for_a_referral() -> None:
    data = screen({"weight_loss": True, "cancer_history": True}).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["status"] == "refer"
    assert data["urgency"] == "soon"
    assert data["flags"] == ["cancer_history", "weight_loss"]
    assert data["reasons"] == [red_flag("cancer_history").reason, red_flag("weight_loss").reason]
    assert data["unanswered"] == sorted(
        RED_FLAG_IDS - {"weight_loss", "cancer_history"}, key=[f.id for f in RED_FLAGS].index
    )


def test_to_dict_for_no_flags() -> None:
    data = screen(all_no()).to_dict()

    assert data["status"] == "ok"
    assert data["urgency"] is None
    assert data["flags"] == data["reasons"] == data["unanswered"] == []


@given(
    st.dictionaries(st.sampled_from(sorted(RED_FLAG_IDS)), st.booleans()).filter(
        lambda answers: any(answers.values())
    )
)
def test_any_yes_refers_with_the_most_urgent_raised_flag(answers: dict[str, bool]) -> None:
    outcome = screen(answers)

    raised = [red_flag(key) for key, value in answers.items() if value]
    assert outcome.refer
    assert outcome.urgency is min((f.urgency for f in raised), key=URGENCY_RANK.__getitem__)
    assert {flag.id for flag in outcome.flags} == {flag.id for flag in raised}
    ranks = [URGENCY_RANK[flag.urgency] for flag in outcome.flags]
    assert ranks == sorted(ranks)


@given(st.dictionaries(st.sampled_from(sorted(RED_FLAG_IDS)), st.just(False)))
def test_all_no_never_refers(answers: dict[str, bool]) -> None:
    outcome = screen(answers)

    assert not outcome.refer
    assert set(outcome.unanswered) == RED_FLAG_IDS - set(answers)
