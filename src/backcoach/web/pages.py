"""Rendering pages: Jinja2 templates with the CSRF token and the person, in one place."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from backcoach.web.message_nav import messages_link
from backcoach.web.routes.pictures import picture_size
from backcoach.web.static_files import static_url
from backcoach.wording import DISCLAIMER, i18n
from backcoach.wording.form_labels import summary_entry
from backcoach.wording.measure_words import say_recommendation, say_startback_risk
from backcoach.wording.plain_terms import term
from backcoach.wording.screening_words import say_screening


class Pages:
    def __init__(self) -> None:
        folder = resources.files("backcoach.web").joinpath("templates")
        self.env = Environment(
            loader=FileSystemLoader(str(folder)),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
        )
        # Every word of a template goes through the wording layer's active translations; old
        # style (not newstyle) so `_("...")` is a plain string, escaped exactly like a literal.
        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=False
        )
        # A msgid: base.html says it in the active language, the same words as on the handout.
        self.env.globals["disclaimer"] = DISCLAIMER
        # Words of the engine's codes, from the one wording layer the handout and CLI share.
        self.env.globals["say_startback_risk"] = say_startback_risk
        self.env.globals["say_recommendation"] = say_recommendation
        self.env.globals["say_screening"] = say_screening
        # An error summary's line names its question (templates/macros.html error_summary).
        self.env.globals["summary_entry"] = summary_entry
        # A term that stays, in plain words with what it means (wording/plain_terms.py).
        self.env.globals["term"] = term
        # Static files by versioned address (web/static_files.py), kept a year by browsers.
        self.env.globals["static_url"] = static_url
        # A demonstration's width and height (its viewBox): its room is kept before it loads.
        self.env.globals["picture_size"] = picture_size

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        status_code: int = 200,
    ) -> HTMLResponse:
        token_getter = request.scope.get("csrftoken")
        values = {
            "request": request,
            "csrf_token": token_getter() if token_getter else "",
            "user": getattr(request.state, "user", None),
            "messages_link": messages_link(request),
            "errors": {},
            "values": {},
            **(context or {}),
        }
        html = self.env.get_template(template).render(values)
        response = HTMLResponse(html, status_code=status_code)
        response.headers["Cache-Control"] = "no-store"
        return response
