"""A coach's private notes and the message thread between a client and their coach, as JSON
(services/notes.py, services/messages.py). Both page back by id: ``?before={older_before}``
gives the next older page, which new notes or messages never shift."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from backcoach.services import messages, notes
from backcoach.wording.i18n import gettext
from backcoach.wording.message_words import CLIENT_SAFETY_LINE, COACH_SAFETY_LINE


class NoteIn(BaseModel):
    """A private note about the client: read by the coaches who look after them, never by
    the client."""

    model_config = ConfigDict(extra="forbid")

    #: The service names a note over its 4,000 characters (after trimming); this bound only
    #: stops a huge body before it is read.
    text: str = Field(max_length=notes.MAX_CHARS * 2)


class NoteOut(BaseModel):
    id: int
    at: dt.datetime
    text: str
    #: Who wrote it (None when that account is gone).
    author_id: int | None
    author: str | None

    @classmethod
    def of(cls, note: notes.NoteView) -> NoteOut:
        return cls(
            id=note.id, at=note.at, text=note.text, author_id=note.author_id, author=note.author
        )


class NotesPage(BaseModel):
    """A client's notes, newest first (at most 50)."""

    client_id: int
    client_name: str
    items: list[NoteOut]
    #: Ask ``?before=`` this for older notes; None when these are the oldest.
    older_before: int | None

    @classmethod
    def of(cls, found: notes.Notes) -> NotesPage:
        return cls(
            client_id=found.client_id,
            client_name=found.client_name,
            items=[NoteOut.of(note) for note in found.notes],
            older_before=found.older,
        )


class MessageIn(BaseModel):
    """Plain text. A message never carries a red-flag decision: red flags keep their own path
    (the safety questions, a clinician's clearance)."""

    model_config = ConfigDict(extra="forbid")

    #: As for a note: the service names a message over its 4,000 characters.
    body: str = Field(max_length=messages.MAX_CHARS * 2)


class MessageOut(BaseModel):
    id: int
    at: dt.datetime
    body: str
    #: Written by the client (else by a coach who looks after them).
    from_client: bool
    sender_id: int | None
    sender: str | None
    #: When the other side read it (as it was before this reading marked it).
    read_at: dt.datetime | None

    @classmethod
    def of(cls, message: messages.MessageView) -> MessageOut:
        return cls(
            id=message.id,
            at=message.at,
            body=message.body,
            from_client=message.from_client,
            sender_id=message.sender_id,
            sender=message.sender,
            read_at=message.read_at,
        )


class Thread(BaseModel):
    """The thread as one side sees it, newest first (at most 50). Reading it marks the other
    side's messages read."""

    client_id: int
    client_name: str
    #: The coach the client shares with now (None: no one).
    coach_name: str | None
    #: Whether this side may write now (a client: while they share with a coach).
    can_write: bool
    #: Said on every thread: what a message is not for.
    safety_line: str
    items: list[MessageOut]
    #: Ask ``?before=`` this for older messages; None when these are the oldest.
    older_before: int | None

    @classmethod
    def of(cls, found: messages.Thread, *, client_side: bool) -> Thread:
        return cls(
            client_id=found.client_id,
            client_name=found.client_name,
            coach_name=found.coach_name,
            can_write=found.can_write,
            safety_line=gettext(CLIENT_SAFETY_LINE if client_side else COACH_SAFETY_LINE),
            items=[MessageOut.of(message) for message in found.messages],
            older_before=found.older,
        )
