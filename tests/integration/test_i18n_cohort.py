"""Every word of the Outcomes page (with its charts), its CSV's header and the coach's report
form is marked for translation: rendered in the pseudo-language (tests/support/messages.py),
nothing is left outside ⟦ ⟧ but data. SQLite only: the words do not depend on the database."""

from __future__ import annotations

import csv
import io

import pytest

from backcoach.wording.i18n import translations_in
from tests.integration.coaching_steps import cast
from tests.integration.cohort_steps import client
from tests.integration.test_cohort_and_report_pages import log_in
from tests.integration.test_i18n_pages import unmarked_words
from tests.support.messages import OPEN, pseudo_translations
from tests.training_app import App, token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_every_word_of_the_outcomes_and_report_pages_is_marked(app: App) -> None:
    people = cast(app)
    for index in range(5):  # enough clients for every chart to be drawn
        client(
            app.database,
            people.coach.user_id,
            f"c{index}@example.com",
            nprs=(6, 3, 2),
            sessions=24,
            pain_by_week={1: 6, 2: 5, 3: 4},
            low_back_sets=2,
        )
    coach = log_in(app, "coach@example.com")
    base = f"/coach/clients/{people.client_a.user_id}"
    pages: dict[str, str] = {}
    with translations_in(pseudo_translations()):
        pages["outcomes"] = coach.get("/coach/cohort").text
        pages["outcomes of the practice"] = coach.get("/coach/cohort?scope=practice").text
        pages["report form"] = coach.get(f"{base}/report").text
        pages["report form with a problem"] = coach.post(
            f"{base}/report.pdf",
            data={"summary": "x" * 2001, "csrftoken": token(pages["report form"])},
        ).text
        header = next(csv.reader(io.StringIO(coach.get("/coach/cohort.csv").text)))
    assert 'id="chart-cohort-pain"' in pages["outcomes"]
    assert all(OPEN in cell for cell in header), header
    data = ["ana@example.com", "backcoach", "x" * 2001, "UTC"]
    left = {}
    for page, html in pages.items():
        assert OPEN in html, f"{page} was not rendered in the pseudo-language"
        words = unmarked_words(html, data)
        if words:
            left[page] = words
    assert not left, f"words not marked for translation: {left}"
