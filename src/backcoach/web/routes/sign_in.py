"""Logging in (with the known-device cookie of services/login_limits.py) and a forgotten
password: the link asked for on /forgot and opened at /reset/<token> (see docs/sign-in.md)."""

from __future__ import annotations

import datetime as dt
import logging

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationInfo, field_validator

from backcoach.services import accounts, login_limits, password_reset
from backcoach.services.errors import ServiceError
from backcoach.services.mail import SmtpSender
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.web.deps import (
    SESSION_COOKIE,
    ClockDep,
    FormDep,
    PagesDep,
    SettingsDep,
    UowDep,
)
from backcoach.web.forms import FormInput, validate
from backcoach.web.routes.accounts import (
    ACCOUNT_READY,
    Credentials,
    Password,
    form_page,
    redirect,
)
from backcoach.web.routes.accounts import Email as EmailField
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext
from backcoach.wording.sign_in_words import LINK_SENT, PASSWORD_RESET

router = APIRouter()
log = logging.getLogger(__name__)


@router.get("/login")
def login_page(request: Request, pages: PagesDep) -> Response:
    notices = {"ready": ACCOUNT_READY, "reset": PASSWORD_RESET}
    notice = notices.get(request.query_params.get("account", ""))
    return pages.render(
        request,
        "login.html",
        {"title": gettext("Log in"), "notice": gettext(notice) if notice else None},
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
    data = validate(form, Credentials)
    if data is not None:
        secret: str = request.app.state.signing_secret
        cookie = request.cookies.get(login_limits.DEVICE_COOKIE)
        stamp = login_limits.password_stamp(uow, email=data.email)
        device = login_limits.known_device(cookie, email=data.email, stamp=stamp, secret=secret)
        try:
            token = accounts.log_in(
                uow=uow,
                email=data.email,
                password=data.password,
                now=clock.now(),
                attempts_allowed=settings.login_attempts,
                window=dt.timedelta(minutes=settings.login_window_minutes),
                session_length=dt.timedelta(days=settings.session_days),
                address=request.client.host if request.client else None,
                address_attempts_allowed=settings.login_address_attempts,
                device=device,
            )
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
        else:
            response = _with_session(redirect("/start"), token, settings)
            # This browser is now one the account knows: its failures are counted on their own.
            # Signed with the password as it is now (a login may have rehashed it).
            entry = login_limits.device_entry(
                email=data.email,
                stamp=login_limits.password_stamp(uow, email=data.email),
                secret=secret,
            )
            response.set_cookie(
                login_limits.DEVICE_COOKIE,
                login_limits.with_entry(
                    cookie, entry, email=data.email, stamp=stamp, secret=secret
                ),
                max_age=login_limits.DEVICE_DAYS * 86400,
                httponly=True,
                samesite="strict",
                secure=settings.secure_cookies,
                path=login_limits.DEVICE_COOKIE_PATH,
            )
            return response
    return form_page(request, pages, "login.html", gettext("Log in"), form)


# --- a forgotten password ---------------------------------------------------------------------


class ForgotForm(BaseModel):
    email: EmailField


class ResetForm(BaseModel):
    new_password: Password
    repeat_password: Password

    @field_validator("repeat_password")
    @classmethod
    def _the_same_twice(cls, value: str, info: ValidationInfo) -> str:
        if value != info.data.get("new_password"):
            raise ValueError(gettext("The two passwords are not the same: type them again."))
        return value


@router.get("/forgot")
def forgot_page(request: Request, pages: PagesDep, settings: SettingsDep) -> Response:
    return _forgot(request, pages, settings, FormInput({}))


@router.post("/forgot")
def ask_for_link(
    request: Request,
    form: FormDep,
    clock: ClockDep,
    settings: SettingsDep,
    pages: PagesDep,
    background: BackgroundTasks,
) -> Response:
    data = validate(form, ForgotForm) if settings.sends_email else None
    if data is None:
        return _forgot(request, pages, settings, form, status_code=422 if form.errors else 200)
    # Looked up and sent after the answer has gone, in a worker thread: the answer and its time
    # are the same whether or not the email has an account, and a slow mail server slows no page.
    database: Database = request.app.state.database
    background.add_task(_link_by_email, database, settings, data.email, clock.now())
    return pages.render(
        request,
        "forgot_sent.html",
        {"title": gettext("Check your email"), "notice": gettext(LINK_SENT)},
    )


@router.get("/reset/{token}")
def reset_page(
    request: Request, token: str, uow: UowDep, clock: ClockDep, pages: PagesDep
) -> Response:
    works = password_reset.link_works(uow=uow, token=token, now=clock.now())
    return _reset(request, pages, token, FormInput({}), works=works)


@router.post("/reset/{token}")
def reset(
    request: Request, token: str, form: FormDep, uow: UowDep, clock: ClockDep, pages: PagesDep
) -> Response:
    data = validate(form, ResetForm)
    if data is not None:
        try:
            password_reset.reset_password(
                uow=uow, token=token, new_password=data.new_password, now=clock.now()
            )
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
        else:
            response = redirect("/login?account=reset")
            response.delete_cookie(SESSION_COOKIE, path="/")
            return response
    works = password_reset.link_works(uow=uow, token=token, now=clock.now())
    return _reset(request, pages, token, form, works=works, status_code=422)


def _link_by_email(database: Database, settings: Settings, email: str, now: dt.datetime) -> None:
    """Make a link for the account with ``email``, if there is one, and mail it (in a worker
    thread, after the answer); a failure is logged, never shown to anyone."""
    # The link starts with BACKCOACH_BASE_URL, never with the request's Host header, which the
    # sender chooses (settings refuse an SMTP server without it, so it is always set here).
    base_url = settings.base_url
    if base_url is None:
        return
    with database.unit_of_work() as uow:
        link = password_reset.request_link(uow=uow, email=email, now=now)
    if link is None:
        return
    try:
        SmtpSender(settings)(link.email_to_send(base_url))
    except Exception:  # the mail server is down or refuses: nothing a visitor can act on
        log.warning("reset email not sent", exc_info=True)


def _forgot(
    request: Request,
    pages: PagesDep,
    settings: Settings,
    form: FormInput,
    status_code: int = 200,
) -> Response:
    values = dict(form.values)
    return pages.render(
        request,
        "forgot.html",
        {
            "title": gettext("Forgot your password?"),
            "sends_email": settings.sends_email,
            "errors": form.errors,
            "values": values,
        },
        status_code=status_code,
    )


def _reset(
    request: Request,
    pages: PagesDep,
    token: str,
    form: FormInput,
    *,
    works: bool,
    status_code: int = 200,
) -> Response:
    return pages.render(
        request,
        "reset.html",
        {
            "title": gettext("Choose a new password"),
            "works": works,
            "action": f"{password_reset.RESET_PATH}{token}",
            "errors": form.errors,
        },
        status_code=status_code if works else 404,
    )


def _with_session(response: Response, token: str, settings: Settings) -> Response:
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
