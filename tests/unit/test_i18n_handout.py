"""The printed handout says its own labels and headings in the active language, as the pages do:
drawn in the pseudo-language, every text it draws is inside ⟦ ⟧, apart from data (the
catalogue's texts, numbers and dates)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from backcoach.engine.catalogue import Catalogue
from backcoach.engine.plan import Plan
from backcoach.engine.reasons import STEADY_BACK_CUE
from backcoach.engine.vocabulary import Decision, Equipment, Level
from backcoach.reports.handout import Handout
from backcoach.reports.program_pdf import handout
from backcoach.wording.i18n import translations_in
from tests.builders import plan_for
from tests.support.messages import (
    CLOSE,
    OPEN,
    catalogue_texts,
    outside,
    pseudo_translations,
    unmarked,
)

MONDAY = date(2026, 11, 23)


def _changed(plan: Plan) -> Plan:
    """The plan after a session: its first exercise moved up and carries a cue code."""
    first, *rest = plan.exercises
    moved = first.with_changes(decision=Decision.PROGRESS, cue=STEADY_BACK_CUE)
    return replace(plan, exercises=(moved, *rest))


def _drawn_texts(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the handout draws (fpdf2 passes each through `normalize_text` once)."""
    drawn: list[str] = []
    draw = Handout.normalize_text

    def recording(page: Handout, text: str) -> str:
        drawn.append(text)
        return draw(page, text)

    monkeypatch.setattr(Handout, "normalize_text", recording)
    with translations_in(pseudo_translations()):
        laid_out = handout(plan, today=MONDAY)
        laid_out.output()  # the footers' page numbers are drawn as the file is written
    return drawn


@pytest.mark.parametrize(
    "person",
    [
        {"equipment": ["band"], "days_per_week": 4},
        {"level": Level.INTERMEDIATE, "pain": 8, "equipment": ["band"], "days_per_week": 2},
    ],
    ids=["beginner with a band", "intermediate, severe pain"],
)
def test_every_word_the_handout_draws_is_marked_for_translation(
    catalogue: Catalogue, person: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _changed(plan_for(catalogue, MONDAY, **person))
    drawn = _drawn_texts(plan, monkeypatch)
    assert any(OPEN in text for text in drawn), "the handout was not drawn in the pseudo-language"
    # A label is drawn as its own message, before the words it introduces.
    assert f"{OPEN}Tempo:{CLOSE} " in drawn and f"{OPEN}Last change:{CLOSE} " in drawn
    # "{nb}" is fpdf's alias for the number of pages, put in as the file is written; a reason's
    # "{exercise.kit}" says the catalogue's equipment values (docs/translation.md).
    data = catalogue_texts() | {"{nb}"} | {kit.value for kit in Equipment}
    assert unmarked((outside(text)[0] for text in drawn), data) == []


def test_the_check_finds_a_label_left_in_english() -> None:
    assert unmarked([outside("⟦Tempo:⟧ Lower in 2 seconds")[0]], catalogue_texts()) == [
        "Lower in 2 seconds"
    ]
