"""The command line's tables and labels are said in the active language: a program and the
catalogue printed in the pseudo-language have no word outside ⟦ ⟧ but data (the catalogue's
texts and codes, numbers and dates)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from rich.console import Console

from backcoach.cli import render
from backcoach.engine.catalogue import Catalogue
from backcoach.engine.vocabulary import Category, Decision, DoseType, Equipment
from backcoach.wording.i18n import translations_in
from tests.builders import plan_for
from tests.support.messages import OPEN, catalogue_texts, outside, pseudo_translations, unmarked

MONDAY = date(2026, 11, 23)
#: The codes the command line prints as the catalogue and the engine name them (render.py).
CODES = {
    *(category.value for category in Category),
    *(dose.value for dose in DoseType),
    *(kit.value for kit in Equipment),
    *(decision.value for decision in Decision),
}


def _printed(draw: Callable[[Console], None]) -> str:
    console = Console(record=True, width=400, color_system=None)  # one message, one line
    with translations_in(pseudo_translations()):
        draw(console)
    return console.export_text()


@pytest.mark.parametrize("what", ["program", "catalogue"])
def test_every_word_the_command_line_prints_is_marked(catalogue: Catalogue, what: str) -> None:
    if what == "program":
        plan = plan_for(catalogue, MONDAY, equipment=["band"], days_per_week=4)
        printed = _printed(lambda console: render.plan(console, plan))
    else:
        exercises = list(catalogue.exercises)
        printed = _printed(lambda console: render.catalogue_table(console, exercises))
    assert OPEN in printed
    data = catalogue_texts() | CODES | {exercise.id for exercise in catalogue.exercises}
    assert unmarked(outside(printed)[0].splitlines(), data) == []
