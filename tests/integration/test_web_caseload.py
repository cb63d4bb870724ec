"""The caseload page over HTTP: who needs the coach, why in words with the day, a red flag said
as one (not by colour alone) and never offered to acknowledge, acknowledging with a note (kept
when refused), filters kept across pages; and the name a person gives their coach."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.engine.screening import all_clear
from backcoach.engine.vocabulary import LegSymptoms
from backcoach.services import onboarding
from backcoach.store.care_tables import AttentionAck
from backcoach.store.tables import User
from backcoach.wording.i18n import translations_in
from tests.integration.attention_steps import coached, train
from tests.integration.coaching_steps import accept, client, invite
from tests.integration.test_i18n_pages import unmarked_words
from tests.integration.test_query_counts import statements_run
from tests.support.messages import OPEN, pseudo_translations
from tests.training_app import PASSWORD, App, token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _log_in(app: App, email: str) -> TestClient:
    client = app.client()
    page = client.get("/login")
    client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    )
    return client


def test_the_caseload_says_why_and_acknowledging_keeps_a_note(app: App) -> None:
    _, ana = coached(app)
    train(app, ana, app.clock.today(), before=3, during=8)
    coach = _log_in(app, "coach@example.com")
    page = coach.get("/coach")
    assert page.status_code == 200
    assert f'<a href="/coach/clients/{ana.user_id}">ana@example.com</a>' in page.text
    assert "Pain flare after the session on Mon 23 Nov" in page.text
    assert "Since Mon 23 Nov." in page.text
    assert 'name="code" value="attention.flare"' in page.text
    action = f"/coach/clients/{ana.user_id}/acknowledge"
    form = {"csrftoken": token(page.text), "code": "attention.flare", "show": "attention"}
    refused = coach.post(action, data={**form, "note": "x" * 1001})
    assert refused.status_code == 422
    assert "Please keep the note to 1000 characters." in refused.text
    assert ">" + "x" * 1001 + "</textarea>" in refused.text  # nothing typed is lost
    done = coach.post(action, data={**form, "note": "Called: moved house"})
    assert done.url.path == "/coach" and done.url.query == b"show=attention&acknowledged=1"
    assert "Acknowledged" in done.text and "ana@example.com" not in done.text
    assert app.query(select(AttentionAck.note)) == "Called: moved house"
    gone = coach.post(action, data=form)  # no longer on the list: said, not a failure
    assert gone.status_code == 422 and "no longer on this client" in gone.text
    other = _log_in(app, "ana@example.com")
    assert other.get("/coach").status_code == 403
    # Acknowledging for a client who is not yours: the same 404 as a client who does not exist.
    assert (
        other.post(action, data={**form, "csrftoken": token(other.get("/today").text)}).status_code
        == 404
    )


def test_a_red_flag_is_said_in_words_and_cannot_be_acknowledged(app: App) -> None:
    _, ana = coached(app)
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(
            uow=uow,
            principal=ana,
            person_id=ana.user_id,
            answers={**all_clear(age=44), "saddle_numbness": True},
            today=app.clock.today(),
            now=app.clock.at,
        )
    page = _log_in(app, "coach@example.com").get("/coach")
    assert '<p class="urgent-note">Red flag on Mon 23 Nov, not cleared by a clinician' in page.text
    assert 'value="attention.red_flag"' not in page.text


def test_filters_are_kept_across_pages_and_unknown_ones_are_the_defaults(app: App) -> None:
    coached(app)
    coach = _log_in(app, "coach@example.com")
    page = coach.get("/coach?scope=practice&show=all&q=an%25&page=abc")
    assert page.status_code == 200
    assert 'value="practice" checked' in page.text and 'value="an%"' in page.text
    assert "No client matches." in page.text
    none_yet = coach.get("/coach?scope=nonsense&show=attention")
    assert 'value="mine" checked' in none_yet.text and "No client needs you now." in none_yet.text
    links = re.findall(r'href="(/coach\?[^"]*page=\d[^"]*)"', page.text)
    assert links == []  # one page only


def test_a_person_names_themselves_for_their_coach(app: App) -> None:
    coached(app)
    ana = _log_in(app, "ana@example.com")
    page = ana.get("/account")
    assert 'id="display_name"' in page.text
    form = {"csrftoken": token(page.text)}
    too_long = ana.post("/account/name", data={**form, "display_name": "A" * 81})
    assert too_long.status_code == 422 and 'value="' + "A" * 81 + '"' in too_long.text
    saved = ana.post("/account/name", data={**form, "display_name": "  Ana   Silva "})
    assert "Your name is saved." in saved.text and 'value="Ana Silva"' in saved.text
    assert app.query(select(User.display_name).where(User.email == "ana@example.com")) == (
        "Ana Silva"
    )
    assert ">Ana Silva</a>" in _log_in(app, "coach@example.com").get("/coach").text


def test_every_word_of_the_caseload_is_marked(app: App) -> None:
    _, ana = coached(app)
    train(app, ana, app.clock.today(), before=3, during=8, legs=LegSymptoms.FURTHER_DOWN)
    coach = _log_in(app, "coach@example.com")
    pages: dict[str, str] = {}
    with translations_in(pseudo_translations()):
        page = coach.get("/coach?scope=practice")
        pages["caseload"] = page.text
        pages["a note refused"] = coach.post(
            f"/coach/clients/{ana.user_id}/acknowledge",
            data={"csrftoken": token(page.text), "code": "attention.flare", "note": "x" * 1001},
        ).text
        pages["nothing matches"] = coach.get("/coach?q=zzz").text
        pages["no one needs you"] = coach.get("/coach?show=attention&q=zzz").text
        pages["account"] = _log_in(app, "ana@example.com").get("/account").text
    data = ["ana@example.com", "coach@example.com", "x" * 1001, "zzz", "backcoach", "UTC"]
    for name, html in pages.items():
        assert OPEN in html, name
        assert not unmarked_words(html, data), (name, unmarked_words(html, data))


def test_the_caseload_costs_the_same_statements_for_one_client_or_four(app: App) -> None:
    mine, _ = coached(app)
    coach = _log_in(app, "coach@example.com")
    counts = []
    for number in range(4):
        if number:
            other = client(app, f"c{number}@example.com")
            accept(app, other, invite(app, mine))
            train(app, other, app.clock.today(), before=3, during=8)
        coach.get("/coach")  # the stale rows, if any, are worked out on the first view
        with statements_run(app.database.engine) as sent:
            assert coach.get("/coach?scope=practice").status_code == 200
        counts.append(len(sent))
    assert counts[0] == counts[-1], counts


def test_a_clients_new_messages_are_counted_on_their_row_and_ending_a_link_asks_first(
    app: App,
) -> None:
    """The coach's "Messages (1 new)" leads to the caseload, where the row of the client who
    wrote says so and links to the thread; ending a link is a second step, said in words."""
    from backcoach.services import messages

    _, ana = coached(app)
    with app.database.unit_of_work() as uow:
        messages.send(
            uow=uow, principal=ana, client_id=ana.user_id, body="Leg tingling", now=app.clock.at
        )
    coach = _log_in(app, "coach@example.com")
    page = coach.get("/coach").text
    thread = f"/coach/clients/{ana.user_id}/messages"
    assert f'<a class="unread" href="{thread}">1 new message</a>' in page
    assert "<summary>End the link…</summary>" in page
    assert "You will no longer see anything of ana@example.com" in page
    coach.get(thread)  # read: the row says nothing more
    assert 'class="unread"' not in coach.get("/coach").text
