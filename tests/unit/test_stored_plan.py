"""The stored plan gives back the engine's plan it was written from, and stores no words."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.plan import Plan
from backcoach.engine.progression import decide_next
from backcoach.engine.reasons import AS_WRITTEN, reason
from backcoach.engine.vocabulary import Decision, Equipment, Level, Pregnancy
from backcoach.formats.documents import InputError
from backcoach.formats.plan import plan_document
from backcoach.formats.stored_plan import (
    ENGINE,
    DecidedBy,
    from_document,
    read_stored_plan,
    write_stored_plan,
)
from backcoach.wording.note_words import say_plan_note
from backcoach.wording.reasons import say, say_note
from tests.builders import plan_for, session
from tests.unit.test_progression_properties import logs

START = date(2026, 11, 2)


def _round_trip(plan: Plan, catalogue: Catalogue) -> Plan:
    # Through JSON text, as the database keeps it.
    stored = json.loads(json.dumps(write_stored_plan(plan)))
    return read_stored_plan(stored, catalogue).plan


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    level=st.sampled_from(list(Level)),
    kit=st.frozensets(st.sampled_from(list(Equipment))),
    pain=st.integers(0, 10),
    age=st.integers(16, 90),
    # Under 12 weeks after a birth refers (no plan) until a clinician clears it.
    pregnancy=st.sampled_from(
        [p for p in Pregnancy if p is not Pregnancy.POSTPARTUM_UNDER_12_WEEKS]
    ),
    weekdays=st.lists(st.integers(0, 6), unique=True, max_size=3).map(sorted).map(tuple),
)
def test_any_engine_plan_reads_back_as_it_was_written(
    data: st.DataObject,
    level: Level,
    kit: frozenset[Equipment],
    pain: int,
    age: int,
    pregnancy: Pregnancy,
    weekdays: tuple[int, ...],
    catalogue: Catalogue,
) -> None:
    plan = plan_for(
        catalogue,
        START,
        level=level,
        equipment=kit,
        pain=pain,
        age=age,
        pregnancy=pregnancy,
        weekdays=weekdays,
        days_per_week=data.draw(st.integers(1, 7)),
    )
    assert _round_trip(plan, catalogue) == plan
    # Then the plans the engine decides from logs: holds, swaps, flares, loads, day notes.
    sessions = data.draw(logs([item.exercise.id for item in plan.exercises]))
    today = sessions[-1].day + timedelta(days=data.draw(st.integers(0, 40)))
    decided = decide_next(plan, sessions, today, catalogue)
    assert isinstance(decided, Plan)
    assert _round_trip(decided, catalogue) == decided


def test_a_decided_plan_keeps_decisions_codes_and_who_decided(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START)
    first = plan.exercises[0].exercise.id
    flare = session(START, before=2, during=8, after=8, morning=5)
    decided = decide_next(plan, [flare], START + timedelta(days=1), catalogue)
    assert isinstance(decided, Plan)
    coach = DecidedBy("coach", 7)
    stored = write_stored_plan(decided, {first: coach})
    assert stored["version"] == 2
    item = stored["exercises"][0]
    assert item["decision"] == decided.exercises[0].decision.value != Decision.START.value
    assert item["reason"]["code"].startswith("ease_off.pain_flare")
    assert item["decided_by"] == {"kind": "coach", "id": 7}
    assert stored["exercises"][1]["decided_by"] == {"kind": "engine", "id": None}
    assert [note["code"] for note in stored["day_notes"]] == list(decided.day_codes)
    read = read_stored_plan(stored, catalogue)
    assert read.decider(first) == coach
    assert read.decider(decided.exercises[1].exercise.id) == ENGINE


def test_no_words_are_stored_only_codes_and_parameters(catalogue: Catalogue) -> None:
    plan = plan_for(catalogue, START, pain=9, age=80)
    flare = session(START, before=2, during=8, after=8, morning=5)
    decided = decide_next(plan, [flare], START + timedelta(days=1), catalogue)
    assert isinstance(decided, Plan)
    stored = json.dumps(write_stored_plan(decided))
    assert stored.count(AS_WRITTEN) == 0
    for note in decided.notes:
        assert say_plan_note(note) not in stored
    for item in decided.exercises:
        assert say(item.reason) not in stored
    for day_note in decided.day_notes:
        assert say_note(day_note) not in stored
    assert '"cautions": ["very_high_pain", "older_age"]' in stored


def test_an_older_document_becomes_the_stored_form_keeping_words_without_params(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START)
    document = plan_document(plan)
    first, second = document["exercises"][0], document["exercises"][1]
    del second["code"], second["params"]  # written before parameters: words only
    second["reason"] = "Kept as it was written."
    first["decision"], first["cue"] = "hold", "Breathe out."
    read = read_stored_plan(from_document(document), catalogue).plan
    assert read.exercises[0].reason == plan.exercises[0].reason
    assert (read.exercises[0].decision, read.exercises[0].cue) == (Decision.HOLD, "Breathe out.")
    assert read.exercises[1].reason == reason(AS_WRITTEN, text="Kept as it was written.")
    assert read.notes == plan.notes  # by their codes
    assert read.mobility == plan.mobility
    assert read_stored_plan(document, catalogue).plan == read  # no version: an older document


def test_an_older_document_without_note_codes_keeps_its_notes_as_written(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(catalogue, START, age=80)
    document = plan_document(plan)
    del document["note_codes"], document["note_params"]  # written before note codes
    document["notes"][-1] = "An older note, kept as it was written."
    stored = from_document(document)
    assert stored["cautions"] is None
    assert stored["notes_as_written"] == document["notes"]
    read = read_stored_plan(stored, catalogue).plan
    assert [say_plan_note(note) for note in read.notes] == document["notes"]
    assert write_stored_plan(read)["notes_as_written"] == document["notes"]


def test_a_stored_plan_naming_an_unknown_exercise_is_refused_by_its_field(
    catalogue: Catalogue,
) -> None:
    stored = write_stored_plan(plan_for(catalogue, START))
    stored["exercises"][1]["id"] = "no_such_exercise"
    with pytest.raises(InputError, match=r"plan\.exercises\[1\]\.id"):
        read_stored_plan(stored, catalogue)


def test_a_coach_decision_names_the_coach() -> None:
    with pytest.raises(ValueError, match="coach"):
        DecidedBy("coach")
