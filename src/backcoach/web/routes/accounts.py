"""Sign up, log in and log out (the account page is web/routes/account.py, the program's
settings web/routes/profile.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, field_validator

from backcoach.services import accounts
from backcoach.services.access import Role
from backcoach.services.errors import ServiceError
from backcoach.web.deps import (
    SESSION_COOKIE,
    ClockDep,
    FormDep,
    OptionalUser,
    PagesDep,
    SettingsDep,
    UowDep,
)
from backcoach.web.forms import FormInput, validate
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import N_, gettext

router = APIRouter()
Email = Annotated[str, Field(min_length=3, max_length=254)]
Password = Annotated[str, Field(min_length=1, max_length=accounts.MAX_PASSWORD)]


class Credentials(BaseModel):
    email: Email
    password: Password

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        value = value.strip()
        if "@" not in value or value.startswith("@") or value.endswith("@") or " " in value:
            raise ValueError(gettext("Please enter an email address like name@example.com."))
        return value


def redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


@router.get("/")
def home(request: Request, user: OptionalUser, pages: PagesDep) -> Response:
    if user is not None:
        return redirect("/start")
    return pages.render(request, "home.html", {"title": gettext("Welcome")})


@router.get("/signup")
def signup_page(request: Request, pages: PagesDep) -> Response:
    return pages.render(request, "signup.html", {"title": gettext("Create your account")})


@router.post("/signup")
def signup(
    request: Request,
    form: FormDep,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    pages: PagesDep,
) -> Response:
    return _enter(request, form, uow, clock, settings, pages, new_account=True)


#: After any sign-up: no email is sent, so the page cannot say more without telling a stranger
#: whether the email already had an account.
ACCOUNT_READY = N_("If this email can be used, your account is ready: log in with it below.")


@router.get("/login")
def login_page(request: Request, pages: PagesDep) -> Response:
    ready = request.query_params.get("account") == "ready"
    return pages.render(
        request,
        "login.html",
        {"title": gettext("Log in"), "notice": gettext(ACCOUNT_READY) if ready else None},
    )


@router.post("/login")
def login(
    request: Request,
    form: FormDep,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    pages: PagesDep,
) -> Response:
    return _enter(request, form, uow, clock, settings, pages, new_account=False)


@router.post("/logout")
def logout(request: Request, uow: UowDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.log_out(uow=uow, token=token)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _enter(
    request: Request,
    form: FormInput,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    pages: PagesDep,
    *,
    new_account: bool,
) -> Response:
    """Sign up (then on to log in) or log in; on a problem, the form again with its message."""
    data = validate(form, Credentials)
    if data is not None:
        try:
            if new_account:
                # The same answer whether or not the email was free (see docs/web.md).
                as_coach = settings.coach_signup and form.values.get("as_coach") == "yes"
                role = Role.COACH if as_coach else Role.PERSON
                accounts.sign_up(
                    uow=uow, email=data.email, password=data.password, now=clock.now(), role=role
                )
                return redirect("/login?account=ready")
            address = request.client.host if request.client else None
            token = _log_in(uow, data, clock, settings, address)
            return _with_session(redirect("/start"), token, settings)
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
    if new_account:
        return _form_page(request, pages, "signup.html", gettext("Create your account"), form)
    return _form_page(request, pages, "login.html", gettext("Log in"), form)


def _log_in(
    uow: UowDep, data: Credentials, clock: ClockDep, settings: SettingsDep, address: str | None
) -> str:
    return accounts.log_in(
        uow=uow,
        email=data.email,
        password=data.password,
        now=clock.now(),
        attempts_allowed=settings.login_attempts,
        window=dt.timedelta(minutes=settings.login_window_minutes),
        session_length=dt.timedelta(days=settings.session_days),
        address=address,
        address_attempts_allowed=settings.login_address_attempts,
    )


def _with_session(response: Response, token: str, settings: SettingsDep) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    return response


def _form_page(
    request: Request, pages: PagesDep, template: str, title: str, form: FormInput
) -> Response:
    values = {k: v for k, v in form.values.items() if "password" not in k}
    return pages.render(
        request,
        template,
        {"title": title, "errors": form.errors, "values": values},
        status_code=422,
    )
