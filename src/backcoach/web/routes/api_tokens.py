"""The account's access tokens for the JSON API: make one (shown once, in the answer itself),
see them all, revoke one. The services are services/tokens.py; the API lists and revokes too,
but only these pages and the command line make tokens (a leaked token cannot make more)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from backcoach.services import tokens
from backcoach.services.access import Principal
from backcoach.services.errors import Invalid, ServiceError
from backcoach.web.deps import (
    CurrentPrincipal,
    FormDep,
    PagesDep,
    PersonClock,
    PersonClockDep,
    UowDep,
)
from backcoach.web.forms import text
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext

router = APIRouter()
#: The tokens listed, newest first (revoked ones stay listed; the page says when there are more).
TOKENS_SHOWN = 100
#: Lifetimes offered as suggestions; any whole number of days up to tokens.MAX_DAYS is taken.
SUGGESTED_DAYS = (30, 90, 365)


@router.get("/account/tokens")
def tokens_page(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    revoked = request.query_params.get("revoked") == "1"
    return _page(request, pages, {"revoked": revoked, **_listed(uow, principal, clock)})


@router.post("/account/tokens")
def make_token(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    """Make a token and answer with it on this page, this once: never in an address or a
    redirect, so it is in no history, log or Referer."""
    values = {name: text(form.values, name) for name in ("name", "access", "days")}
    if form.ok:
        try:
            days = _days(values["days"])
            made = tokens.create_token(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                name=values["name"],
                scopes=(values["access"],),
                expires_in_days=days,
                now=clock.now(),
            )
            shown = {"name": made.view.name, "secret": made.secret}
            return _page(request, pages, {"made": shown, **_listed(uow, principal, clock)})
        except ServiceError as error:
            problems = error.problems if isinstance(error, Invalid) else (error,)
            for problem in problems:
                field = _FORM_FIELDS.get(problem.field or "", "form")
                form.errors.setdefault(field, error_words(problem.code, problem.params))
    context = {"errors": form.errors, "values": values, **_listed(uow, principal, clock)}
    return _page(request, pages, context, status_code=422)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request,
    token_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
) -> Response:
    try:
        tokens.revoke_token(
            uow=uow,
            principal=principal,
            person_id=principal.user_id,
            token_id=token_id,
            now=clock.now(),
        )
    except ServiceError as error:  # not a token of this account (or no token at all)
        errors = {"form": error_words(error.code, error.params)}
        context = {"errors": errors, **_listed(uow, principal, clock)}
        return _page(request, pages, context, status_code=404)
    return RedirectResponse("/account/tokens?revoked=1#tokens-heading", status_code=303)


#: The service's fields, as this form names them.
_FORM_FIELDS = {"name": "name", "scopes": "access", "expires_in_days": "days"}


def _days(typed: str) -> int | None:
    """The lifetime typed, in days (empty: none). What is not a whole number goes on as 0, out
    of range: the service refuses it with its own words, next to any other problem."""
    if not typed:
        return None
    return int(typed) if typed.isdigit() and len(typed) <= 6 else 0


def _listed(uow: UowDep, principal: Principal, clock: PersonClock) -> dict[str, Any]:
    """The account's tokens as the page lists them, at the times of the person's own zone."""
    now, zone = clock.now(), clock.zone
    held = tokens.list_tokens(
        uow=uow, principal=principal, person_id=principal.user_id, limit=TOKENS_SHOWN + 1
    )
    return {
        "tokens": [_row(view, now, zone) for view in held[:TOKENS_SHOWN]],
        "tokens_more": len(held) > TOKENS_SHOWN,
        "tokens_shown_at_most": TOKENS_SHOWN,
        "max_days": tokens.MAX_DAYS,
        "suggested_days": SUGGESTED_DAYS,
    }


def _row(view: tokens.TokenView, now: dt.datetime, zone: ZoneInfo) -> dict[str, Any]:
    def at(moment: dt.datetime | None) -> str | None:
        return moment.astimezone(zone).strftime("%-d %b %Y, %H:%M") if moment else None

    live = "active" if view.live(now) else "expired"
    state = "revoked" if view.revoked_at is not None else live
    return {
        "id": view.id,
        "name": view.name,
        "prefix": view.prefix,
        "writes": "write" in view.scopes,
        "created": at(view.created_at),
        "expires": at(view.expires_at),
        "last_used": at(view.last_used_at),
        "revoked": at(view.revoked_at),
        "state": state,
    }


def _page(
    request: Request, pages: PagesDep, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    return pages.render(
        request,
        "api_tokens.html",
        {"title": gettext("Access tokens"), "nav": "account", **context},
        status_code=status_code,
    )
