"""The account page: email, password, the name a coach sees, time zone, export, delete.

The program's own settings (kit, level, days, a pause) are on /account/program
(web/routes/profile.py); signing up and logging in are in web/routes/accounts.py and
web/routes/sign_in.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from backcoach.services import access, accounts, caseload, export, own_account
from backcoach.services.access import Principal
from backcoach.services.errors import ServiceError
from backcoach.web.deps import (
    SESSION_COOKIE,
    CurrentPrincipal,
    CurrentUser,
    FormDep,
    OptionalUser,
    PagesDep,
    PersonClock,
    PersonClockDep,
    ServerZoneDep,
    UowDep,
)
from backcoach.web.forms import validate
from backcoach.web.routes.accounts import Email, Password, redirect
from backcoach.web.routes.coaching import coach_card
from backcoach.wording.activity_words import activity_words
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext

router = APIRouter()


class PasswordChange(BaseModel):
    current_password: Password
    new_password: Password


class TimeZoneChoice(BaseModel):
    # Empty means the server's zone; the service checks the name.
    time_zone: Annotated[str, Field(max_length=64)] = ""


class DeleteAccount(BaseModel):
    delete_password: Password
    confirm: Literal["yes"]


@router.get("/account")
def account_page(
    request: Request,
    principal: CurrentPrincipal,
    user: CurrentUser,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    changed = request.query_params.get("password") == "changed"
    context = {
        "password_changed": changed,
        "time_zone_changed": request.query_params.get("time_zone") == "changed",
        "name_changed": request.query_params.get("name") == "changed",
        "email_changed": request.query_params.get("email") == "changed",
        "display_name": caseload.display_name(**_own(uow, principal, clock)),
        **_time_zone(user.time_zone, server_zone),
        **_activity(uow, principal, clock),
    }
    return _account(request, pages, context)


@router.post("/account/password")
def change_password(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    user: CurrentUser,
    pages: PagesDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    data = validate(form, PasswordChange)
    if data is not None:
        try:
            accounts.change_password(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                now=clock.now(),
                current=data.current_password,
                new=data.new_password,
                keep_token=request.cookies.get(SESSION_COOKIE, ""),
            )
            return redirect("/account?password=changed")
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
    context = {
        "errors": form.errors,
        **_time_zone(user.time_zone, server_zone),
        **_activity(uow, principal, clock),
    }
    return _account(request, pages, context, status_code=422)


class EmailChange(BaseModel):
    # The service tidies and checks the address; these limits only keep the body small.
    email: Email
    current_password: Password


@router.post("/account/email")
def change_email(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    uow: UowDep,
    user: CurrentUser,
    pages: PagesDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    """A new email to log in with, given the current password."""
    data = validate(form, EmailChange)
    if data is not None:
        try:
            own_account.change_email(
                **_own(uow, principal, clock),
                password=data.current_password,
                new_email=data.email,
            )
            return redirect("/account?email=changed#email-heading")
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
    # The typed email stays (prefixed: the time zone form shares "values"); never the password.
    context = {
        "errors": {f"email-{key}": message for key, message in form.errors.items()},
        "typed_email": str(form.values.get("email", "")),
        **_time_zone(user.time_zone, server_zone),
        **_activity(uow, principal, clock),
    }
    return _account(request, pages, context, status_code=422)


@router.post("/account/time-zone")
def change_time_zone(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    user: CurrentUser,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    data = validate(form, TimeZoneChoice)
    if data is not None:
        try:
            accounts.set_time_zone(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                time_zone=data.time_zone,
                now=clock.now(),
            )
            return redirect("/account?time_zone=changed#time-zone-heading")
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
    context = {
        "errors": form.errors,
        # What was typed stays in the box, to be corrected rather than typed again.
        **_time_zone(user.time_zone, server_zone, typed=str(form.values.get("time_zone", ""))),
        **_activity(uow, principal, clock),
    }
    return _account(request, pages, context, status_code=422)


class NameChoice(BaseModel):
    # The service tidies and checks it; the form's limit only keeps the body small.
    display_name: Annotated[str, Field(max_length=200)] = ""


@router.post("/account/name")
def change_name(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    user: CurrentUser,
    uow: UowDep,
    pages: PagesDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
) -> Response:
    """The name the person's coach sees instead of their email (empty: the email)."""
    data = validate(form, NameChoice)
    if data is not None:
        try:
            caseload.set_display_name(**_own(uow, principal, clock), name=data.display_name)
            return redirect("/account?name=changed#name-heading")
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
    context = {
        "errors": form.errors,
        # What was typed stays in the box, to be corrected rather than typed again.
        "display_name": str(form.values.get("display_name", "")),
        **_time_zone(user.time_zone, server_zone),
        **_activity(uow, principal, clock),
    }
    return _account(request, pages, context, status_code=422)


