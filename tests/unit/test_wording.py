"""The wording layer says every engine reason: each code has words whose placeholders are exactly
the parameters the engine gives, saying one never fails, and the English of the messages that
matter most is pinned here (the engine's own tests assert codes, not sentences)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.decisions import DAY_NOTE_PARAMS, REASON_PARAMS
from backcoach.engine.log import SessionLog, SetLog
from backcoach.engine.plan import Plan, PlannedExercise
from backcoach.engine.progression import decide_next
from backcoach.engine.reasons import AS_WRITTEN, Reason, reason
from backcoach.engine.vocabulary import Equipment, Felt, LegSymptoms, Level
from backcoach.formats.plan import plan_document, read_plan
from backcoach.wording.messages import DAY_NOTES, MESSAGES
from backcoach.wording.reasons import placeholders, say, say_note
from tests.builders import full_session, plan_for, session

START = date(2026, 11, 2)
FEELS = (Felt.TARGET, Felt.TARGET, Felt.TARGET, Felt.LOW_BACK, Felt.NOTHING)


# The contract: every code the engine can give has words, with exactly its parameters.


def test_every_reason_code_has_words_naming_exactly_its_parameters() -> None:
    assert set(MESSAGES) == set(REASON_PARAMS)
    for code, names in REASON_PARAMS.items():
        assert placeholders(MESSAGES[code]) == names, code


def test_every_day_note_code_has_words_naming_exactly_its_parameters() -> None:
    assert set(DAY_NOTES) == set(DAY_NOTE_PARAMS)
    for code, names in DAY_NOTE_PARAMS.items():
        assert placeholders(DAY_NOTES[code]) == names, code


def _walk(catalogue: Catalogue, seed: int) -> Iterator[Plan]:
    """Decisions along a made-up log: pain, feel, amounts, breaks and legs drawn at random."""
    rng = random.Random(seed)
    level = rng.choice(list(Level))
    kit = frozenset(rng.sample(list(Equipment), rng.randint(0, len(Equipment))))
    plan: Plan = plan_for(catalogue, START, level=level, equipment=kit, pain=rng.randint(0, 8))
    yield plan
    day = START
    log: list[SessionLog] = []
    for _ in range(12):
        day += timedelta(days=rng.choice((1, 2, 2, 2, 3, 15, 30)))
        before = rng.randint(0, 9)
        exercises = {
            item.exercise.id: [
                SetLog(
                    rng.randint(max(1, item.dose_min - 2), item.dose_max),
                    rng.choice(
                        (Felt.TARGET, Felt.TARGET, Felt.TARGET, Felt.LOW_BACK, Felt.NOTHING)
                    ),
                    item.load_kg if item.load_kg is not None else rng.choice((None, 10.0)),
                )
                for _ in range(item.sets)
            ]
            for item in plan.exercises
            if rng.random() > 0.1
        }
        logged = session(
            day,
            exercises,
            before=before,
            during=rng.randint(0, 9),
            after=rng.randint(0, 9),
            morning=rng.choice((None, before, before + 1, before + 2, max(0, before - 1))),
        )
        log.append(replace(logged, leg_symptoms=rng.choice((None, *LegSymptoms))))
        decided = decide_next(plan, log, day + timedelta(days=1), catalogue)
        if not isinstance(decided, Plan):
            return
        yield decided
        plan = decided


def _parts(why: Reason) -> Iterator[Reason]:
    for _, value in why.params:
        if isinstance(value, tuple):
            yield from value


def test_what_the_engine_gives_fits_the_words(catalogue: Catalogue) -> None:
    seen: set[str] = set()
    for seed in range(60):
        for plan in _walk(catalogue, seed):
            for item in plan.exercises + plan.mobility:
                for why in (item.reason, *_parts(item.reason)):
                    assert set(why.values) == REASON_PARAMS[why.code], why
                    seen.add(why.code)
                text = say(item.reason)
                assert text != item.code and "{" not in text, item.reason
            for note in plan.day_notes:
                assert set(note.values) == DAY_NOTE_PARAMS[note.code], note
                assert say_note(note) != note.code, note
                seen.add(note.code)
    # The walk reaches most of the codes; the rest are pinned by the engine's own tests.
    assert len(seen) >= 25, sorted(seen)


def test_saying_an_unknown_code_or_ill_fitting_parameters_never_fails() -> None:
    assert say(reason("hold.from_a_later_version", weeks=3)) == "hold.from_a_later_version"
    assert say(reason("hold.building", topped=1)) == "hold.building"
    assert say_note(reason("note.no_sessions", extra=1)).startswith("No sessions logged yet")
    # An exercise id the catalogue does not hold is said as the id.
    assert say(reason("regress.low_back", to_exercise="gone")).startswith(
        "Felt in your low back two sessions running: gone is easier"
    )


# The English of the messages that matter most, word for word.


def test_a_flare_is_said_part_by_part() -> None:
    flare = (
        reason("flare.during", during=7, acceptable=5, before=3),
        reason("flare.morning", morning=6, rise=3, before=3),
    )
    assert say_note(reason("ease_off.pain_flare", flare=flare)) == (
        "Pain flared: pain during the session reached 7/10 (above 5, and above the 3/10 before); "
        "next-morning pain was 6/10, 3 above the 3/10 before the session."
    )
    assert say(reason("ease_off.pain_flare", flare=flare[:1])) == (
        "Pain flared (pain during the session reached 7/10 (above 5, and above the 3/10 "
        "before)). Keep this exercise with less volume until it settles; nothing moves up today."
    )


def test_leg_symptoms_spreading_ask_for_a_clinician(catalogue: Catalogue) -> None:
    assert say_note(reason("ease_off.leg_symptoms_spreading")) == (
        "Leg symptoms spread further down the leg after the last session: everything eases off, "
        "and please ask a clinician (a physiotherapist or your doctor) to look at your back soon."
    )
    flare = (reason("flare.after", after=7, acceptable=5, before=3),)
    easier = catalogue.get("glute_bridge")
    said = say(
        reason(
            "ease_off.leg_symptoms_spreading.with_flare.easier",
            flare=flare,
            to_exercise=easier.id,
        )
    )
    assert said == (
        "Your leg symptoms spread further down the leg after the last session: please ask a "
        "clinician (a physiotherapist or your doctor) to look at your back soon. Pain also "
        "flared (pain after the session was 7/10 (above 5, and above the 3/10 before)). "
        f"{easier.name} is easier on your back until it settles; nothing moves up today. "
        f"{easier.summary}"
    )


def test_a_missing_morning_is_said_for_the_exercise_and_for_the_day() -> None:
    missing = reason("hold.morning_missing")
    assert say(missing) == (
        "Waiting for the morning after the last session: until you tell us how your back felt "
        "then, this exercise stays as it is. It can move up once the morning answer is in."
    )
    assert say_note(missing) == (
        "Waiting for the morning after the last session: nothing moves up until you tell us how "
        "your back felt then (the morning check-in)."
    )


def test_a_new_program_says_why_each_exercise_with_an_before_a_vowel(
    catalogue: Catalogue,
) -> None:
    for level in Level:
        plan = plan_for(catalogue, START, level=level)
        for item in plan.exercises:
            text = say(item.reason)
            assert text.startswith(("Strengthens", "For tight moments")), text
            assert item.exercise.summary in text
            assert " a advanced" not in text and " a intermediate" not in text
    advanced = plan_for(catalogue, START, level=Level.ADVANCED)
    assert "suits an advanced" in say(advanced.exercises[0].reason)
    beginner = plan_for(catalogue, START, level=Level.BEGINNER, equipment=frozenset())
    assert say(beginner.exercises[0].reason).endswith("suits a beginner and needs no equipment.")


def test_rising_pain_is_said_to_one_decimal() -> None:
    assert say_note(reason("hold.pain_rising", before=2.0, now=3.3)) == (
        "Pain is rising: your pain before sessions rose from 2.0 to 3.3 this week."
    )


def test_words_come_from_the_catalogue_given(catalogue: Catalogue) -> None:
    bridge = catalogue.get("glute_bridge")
    renamed = {"glute_bridge": replace(bridge, name="Bridge, renamed")}
    why = reason("swap.not_felt", exercise="glute_bridge", to_exercise="glute_bridge")
    said = say(why, exercises=renamed.get)
    assert said.startswith("Two sessions without feeling it in the buttocks: ")
    assert "Bridge, renamed may connect better." in said


# The plan document keeps the words, the codes and the parameters; old documents still read.


def _decided(catalogue: Catalogue) -> Plan:
    plan = plan_for(catalogue, START)
    log = [full_session(plan, START, morning=3), full_session(plan, START + timedelta(2), during=7)]
    result = decide_next(plan, log, START + timedelta(days=3), catalogue)
    assert isinstance(result, Plan)
    return result


def test_the_plan_document_round_trips_its_reasons(catalogue: Catalogue) -> None:
    decided = _decided(catalogue)
    document = plan_document(decided, catalogue)
    first = document["exercises"][0]
    assert first["reason"] == say(decided.exercises[0].reason)
    assert first["code"] == decided.exercises[0].code
    assert document["day_notes"] == [say_note(note) for note in decided.day_notes]
    assert document["day_codes"] == list(decided.day_codes)
    flare = document["day_params"][document["day_codes"].index("ease_off.pain_flare")]["flare"]
    assert flare == [
        {"code": "flare.during", "params": {"during": 7, "acceptable": 5, "before": 3}}
    ]
    read = read_plan(document, catalogue)
    assert [item.reason for item in read.exercises] == [item.reason for item in decided.exercises]
    assert read.day_notes == decided.day_notes


def test_a_document_from_before_parameters_keeps_its_words(catalogue: Catalogue) -> None:
    document = plan_document(_decided(catalogue), catalogue)
    for item in document["exercises"]:
        del item["params"]
    del document["day_params"]
    read = read_plan(document, catalogue)
    for item, written in zip(read.exercises, document["exercises"], strict=True):
        assert item.reason == Reason(AS_WRITTEN, (("text", written["reason"]),))
        assert say(item.reason) == written["reason"]
    assert [say_note(note) for note in read.day_notes] == document["day_notes"]


def test_stored_parameters_of_the_wrong_shape_name_the_field(catalogue: Catalogue) -> None:
    document = plan_document(_decided(catalogue), catalogue)
    document["exercises"][0]["params"] = {"flare": [{"no": "code"}]}
    document["exercises"][0]["code"] = "ease_off.pain_flare"
    with pytest.raises(ValueError, match=r"plan.exercises\[0\].params.flare"):
        read_plan(document, catalogue)


def test_a_planned_exercise_keeps_the_code_callers_read(catalogue: Catalogue) -> None:
    item: PlannedExercise = plan_for(catalogue, START).exercises[0]
    assert item.code == item.reason.code == "start.strength"
