"""The words of a program's general notes: every note code has words naming exactly its
parameters, every note a prescribed plan carries is said, and the English of each kind of note
(a caution, why strength, how often) is pinned here (test_prescription.py asserts the codes)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.plan import Plan
from backcoach.engine.prescription import NOTE_PARAMS, prescribe
from backcoach.engine.reasons import AS_WRITTEN, reason
from backcoach.engine.schedule import frequency_for
from backcoach.engine.vocabulary import Level, Pregnancy
from backcoach.formats.plan import plan_document, read_plan
from backcoach.wording.note_words import (
    NOTE_WORDS,
    caution_words,
    other_note_words,
    say_plan_note,
)
from backcoach.wording.reasons import placeholders
from tests.builders import plan_for, profile

START = date(2026, 11, 23)


def test_every_note_code_has_words_naming_exactly_its_parameters() -> None:
    assert set(NOTE_WORDS) == set(NOTE_PARAMS)
    for code, names in NOTE_PARAMS.items():
        assert placeholders(NOTE_WORDS[code]) == names, code


def test_every_note_of_a_prescribed_plan_is_said(catalogue: Catalogue) -> None:
    seen: set[str] = set()
    people = itertools.product(
        (30, 75), (0, 9), (1, 2, 3, 4, 7), (Pregnancy.NONE, Pregnancy.AFTER_12_WEEKS), Level
    )
    for age, pain, days, pregnancy, level in people:
        person = profile(age=age, pain=pain, days_per_week=days, pregnancy=pregnancy, level=level)
        plan = prescribe(person, catalogue, START)
        assert isinstance(plan, Plan)
        for note in (plan.frequency_note, *plan.notes):
            assert set(note.values) == NOTE_PARAMS[note.code], note
            said = say_plan_note(note)
            assert said != note.code and "{" not in said, note
            seen.add(note.code)
    assert seen == set(NOTE_PARAMS) - {AS_WRITTEN}


def test_an_unknown_note_code_is_said_as_its_code() -> None:
    assert say_plan_note(reason("note.caution.from_a_later_version")) == (
        "note.caution.from_a_later_version"
    )


# The English of each kind of note, word for word.


def test_the_drills_first_caution_for_very_high_pain(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START, pain=9)
    assert caution_words(plan) == (
        "Your pain is very high right now. Until it settles, do only the mobility drills for "
        "tight moments, gently; if it stays this high for more than a few days, see a doctor or "
        "physiotherapist.",
    )


def test_why_strength_not_stretching(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START, age=80)
    assert other_note_words(plan) == (
        "Stretching a tight low back brings relief for a short while, but the tightness comes "
        "back because the back is working hard to hold the spine while the abdominals and glutes "
        "do too little. This program strengthens those muscles so the back can let go.",
        "Feel each set in the muscle named under 'feel it in'. If you feel it mostly in your low "
        "back, tell the log: the next session will change the exercise or the cue.",
        "When your back feels tight, use the mobility drills for two or three minutes instead of "
        "stretching your low back or hamstrings.",
    )


def test_how_often() -> None:
    said = [say_plan_note(frequency_for(days).note) for days in (1, 2, 3, 4)]
    assert said == [
        "1 day a week still helps a lot.",
        "2 days a week still helps a lot.",
        "Three days a week with a rest day between each: close to every other day.",
        "Every other day: a rest day between sessions lets the muscles recover and grow.",
    ]


def test_notes_kept_as_written_are_told_apart_from_the_cautions_by_their_words(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START, age=80)
    written = tuple(reason(AS_WRITTEN, text=say_plan_note(note)) for note in plan.notes)
    older = replace(plan, notes=written)
    assert caution_words(older) == caution_words(plan)
    assert other_note_words(older) == other_note_words(plan)


# The plan document keeps the words beside the codes; one from before note codes keeps its words.


def test_the_plan_document_round_trips_the_notes(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START, age=80, days_per_week=2)
    document = plan_document(plan, catalogue)
    assert document["notes"] == [say_plan_note(note) for note in plan.notes]
    assert document["note_codes"] == [note.code for note in plan.notes]
    assert document["frequency"] == "2 days a week still helps a lot."
    assert document["frequency_params"] == {"sessions": 2}
    assert read_plan(document, catalogue).notes == plan.notes


def test_a_document_from_before_note_codes_keeps_its_words(catalogue: Catalogue) -> None:
    document = plan_document(plan_for(catalogue, START, pain=9), catalogue)
    del document["note_codes"], document["note_params"]
    read = read_plan(document, catalogue)
    assert read.notes == tuple(reason(AS_WRITTEN, text=text) for text in document["notes"])
    assert [say_plan_note(note) for note in read.notes] == document["notes"]
