"""Notes and messages over HTTP: the coach writes, the client sees the unread count in the
navigation, reads and answers; a sent form redirects (a reload sends nothing twice); refused text
comes back as typed, with the words next to the field; who may open which page; the pages in the
pseudo-language; and the navigation's count costs one statement, on pages only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.services import coaching, messages, notes
from backcoach.store.care_tables import CoachNote, Message
from backcoach.store.tables import User
from backcoach.wording.i18n import translations_in
from tests.integration.coaching_steps import Cast, cast
from tests.integration.test_i18n_pages import unmarked_words
from tests.integration.test_query_counts import statements_run
from tests.support.messages import OPEN, pseudo_translations
from tests.training_app import PASSWORD, App, token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _log_in(app: App, email: str) -> TestClient:
    client = app.client()
    page = client.get("/login")
    done = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    )
    assert done.status_code == 200, done.text
    return client


def _post(client: TestClient, address: str, **fields: str) -> object:
    page = client.get(address)
    return client.post(
        address, data={**fields, "csrftoken": token(page.text)}, follow_redirects=False
    )


def _count(app: App, table: type[Message] | type[CoachNote]) -> int:
    return int(app.query(select(func.count()).select_from(table)))


def _nav(page: str) -> str:
    found = re.search(r'<nav aria-label="Main">.*?</nav>', page, re.S)
    assert found
    return found.group(0)


@pytest.fixture
def people(app: App) -> Cast:
    return cast(app)


def test_the_coach_writes_the_client_sees_the_count_reads_and_answers(
    app: App, people: Cast
) -> None:
    a = people.client_a.user_id
    coach, ana = _log_in(app, "coach@example.com"), _log_in(app, "ana@example.com")
    assert '<a href="/messages">Messages</a>' in _nav(ana.get("/today").text)
    thread = f"/coach/clients/{a}/messages"
    assert "No messages yet." in coach.get(thread).text

    sent = _post(coach, thread, body="Hi Ana,\r\n<b>keep</b> going")
    assert (sent.status_code, sent.headers["location"]) == (303, f"{thread}?sent=1")  # type: ignore[attr-defined]
    shown = coach.get(f"{thread}?sent=1").text
    assert "Message sent." in shown
    assert "Hi Ana,<br>&lt;b&gt;keep&lt;/b&gt; going" in shown
    coach.get(f"{thread}?sent=1")  # a reload sends nothing
    assert _count(app, Message) == 1

    assert '<a href="/messages">Messages (1 new)</a>' in _nav(ana.get("/today").text)
    read = ana.get("/messages").text
    assert "<strong>New</strong>" in read and "&lt;b&gt;keep&lt;/b&gt;" in read
    assert "answer the safety questions again" in read and 'href="/onboarding/screening"' in read
    assert '<a href="/messages" aria-current="page">Messages</a>' in read  # now read
    answered = _post(ana, "/messages", body="Thanks! Bridges felt easy.")
    assert answered.headers["location"] == "/messages?sent=1"  # type: ignore[attr-defined]
    assert "Message sent." in ana.get("/messages?sent=1").text

    assert '<a href="/coach">Messages (1 new)</a>' in _nav(coach.get("/coach").text)
    again = coach.get(thread).text
    assert "Bridges felt easy." in again and "Read 23 Nov 2026, 09:00" in again
    assert '<a href="/coach">Messages</a>' in _nav(again)
    assert "A message is not where a warning sign is judged." in again


def test_notes_are_kept_newest_first_in_the_coachs_zone_and_refused_text_comes_back(
    app: App, people: Cast
) -> None:
    a = people.client_a.user_id
    with app.database.unit_of_work() as uow:
        uow.session.get_one(User, people.coach.user_id).time_zone = "Pacific/Auckland"
        uow.commit()
    coach = _log_in(app, "coach@example.com")
    address = f"/coach/clients/{a}/notes"
    assert "No notes yet." in coach.get(address).text
    blank = _post(coach, address, text="  \r\n ")
    assert blank.status_code == 422  # type: ignore[attr-defined]
    assert 'id="text-error">Please write the note before saving it.' in blank.text  # type: ignore[attr-defined]
    long = "Hinge pattern. " * 300  # 4,500 characters: over the limit, and over the form's own
    refused = _post(coach, address, text=long)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "A note can be at most 4000 characters: this one has 4499." in refused.text  # type: ignore[attr-defined]
    assert f">{long}</textarea>" in refused.text  # type: ignore[attr-defined]
    bad = _post(coach, address, text="fine\x00then")
    assert bad.status_code == 422 and "cannot be saved" in bad.text  # type: ignore[attr-defined]
    assert _count(app, CoachNote) == 0

    kept = _post(coach, address, text="Longer than a form field keeps. " * 90)  # 2,880 characters
    assert kept.headers["location"] == f"{address}?saved=1"  # type: ignore[attr-defined]
    app.clock.at = app.clock.at.replace(hour=10)
    _post(coach, address, text="Second")
    page = coach.get(f"{address}?saved=1").text
    assert "Note saved." in page
    assert page.index("Second") < page.index("Longer than a form field")
    assert "23 Nov 2026, 23:00" in page and "23 Nov 2026, 22:00" in page  # the coach's zone
    assert "<strong>You</strong>" in page
    colleague = _log_in(app, "colleague@example.com").get(address).text
    assert (
        "<strong>coach@example.com</strong>" in colleague
        and "<strong>You</strong>" not in colleague
    )
    ana = _log_in(app, "ana@example.com")
    for page_address in ("/messages", "/today", "/progress", "/account", address):
        assert "Longer than a form field" not in ana.get(page_address).text, page_address


def test_who_may_open_the_notes_and_the_thread(app: App, people: Cast) -> None:
    a = people.client_a.user_id
    pages = [f"/coach/clients/{a}/notes", f"/coach/clients/{a}/messages"]
    assert app.client().get(pages[0], follow_redirects=False).headers["location"] == "/login"
    for email in ("ana@example.com", "bo@example.com", "other@example.com", "admin@example.com"):
        someone = _log_in(app, email)
        for address in pages:
            assert someone.get(address).status_code == 404, (email, address)
            field = "text" if address.endswith("notes") else "body"
            page = someone.get("/account")  # a token from a page they may open
            posted = someone.post(address, data={field: "x", "csrftoken": token(page.text)})
            assert posted.status_code == 404, (email, address)
    assert _count(app, Message) == _count(app, CoachNote) == 0
    colleague = _log_in(app, "colleague@example.com")
    assert all(colleague.get(address).status_code == 200 for address in pages)
    assert colleague.get("/coach/clients/abc/notes").status_code == 404
    assert colleague.get(f"/coach/clients/{a}/notes?before=x").status_code == 400

    bo = _log_in(app, "bo@example.com")
    alone = bo.get("/messages").text
    assert "no one to write to yet" in alone and 'name="body"' not in alone
    assert "Messages" not in _nav(alone)
    tried = bo.post("/messages", data={"body": "Hello?", "csrftoken": token(alone)})
    assert tried.status_code == 409 and "Hello?</textarea>" in tried.text


def test_after_the_link_ends_the_coach_sees_nothing_and_the_client_reads_their_history(
    app: App, people: Cast
) -> None:
    a = people.client_a.user_id
    coach, ana = _log_in(app, "coach@example.com"), _log_in(app, "ana@example.com")
    _post(coach, f"/coach/clients/{a}/messages", body="See you Thursday.")
    open_thread = coach.get(f"/coach/clients/{a}/messages").text
    with app.database.unit_of_work() as uow:
        coaching.end_link(uow=uow, principal=people.coach, link_id=people.link_id, now=app.clock.at)
    assert coach.get(f"/coach/clients/{a}/messages").status_code == 404
    late = coach.post(  # written before the link ended, sent after: not sent, and not lost
        f"/coach/clients/{a}/messages",
        data={"body": "And bring <the band>", "csrftoken": token(open_thread)},
    )
    assert late.status_code == 404 and "The message was not sent" in late.text
    assert ">And bring &lt;the band&gt;</textarea>" in late.text
    history = ana.get("/messages").text
    assert "See you Thursday." in history and "no one to write to" in history
    assert 'name="body"' not in history
    assert '<a href="/messages" aria-current="page">Messages</a>' in history  # history, no form


def test_the_pages_say_every_word_in_the_active_language(app: App, people: Cast) -> None:
    a = people.client_a.user_id
    coach, ana = _log_in(app, "coach@example.com"), _log_in(app, "ana@example.com")
    bo = _log_in(app, "bo@example.com")
    _post(coach, f"/coach/clients/{a}/notes", text="Guarded on hinges")
    _post(coach, f"/coach/clients/{a}/messages", body="Hello Ana")
    pages: dict[str, str] = {}
    with translations_in(pseudo_translations()):
        pages["notes"] = coach.get(f"/coach/clients/{a}/notes?saved=1").text
        pages["a refused note"] = _post(coach, f"/coach/clients/{a}/notes", text=" ").text  # type: ignore[attr-defined]
        pages["the client's thread"] = ana.get("/messages?sent=1").text
        pages["a refused message"] = _post(ana, "/messages", body="x" * 4001).text  # type: ignore[attr-defined]
        _post(ana, "/messages", body="Hi coach")
        pages["the coach's thread"] = coach.get(f"/coach/clients/{a}/messages?sent=1").text
        pages["no coach"] = bo.get("/messages").text
        b = people.client_b.user_id  # not the coach's: what they wrote comes back to copy
        pages["not kept"] = _post(coach, f"/coach/clients/{b}/notes", text="Guarded on hinges").text  # type: ignore[attr-defined]
        pages["the nav's count"] = coach.get("/coach").text
    data = ["coach@example.com", "ana@example.com", "Guarded on hinges", "Hello Ana", "Hi coach"]
    data += ["x" * 4001, "backcoach", "23 Nov 2026, 09:00", "4000", "4001"]
    assert 'id="typed"' in pages["not kept"]
    left = {}
    for name, page in pages.items():
        assert OPEN in page, name
        if words := unmarked_words(page, data):
            left[name] = words
    assert not left, f"words not marked for translation: {left}"


def test_the_navigation_count_is_one_statement_on_a_page_and_none_on_the_calendar(
    app: App, people: Cast
) -> None:
    ana = _log_in(app, "ana@example.com")
    with statements_run(app.database.engine) as sent:
        assert ana.get("/today").status_code == 200
    assert len([s for s in sent if "messages" in s]) == 1
    feed = app.query(select(User.calendar_token).where(User.id == people.client_a.user_id))
    with statements_run(app.database.engine) as sent:
        assert ana.get(f"/calendar/{feed}.ics").status_code == 200
    assert not [s for s in sent if "messages" in s]
    with statements_run(app.database.engine) as sent:  # an error's page asks nothing more
        assert ana.get("/coach").status_code == 403
    assert not [s for s in sent if "messages" in s]


def test_a_long_thread_and_many_notes_cost_the_statements_of_a_few(app: App, people: Cast) -> None:
    a = people.client_a.user_id
    coach, ana = _log_in(app, "coach@example.com"), _log_in(app, "ana@example.com")
    pages = {
        "coach's thread": (coach, f"/coach/clients/{a}/messages"),
        "client's thread": (ana, "/messages"),
        "notes": (coach, f"/coach/clients/{a}/notes"),
    }

    def write(count: int) -> None:
        with app.database.unit_of_work() as uow:
            for n in range(count):
                app.clock.at += dt.timedelta(seconds=1)
                who = people.client_a if n % 2 else people.coach
                messages.send(uow=uow, principal=who, client_id=a, body=f"{n}", now=app.clock.at)
                notes.add_note(
                    uow=uow, principal=people.coach, client_id=a, text=f"{n}", now=app.clock.at
                )

    def statements() -> dict[str, int]:
        counts = {}
        for name, (client, address) in pages.items():
            client.get(address)  # both sides have read what there is
            with statements_run(app.database.engine) as sent:
                assert client.get(address).status_code == 200
            counts[name] = len(sent)
        return counts

    write(3)
    few = statements()
    write(120)
    assert statements() == few
