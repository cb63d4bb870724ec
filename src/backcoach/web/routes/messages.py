"""A coach's private notes about a client (/coach/clients/{id}/notes) and the message thread
between a client and their coach: the coach's side (/coach/clients/{id}/messages) and the
client's (/messages). Every rule is the services' (services/notes.py, services/messages.py);
these pages say what they answer. A saved note or a sent message redirects (post, redirect,
get), so reloading the page never sends it twice; a refused one is shown back as typed.

Whoever is not the client's coach or a colleague of that coach's practice gets the same "not
found" as for an address that names no client, as on the client's page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from backcoach.services import messages, notes
from backcoach.services.access import Principal, Role
from backcoach.services.errors import Forbidden, Kind, NotFound, ServiceError
from backcoach.store.db import UnitOfWork
from backcoach.web.client_refusal import no_such_client
from backcoach.web.deps import CurrentPrincipal, FormDep, PagesDep, PersonClockDep, UowDep
from backcoach.web.forms import MAX_FIELD_CHARS, FormInput
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext
from backcoach.wording.message_words import CLIENT_SAFETY_LINE, COACH_SAFETY_LINE

router = APIRouter()
#: Account and message ids are 32-bit integers in the database; a larger number names nothing.
LARGEST_ID = 2**31 - 1
#: What the form layer says of a field longer than it keeps; a note or a message may be longer
#: (up to the services' MAX_CHARS), so the services' own words replace it.
_FORM_TOO_LONG = f"This is too long: use at most {MAX_FIELD_CHARS:,} characters."


def _number(given: str | None, *, client: bool) -> int | None:
    if given is None or given == "":
        return None
    if given.isascii() and given.isdigit() and len(given) <= 10 and 1 <= int(given) <= LARGEST_ID:
        return int(given)
    if client:
        raise no_such_client()
    raise HTTPException(status_code=400, detail=gettext("Check the link and try again."))


def _client_number(client_id: str, principal: Principal) -> int:
    """The client a coach's address names; the client's own thread is /messages."""
    number = _number(client_id, client=True)
    if number is None or principal.role is not Role.COACH or number == principal.user_id:
        raise no_such_client()
    return number


def _typed(form: FormInput, field: str) -> str:
    """What was typed in ``field``, as it was; a note or a message longer than the form layer
    keeps is the service's to refuse, in its own words."""
    value = form.values.get(field, "")
    if form.errors.get(field) == _FORM_TOO_LONG:
        del form.errors[field]
    return value if isinstance(value, str) else ""


