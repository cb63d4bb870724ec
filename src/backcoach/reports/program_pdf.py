"""A program as a printable A4 handout (PDF): the app's pictures and words, on paper.

What to print lives here; how (pages, text, blocks kept whole) lives in handout.py. The words
come from the engine and from backcoach.wording, so paper and screen say the same; the handout's
own labels are marked here and said in the active language (backcoach.wording.i18n).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache, partial

from fpdf.enums import XPos, YPos

from backcoach.catalogue import default_demos
from backcoach.engine.catalogue import REPS_CEILING, REPS_FLOOR, Exercise
from backcoach.engine.demo import Demo
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan, PlannedExercise, mobility_minutes
from backcoach.engine.screening import ADVICE, RED_FLAGS
from backcoach.engine.vocabulary import Decision, Urgency
from backcoach.pictures import strip_png
from backcoach.reports.handout import BODY, INK, MUTED, Handout
from backcoach.wording import DECISION_WORDS, DISCLAIMER, dose_words, muscles, tempo_words
from backcoach.wording.cue_words import say_cue
from backcoach.wording.i18n import N_, gettext, ngettext
from backcoach.wording.note_words import caution_words, say_plan_note
from backcoach.wording.reasons import say, say_note
from backcoach.wording.screening_words import say_screening

TITLE = N_("Your backcoach program")
#: How far ahead the handout lists training days.
UPCOMING_DAYS = 14
#: One scale for every strip (the pictures are drawn at one scale), so figures print the same
#: size; a strip wider than the column, or taller than the cap, shrinks to fit.
EXERCISE_MM_PER_PX, DRILL_MM_PER_PX = 0.18, 0.14
#: Strips are drawn with twice the pixels (about 280 dpi at that scale) so they print sharp.
PRINT_RESOLUTION = 2
#: Headings of the safety box, in the referral page's words (templates/referral.html).
URGENCY_HEADINGS = {
    Urgency.EMERGENCY: N_("Get help now"),
    Urgency.URGENT: N_("See a doctor today"),
    Urgency.SOON: N_("See a doctor soon"),
}


def _long_date(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def handout_filename(today: date) -> str:
    return f"backcoach-program-{today.isoformat()}.pdf"


def program_pdf(plan: Plan, *, today: date, demos: Mapping[str, Demo] | None = None) -> bytes:
    """The plan as an A4 handout; ``demos`` defaults to the shipped demonstrations."""
    return bytes(handout(plan, today=today, demos=demos).output())


def handout(plan: Plan, *, today: date, demos: Mapping[str, Demo] | None = None) -> Handout:
    """Lay the handout out (its ``blocks`` say where each landed); ``output()`` is the PDF."""
    title = gettext(TITLE)
    running_head = gettext("{title}, {day}").format(title=title, day=_long_date(today))
    pdf = Handout(running_head, gettext(DISCLAIMER))
    pdf.set_title(title)
    pdf.set_lang("en")
    pdf.set_creator("backcoach")
    pdf.set_creation_date(datetime.combine(today, time(), tzinfo=UTC))  # same plan, same bytes
    pdf.add_page()
    _introduction(pdf, plan, today)
    for number, item in enumerate(plan.exercises, start=1):
        block = partial(_exercise, number=number, item=item, picture=_picture(item, demos))
        pdf.keep_whole(item.exercise.name, block)
    minutes = math.ceil(mobility_minutes(plan.mobility))
    for number, drill in enumerate(plan.mobility):
        block = partial(_drill, drill=drill, picture=_picture(drill, demos), first=number == 0)
        pdf.keep_whole(drill.exercise.name, partial(block, minutes=minutes))
    pdf.keep_whole(gettext("Stop and get checked"), _safety)
    return pdf


def _introduction(pdf: Handout, plan: Plan, today: date) -> None:
    pdf.set_font("Helvetica", "B", 24)
    pdf.cell(0, 12, gettext(TITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*MUTED)
    pdf.para(_long_date(today), size=12, gap=4)
    pdf.set_text_color(*INK)
    pdf.heading(gettext("How to train"), size=14)
    pdf.lead(gettext("How often:"), say_plan_note(plan.frequency_note))
    pdf.lead(
        gettext("How much:"),
        gettext(
            "{min_sets} to {max_sets} sets of each exercise, {min_reps} to {max_reps} "
            "repetitions a set (or hold for the seconds shown), in the order of this handout."
        ).format(min_sets=MIN_SETS, max_sets=MAX_SETS, min_reps=REPS_FLOOR, max_reps=REPS_CEILING),
    )
    pdf.lead(
        gettext("Feel it:"),
        gettext(
            "each set should be felt in the muscles it is for; a burn there is a good sign. "
            'Felt mostly in your low back? Change something: see "Felt in your low back?" '
            "under each exercise."
        ),
    )
    if plan.mobility:
        pdf.lead(
            gettext("Feeling tight?"),
            gettext(
                "do the quick drills near the end of this handout for two or three minutes, "
                "instead of stretching your low back or hamstrings."
            ),
        )
    for caution in caution_words(plan):  # very high pain, late pregnancy, 75 and over
        pdf.para(caution, style="B")
    for note in plan.day_notes:
        pdf.para(say_note(note), style="B")
    pdf.ln(2)
    pdf.heading(gettext("Your next training days"), size=14)
    start = max(today, plan.start)
    days = [d for d in plan.schedule if start <= d < start + timedelta(days=UPCOMING_DAYS)]
    if not days:
        pdf.para(gettext("Train when you can; every other day is the aim."))
    else:
        pdf.para(gettext("Tick each day when you have done the session."), gap=2)
        _tick_boxes(pdf, days)
    pdf.ln(4)


def _tick_boxes(pdf: Handout, days: list[date], per_row: int = 4) -> None:
    width = pdf.epw / per_row
    pdf.set_font("Helvetica", "", BODY)
    pdf.set_draw_color(*INK)
    for index, day in enumerate(days):
        if index and index % per_row == 0:
            pdf.ln(8)
        x, y = pdf.l_margin + (index % per_row) * width, pdf.get_y()
        pdf.rect(x, y + 0.5, 4.5, 4.5)
        pdf.set_xy(x + 7, y)
        pdf.cell(width - 7, 5.5, f"{day.strftime('%a')} {day.day} {day.strftime('%b')}")
        pdf.set_y(y)
    pdf.ln(8)


def _exercise(pdf: Handout, *, number: int, item: PlannedExercise, picture: bytes | None) -> None:
    exercise = item.exercise
    if number == 1:
        pdf.heading(gettext("Your exercises, in this order"), size=16, gap=3)
    pdf.rule()
    _title(pdf, f"{number}. {exercise.name}", dose_words(item))
    if picture is not None:
        pdf.picture(picture, EXERCISE_MM_PER_PX / PRINT_RESOLUTION)
    pdf.lead(gettext("Tempo:"), tempo_words(exercise.tempo))
    pdf.lead(
        gettext("Feel it in:"),
        gettext("your {muscles}.").format(muscles=muscles(exercise.targets)),
    )

    def setup() -> None:
        pdf.heading(gettext("Set-up"), size=11, gap=1)
        pdf.items(exercise.setup, numbered=True)

    def cues() -> None:
        pdf.heading(gettext("Cues"), size=11, gap=1)
        pdf.items(exercise.cues)

    pdf.columns(setup, cues)
    fault = exercise.low_back_fix
    if fault is not None:
        pdf.shaded(gettext("Felt in your low back?"), f"{fault.sign} {fault.fix}")
    pdf.lead(gettext("Why:"), say(item.reason))
    if item.decision is not Decision.START:
        pdf.lead(gettext("Last change:"), f"{DECISION_WORDS[item.decision]}.")
    if item.cue:
        pdf.lead(gettext("Cue:"), say_cue(item.cue))
    pdf.ln(3)


def _title(pdf: Handout, title: str, dose: str) -> None:
    """The exercise's name, and its dose on the right of the same line when both fit."""
    pdf.set_font("Helvetica", "B", 12)
    dose_width = pdf.get_string_width(dose) + 2
    pdf.set_font("Helvetica", "B", 14)
    if pdf.get_string_width(title) + dose_width + 6 > pdf.epw:
        pdf.heading(title, size=14, gap=1)
        pdf.para(dose, size=12, style="B", gap=1)
        return
    pdf.cell(pdf.epw - dose_width, 7, title)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(dose_width, 7, dose, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _drill(
    pdf: Handout, *, drill: PlannedExercise, picture: bytes | None, first: bool, minutes: int
) -> None:
    """A mobility drill in short: name, picture, dose and cues (M6)."""
    if first:
        heading = ngettext(
            "When you feel tight: about {minutes} minute",
            "When you feel tight: about {minutes} minutes",
            minutes,
        ).format(minutes=minutes)
        pdf.heading(heading, size=16, gap=2)
        pdf.para(
            gettext(
                "A couple of minutes of easy movement, instead of a long stretch. Move gently "
                "through each drill, in an easy range, with no holding at the end."
            ),
            gap=3,
        )
    pdf.rule()
    pdf.heading(drill.exercise.name, size=12, gap=1)
    if picture is not None:
        pdf.picture(picture, DRILL_MM_PER_PX / PRINT_RESOLUTION)
    moves = gettext("{dose}: moves your {muscles}").format(
        dose=dose_words(drill), muscles=muscles(drill.exercise.targets)
    )
    pdf.para(moves, style="B")
    pdf.items(drill.exercise.cues, size=10)


def _safety(pdf: Handout) -> None:
    """When to stop and see a doctor: the red flags' reasons by urgency (engine/screening.py)."""
    pdf.ln(2)
    pdf.boxed(partial(_red_flags, pdf))


def _red_flags(pdf: Handout) -> None:
    pdf.heading(gettext("Stop and get checked"), size=15, gap=1)
    pdf.para(
        gettext(
            "If one of these signs appears, stop the exercises and get checked: how soon "
            "depends on the sign."
        ),
        gap=2,
    )
    for urgency in Urgency:
        pdf.heading(gettext(URGENCY_HEADINGS[urgency]), size=11.5, gap=1)
        pdf.para(say_screening(ADVICE[urgency]), size=9.5, gap=1)
        pdf.items(
            (say_screening(flag.reason) for flag in RED_FLAGS if flag.urgency is urgency),
            size=9.5,
        )
    pdf.para(gettext(DISCLAIMER), style="B", gap=3)


def _picture(item: PlannedExercise, demos: Mapping[str, Demo] | None) -> bytes | None:
    exercise = item.exercise
    if demos is None:
        return _shipped_strip(exercise)
    demo = demos.get(exercise.id)
    return None if demo is None else strip_png(demo, exercise, resolution=PRINT_RESOLUTION)


@lru_cache(maxsize=128)
def _shipped_strip(exercise: Exercise) -> bytes | None:
    """The strip of a shipped demonstration, drawn once per process (exercises hash by identity)."""
    demo = default_demos().get(exercise.id)
    return None if demo is None else strip_png(demo, exercise, resolution=PRINT_RESOLUTION)
