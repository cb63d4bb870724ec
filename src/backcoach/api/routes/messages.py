"""API routes: a coach's private notes about a client, and the message thread between a client
and their coach, from both sides: the coach's (``/coach/clients/{client_id}/messages``) and the
client's own (``/me/messages``). Every rule is the services' (services/notes.py,
services/messages.py), as on the pages (web/routes/messages.py).

A coach's routes answer someone else's client, an unknown one and an impossible id alike
(``client.not_found``, 404), as routes/coach.py does. Notes and threads page back by id
(``?before=``): a page of a thread is not shifted by the messages written since.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from backcoach.api.deps import CallerDayDep, CallerDep, CoachDep, UowDep
from backcoach.api.message_models import MessageIn, MessageOut, NoteIn, NoteOut, NotesPage, Thread
from backcoach.api.problems import PROBLEM_RESPONSES
from backcoach.api.routes.coach import ClientId, one_answer
from backcoach.services import messages, notes
from backcoach.services.access import MAX_ID

router = APIRouter(responses=PROBLEM_RESPONSES)

Before = Annotated[
    int | None, Query(ge=1, lt=MAX_ID, description="Older ones: the `older_before` of a page.")
]


@router.get("/coach/clients/{client_id}/notes", tags=["coach"], summary="A client's notes")
def list_notes(
    client_id: ClientId, caller: CoachDep, uow: UowDep, day: CallerDayDep, before: Before = None
) -> NotesPage:
    """The private notes the coach reads about the client, newest first, with who wrote each:
    those since the client's current link opened, and the coach's and their practice's from
    before. The client never reads them."""
    with one_answer():
        found = notes.list_notes(
            uow=uow, principal=caller.principal, client_id=client_id, now=day.now, before=before
        )
    return NotesPage.of(found)


@router.post(
    "/coach/clients/{client_id}/notes",
    tags=["coach"],
    status_code=status.HTTP_201_CREATED,
    summary="Keep a private note",
)
def add_note(
    client_id: ClientId, body: NoteIn, caller: CoachDep, uow: UowDep, day: CallerDayDep
) -> NoteOut:
    """Plain text, up to 4,000 characters."""
    with one_answer():
        kept = notes.add_note(
            uow=uow, principal=caller.principal, client_id=client_id, text=body.text, now=day.now
        )
    return NoteOut.of(kept)


@router.get(
    "/coach/clients/{client_id}/messages", tags=["coach"], summary="The thread with a client"
)
def coach_thread(
    client_id: ClientId, caller: CoachDep, uow: UowDep, day: CallerDayDep, before: Before = None
) -> Thread:
    """The thread since the client's current link opened, newest first; the client's messages
    shown are marked read."""
    with one_answer():
        found = messages.thread(
            uow=uow, principal=caller.principal, client_id=client_id, now=day.now, before=before
        )
    return Thread.of(found, client_side=False)


@router.post(
    "/coach/clients/{client_id}/messages",
    tags=["coach"],
    status_code=status.HTTP_201_CREATED,
    summary="Write to a client",
)
def coach_send(
    client_id: ClientId, body: MessageIn, caller: CoachDep, uow: UowDep, day: CallerDayDep
) -> MessageOut:
    """Plain text, up to 4,000 characters; never a red-flag decision."""
    with one_answer():
        sent = messages.send(
            uow=uow, principal=caller.principal, client_id=client_id, body=body.body, now=day.now
        )
    return MessageOut.of(sent)


@router.get("/me/messages", tags=["me"], summary="My thread with my coach")
def my_thread(caller: CallerDep, uow: UowDep, day: CallerDayDep, before: Before = None) -> Thread:
    """The whole thread, newest first (it stays readable after sharing ends); the coach's
    messages shown are marked read."""
    found = messages.thread(
        uow=uow, principal=caller.principal, client_id=caller.user_id, now=day.now, before=before
    )
    return Thread.of(found, client_side=True)


@router.post(
    "/me/messages",
    tags=["me"],
    status_code=status.HTTP_201_CREATED,
    summary="Write to my coach",
)
def my_send(body: MessageIn, caller: CallerDep, uow: UowDep, day: CallerDayDep) -> MessageOut:
    """While sharing with a coach (else 409 ``message.no_coach``). For anything about a red
    flag, answer the safety questions instead: a message is never read for one."""
    sent = messages.send(
        uow=uow, principal=caller.principal, client_id=caller.user_id, body=body.body, now=day.now
    )
    return MessageOut.of(sent)
