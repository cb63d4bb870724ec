"""Plain words (issue 13, item 9): muscles said in everyday words, each once and joined "a, b
and c"; an error summary's line names its question; every term that stays says what it means."""

from __future__ import annotations

import re

import pytest

from backcoach.catalogue import default_catalogue
from backcoach.engine.reasons import reason
from backcoach.engine.red_flags import RED_FLAGS
from backcoach.wording import and_list, muscles
from backcoach.wording.form_labels import FIELD_LABELS, field_label, summary_entry
from backcoach.wording.i18n import translations_in
from backcoach.wording.plain_terms import TERMS, term
from backcoach.wording.reasons import ExerciseWords, say
from tests.support.messages import pseudo_translations

EXERCISES = default_catalogue().exercises


def test_lists_are_joined_with_commas_and_one_and() -> None:
    assert and_list([]) == ""
    assert and_list(["hips"]) == "hips"
    assert and_list(["a", "b"]) == "a and b"
    assert and_list(["a", "b", "c"]) == "a, b and c"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_exercise_is_felt_in_everyday_words_each_said_once(exercise: object) -> None:
    said = muscles(exercise.targets)  # type: ignore[attr-defined]
    assert "_" not in said and "glute" not in said, said
    parts = re.split(r", | and ", said)
    assert len(parts) == len(set(parts)), said
    assert said.count(" and ") <= 1 and (", " not in said or " and " in said), said


def test_the_glute_parts_are_one_muscle_to_a_person() -> None:
    assert muscles(["glute_med", "glute_min", "glutes"]) == "side of the hip and buttocks"
    assert (
        muscles(["obliques", "glute_med", "glute_min"]) == "side belly muscles and side of the hip"
    )
    assert muscles(["deep_abdominals", "abdominals", "obliques"]) == (
        "deep belly muscles, belly muscles and side belly muscles"
    )


def test_a_reason_names_the_muscles_as_the_pages_do() -> None:
    bridge = default_catalogue().get("glute_bridge")
    assert ExerciseWords("glute_bridge", bridge).targets == "buttocks"
    said = say(reason("swap.not_felt", exercise="glute_bridge", to_exercise="glute_bridge"))
    assert said.startswith("Two sessions without feeling it in the buttocks: ")


def test_a_summary_line_names_its_question_once() -> None:
    assert summary_entry("email", "Please fill this in.") == "Email: Please fill this in."
    assert summary_entry("psfs_score_2", "Please enter a whole number.") == (
        "How well you can do activity 2: Please enter a whole number."
    )
    already = "Weight loss: please answer yes or no."
    assert summary_entry("weight_loss", already) == already
    assert summary_entry("form", "The form could not be read.") == "The form could not be read."
    assert summary_entry("rest", "Too long.", {"rest": "Rest"}) == "Rest: Too long."


def test_every_safety_question_and_numbered_field_has_a_name() -> None:
    for flag in RED_FLAGS:
        assert field_label(flag.id), flag.id
    for field in ("psfs_name_3", "odi_10", *FIELD_LABELS):
        assert field_label(field), field
    assert field_label("form") is None


def test_the_names_and_terms_are_said_in_the_active_language() -> None:
    with translations_in(pseudo_translations()):
        assert summary_entry("email", "x").startswith("⟦")
        assert field_label("psfs_name_1") == "⟦Activity ⟧1"  # the number is not a word
        assert term("rir").name.startswith("⟦") and term("rir").meaning.startswith("⟦")


def test_every_term_that_stays_says_what_it_means_in_plain_words_first() -> None:
    for key, words in TERMS.items():
        assert words.meaning.endswith(".") and len(words.meaning) < 200, key
        # The plain words come first; the term itself, where named, is in brackets after them.
        assert not re.match(r"[A-Z]{3,}", words.name), key
    assert "reps in reserve" in term("rir").meaning
    assert term("tempo").name == "Speed (tempo)"
    with pytest.raises(KeyError):
        term("no such term")
