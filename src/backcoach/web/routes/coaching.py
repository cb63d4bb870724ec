"""The coach's and the client's pages of a link: "Your clients" (/coach) with invitations,
the invitation a client opens (/join/{token}) and agrees to, and ending a link from either
side. Every decision is the services' (services/coaching.py); these pages only show it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from backcoach.engine.attention import RED_FLAG
from backcoach.services import caseload, coaching, messages
from backcoach.services.access import Principal, Role
from backcoach.services.errors import Kind, ServiceError
from backcoach.store.db import UnitOfWork
from backcoach.web.client_refusal import no_such_client
from backcoach.web.deps import (
    ClockDep,
    CurrentPrincipal,
    FormDep,
    OptionalUser,
    PagesDep,
    PersonClock,
    PersonClockDep,
    ServerZoneDep,
    SettingsDep,
    UowDep,
)
from backcoach.wording.attention_words import say_attention
from backcoach.wording.coaching_words import shared_words
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext

router = APIRouter()


def _redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def _refused(error: ServiceError) -> HTTPException:
    status = 404 if error.kind is Kind.NOT_FOUND else 403
    return HTTPException(status_code=status, detail=error_words(error.code, error.params))


def _day(at: dt.datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%-d %b %Y")


# --- the coach: "Your clients", the caseload ----------------------------------------------


@router.get("/coach")
def clients_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    """The caseload, most in need of attention first (services/caseload.py), and invitations."""
    context = _clients(uow, principal, clock, server_zone, _filters(request.query_params))
    context["ended"] = request.query_params.get("ended") == "1"
    context["acknowledged"] = request.query_params.get("acknowledged") == "1"
    return pages.render(request, "coach_clients.html", context)


@router.post("/coach/invite")
def invite(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
    settings: SettingsDep,
) -> Response:
    """A new invitation, shown this once on the page (only its hash is kept)."""
    try:
        made = coaching.create_invite(uow=uow, principal=principal, now=clock.now())
    except ServiceError as error:
        raise _refused(error) from None
    context = _clients(uow, principal, clock, server_zone, _filters(request.query_params))
    # Shown on the coach's own page, never emailed: the request's address is the one the coach
    # is using, so it serves where BACKCOACH_BASE_URL is unset.
    base = settings.base_url or str(request.base_url).rstrip("/")
    context["invite_link"] = f"{base}/join/{made.token}"
    context["invite_expires"] = _day(made.expires_at, clock.zone)
    return pages.render(request, "coach_clients.html", context)


@router.post("/coach/clients/{client_id}/acknowledge")
def acknowledge(
    request: Request,
    client_id: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    form: FormDep,
    pages: PagesDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    """The coach saw an item (with an optional note): it drops until it happens again. A
    refusal is said next to that item's form, with the note as it was typed."""
    values = form.values
    filters = _filters(values)
    code, note = str(values.get("code", "")), str(values.get("note", ""))
    person_id = int(client_id) if client_id.isdecimal() and 0 < int(client_id) < 2**31 else 0
    problem = form.errors.get("note") or next(iter(form.errors.values()), None)
    field = "note"
    if problem is None:
        try:
            caseload.acknowledge(
                uow=uow,
                principal=principal,
                client_id=person_id,
                code=code,
                note=note,
                now=clock.now(),
                server_zone=server_zone,
            )
        except ServiceError as error:
            if error.kind in (Kind.NOT_FOUND, Kind.FORBIDDEN):
                raise no_such_client() from None
            problem, field = error_words(error.code, error.params), error.field or "form"
        else:
            return _redirect("/coach?" + urlencode({**_query(filters), "acknowledged": "1"}))
    context = _clients(uow, principal, clock, server_zone, filters)
    # A problem of the note is said next to it; any other (the item has gone) above the list.
    context["ack_problem"] = {
        "client_id": person_id,
        "code": code,
        "note": note,
        "text": problem,
        "at_note": field == "note",
    }
    return pages.render(request, "coach_clients.html", context, status_code=422)