def _own(uow: UowDep, principal: Principal, clock: PersonClock) -> dict[str, Any]:
    return {"uow": uow, "principal": principal, "person_id": principal.user_id, "now": clock.now()}


@router.get("/account/export.json")
def export_json(principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep) -> Response:
    # Streamed as it is read (the unit of work stays open until the last chunk is sent).
    chunks = export.export_json_stream(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    return StreamingResponse(
        chunks,  # a plain iterator: Starlette reads it in its thread pool
        media_type="application/json",
        headers=_download_headers(f"backcoach-{clock.today().isoformat()}.json"),
    )


@router.get("/account/export.zip")
def export_zip(principal: CurrentPrincipal, uow: UowDep, clock: PersonClockDep) -> Response:
    body = export.export_csv_zip(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    return _download(body, "application/zip", f"backcoach-{clock.today().isoformat()}.zip")


@router.post("/account/delete")
def delete_account(
    request: Request,
    form: FormDep,
    principal: CurrentPrincipal,
    user: CurrentUser,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
    server_zone: ServerZoneDep,
) -> Response:
    data = validate(form, DeleteAccount)
    if form.errors.pop("confirm", None):
        form.errors["delete_confirm"] = gettext(
            "Tick the box if everything should really be deleted."
        )
    if data is not None:
        try:
            accounts.delete_account(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                password=data.delete_password,
                now=clock.now(),
            )
            response = redirect("/goodbye")
            response.delete_cookie(SESSION_COOKIE, path="/")
            return response
        except ServiceError as error:
            form.errors["delete_password"] = error_words(error.code, error.params)
    context = {
        "errors": form.errors,
        **_time_zone(user.time_zone, server_zone),
        **_activity(uow, principal, clock),
    }
    return _account(request, pages, context, status_code=422)


@router.get("/goodbye")
def goodbye(request: Request, user: OptionalUser, pages: PagesDep) -> Response:
    return pages.render(request, "goodbye.html", {"title": gettext("Your account is deleted")})


def _account(
    request: Request, pages: PagesDep, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    return pages.render(
        request,
        "account.html",
        {"title": gettext("Your account"), "nav": "account", **context},
        status_code=status_code,
    )


def _time_zone(
    chosen: str | None, server_zone: ZoneInfo, typed: str | None = None
) -> dict[str, Any]:
    """The time zone form: the person's choice (or what they just typed), the server's, and
    every name this machine knows for the list to pick from."""
    return {
        "time_zone": chosen,
        "server_time_zone": server_zone.key,
        "time_zone_names": accounts.known_time_zones().values(),
        "values": {"time_zone": (chosen or "") if typed is None else typed},
    }


#: Audit lines on the account page (the newest; the page says so when there are more).
ACTIVITY_SHOWN = 100


def _activity(uow: UowDep, principal: Principal, clock: PersonClock) -> dict[str, Any]:
    """The account page's list of who read or changed this person's data, newest first, at the
    times of the person's own zone."""
    zone = clock.zone
    me = principal.user_id
    entries = access.audit_log(uow=uow, principal=principal, subject_id=me, limit=ACTIVITY_SHOWN)
    return {
        **coach_card(uow, principal, clock.now(), zone),  # who can see all this, and since when
        "activity_shown_at_most": ACTIVITY_SHOWN,
        "activity": [
            {
                "at": entry.at.astimezone(zone).strftime("%-d %b %Y, %H:%M"),
                "who": gettext("You")
                if entry.actor_id == me
                else entry.actor_email
                or (
                    gettext("Account {number}").format(number=entry.actor_id)
                    if entry.actor_id
                    else gettext("The server's administrator")
                ),
                "what": activity_words(entry.action.value, entry.what),
                "allowed": entry.allowed,
            }
            for entry in entries
        ],
    }


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers=_download_headers(filename))


def _download_headers(filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }
