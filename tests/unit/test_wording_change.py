"""The words of a change on a measure: every statement code has words naming exactly its
parameters, and the English of the statements people read is pinned here (test_change.py
asserts the codes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcoach.engine.change import MCID, SCALE_MAX, STATEMENT_PARAMS, assess_change
from backcoach.wording.change_words import CHANGE_WORDS, VALUES, say_change
from backcoach.wording.reasons import placeholders


def test_every_statement_code_has_words_naming_exactly_its_parameters() -> None:
    assert set(CHANGE_WORDS) == set(STATEMENT_PARAMS)
    for code, names in STATEMENT_PARAMS.items():
        assert placeholders(CHANGE_WORDS[code]) == names, code
    assert set(VALUES["instrument"]) == set(MCID)


def test_every_change_the_engine_gives_fits_the_words() -> None:
    for instrument in MCID:
        top = int(SCALE_MAX[instrument])
        for baseline in range(0, top + 1, max(1, top // 10)):
            for latest in range(0, top + 1, max(1, top // 10)):
                change = assess_change(instrument, baseline, latest)
                for part in change.statement:
                    assert set(part.values) == STATEMENT_PARAMS[part.code], part
                said = say_change(change)
                assert "{" not in said and "change." not in said, said


@pytest.mark.parametrize(
    ("instrument", "baseline", "latest", "words"),
    [
        ("nprs", 7, 4, "Your pain has dropped by 3 points (43%): a change large enough to matter."),
        (
            "nprs",
            5,
            3.5,
            "Your pain has dropped by 1.5 points (30%): a start, though not yet a change large "
            "enough to matter.",
        ),
        (
            "nprs",
            8,
            7,
            "Your pain has dropped by 1 point (13%): a start, though not yet a change large "
            "enough to matter.",
        ),
        (
            "nprs",
            3,
            6,
            "Your pain has risen by 3 points (100%): a change large enough to matter; worth "
            "talking over with your coach or doctor.",
        ),
        (
            "rmdq",
            12,
            12,
            "Your back's effect on daily life (RMDQ) is the same as at the start (12 out of 24).",
        ),
        (
            "psfs",
            5,
            6.9,
            "Your rating of the activities you chose has risen by 1.9 points: a start, though "
            "not yet a change large enough to matter.",
        ),
        (
            "psfs",
            6,
            5.5,
            "Your rating of the activities you chose has dropped by 0.5 points: a small change, "
            "within everyday ups and downs.",
        ),
        (
            "odi",
            40,
            8,
            "Your back's effect on daily life (ODI) has dropped by 32 points (80%): a change "
            "large enough to matter. That is within what we count as recovered: an ODI score of "
            "10 or less.",
        ),
        (
            "nprs",
            6,
            1,
            "Your pain has dropped by 5 points (83%): a change large enough to matter. That is "
            "within what we count as recovered: pain of 0 or 1 out of 10.",
        ),
        (
            "psfs",
            5,
            9.5,
            "Your rating of the activities you chose has risen by 4.5 points: a change large "
            "enough to matter. That is within what we count as recovered: an average rating of "
            "9 or more out of 10.",
        ),
    ],
)
def test_a_change_is_said_word_for_word(
    instrument: str, baseline: float, latest: float, words: str
) -> None:
    assert say_change(assess_change(instrument, baseline, latest)) == words


def test_docs_list_every_statement_code() -> None:
    listed = (Path(__file__).parents[2] / "docs" / "clinical-rules.md").read_text()
    listed = listed.split("## Codes", 1)[1]
    for code in STATEMENT_PARAMS:
        shown = "change.recovered.<instrument>" if code.startswith("change.recovered.") else code
        assert f"`{shown}`" in listed, code
