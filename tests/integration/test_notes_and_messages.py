"""A coach's private notes and the message thread, through the services: what is kept and how it
reads back, unread counts on both sides and opening a thread marking it read, what a link's end
and a new coach change, and refused text (blank, too long, bytes that cannot be kept)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from backcoach.services import coaching, export, messages, notes
from backcoach.services.access import Principal
from backcoach.services.errors import Conflict, Forbidden, Invalid
from backcoach.store.tables import User
from tests.integration.coaching_steps import Cast, accept, cast, coach, invite
from tests.training_app import App

#: Most rules here are the services' own; the unread counts (booleans, NULLs, an index) are
#: the database's too, and run on PostgreSQL as well.
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
MINUTE = dt.timedelta(minutes=1)


def _note(app: App, who: Principal, a: int, text: str) -> notes.NoteView:
    with app.database.unit_of_work() as uow:
        return notes.add_note(uow=uow, principal=who, client_id=a, text=text, now=app.clock.at)


def _notes(app: App, who: Principal, a: int) -> notes.Notes:
    with app.database.unit_of_work() as uow:
        return notes.list_notes(uow=uow, principal=who, client_id=a, now=app.clock.at)


def _send(app: App, who: Principal, a: int, body: str) -> messages.MessageView:
    app.clock.at += MINUTE
    with app.database.unit_of_work() as uow:
        return messages.send(uow=uow, principal=who, client_id=a, body=body, now=app.clock.at)


def _open(app: App, who: Principal, a: int) -> messages.Thread:
    with app.database.unit_of_work() as uow:
        return messages.thread(uow=uow, principal=who, client_id=a, now=app.clock.at)


def _unread(app: App, who: Principal) -> int | None:
    with app.database.unit_of_work() as uow:
        found = messages.nav_messages(uow=uow, principal=who)
    return None if found is None else found.unread


def _end(app: App, people: Cast) -> None:
    with app.database.unit_of_work() as uow:
        coaching.end_link(
            uow=uow, principal=people.client_a, link_id=people.link_id, now=app.clock.at
        )


@SQLITE
def test_notes_read_newest_first_with_their_author_by_the_practice_and_never_the_client(
    app: App,
) -> None:
    people = cast(app)
    a = people.client_a.user_id
    _note(app, people.coach, a, "First session: guarded on hinges.\r\nCue ribs down.")
    app.clock.at += MINUTE
    _note(app, people.colleague, a, "Covered Tuesday; no pain on bridges.")
    read = _notes(app, people.coach, a)
    assert [(n.author, n.text) for n in read.notes] == [
        ("colleague@example.com", "Covered Tuesday; no pain on bridges."),
        ("coach@example.com", "First session: guarded on hinges.\nCue ribs down."),
    ]
    assert read.client_name == "ana@example.com" and read.older is None
    with pytest.raises(Forbidden) as refused:
        _notes(app, people.client_a, a)
    assert refused.value.code == "note.coach_only"
    with app.database.unit_of_work() as uow:  # nor in what the client takes away
        taken = export.export_json(
            uow=uow, principal=people.client_a, person_id=a, now=app.clock.at
        )
    assert "guarded on hinges" not in json.dumps(taken, default=str)
    with app.database.unit_of_work() as uow:  # the author's account goes: the note stays
        uow.session.delete(uow.session.get_one(User, people.colleague.user_id))
        uow.commit()
    assert [n.author for n in _notes(app, people.coach, a).notes] == [None, "coach@example.com"]


@SQLITE
def test_a_note_or_a_message_is_refused_blank_too_long_or_with_bytes_it_cannot_keep(
    app: App,
) -> None:
    people = cast(app)
    a = people.client_a.user_id
    cases = {
        " \r\n\t ": ("blank", {}),
        "x" * 4001: ("too_long", {"max": 4000, "length": 4001}),
        "fine\x00then not": ("bad_characters", {}),
        "a lone \ud800 surrogate": ("bad_characters", {}),
    }
    for text, (problem, params) in cases.items():
        with pytest.raises(Invalid) as note:
            _note(app, people.coach, a, text)
        assert (note.value.code, note.value.field, note.value.params) == (
            f"note.{problem}",
            "text",
            params,
        )
        with pytest.raises(Invalid) as message:
            _send(app, people.client_a, a, text)
        assert (message.value.code, message.value.field) == (f"message.{problem}", "body")
    assert _note(app, people.coach, a, "  " + "y" * 4000 + "\n").text == "y" * 4000
    assert _notes(app, people.coach, a).notes[0].text == "y" * 4000
    assert _open(app, people.client_a, a).messages == ()


def test_unread_counts_on_both_sides_and_opening_the_thread_marks_it_read(app: App) -> None:
    people = cast(app)
    a, b = people.client_a.user_id, people.client_b.user_id
    assert _unread(app, people.client_a) == 0 and _unread(app, people.coach) == 0
    assert _unread(app, people.client_b) is None  # no coach, nothing written: no link
    assert _unread(app, people.admin) is None
    _send(app, people.coach, a, "Welcome! How is the back this week?")
    _send(app, people.coach, a, "Line one.\nLine two.")
    assert _unread(app, people.client_a) == 2
    assert _unread(app, people.coach) == 0  # a coach's own messages are not unread to them

    seen = _open(app, people.client_a, a)
    assert [m.body for m in seen.messages] == [
        "Line one.\nLine two.",
        "Welcome! How is the back this week?",
    ]
    assert [m.read_at for m in seen.messages] == [None, None]  # as they were: both new
    assert seen.can_write and seen.coach_name == "coach@example.com"
    assert _unread(app, people.client_a) == 0
    again = _open(app, people.client_a, a)
    assert all(m.read_at == app.clock.at for m in again.messages)

    _send(app, people.client_a, a, "Better, thanks. Bridges felt fine.")
    assert _unread(app, people.coach) == 1
    assert _unread(app, people.other_coach) == 0
    with app.database.unit_of_work() as uow:
        by_client = messages.unread_by_client(
            uow=uow, principal=people.colleague, client_ids=(a, b)
        )
    assert by_client == {a: 1}  # the practice's caseload sees it too
    _open(app, people.colleague, a)  # a colleague opening it reads it for the practice
    assert _unread(app, people.coach) == 0
    assert _unread(app, people.client_a) == 0


@SQLITE
def test_after_the_link_ends_the_client_keeps_their_history_to_read_and_nobody_writes(
    app: App,
) -> None:
    people = cast(app)
    a = people.client_a.user_id
    _send(app, people.coach, a, "Before the end.")
    _end(app, people)
    with pytest.raises(Forbidden):
        _open(app, people.coach, a)
    with pytest.raises(Forbidden):
        _send(app, people.coach, a, "Are you there?")
    history = _open(app, people.client_a, a)
    assert [m.body for m in history.messages] == ["Before the end."]
    assert not history.can_write and history.coach_name is None
    assert _unread(app, people.client_a) == 0  # shown: the link stays for the history
    with pytest.raises(Conflict) as refused:
        _send(app, people.client_a, a, "Hello?")
    assert (refused.value.code, refused.value.field) == ("message.no_coach", "body")
    assert _unread(app, people.coach) == 0


@SQLITE
def test_a_new_coach_reads_the_thread_from_their_link_on(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    _send(app, people.client_a, a, "To my first coach.")
    _note(app, people.coach, a, "The first practice's note.")
    _end(app, people)
    app.clock.at += MINUTE
    newcomer = coach(app, "new@example.com")
    accept(app, people.client_a, invite(app, newcomer))
    assert _unread(app, newcomer) == 0  # the old unread message was not to them
    assert _open(app, newcomer, a).messages == ()
    assert _notes(app, newcomer, a).notes == ()
    _send(app, people.client_a, a, "Hello, new coach.")
    assert _unread(app, newcomer) == 1
    assert [m.body for m in _open(app, newcomer, a).messages] == ["Hello, new coach."]
    assert [m.body for m in _open(app, people.client_a, a).messages] == [
        "Hello, new coach.",
        "To my first coach.",
    ]


@SQLITE
def test_a_coach_who_comes_back_reads_their_own_notes_again(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    _note(app, people.coach, a, "Mine from before.")
    _end(app, people)
    app.clock.at += MINUTE
    accept(app, people.client_a, invite(app, people.coach))
    assert [n.text for n in _notes(app, people.coach, a).notes] == ["Mine from before."]


@SQLITE
def test_a_long_thread_is_read_a_page_at_a_time(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id
    for n in range(messages.PAGE + 3):
        _send(app, people.coach, a, f"Message {n}")
    first = _open(app, people.client_a, a)
    assert (
        len(first.messages) == messages.PAGE
        and first.messages[0].body == f"Message {messages.PAGE + 2}"
    )
    assert first.older is not None
    with app.database.unit_of_work() as uow:
        rest = messages.thread(
            uow=uow, principal=people.client_a, client_id=a, now=app.clock.at, before=first.older
        )
    assert [m.body for m in rest.messages] == ["Message 2", "Message 1", "Message 0"]
    assert rest.older is None
    assert _unread(app, people.client_a) == 0


@SQLITE
def test_the_thread_is_in_the_persons_export_and_an_import_reads_but_keeps_none(
    app: App,
) -> None:
    """The person takes their messages away (JSON and CSV), said as from "me" or "coach"; an
    import checks them and makes a person with no coach and no thread."""
    import io
    import zipfile

    from backcoach.services.importer import import_export, read_export
    from backcoach.store.care_tables import Message

    people = cast(app)
    a = people.client_a.user_id
    _send(app, people.coach, a, "How did the bridges feel?")
    _send(app, people.client_a, a, "In the glutes, no pain")
    with app.database.unit_of_work() as uow:
        taken = json.loads(
            export.export_json(uow=uow, principal=people.client_a, person_id=a, now=app.clock.at)
        )
    assert [(m["from"], m["body"]) for m in taken["messages"]] == [
        ("coach", "How did the bridges feel?"),
        ("me", "In the glutes, no pain"),
    ]
    with app.database.unit_of_work() as uow:
        archive = export.export_csv_zip(
            uow=uow, principal=people.client_a, person_id=a, now=app.clock.at
        )
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        rows = opened.read("messages.csv").decode().splitlines()
    assert rows[0] == "id,at,from,body,read_at" and "In the glutes, no pain" in rows[2]
    document = taken
    read_export(document)  # checked: a thread is a field of the export
    with app.database.unit_of_work() as uow:
        made = import_export(
            uow=uow,
            document=document,
            email="ana.moved@example.com",
            password_hash="x",
        )
        assert made.email == "ana.moved@example.com"
        moved = uow.session.query(User.id).filter(User.email == "ana.moved@example.com").scalar()
        assert uow.session.query(Message).filter(Message.client_id == moved).count() == 0