def _when(at: dt.datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%-d %b %Y, %H:%M")


def _redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def _not_kept(request: Request, pages: PagesDep, title: str, typed: str) -> Response:
    """Not this coach's client (any more: sharing may have ended while they wrote): the same
    404 as for any address that is not theirs, with what they wrote to copy."""
    context = {"title": title, "nav": "coach", "typed": typed}
    return pages.render(request, "not_kept.html", context, status_code=404)


def _problem(form: FormInput, error: ServiceError) -> int:
    """The refusal's words next to its field; the page's status."""
    form.errors[error.field or "form"] = error_words(error.code, error.params)
    return 409 if error.kind is Kind.CONFLICT else 422


# --- a coach's private notes -----------------------------------------------------------------


@router.get("/coach/clients/{client_id}/notes")
def notes_page(
    request: Request,
    client_id: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    context = _notes(request, uow, principal, _client_number(client_id, principal), clock)
    context["saved"] = request.query_params.get("saved") == "1"
    return pages.render(request, "coach_notes.html", context)


@router.post("/coach/clients/{client_id}/notes")
def add_note(
    request: Request,
    client_id: str,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    number = _client_number(client_id, principal)
    text = _typed(form, "text")
    status = 422
    if form.ok:
        try:
            notes.add_note(
                uow=uow, principal=principal, client_id=number, text=text, now=clock.now()
            )
            return _redirect(f"/coach/clients/{number}/notes?saved=1")
        except (Forbidden, NotFound):
            return _not_kept(request, pages, gettext("The note was not saved"), text)
        except ServiceError as error:
            status = _problem(form, error)
    context = _notes(request, uow, principal, number, clock)
    context |= {"errors": form.errors, "values": {"text": text}}
    return pages.render(request, "coach_notes.html", context, status_code=status)


def _notes(
    request: Request, uow: UnitOfWork, principal: Principal, client_id: int, clock: PersonClockDep
) -> dict[str, Any]:
    before = _number(request.query_params.get("before"), client=False)
    try:
        found = notes.list_notes(
            uow=uow, principal=principal, client_id=client_id, now=clock.now(), before=before
        )
    except (Forbidden, NotFound):
        raise no_such_client() from None
    return {
        "title": gettext("Private notes"),
        "nav": "coach",
        "client_name": found.client_name,
        "base": f"/coach/clients/{client_id}",
        "notes": [
            {
                "author": gettext("You")
                if note.author_id == principal.user_id
                else note.author or gettext("A coach no longer here"),
                "at": _when(note.at, clock.zone),
                "iso": note.at.isoformat(),
                "lines": note.text.split("\n"),
            }
            for note in found.notes
        ],
        "older": found.older,
        "paged": before is not None,
        "max_chars": notes.MAX_CHARS,
    }


# --- the thread, the coach's side --------------------------------------------------------------


@router.get("/coach/clients/{client_id}/messages")
def coach_thread_page(
    request: Request,
    client_id: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    context = _coach_thread(request, uow, principal, _client_number(client_id, principal), clock)
    context["sent"] = request.query_params.get("sent") == "1"
    return pages.render(request, "coach_messages.html", context)


@router.post("/coach/clients/{client_id}/messages")
def coach_send(
    request: Request,
    client_id: str,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    number = _client_number(client_id, principal)
    body = _typed(form, "body")
    status = 422
    if form.ok:
        try:
            messages.send(
                uow=uow, principal=principal, client_id=number, body=body, now=clock.now()
            )
            return _redirect(f"/coach/clients/{number}/messages?sent=1")
        except (Forbidden, NotFound):
            return _not_kept(request, pages, gettext("The message was not sent"), body)
        except ServiceError as error:
            status = _problem(form, error)
    context = _coach_thread(request, uow, principal, number, clock)
    context |= {"errors": form.errors, "values": {"body": body}}
    return pages.render(request, "coach_messages.html", context, status_code=status)


def _coach_thread(
    request: Request, uow: UnitOfWork, principal: Principal, client_id: int, clock: PersonClockDep
) -> dict[str, Any]:
    before = _number(request.query_params.get("before"), client=False)
    try:
        found = messages.thread(
            uow=uow, principal=principal, client_id=client_id, now=clock.now(), before=before
        )
    except (Forbidden, NotFound):
        raise no_such_client() from None
    return {
        "title": gettext("Messages with {name}").format(name=found.client_name),
        "nav": "coach",
        "client_name": found.client_name,
        "base": f"/coach/clients/{client_id}",
        "thread": _items(found, principal, clock.zone),
        "older": found.older,
        "paged": before is not None,
        "safety_line": gettext(COACH_SAFETY_LINE),
        "max_chars": messages.MAX_CHARS,
    }


# --- the thread, the client's side -------------------------------------------------------------


@router.get("/messages")
def client_thread_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    if principal.role is Role.COACH:  # a coach's threads are their clients'
        return _redirect("/coach")
    context = _client_thread(request, uow, principal, clock)
    context["sent"] = request.query_params.get("sent") == "1"
    return pages.render(request, "messages.html", context)


@router.post("/messages")
def client_send(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    body = _typed(form, "body")
    status = 422
    if form.ok:
        try:
            messages.send(
                uow=uow,
                principal=principal,
                client_id=principal.user_id,
                body=body,
                now=clock.now(),
            )
            return _redirect("/messages?sent=1")
        except ServiceError as error:
            status = _problem(form, error)
    context = _client_thread(request, uow, principal, clock)
    context |= {"errors": form.errors, "values": {"body": body}}
    return pages.render(request, "messages.html", context, status_code=status)


def _client_thread(
    request: Request, uow: UnitOfWork, principal: Principal, clock: PersonClockDep
) -> dict[str, Any]:
    before = _number(request.query_params.get("before"), client=False)
    found = messages.thread(
        uow=uow, principal=principal, client_id=principal.user_id, now=clock.now(), before=before
    )
    return {
        "title": gettext("Messages"),
        "nav": "messages",
        "coach_name": found.coach_name,
        "can_write": found.can_write,
        "thread": _items(found, principal, clock.zone),
        "older": found.older,
        "paged": before is not None,
        "safety_line": gettext(CLIENT_SAFETY_LINE),
        "max_chars": messages.MAX_CHARS,
    }


def _items(found: messages.Thread, principal: Principal, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Each message as the page says it: who (you, or by name), when, and whether it is new to
    this side or, for this side's own, read by the other."""
    is_client = principal.user_id == found.client_id
    items = []
    for message in found.messages:
        mine = message.sender_id == principal.user_id
        ours = message.from_client == is_client  # this side's (a colleague's, for a coach)
        sender = gettext("You") if mine else message.sender or gettext("An account no longer here")
        items.append(
            {
                "mine": mine,
                "sender": sender,
                "at": _when(message.at, zone),
                "iso": message.at.isoformat(),
                "lines": message.body.split("\n"),
                "new": not ours and message.read_at is None,
                "read_at": _when(message.read_at, zone) if ours and message.read_at else None,
            }
        )
    return items
