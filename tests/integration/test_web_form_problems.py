"""The pages say every problem the services find at once, each next to its field, in the same
words as before the rules moved to the services, and keep what was typed."""

from __future__ import annotations

import datetime as dt

from backcoach.engine.screening import CHECK_IN_IDS, RED_FLAG_IDS
from tests.integration.onboarded import Onboarded
from tests.training_app import App, finish, sign_up, start, token

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)


def test_a_check_in_says_a_bad_pain_and_each_question_left_together(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    session_id = start(client)
    finish(client, session_id)
    app.clock.at += dt.timedelta(days=1)  # the morning after: the pain is asked
    page = client.get(f"/session/{session_id}/checkin")
    data = {"pain_next_morning": "11", CHECK_IN_IDS[0]: "no", "csrftoken": token(page.text)}
    result = client.post(f"/session/{session_id}/checkin", data=data)

    assert result.status_code == 422
    assert "Pain this morning: please enter a whole number from 0 to 10." in result.text
    assert result.text.count("please answer yes or no.") == 2 * (len(CHECK_IN_IDS) - 1)
    assert f'name="{CHECK_IN_IDS[0]}" value="no" checked' in result.text


def test_a_screening_that_could_not_be_read_still_names_every_question_left(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/onboarding/screening")
    data = {"age": "40", "pregnancy": "none", "night_pain": "no\x00", "csrftoken": token(page.text)}
    result = client.post("/onboarding/screening", data=data)

    assert result.status_code == 422
    assert "characters that cannot be saved" in result.text  # the field's own problem first
    assert result.text.count("please answer yes or no.") == 2 * (len(RED_FLAG_IDS) - 1)
    assert "Please give your age" not in result.text


def test_the_measures_form_names_every_problem_at_once_and_keeps_what_was_typed(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/onboarding/screening")
    answers = {"age": "40", "pregnancy": "none", "csrftoken": token(page.text)}
    client.post("/onboarding/screening", data=answers | dict.fromkeys(RED_FLAG_IDS, "no"))
    page = client.get("/onboarding/measures")
    data = {
        "nprs": "",
        "psfs_name_1": "Putting on socks",
        "psfs_score_1": "6.5",
        "startback_score": "2",
        "startback_psychosocial": "3",
        "odi_1": "3",
        "csrftoken": token(page.text),
    }
    result = client.post("/onboarding/measures", data=data)

    assert result.status_code == 422
    for words in (
        "Please fill this in.",
        "Rate activity 1 with a whole number from 0 to 10.",
        "the psychosocial subscore (3) is part of the total, so it cannot be more than the "
        "total score (2).",
    ):
        assert words in result.text
    assert 'value="Putting on socks"' in result.text
    # Once only said when the rest was right: now with the others, as every problem is.
    assert "sections: at least 8 of 10 sections must be answered, got 1" in result.text
