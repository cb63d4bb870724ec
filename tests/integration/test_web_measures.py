"""The measures form over HTTP: STarT Back as score entry, whole-number PSFS, the starting point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.engine.measures import STARTBACK_FUNDING, STARTBACK_NOTICE
from backcoach.store.tables import Measure
from tests.web import MEASURES, PROFILE, post, screen, sign_up, with_db

#: Pages and forms over the services: the same on either database, so on SQLite only (the
#: services, the store and the query-count tests run on PostgreSQL too; the suite stays under
#: its 6 minutes).
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

Make = Callable[..., TestClient]
RECOMMENDED = "Care led by a clinician is recommended."
NO_SCORE = {"startback_score": "", "startback_psychosocial": "", "startback_none": "yes"}


def _ready(make_client: Make) -> TestClient:
    """Signed up and screened with no red flag: the measures page is next."""
    client = make_client()
    sign_up(client)
    screen(client)
    return client


def _saved(database_url: str) -> dict[str, dict[str, Any]]:
    def work(uow: Any) -> dict[str, dict[str, Any]]:
        rows = uow.session.scalars(select(Measure)).all()
        return {row.instrument: row.result for row in rows}

    found: dict[str, dict[str, Any]] = with_db(database_url, work)
    return found


def _keeles_statements_in(html: str) -> bool:
    return STARTBACK_NOTICE in html and STARTBACK_FUNDING in html


def test_the_form_asks_for_the_startback_totals_not_its_items(make_client: Make) -> None:
    page = _ready(make_client).get("/onboarding/measures")

    assert page.status_code == 200
    assert 'name="startback_score"' in page.text
    assert 'name="startback_psychosocial"' in page.text
    assert "I don't have a STarT Back score" in page.text
    assert _keeles_statements_in(page.text)
    # No agree/disagree items, and none of our former paraphrases of them.
    assert 'value="agree"' not in page.text and "Disagree" not in page.text
    for former in ("spreading down the leg", "Dressing more slowly", "Worrying thoughts"):
        assert former.lower() not in page.text.lower()


@pytest.mark.parametrize(
    ("score", "psychosocial", "risk"), [("3", "3", "low"), ("4", "3", "medium"), ("4", "4", "high")]
)
def test_startback_totals_are_scored_with_keeles_cut_offs(
    database_url: str, make_client: Make, score: str, psychosocial: str, risk: str
) -> None:
    client = _ready(make_client)
    fields = {"startback_score": score, "startback_psychosocial": psychosocial}
    saved = post(client, "/onboarding/measures", {**MEASURES, **fields})

    assert saved.url.path == "/onboarding/starting-point"
    result = _saved(database_url)["startback"]
    assert (result["score"], result["psychosocial"], result["risk"]) == (
        int(score),
        int(psychosocial),
        risk,
    )
    assert result["funding"] == STARTBACK_FUNDING
    assert f"A {risk} risk" in saved.text
    assert _keeles_statements_in(saved.text)


def test_a_high_startback_score_recommends_care_led_by_a_clinician(
    database_url: str, make_client: Make
) -> None:
    client = _ready(make_client)
    fields = {"startback_score": "7", "startback_psychosocial": "5"}
    saved = post(client, "/onboarding/measures", {**MEASURES, **fields})

    assert _saved(database_url)["startback"]["recommendation"] == "clinician_led_care"
    assert RECOMMENDED in saved.text
    assert 'data-recommendation="clinician_led_care"' in saved.text
    assert "physiotherapist" in saved.text
    progress = client.get("/progress")
    assert RECOMMENDED in progress.text
    assert _keeles_statements_in(progress.text)
    # The recommendation does not stop the person going on to a program.
    assert client.get("/start").url.path == "/onboarding/profile"


def test_a_low_or_medium_score_recommends_nothing_extra(make_client: Make) -> None:
    client = _ready(make_client)
    fields = {"startback_score": "6", "startback_psychosocial": "3"}
    saved = post(client, "/onboarding/measures", {**MEASURES, **fields})

    assert "A medium risk" in saved.text
    assert RECOMMENDED not in saved.text
    assert RECOMMENDED not in client.get("/progress").text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"startback_score": "10"}, "startback_score", "STarT Back total: enter a whole number"),
        ({"startback_score": "4.5"}, "startback_score", "from 0 to 9"),
        ({"startback_psychosocial": "6"}, "startback_psychosocial", "from 0 to 5"),
        (
            {"startback_score": "2", "startback_psychosocial": "3"},
            "startback_psychosocial",
            "cannot be more than the total score (2)",
        ),
        (
            {"startback_score": "7", "startback_psychosocial": "1"},
            "startback_psychosocial",
            "a total of 7 needs a psychosocial subscore of at least 3, not 1",
        ),
        (
            {"startback_score": "", "startback_psychosocial": ""},
            "startback_score",
            "or tick “I don&#39;t have a STarT Back score”",
        ),
        ({"startback_psychosocial": ""}, "startback_psychosocial", "subscore too"),
        ({"startback_score": ""}, "startback_score", "total score too"),
        ({"startback_none": "yes"}, "startback_none", "clear the numbers or untick the box"),
    ],
)
def test_impossible_startback_totals_are_refused_by_field(
    database_url: str, make_client: Make, fields: dict[str, str], field: str, message: str
) -> None:
    client = _ready(make_client)
    refused = post(client, "/onboarding/measures", {**MEASURES, **fields})

    assert refused.status_code == 422
    assert message in refused.text
    assert f'<a href="#{field}">' in refused.text
    assert _saved(database_url) == {}


def test_without_a_startback_score_a_person_can_say_so_and_go_on(
    database_url: str, make_client: Make
) -> None:
    client = _ready(make_client)
    saved = post(client, "/onboarding/measures", {**MEASURES, **NO_SCORE})

    assert saved.url.path == "/onboarding/starting-point"
    assert "You did not enter one." in saved.text
    assert _keeles_statements_in(saved.text)
    assert set(_saved(database_url)) == {"nprs", "psfs"}
    assert client.get("/start").url.path == "/onboarding/profile"
    assert post(client, "/onboarding/profile", PROFILE).url.path == "/today"


def test_the_starting_point_shows_what_was_saved(make_client: Make) -> None:
    client = _ready(make_client)
    page = post(client, "/onboarding/measures", {**MEASURES, "rmdq": "7"})

    assert "<strong>Pain:</strong> 6 out of 10." in page.text
    assert "<strong>Putting on socks:</strong> 4 out of 10" in page.text
    assert "<strong>Roland-Morris (RMDQ):</strong> 7 out of 24." in page.text
    assert 'href="/start">Continue</a>' in page.text


def test_the_starting_point_before_any_answer_sends_the_person_on(make_client: Make) -> None:
    client = _ready(make_client)

    assert client.get("/onboarding/starting-point").url.path == "/onboarding/measures"


@pytest.mark.parametrize("rating", ["6.5", "6,5", "5.0", "-1", "11"])
def test_psfs_ratings_are_whole_numbers_named_by_activity(
    database_url: str, make_client: Make, rating: str
) -> None:
    client = _ready(make_client)
    refused = post(client, "/onboarding/measures", {**MEASURES, "psfs_score_1": rating})

    assert refused.status_code == 422
    assert "Rate activity 1 with a whole number from 0 to 10." in refused.text
    assert 'step="1"' in refused.text
    assert _saved(database_url) == {}
