"""The printable program (reports/program_pdf.py): what a person reads on paper, page by page.

The PDF is read back with pypdf: fpdf2 compresses its pages, so the words are not in the bytes.
"""

from __future__ import annotations

import functools
import io
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Catalogue
from backcoach.engine.plan import Plan
from backcoach.engine.reasons import AS_WRITTEN, reason
from backcoach.engine.screening import ADVICE, RED_FLAGS
from backcoach.engine.vocabulary import Decision, Level, Pregnancy, Urgency
from backcoach.reports.handout import to_latin1
from backcoach.reports.program_pdf import handout, handout_filename, program_pdf
from backcoach.wording import DISCLAIMER
from backcoach.wording.note_words import say_plan_note
from backcoach.wording.reasons import say
from backcoach.wording.screening_words import say_screening
from tests.builders import plan_for

MONDAY = date(2026, 11, 23)
#: Kinds of person whose programs differ in length, kit and pictures.
PEOPLE: dict[str, dict[str, Any]] = {
    "beginner with a band": {"equipment": ["band"], "days_per_week": 4},
    "body weight, two days": {"days_per_week": 2},
    "advanced with every kit": {
        "level": Level.ADVANCED,
        "equipment": ["band", "dumbbell", "kettlebell", "barbell", "bench"],
        "days_per_week": 3,
    },
    "intermediate, severe pain": {"level": Level.INTERMEDIATE, "pain": 8, "equipment": ["band"]},
}


