"""Every word on the main pages goes through the wording layer: rendered in a pseudo-language
that wraps each message in ⟦ ⟧, no English is left outside the markers.

What may stand outside them is data, not wording: the person's own entries, numbers and dates,
the exercise catalogue's texts (names, summaries, cues: content, translated with the catalogue
and not by the message catalogue), and the brand name. Anything else is a word someone forgot to
mark, and the test names it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest
from babel.support import Translations
from fastapi.testclient import TestClient

from backcoach.catalogue import default_catalogue
from backcoach.engine.measures import STARTBACK_FUNDING, STARTBACK_NOTICE
from backcoach.wording.i18n import translations_in
from tests.support.messages import CLOSE, OPEN, pseudo_translations
from tests.training_app import App, do_every_set, finish, onboard, save, start, token

EMAIL = "ana@example.com"
#: Attributes a person reads (or hears from a screen reader) as words.
READ_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder"})
#: Elements whose content is not text for people.
NOT_TEXT = frozenset({"script", "style", "datalist"})
#: Not marked yet (docs/translation.md): the progress charts' words come from web/charts.py,
#: which caches drawings by their figures alone, and the measures' names from
#: web/routes/progress.py; the schedule and exercise library pages are left out for the same
#: reason (words made in services/calendar.py and web/routes/exercises.py).
NOT_YET_MARKED_CLASS = "chart"
NOT_YET_MARKED = {
    "progress": {"Pain", "Daily life (ODI)", "Daily life (RMDQ)", "Your activities (PSFS)"},
}
WEEK_IN_JANUARY = [dt.date(2026, 1, day) for day in range(1, 8)]
MONTHS_AND_DAYS = {day.strftime(form) for day in WEEK_IN_JANUARY for form in ("%A", "%B")}
MONTHS_AND_DAYS |= {dt.date(2026, month, 1).strftime("%B") for month in range(1, 13)}


class _TextNodes(HTMLParser):
    """The body's text nodes and read attributes, each with what stands outside ⟦ ⟧."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_body = False
        self.skipping: list[str] = []
        self.depth = 0  # ⟦ ⟧ nesting across nodes: a marked message may hold markup
        self.unmarked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        classes = (dict(attrs).get("class") or "").split()
        if tag in NOT_TEXT or (tag == "figure" and NOT_YET_MARKED_CLASS in classes):
            self.skipping.append(tag)
        if not self.in_body or self.skipping:
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.unmarked.append(_outside(value, 0)[0])

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_body or self.skipping:
            return
        outside, self.depth = _outside(data, self.depth)
        self.unmarked.append(outside)


def _outside(text: str, depth: int) -> tuple[str, int]:
    """The part of ``text`` outside ⟦ ⟧ (a gap where a marked part was), and the depth after."""
    kept: list[str] = []
    for char in text:
        if char == OPEN:
            depth += 1
            kept.append(" ")
        elif char == CLOSE:
            depth -= 1
            kept.append(" ")
        elif depth == 0:
            kept.append(char)
    return "".join(kept), depth


def _data_strings() -> list[str]:
    """The texts that are data on these pages, longest first (so a part is never taken first)."""
    # Keele's notice is kept word for word wherever the tool is used: never translated.
    found = {EMAIL, "Putting on socks", "backcoach", "UTC", STARTBACK_NOTICE, STARTBACK_FUNDING}
    found.update(MONTHS_AND_DAYS)
    for exercise in default_catalogue().exercises:
        found.update((exercise.name, exercise.summary, exercise.why_not))
        found.update(exercise.setup)
        found.update(exercise.cues)
        for fault in exercise.faults:
            found.update((fault.sign, fault.fix))
    return sorted((text for text in found if text), key=len, reverse=True)


def unmarked_words(html: str, data: list[str]) -> list[str]:
    """The pieces of a page's text, outside ⟦ ⟧, that hold a letter and are not data."""
    parser = _TextNodes()
    parser.feed(html)
    words = []
    for piece in parser.unmarked:
        for text in data:
            piece = piece.replace(text, " ")
        # What holds no letter (numbers, times, punctuation) says no word.
        if re.search(r"[^\W\d_]", piece):
            words.append(" ".join(piece.split()))
    return words


def visit_pages(app: App, fetch: Callable[[TestClient, str], str]) -> Iterator[tuple[str, str]]:
    """A person's way through the app, yielding (page, html) of each page on the way."""
    client = app.client()
    login = fetch(client, "/login")
    yield "login", login
    refused = {"email": EMAIL, "password": "not the password", "csrftoken": token(login)}
    yield "login refused", client.post("/login", data=refused).text
    yield "signup", fetch(client, "/signup")
    client = onboard(app, EMAIL)
    yield "screening", fetch(client, "/onboarding/screening")
    yield "measures", fetch(client, "/onboarding/measures")
    yield "today", fetch(client, "/today")
    session_id = start(client)
    item = app.program(EMAIL).plan.exercises[0]
    save(client, session_id, item.exercise.id, 1, item.dose_max, kind=item.exercise.dose.value)
    yield "session", fetch(client, f"/session/{session_id}")
    do_every_set(app, client, session_id)
    finish(client, session_id)
    yield "done", fetch(client, f"/session/{session_id}/done")
    yield "today after a session", fetch(client, "/today")
    yield "checkin", fetch(client, f"/session/{session_id}/checkin")
    yield "progress", fetch(client, "/progress")
    yield "tight", fetch(client, "/tight")
    yield "account", fetch(client, "/account")


def _get(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.text)
    return response.text


@pytest.fixture(scope="module")
def pseudo() -> Translations:
    return pseudo_translations()


def test_every_word_on_the_main_pages_is_marked_for_translation(
    app: App, pseudo: Translations
) -> None:
    data = _data_strings()
    left: dict[str, list[str]] = {}
    with translations_in(pseudo):
        for page, html in visit_pages(app, _get):
            assert OPEN in html, f"{page} was not rendered in the pseudo-language"
            known = NOT_YET_MARKED.get(page, set())
            words = [word for word in unmarked_words(html, data) if word not in known]
            if words:
                left[page] = words
    assert not left, f"words not marked for translation: {left}"


def test_the_check_finds_a_word_left_unmarked() -> None:
    html = (
        f"<html><body><h1>{OPEN}Today{CLOSE}</h1><p>Left <b>{OPEN}out{CLOSE}</b></p></body></html>"
    )
    assert unmarked_words(html, []) == ["Left"]
    assert unmarked_words(f'<body><img alt="A picture">{OPEN}x{CLOSE}</body>', []) == ["A picture"]


def test_pages_are_english_outside_the_pseudo_language(app: App) -> None:
    """The context manager restores English: a page rendered after it has no markers."""
    client = app.client()
    with translations_in(pseudo_translations()):
        assert OPEN in _get(client, "/login")
    page = _get(client, "/login")
    assert OPEN not in page and "Log in" in page
    assert token(page)
