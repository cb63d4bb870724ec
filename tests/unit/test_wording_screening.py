"""The words of the safety questions and of a screening's outcome: every code has words naming
exactly its parameters, every outcome the engine gives is said in full, and the English of the
safety messages that matter most is pinned here word for word (test_screening.py asserts codes)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from backcoach.engine.red_flags import COMBINATIONS, DERIVED, PREGNANCY_CHOICES, PREGNANCY_QUESTION
from backcoach.engine.screening import (
    ADVICE,
    RED_FLAG_IDS,
    RED_FLAGS,
    SCREENING_PARAMS,
    all_clear,
    red_flag,
    screen,
)
from backcoach.engine.vocabulary import Pregnancy, Urgency
from backcoach.wording.reasons import placeholders
from backcoach.wording.screening_words import (
    SCREENING_WORDS,
    say_advice,
    say_reasons,
    say_screening,
    screening_document,
)

CES = "pressure on the bundle of nerves at the base of the spine (cauda equina syndrome)"
EMERGENCY = (
    "Go to an emergency department (A&E) now, or call your local emergency number (999 in the "
    "UK, 112 in Europe, 911 in North America). Do not wait for a GP appointment or to see if it "
    "passes, and do not do any of the exercises."
)
URGENT = (
    "See a doctor today, within 24 hours: ask your GP practice for an urgent same-day "
    "appointment, or go to an urgent care centre or out-of-hours service (in England, call NHS "
    "111). Leave the exercises until a doctor has checked you. If you get worse quickly, or "
    "numbness, weakness or bladder or bowel changes appear, go to an emergency department at once."
)
INCOMPLETE = (
    "Some safety questions are not answered yet. Please answer every one before starting: a "
    "question left blank is not the same as a no."
)


def answers(age: int = 40, **yes: bool) -> dict[str, object]:
    return {**all_clear(age=age), **yes}


# The contract: every code the engine can give has words, with exactly its parameters.


def test_every_screening_code_has_words_naming_exactly_its_parameters() -> None:
    assert set(SCREENING_WORDS) == set(SCREENING_PARAMS)
    for code, names in SCREENING_PARAMS.items():
        assert placeholders(SCREENING_WORDS[code]) == names, code


def test_every_outcome_the_engine_gives_is_said_in_full() -> None:
    rng = random.Random(7)
    ids = sorted(RED_FLAG_IDS)
    seen: set[str] = set()
    for _ in range(600):
        given = answers(age=rng.choice((17, 40, 70)))
        given["pregnancy"] = rng.choice(list(Pregnancy)).value
        given |= dict.fromkeys(rng.sample(ids, rng.choice((0, 1, 2, 3))), True)
        for key in rng.sample(sorted(given), rng.choice((0, 0, 1, 3))):
            del given[key]
        outcome = screen(given)
        for part in (*outcome.advice, *outcome.reasons):
            assert set(part.values) == SCREENING_PARAMS[part.code], part
            seen.add(part.code)
        for said in (say_advice(outcome), *say_reasons(outcome)):
            assert said and "{" not in said and "screening." not in said, said
    assert {part.code for part in ADVICE.values()} <= seen


def test_questions_labels_and_reasons_read_as_sentences() -> None:
    labels = [say_screening(flag.label) for flag in RED_FLAGS]
    assert all(labels) and len(set(labels)) == len(labels)
    for flag in RED_FLAGS:
        assert say_screening(flag.question).endswith("?"), flag.id
    for flag in (*RED_FLAGS, *DERIVED):
        assert say_screening(flag.reason).endswith("."), flag.id
    for combination in COMBINATIONS:
        assert say_screening(combination.reason).endswith("."), combination.id
    assert say_screening(PREGNANCY_QUESTION).endswith("?")
    assert say_screening(PREGNANCY_CHOICES[Pregnancy.NONE]) == "No"


# The questions in words people understand (moved here from test_screening.py).


def test_cauda_equina_questions_use_words_people_understand() -> None:
    assert "wipe yourself with toilet paper" in say_screening(red_flag("saddle_numbness").question)
    bladder = say_screening(red_flag("bladder_bowel_change").question)
    assert "starting or stopping the flow of urine" in bladder


def test_both_legs_questions_say_their_time_frames() -> None:
    assert "last two weeks" in say_screening(red_flag("both_legs").question)
    longstanding = say_screening(red_flag("both_legs_longstanding").question)
    assert "longer than two weeks" in longstanding and "not getting worse" in longstanding
    said = say_reasons(screen(answers(both_legs=True, both_legs_longstanding=True)))
    assert not any("not an emergency" in reason for reason in said)


def test_trauma_is_asked_with_a_time_frame() -> None:
    assert "in the last three months" in say_screening(red_flag("trauma").question)


# The safety messages that matter most, word for word.


def test_saddle_numbness_sends_to_the_emergency_department_now() -> None:
    outcome = screen(answers(saddle_numbness=True))

    assert say_advice(outcome) == EMERGENCY
    assert say_reasons(outcome) == [f"Less feeling between the legs can be a sign of {CES}."]


def test_a_fever_sends_to_a_doctor_the_same_day() -> None:
    outcome = screen(answers(fever_unwell=True))

    assert say_advice(outcome) == URGENT
    assert say_reasons(outcome) == [
        "Back pain with a fever or feeling unwell can be a sign of an infection in the spine."
    ]


def test_an_incomplete_screening_never_says_no_warning_signs() -> None:
    outcome = screen({"trauma": False})

    assert say_advice(outcome) == INCOMPLETE
    assert "No warning signs" not in say_advice(outcome)


def test_a_referral_with_questions_left_says_it_is_the_least_urgency() -> None:
    assert say_advice(screen({"saddle_numbness": True})) == (
        f"{EMERGENCY} Some questions are still unanswered, so this is the least urgency: answer "
        "them too, as they may make it more urgent."
    )


def test_no_warning_signs_says_start_and_when_to_stop() -> None:
    assert say_advice(screen(all_clear())) == (
        "No warning signs in your answers, so you can start the program. If any of these signs "
        "appear later, stop the exercises and get checked by a doctor."
    )


def test_pain_starting_after_50_is_noted_with_its_ages() -> None:
    assert say_advice(screen(answers(age=60, recent_onset=True))).endswith(
        "Because this back pain first started before 20 or after 50, mention it to your doctor "
        "at your next routine visit, and get checked sooner if it does not ease over a few weeks."
    )


def test_cancer_with_nerve_signs_says_why_it_is_an_emergency() -> None:
    outcome = screen(answers(cancer_history=True, worsening_weakness=True))

    assert outcome.urgency is Urgency.EMERGENCY
    assert say_reasons(outcome)[0] == (
        "After cancer, nerve symptoms in the legs can be a sign of pressure on the spinal cord or "
        "nerves from cancer that has spread to the spine."
    )


def test_a_go_ahead_asks_the_clinician_who_looks_after_you() -> None:
    said = say_advice(screen(answers(spinal_surgery_or_injection=True)))

    assert said.startswith("Ask the clinician who looks after you")
    assert "start once they say yes" in said


def test_docs_list_every_outcome_code() -> None:
    codes = (Path(__file__).parents[2] / "docs" / "clinical-rules.md").read_text()
    listed = codes.split("## Codes", 1)[1]
    for code in SCREENING_PARAMS:
        if not code.startswith(("flag.", "combination.", "pregnancy.")):
            assert f"`{code}`" in listed, code
    for flag in (*RED_FLAGS, *DERIVED):
        assert f"`{flag.id}`" in listed, flag.id
    for combination in COMBINATIONS:
        assert f"`{combination.id}`" in listed, combination.id


def test_the_screening_document_keeps_the_codes_and_says_them() -> None:
    outcome = screen(answers(saddle_numbness=True))
    document = screening_document(outcome)

    assert document["advice"] == [{"code": "screening.refer.emergency", "params": {}}]
    assert document["reason_codes"] == [{"code": "flag.saddle_numbness.reason", "params": {}}]
    assert document["message"] == EMERGENCY
    assert document["reasons"] == say_reasons(outcome)
    assert json.loads(json.dumps(document)) == document