@dataclass(frozen=True, slots=True)
class _Filters:
    scope: caseload.Scope = "mine"
    show: caseload.Show = "all"
    query: str = ""
    page: int = 1


def _filters(given: Mapping[str, Any]) -> _Filters:
    """The caseload's filters from a query or a form; anything unknown is the default."""
    scope: caseload.Scope = "practice" if given.get("scope") == "practice" else "mine"
    # All by default: sorted by attention, the list still starts with who needs the coach.
    show: caseload.Show = "attention" if given.get("show") == "attention" else "all"
    page = str(given.get("page", "1"))
    number = int(page) if page.isdecimal() and len(page) < 7 else 1
    return _Filters(scope, show, str(given.get("q", ""))[: caseload.MAX_QUERY], max(1, number))


def _query(filters: _Filters, page: int | None = None) -> dict[str, str]:
    """The filters as a link's query: the defaults left out."""
    query = {"scope": filters.scope, "show": filters.show, "q": filters.query}
    query["page"] = str(page if page is not None else filters.page)
    defaults = {"scope": "mine", "show": "all", "q": "", "page": "1"}
    return {name: value for name, value in query.items() if value != defaults[name]}


def _clients(
    uow: UnitOfWork,
    principal: Principal,
    clock: PersonClock,
    server_zone: ZoneInfo,
    filters: _Filters,
) -> dict[str, Any]:
    try:
        found = caseload.caseload(
            uow=uow,
            principal=principal,
            now=clock.now(),
            today=clock.today(),
            scope=filters.scope,
            query=filters.query,
            show=filters.show,
            page=filters.page,
            server_zone=server_zone,
        )
    except ServiceError as error:
        raise _refused(error) from None
    # Who wrote to the coach: a count beside each client, linked to the thread (one statement).
    unread = messages.unread_by_client(
        uow=uow, principal=principal, client_ids=tuple(row.client_id for row in found.rows)
    )
    rows = [
        {
            "client_id": row.client_id,
            "name": row.name,
            "unread": unread.get(row.client_id, 0),
            "coach": row.coach_email if row.coach_id != principal.user_id else None,
            "link_id": row.link_id if row.coach_id == principal.user_id else None,
            "red_flag": row.red_flag,
            "items": [
                {
                    "code": item.code,
                    "words": say_attention(item),
                    "since": _short(item.since),
                    "red_flag": item.code == RED_FLAG,
                }
                for item in row.items
            ],
        }
        for row in found.rows
    ]
    return {
        "title": gettext("Your clients"),
        "nav": "coach",
        "rows": rows,
        "total": found.total,
        "linked": found.linked,
        "page": found.page,
        "pages": found.pages,
        "stale_left": found.stale_left,
        "filters": filters,
        "hidden": _query(filters, page=found.page),
        "previous": _link(filters, found.page - 1) if found.page > 1 else None,
        "next": _link(filters, found.page + 1) if found.page < found.pages else None,
    }


def _link(filters: _Filters, page: int) -> str:
    query = urlencode(_query(filters, page=page))
    return "/coach" + (f"?{query}" if query else "")


