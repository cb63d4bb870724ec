"""Sign up and log out, and what the sign-in pages share (web/routes/sign_in.py logs in; the
account page is web/routes/account.py, the program's settings web/routes/profile.py)."""

from __future__ import annotations

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
    return _enter(request, form, uow, clock, settings, pages)


#: After any sign-up: no email is sent, so the page cannot say more without telling a stranger
#: whether the email already had an account.
ACCOUNT_READY = N_("If this email can be used, your account is ready: log in with it below.")


@router.post("/logout")
def logout(request: Request, uow: UowDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.log_out(uow=uow, token=token)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    # The browser forgets its copies of the pages ("cache"); never "storage": the outbox of sets
    # not sent yet lives in IndexedDB. The service worker drops its kept pages itself (sw.js).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


def _enter(
    request: Request,
    form: FormInput,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    pages: PagesDep,
) -> Response:
    """Sign up, then on to log in (web/routes/sign_in.py); on a problem, the form again."""
    data = validate(form, Credentials)
    if data is not None:
        try:
            # The same answer whether or not the email was free (see docs/web.md).
            as_coach = settings.coach_signup and form.values.get("as_coach") == "yes"
            role = Role.COACH if as_coach else Role.PERSON
            accounts.sign_up(
                uow=uow,
                email=data.email,
                password=data.password,
                now=clock.now(),
                role=role,
                time_zone=str(form.values.get("time_zone") or "")[:64],
            )
            return redirect("/login?account=ready")
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
    return form_page(request, pages, "signup.html", gettext("Create your account"), form)


def form_page(
    request: Request, pages: PagesDep, template: str, title: str, form: FormInput
) -> Response:
    """A refused sign-up or log-in form again, with what was typed (never a password)."""
    values = {k: v for k, v in form.values.items() if "password" not in k}
    return pages.render(
        request,
        template,
        {"title": title, "errors": form.errors, "values": values},
        status_code=422,
    )