def words(text: str) -> str:
    """Text as it reads, whatever the line breaks: one space between words."""
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [words(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def plan(catalogue: Catalogue) -> Plan:
    return plan_for(catalogue, MONDAY, **PEOPLE["beginner with a band"])


@functools.cache
def rendered(kind: str = "beginner with a band") -> bytes:
    """The handout of a standard plan on MONDAY, drawn once for the module's readers (each
    drawing takes about a second): ``kind`` is one of PEOPLE, or "plain" (the defaults)."""
    changes = {} if kind == "plain" else PEOPLE[kind]
    return program_pdf(plan_for(default_catalogue(), MONDAY, **changes), today=MONDAY)


def test_it_is_an_a4_pdf_with_numbered_pages() -> None:
    pdf = rendered()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    count = len(reader.pages)
    assert count >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert f"Page {number} of {count}" in words(page.extract_text())


def test_the_first_page_says_when_and_how_much(plan: Plan) -> None:
    first = page_texts(rendered())[0]
    assert "Your backcoach program" in first
    assert "Monday 23 November 2026" in first
    assert words(say_plan_note(plan.frequency_note)) in first
    assert "2 to 3 sets of each exercise, 6 to 15 repetitions a set" in first


def test_it_lists_the_next_two_weeks_of_training_days(catalogue: Catalogue) -> None:
    every_other_day = plan_for(catalogue, MONDAY, days_per_week=7)
    first = page_texts(program_pdf(every_other_day, today=MONDAY + timedelta(days=1)))[0]
    assert "Wed 25 Nov" in first and "Mon 7 Dec" in first
    assert "Mon 23 Nov" not in first  # already past
    assert "Wed 9 Dec" not in first  # more than two weeks ahead


def test_after_the_schedule_it_says_to_train_when_you_can(plan: Plan) -> None:
    first = page_texts(program_pdf(plan, today=MONDAY + timedelta(days=60)))[0]
    assert "Train when you can; every other day is the aim." in first


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_every_exercise_is_whole_on_one_page(catalogue: Catalogue, person: str) -> None:
    plan = plan_for(catalogue, MONDAY, **PEOPLE[person])
    laid_out = handout(plan, today=MONDAY)
    assert [title for title, _, _ in laid_out.blocks] == [
        *(item.exercise.name for item in plan.exercises),
        *(drill.exercise.name for drill in plan.mobility),
        "Stop and get checked",
    ]
    assert all(first == last for _, first, last in laid_out.blocks), laid_out.blocks
    # The same, read back: each exercise's name, set-up, low-back fix and reason share a page.
    texts = page_texts(bytes(laid_out.output()))
    for number, item in enumerate(plan.exercises, start=1):
        exercise = item.exercise
        title = f"{number}. {exercise.name}"
        page = next(text for text in texts if title in text)
        assert words(exercise.setup[0]) in page, title
        assert words(exercise.cues[-1]) in page, title
        fix = exercise.low_back_fix
        assert fix is not None
        assert f"Felt in your low back? {words(fix.sign)} {words(fix.fix)}" in page, title
        assert f"Why: {words(say(item.reason))}" in page, title


def test_each_exercise_shows_its_dose_tempo_and_picture(plan: Plan) -> None:
    pdf = rendered()
    text = " ".join(page_texts(pdf))
    for item in plan.exercises:
        amount = f"{item.dose_min}-{item.dose_max} {item.exercise.dose.value}"
        assert f"{item.sets} sets × {amount}" in text
    assert "Tempo: Lower in" in text
    pictures = sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pictures == len(plan.exercises) + len(plan.mobility)


def test_an_exercise_without_a_picture_still_gets_its_block(plan: Plan) -> None:
    pdf = program_pdf(plan, today=MONDAY, demos={})
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages) == 0
    text = " ".join(page_texts(pdf))
    assert all(item.exercise.name in text for item in plan.exercises)


def test_the_drills_for_tight_moments_come_in_short(plan: Plan) -> None:
    text = " ".join(page_texts(rendered()))
    assert "When you feel tight: about" in text
    for drill in plan.mobility:
        assert drill.exercise.name in text
        assert words(drill.exercise.cues[0]) in text


def test_the_safety_box_lists_every_red_flag_by_urgency(plan: Plan) -> None:
    texts = page_texts(rendered())
    page = next(text for text in texts if "Stop and get checked" in text)
    for urgency in Urgency:
        assert words(say_screening(ADVICE[urgency])) in page
    for flag in RED_FLAGS:
        if flag.urgency is not None:  # a risk factor that refers only with others is no sign
            assert words(say_screening(flag.reason)) in page, flag.id
    assert DISCLAIMER in page


def test_a_decided_plan_shows_the_change_and_its_cue(plan: Plan) -> None:
    first = plan.exercises[0].with_changes(
        decision=Decision.PROGRESS,
        reason=reason(AS_WRITTEN, text="All sets felt right."),
        cue="Breathe out first.",
    )
    flare = reason("flare.during", during=7, acceptable=5, before=3)
    decided = replace(
        plan,
        exercises=(first, *plan.exercises[1:]),
        day_notes=(reason("ease_off.pain_flare", flare=(flare,)),),
    )
    text = " ".join(page_texts(program_pdf(decided, today=MONDAY)))
    assert "Why: All sets felt right." in text
    assert "Last change: Moves up." in text and "Cue: Breathe out first." in text
    assert "Pain flared: pain during the session reached 7/10 (above 5, and above the 3/10" in text


def test_text_outside_latin1_is_printed_as_close_ascii(plan: Plan) -> None:
    item = plan.exercises[0]
    renamed = replace(item.exercise, name="Heel slide – “easy” Łódź ✓", cues=("Slow…",))
    odd = replace(plan, exercises=(item.with_changes(exercise=renamed), *plan.exercises[1:]))
    text = " ".join(page_texts(program_pdf(odd, today=MONDAY)))
    assert 'Heel slide - "easy" Lódz ?' in text
    assert "Slow..." in text


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        ("it’s “fine” – really…", 'it\'s "fine" - really...'),
        ("café × 2", "café × 2"),  # latin-1 stays as it is
        ("Wrocław Œuvre ąę", "Wroclaw OEuvre ae"),
        ("done ✅", "done ?"),
    ],
)
def test_to_latin1(given: str, printed: str) -> None:
    assert to_latin1(given) == printed
    to_latin1(given).encode("latin-1")


def test_the_same_plan_on_the_same_day_gives_the_same_bytes(plan: Plan) -> None:
    assert program_pdf(plan, today=MONDAY) == rendered()


def test_the_file_name_carries_the_date() -> None:
    assert handout_filename(MONDAY) == "backcoach-program-2026-11-23.pdf"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"pain": 9}, "very_high_pain"),
        ({"age": 78}, "older_age"),
        ({"pregnancy": Pregnancy.AFTER_12_WEEKS}, "late_pregnancy"),
    ],
)
def test_the_handout_carries_the_cautions_the_program_has(
    changes: dict[str, Any], code: str, catalogue: Catalogue
) -> None:
    """The CLI, the web app and the handout agree: each caution is on paper too."""
    plan = plan_for(catalogue, MONDAY, **changes)
    first_page = page_texts(program_pdf(plan, today=MONDAY))[0]
    caution = say_plan_note(reason(f"note.caution.{code}"))
    assert words(caution) in first_page
    assert words(caution) not in page_texts(rendered("plain"))[0]