def _short(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


# --- the client: an invitation --------------------------------------------------------------


@router.get("/join/{token}")
def join_page(
    request: Request,
    token: str,
    user: OptionalUser,
    uow: UowDep,
    pages: PagesDep,
    clock: ClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    """Who invites and exactly what would be shared; someone not logged in logs in first."""
    context: dict[str, Any] = {"title": gettext("An invitation from a coach"), "token": token}
    if user is None:
        return pages.render(request, "join.html", {**context, "anonymous": True})
    principal = Principal(user.id, user.role)
    try:
        preview = coaching.preview_invite(
            uow=uow, principal=principal, token=token, now=clock.now()
        )
    except ServiceError as error:
        context["problem"] = error_words(error.code, error.params)
        return pages.render(request, "join.html", context, status_code=_status(error))
    context |= {
        "coach_email": preview.coach_email,
        "practice_name": preview.practice_name,
        "shared": shared_words(preview.shared),
        "expires": _day(preview.expires_at, user.zone(server_zone)),
        "current_coach": preview.current_coach_email,
    }
    return pages.render(request, "join.html", context)


@router.post("/join/{token}")
def join(
    request: Request,
    token: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    """The client agrees: the link opens and their account page shows it."""
    try:
        coaching.accept_invite(
            uow=uow, principal=principal, person_id=principal.user_id, token=token, now=clock.now()
        )
    except ServiceError as error:
        context = {
            "title": gettext("An invitation from a coach"),
            "token": token,
            "problem": error_words(error.code, error.params),
        }
        return pages.render(request, "join.html", context, status_code=_status(error))
    return _redirect("/account?coach=joined#coach-heading")


def _status(error: ServiceError) -> int:
    return {Kind.NOT_FOUND: 404, Kind.FORBIDDEN: 403}.get(error.kind, 409)


# --- the client: a practice's code ---------------------------------------------------------


@router.get("/practice-code")
def practice_code_page(
    request: Request, principal: CurrentPrincipal, uow: UowDep, pages: PagesDep, clock: ClockDep
) -> Response:
    """The code's form; with a code, the practice, its coaches and what would be shared."""
    code = request.query_params.get("code", "")[:64]
    if not code:
        return pages.render(request, "practice_code.html", _code_context(code))
    return _practice_code(request, pages, uow, principal, clock.now(), code, {})


@router.post("/practice-code")
def practice_code_join(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: ClockDep,
) -> Response:
    code, coach_email = str(form.values.get("code", "")), str(form.values.get("coach_email", ""))
    if form.ok and not coach_email:
        form.errors["coach_email"] = gettext("Please choose a coach.")
    if form.ok:
        try:
            coaching.join_by_code(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                code=code,
                coach_email=coach_email,
                now=clock.now(),
            )
            return _redirect("/account?coach=joined#coach-heading")
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
    return _practice_code(
        request, pages, uow, principal, clock.now(), code, form.errors, chosen=coach_email
    )


def _code_context(code: str, errors: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "title": gettext("Share with a practice"),
        "errors": errors or {},
        "values": {"code": code},
    }


def _practice_code(
    request: Request,
    pages: PagesDep,
    uow: UnitOfWork,
    principal: Principal,
    now: dt.datetime,
    code: str,
    errors: dict[str, str],
    *,
    chosen: str = "",
) -> Response:
    """The practice's preview, or the code's form again naming what is wrong (422)."""
    try:
        preview = coaching.preview_practice(uow=uow, principal=principal, code=code, now=now)
    except ServiceError as error:
        problems = {**errors, error.field or "form": error_words(error.code, error.params)}
        return pages.render(
            request, "practice_code.html", _code_context(code, problems), status_code=422
        )
    context = _code_context(code, errors) | {
        "practice_name": preview.name,
        "coaches": preview.coach_emails,
        "chosen": chosen,
        "shared": shared_words(preview.shared),
        "current_coach": preview.current_coach_email,
    }
    return pages.render(request, "practice_code.html", context, status_code=422 if errors else 200)


# --- either side: ending a link -------------------------------------------------------------


@router.post("/links/{link_id}/end")
def end_link(
    link_id: int, principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep
) -> Response:
    try:
        coaching.end_link(uow=uow, principal=principal, link_id=link_id, now=clock.now())
    except ServiceError as error:
        raise _refused(error) from None
    if principal.role is Role.COACH:
        return _redirect("/coach?ended=1")
    return _redirect("/account?coach=ended#coach-heading")


def coach_card(
    uow: UnitOfWork, principal: Principal, now: dt.datetime, zone: ZoneInfo
) -> dict[str, Any]:
    """The account page's "Your coach" card: who, since when, what is shared (None: no coach)."""
    if principal.role is not Role.PERSON:
        return {"coach": None}
    link = coaching.my_coach(uow=uow, principal=principal, person_id=principal.user_id, now=now)
    if link is None:
        return {"coach": None}
    return {
        "coach": {
            "link_id": link.id,
            "email": link.coach_email,
            "since": _day(link.started_at, zone),
            "shared": shared_words(link.shared),
        }
    }
