"""Red-flag screening: who is referred, how urgently, and which answers are refused.

One test (or one parametrised case) per clinical rule of docs/clinical-rules.md.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.engine.reasons import reason
from backcoach.engine.red_flags import COMBINATIONS, Combination, RedFlag
from backcoach.engine.screening import (
    ADVICE,
    AGE,
    AGE_NOTE,
    CHECK_IN_IDS,
    GO_AHEAD,
    INCOMPLETE,
    PREGNANCY,
    QUESTION_IDS,
    RED_FLAG_IDS,
    RED_FLAGS,
    UNANSWERED_NOTE,
    ScreeningError,
    Status,
    all_clear,
    carry_clearance,
    red_flag,
    screen,
    still_referring,
)
from backcoach.engine.vocabulary import URGENCY_RANK, Pregnancy, Urgency

EXPECTED_URGENCY: dict[str, Urgency | None] = {
    "saddle_numbness": Urgency.EMERGENCY,
    "bladder_bowel_change": Urgency.EMERGENCY,
    "sexual_dysfunction": Urgency.EMERGENCY,
    "both_legs": Urgency.EMERGENCY,
    "both_legs_longstanding": Urgency.SOON,
    "worsening_weakness": Urgency.EMERGENCY,
    "unsteady_walking": Urgency.URGENT,
    "fever_unwell": Urgency.URGENT,
    "night_pain": Urgency.SOON,
    "weight_loss": Urgency.SOON,
    "thoracic_pain": Urgency.SOON,
    "cancer_history": Urgency.SOON,
    "spinal_surgery_or_injection": Urgency.SOON,
    "immunosuppressed": Urgency.SOON,
    "iv_drug_use": Urgency.SOON,
    "trauma": Urgency.SOON,
    "osteoporosis_steroids": Urgency.SOON,
    "recent_onset": None,
}


def answers(age: int = 40, **yes: bool) -> dict[str, object]:
    """A complete screening: every question answered, these ones as given."""
    return {**all_clear(age=age), **yes}


def test_it_holds_exactly_the_agreed_questions_with_their_urgencies() -> None:
    assert {flag.id: flag.urgency for flag in RED_FLAGS} == EXPECTED_URGENCY
    assert (*EXPECTED_URGENCY, AGE, PREGNANCY) == QUESTION_IDS


def test_every_question_has_codes_for_its_words_and_a_source() -> None:
    for flag in RED_FLAGS:
        assert flag.question.code == f"flag.{flag.id}.question", flag.id
        assert flag.label.code == f"flag.{flag.id}.label", flag.id
        assert flag.reason.code == f"flag.{flag.id}.reason", flag.id
        assert flag.sources, flag.id
    # The words themselves (a question ends with "?") are checked in test_wording_screening.py.


# --- Unanswered is not "no" -----------------------------------------------------------------


def test_a_complete_screening_with_no_sign_says_start() -> None:
    outcome = screen(all_clear())

    assert outcome.status is Status.OK
    assert not outcome.refer
    assert outcome.flags == () and outcome.reasons == () and outcome.unanswered == ()
    assert outcome.advice == (ADVICE[None],) == (reason("screening.clear"),)


def test_missing_answers_make_the_screening_incomplete_never_no_warning_signs() -> None:
    outcome = screen({"trauma": False, "night_pain": False, AGE: 40, PREGNANCY: "none"})

    assert outcome.status is Status.INCOMPLETE
    assert not outcome.refer
    assert set(outcome.unanswered) == RED_FLAG_IDS - {"trauma", "night_pain"}
    assert outcome.advice == (INCOMPLETE,) == (reason("screening.incomplete"),)


@pytest.mark.parametrize("missing", [AGE, PREGNANCY, "thoracic_pain", "recent_onset"])
def test_age_pregnancy_and_every_question_count_as_questions(missing: str) -> None:
    given_answers = all_clear()
    del given_answers[missing]

    outcome = screen(given_answers)

    assert outcome.status is Status.INCOMPLETE
    assert outcome.unanswered == (missing,)


def test_an_empty_screening_lists_every_question_as_unanswered() -> None:
    assert screen({}).unanswered == QUESTION_IDS
    assert screen({}).to_dict()["status"] == "incomplete"


def test_a_yes_refers_even_when_other_questions_are_unanswered() -> None:
    outcome = screen({"saddle_numbness": True})

    assert outcome.status is Status.REFER
    assert outcome.urgency is Urgency.EMERGENCY
    assert "both_legs" in outcome.unanswered
    assert outcome.advice == (ADVICE[Urgency.EMERGENCY], UNANSWERED_NOTE)
    assert UNANSWERED_NOTE not in screen(answers(saddle_numbness=True)).advice


# --- Each sign on its own -------------------------------------------------------------------


@pytest.mark.parametrize(
    "flag_id", sorted(key for key, urgency in EXPECTED_URGENCY.items() if urgency)
)
def test_each_sign_refers_with_its_urgency(flag_id: str) -> None:
    outcome = screen(answers(**{flag_id: True}))

    assert outcome.refer
    assert outcome.urgency is EXPECTED_URGENCY[flag_id]
    assert [flag.id for flag in outcome.flags] == [flag_id]
    assert outcome.reasons == (red_flag(flag_id).reason,)


@pytest.mark.parametrize(
    ("urgency", "code"),
    [
        (Urgency.EMERGENCY, "screening.refer.emergency"),
        (Urgency.URGENT, "screening.refer.urgent"),
        (Urgency.SOON, "screening.refer.soon"),
    ],
)
def test_the_advice_says_where_to_go_and_how_soon(urgency: Urgency, code: str) -> None:
    flag = next(f for f in RED_FLAGS if f.urgency is urgency and not f.go_ahead)

    # Its words ("emergency department (A&E) now" ...) are pinned in test_wording_screening.py.
    assert screen(answers(**{flag.id: True})).advice == (reason(code),)


def test_both_legs_new_or_worse_is_an_emergency_and_longstanding_is_not() -> None:
    new = screen(answers(both_legs=True))
    longstanding = screen(answers(both_legs_longstanding=True))

    assert new.urgency is Urgency.EMERGENCY
    assert longstanding.refer
    assert longstanding.urgency is Urgency.SOON
    assert longstanding.reasons == (reason("flag.both_legs_longstanding.reason"),)


def test_both_legs_new_and_longstanding_together_give_one_emergency_reason() -> None:
    outcome = screen(answers(both_legs=True, both_legs_longstanding=True))

    assert outcome.urgency is Urgency.EMERGENCY
    assert [flag.id for flag in outcome.flags] == ["both_legs"]
    assert outcome.reasons == (reason("flag.both_legs.reason"),)


def test_unsteady_walking_refers_the_same_day_on_its_own() -> None:
    assert screen(answers(unsteady_walking=True)).urgency is Urgency.URGENT


def test_unsteady_walking_with_weakness_is_an_emergency() -> None:
    outcome = screen(answers(unsteady_walking=True, worsening_weakness=True))

    assert outcome.urgency is Urgency.EMERGENCY


@pytest.mark.parametrize("risk", ["iv_drug_use", "immunosuppressed"])
def test_an_infection_risk_factor_alone_asks_for_an_earlier_check_not_a_same_day_doctor(
    risk: str,
) -> None:
    assert screen(answers(**{risk: True})).urgency is Urgency.SOON


@pytest.mark.parametrize("risk", ["iv_drug_use", "immunosuppressed", "spinal_surgery_or_injection"])
def test_an_infection_risk_factor_with_fever_is_same_day(risk: str) -> None:
    outcome = screen(answers(**{risk: True, "fever_unwell": True}))

    assert outcome.urgency is Urgency.URGENT
    assert [c.id for c in outcome.combinations] == ["infection_risk_with_fever"]


def test_recent_spinal_surgery_or_injection_needs_a_go_ahead() -> None:
    outcome = screen(answers(spinal_surgery_or_injection=True))

    assert outcome.refer
    assert outcome.go_ahead
    assert outcome.advice == (GO_AHEAD,) == (reason("screening.go_ahead"),)


# --- Combinations ---------------------------------------------------------------------------


@pytest.mark.parametrize("with_", ["night_pain", "weight_loss", "thoracic_pain"])
def test_cancer_history_with_a_spinal_warning_sign_is_at_least_urgent(with_: str) -> None:
    outcome = screen(answers(cancer_history=True, **{with_: True}))

    assert URGENCY_RANK[outcome.urgency or Urgency.SOON] <= URGENCY_RANK[Urgency.URGENT]
    assert "cancer_with_spinal_pain" in [c.id for c in outcome.combinations]
    assert outcome.reasons[0] == reason("combination.cancer_with_spinal_pain.reason")


@pytest.mark.parametrize(
    "with_", ["worsening_weakness", "unsteady_walking", "both_legs", "both_legs_longstanding"]
)
def test_cancer_history_with_nerve_signs_is_an_emergency(with_: str) -> None:
    outcome = screen(answers(cancer_history=True, **{with_: True}))

    assert outcome.urgency is Urgency.EMERGENCY


def test_cancer_history_alone_is_a_prompt_appointment() -> None:
    assert screen(answers(cancer_history=True)).urgency is Urgency.SOON


@pytest.mark.parametrize("age", [17, 19, 51, 70])
def test_new_pain_starting_under_20_or_over_50_is_noted_but_does_not_refer_alone(age: int) -> None:
    outcome = screen(answers(age=age, recent_onset=True))

    assert outcome.status is Status.OK
    assert outcome.factors == ("age_at_onset",)
    assert outcome.advice == (ADVICE[None], AGE_NOTE)
    assert AGE_NOTE.values == {"low": 20, "high": 50}


@pytest.mark.parametrize("age", [20, 35, 50])
def test_new_pain_starting_between_20_and_50_is_not_a_factor(age: int) -> None:
    assert screen(answers(age=age, recent_onset=True)).factors == ()


@pytest.mark.parametrize("with_", ["night_pain", "weight_loss", "thoracic_pain", "trauma"])
def test_new_pain_over_50_with_a_warning_sign_is_urgent(with_: str) -> None:
    outcome = screen(answers(age=62, recent_onset=True, **{with_: True}))

    assert outcome.urgency is Urgency.URGENT
    assert "age_with_warning_signs" in [c.id for c in outcome.combinations]


def test_older_pain_over_50_with_a_warning_sign_keeps_the_sign_urgency() -> None:
    outcome = screen(answers(age=62, recent_onset=False, night_pain=True))

    assert outcome.urgency is Urgency.SOON


def test_every_combination_escalates_above_each_of_its_parts_alone() -> None:
    for combination in COMBINATIONS:
        needs = red_flag(combination.needs)
        parts = [needs.urgency] + [red_flag(key).urgency for key in combination.with_any]
        weakest = max(URGENCY_RANK[u] for u in parts if u is not None)
        assert URGENCY_RANK[combination.urgency] <= weakest, combination.id
        assert combination.sources, combination.id


# --- Pregnancy ------------------------------------------------------------------------------


def test_soon_after_giving_birth_needs_a_go_ahead_first() -> None:
    outcome = screen({**all_clear(pregnancy=Pregnancy.POSTPARTUM_UNDER_12_WEEKS)})

    assert outcome.refer
    assert outcome.go_ahead
    assert [flag.id for flag in outcome.flags] == ["postpartum_under_12_weeks"]


@pytest.mark.parametrize(
    "pregnancy", [Pregnancy.NONE, Pregnancy.UP_TO_12_WEEKS, Pregnancy.AFTER_12_WEEKS]
)
def test_pregnancy_itself_does_not_refer(pregnancy: Pregnancy) -> None:
    assert screen(all_clear(pregnancy=pregnancy)).status is Status.OK


# --- Check-ins and clearance ----------------------------------------------------------------


def test_the_check_in_asks_only_signs_that_can_newly_appear() -> None:
    assert set(CHECK_IN_IDS) == {
        "saddle_numbness",
        "bladder_bowel_change",
        "sexual_dysfunction",
        "both_legs",
        "worsening_weakness",
        "unsteady_walking",
        "fever_unwell",
        "night_pain",
        "weight_loss",
    }
    for lifetime in ("cancer_history", "iv_drug_use", "osteoporosis_steroids", "recent_onset"):
        assert lifetime not in CHECK_IN_IDS


def test_signs_a_clinician_cleared_do_not_refer_again_when_answered_the_same() -> None:
    first = screen(answers(cancer_history=True, night_pain=True))

    again = screen(answers(cancer_history=True, night_pain=True), cleared=first.raised)

    assert first.refer
    assert again.status is Status.OK
    assert set(again.cleared) == {"cancer_history", "night_pain"}


def test_a_newly_raised_sign_refers_again_after_clearance_with_its_combination() -> None:
    first = screen(answers(cancer_history=True))

    again = screen(answers(cancer_history=True, weight_loss=True), cleared=first.raised)

    assert again.refer
    assert again.urgency is Urgency.URGENT
    assert [flag.id for flag in again.flags] == ["weight_loss"]


# --- Refused input --------------------------------------------------------------------------


def test_an_unknown_id_is_rejected_by_name() -> None:
    with pytest.raises(ScreeningError, match=r"^red_flags\.fever: unknown red flag id; known: "):
        screen({"fever": True})


@pytest.mark.parametrize("value", [1, 0, "yes", "true", None, 1.0])
def test_a_non_bool_answer_is_rejected_by_name(value: object) -> None:
    with pytest.raises(ScreeningError, match=r"^red_flags\.trauma: must be true or false$"):
        screen({"trauma": value})


@pytest.mark.parametrize("value", [15, 111, "40", 40.0, True, None])
def test_a_bad_age_is_rejected_by_name(value: object) -> None:
    with pytest.raises(ScreeningError, match=r"^age: must be a whole number 16-110$"):
        screen({AGE: value})


def test_a_bad_pregnancy_answer_is_rejected_by_name() -> None:
    with pytest.raises(ScreeningError, match=r"^pregnancy: must be one of none, "):
        screen({PREGNANCY: "maybe"})


def test_answers_that_are_not_an_object_are_rejected() -> None:
    with pytest.raises(ScreeningError, match=r"^red_flags: "):
        screen(["trauma"])  # type: ignore[arg-type]


def test_red_flag_looks_up_by_id_and_refuses_unknown_ids() -> None:
    assert red_flag("trauma").urgency is Urgency.SOON
    with pytest.raises(ScreeningError, match=r"red_flags\.nope"):
        red_flag("nope")


def test_to_dict_is_json_ready_for_a_referral() -> None:
    data = screen(answers(weight_loss=True, cancer_history=True)).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["status"] == "refer"
    assert data["urgency"] == "urgent"
    assert data["flags"] == ["weight_loss", "cancer_history"]
    assert data["combinations"] == ["cancer_with_spinal_pain"]
    assert data["unanswered"] == []


# --- Properties -----------------------------------------------------------------------------

_SIGNS = sorted(key for key, urgency in EXPECTED_URGENCY.items() if urgency)


@given(st.dictionaries(st.sampled_from(_SIGNS), st.booleans()))
def test_any_yes_refers_at_least_as_urgently_as_its_most_urgent_sign(yes: dict[str, bool]) -> None:
    outcome = screen(answers(**yes))

    raised = [red_flag(key) for key, value in yes.items() if value]
    if not raised:
        assert outcome.status is Status.OK
        return
    assert outcome.refer
    most = min(URGENCY_RANK[f.urgency] for f in raised if f.urgency)
    assert outcome.urgency is not None
    assert URGENCY_RANK[outcome.urgency] <= most
    ranks = [URGENCY_RANK[flag.urgency] for flag in outcome.flags if flag.urgency]
    assert ranks == sorted(ranks)


@given(st.dictionaries(st.sampled_from(sorted(QUESTION_IDS)), st.just(False)))
def test_unanswered_questions_never_read_as_no(given_answers: dict[str, object]) -> None:
    outcome = screen({k: v for k, v in given_answers.items() if k not in (AGE, PREGNANCY)})

    assert outcome.status is Status.INCOMPLETE
    assert ADVICE[None] not in outcome.advice


# --- A log remembers its referrals ----------------------------------------------------------

_MON, _TUE, _WED, _FRI = (date(2026, 11, d) for d in (2, 3, 4, 6))


def test_a_flag_at_any_check_in_keeps_referring_when_later_ones_carry_no_answers() -> None:
    outcome = still_referring([(_MON, {"fever_unwell": True}), (_WED, {}), (_FRI, {})])

    assert outcome is not None
    assert outcome.urgency is Urgency.URGENT


def test_a_later_check_in_answered_no_does_not_forget_the_flag() -> None:
    outcome = still_referring([(_MON, {"both_legs": True}), (_WED, {"both_legs": False})])

    assert outcome is not None and outcome.urgency is Urgency.EMERGENCY


def test_a_clearance_after_the_flag_ends_the_referral() -> None:
    log = [(_MON, {"fever_unwell": True}), (_FRI, {})]

    assert still_referring(log, cleared_on=_WED) is None


def test_a_clearance_on_the_day_of_the_flag_does_not_end_it() -> None:
    # With dates alone the check-in may have come after the clearance: the safer reading.
    assert still_referring([(_MON, {"fever_unwell": True})], cleared_on=_MON) is not None


def test_a_clearance_before_the_flag_does_not_end_it() -> None:
    assert still_referring([(_WED, {"fever_unwell": True})], cleared_on=_MON) is not None


def test_after_clearance_the_same_sign_again_does_not_refer_but_a_new_one_does() -> None:
    log = [(_MON, {"night_pain": True}), (_WED, {"night_pain": True})]

    assert still_referring(log, cleared_on=_TUE) is None
    new = still_referring([*log, (_FRI, {"fever_unwell": True})], cleared_on=_TUE)
    assert new is not None and [flag.id for flag in new.flags] == ["fever_unwell"]


def test_a_cleared_sign_that_went_away_and_came_back_refers_again() -> None:
    log = [
        (_MON, {"night_pain": True}),
        (_WED, {"night_pain": False}),
        (_FRI, {"night_pain": True}),
    ]

    assert still_referring(log, cleared_on=_TUE) is not None


def test_a_clearance_never_silences_signs_that_ask_about_change() -> None:
    assert carry_clearance({"both_legs", "worsening_weakness", "night_pain"}, []) == {"night_pain"}
    log = [(_MON, {"both_legs": True}), (_FRI, {"both_legs": True})]
    outcome = still_referring(log, cleared_on=_TUE)
    assert outcome is not None and outcome.urgency is Urgency.EMERGENCY


def test_a_clearance_covers_a_sign_only_while_it_is_answered_yes() -> None:
    assert carry_clearance({"night_pain"}, [{"night_pain": True}, {}]) == {"night_pain"}
    assert carry_clearance({"night_pain"}, [{"night_pain": False}]) == frozenset()


def test_lifetime_answers_count_in_combinations_at_a_check_in() -> None:
    outcome = still_referring([(_MON, {"weight_loss": True})], baseline={"cancer_history": True})

    assert outcome is not None and outcome.urgency is Urgency.URGENT


# --- Every rule has its line in the docs, with its sources ----------------------------------

_DOCS = Path(__file__).resolve().parents[2] / "docs" / "clinical-rules.md"


def test_every_sign_and_combination_has_a_line_in_the_docs_naming_its_sources() -> None:
    lines = _DOCS.read_text().splitlines()
    rules: tuple[RedFlag | Combination, ...] = (*RED_FLAGS, *COMBINATIONS)
    for rule in rules:
        row = next((line for line in lines if line.startswith(f"| `{rule.id}` |")), None)
        assert row is not None, f"{rule.id} has no row in docs/clinical-rules.md"
        for source in rule.sources:
            assert source in row, f"{rule.id}: {source} is not named in its row"
    sources = _DOCS.read_text().split("## Red flags")[0]
    for source in {s for rule in rules for s in rule.sources}:
        assert f"**{source.split(' / ')[0]}" in sources or source in sources, source
