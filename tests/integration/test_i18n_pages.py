"""Every word on the main pages goes through the wording layer: rendered in a pseudo-language
that wraps each message in ⟦ ⟧, no English is left outside the markers.

What may stand outside them is data, not wording: the person's own entries, numbers and dates,
the exercise catalogue's texts (names, summaries, cues, targets, the demonstrations' step names:
content, translated with the catalogue and not by the message catalogue), and the brand name.
Anything else is a word someone forgot to mark, and the test names it. The progress charts are
read too: the SVG's title, description and axis labels, the legend and the tables beside them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest
from babel.support import Translations
from fastapi.testclient import TestClient

from backcoach.engine.measures import STARTBACK_FUNDING, STARTBACK_NOTICE
from backcoach.services import password_reset
from backcoach.services.coaching import OPERATOR
from backcoach.wording.i18n import translations_in
from tests.support.messages import (
    CLOSE,
    OPEN,
    catalogue_texts,
    outside,
    pseudo_translations,
    unmarked,
)
from tests.training_app import (
    App,
    checkin,
    csrf_of,
    do_every_set,
    finish,
    onboard,
    save,
    start,
    token,
)

# Pages: SQLite only (the services' own matrices and tests run on both databases).
DATABASES = ("sqlite",)

EMAIL = "ana@example.com"
#: Attributes a person reads (or hears from a screen reader) as words.
READ_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder"})
#: Elements whose content is not text for people.
NOT_TEXT = frozenset({"script", "style", "datalist"})


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
        if tag in NOT_TEXT:
            self.skipping.append(tag)
        if not self.in_body or self.skipping:
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.unmarked.append(outside(value, 0)[0])

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_body or self.skipping:
            return
        left, self.depth = outside(data, self.depth)
        self.unmarked.append(left)


def _data_strings() -> list[str]:
    """The texts that are data on these pages: the person's own, the catalogue's, Keele's."""
    # Keele's notice is kept word for word wherever the tool is used: never translated.
    found = {EMAIL, "Putting on socks", "UTC", STARTBACK_NOTICE, STARTBACK_FUNDING}
    return sorted(found | catalogue_texts(), key=len, reverse=True)


def unmarked_words(html: str, data: list[str]) -> list[str]:
    """The pieces of a page's text, outside ⟦ ⟧, that hold a letter and are not data."""
    parser = _TextNodes()
    parser.feed(html)
    return unmarked(parser.unmarked, data)


def visit_pages(app: App, fetch: Callable[[TestClient, str], str]) -> Iterator[tuple[str, str]]:
    """A person's way through the app, yielding (page, html) of each page on the way."""
    client = app.client()
    login = fetch(client, "/login")
    yield "login", login
    refused = {"email": EMAIL, "password": "not the password", "csrftoken": token(login)}
    yield "login refused", client.post("/login", data=refused).text
    yield "signup", fetch(client, "/signup")
    yield "forgot", fetch(client, "/forgot")
    client = onboard(app, EMAIL)
    yield from _sign_in_and_reminders(app, client, fetch)
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
    yield "tight", fetch(client, "/tight")
    yield "account", fetch(client, "/account")
    yield "schedule", fetch(client, "/schedule")
    yield "schedule of a month not read", client.get("/schedule?month=March").text
    yield "exercises", fetch(client, "/exercises")
    yield "exercises with a band", fetch(client, "/exercises?kit=none&kit=band")
    yield "an exercise", fetch(client, f"/exercises/{item.exercise.id}")
    yield "profile", fetch(client, "/onboarding/profile")
    yield from _weeks_later(app, client, session_id)
    yield from _program_settings(client, fetch)


def _sign_in_and_reminders(
    app: App, client: TestClient, fetch: Callable[[TestClient, str], str]
) -> Iterator[tuple[str, str]]:
    """A reset link's page (made as `backcoach user reset-link` makes it), a link that does not
    work, and the reminders page."""
    with app.database.unit_of_work() as uow:
        link = password_reset.make_link(uow=uow, principal=OPERATOR, email=EMAIL, now=app.clock.at)
    yield "reset", fetch(app.client(), f"/reset/{link.token}")
    yield "reset link not working", app.client().get("/reset/" + "x" * 43).text
    yield "reminders", fetch(client, "/reminders")


def _program_settings(
    client: TestClient, fetch: Callable[[TestClient, str], str]
) -> Iterator[tuple[str, str]]:
    """The program's settings: changed (the before/after list), refused, paused."""
    page = fetch(client, "/account/program")
    yield "program settings", page
    change = {"level": "intermediate", "days_per_week": "3", "weekdays[]": ["mon", "thu"]}
    yield (
        "program changed",
        client.post("/account/program", data={**change, "csrftoken": token(page)}).text,
    )
    refused = {"starts_on": "2000-01-01", "ends_on": "1999-01-01", "csrftoken": token(page)}
    yield "pause refused", client.post("/account/pause", data=refused).text
    today = re.search(r'name="starts_on" type="date" min="([0-9-]+)"', page)
    assert today, "no pause form"
    paused = {"starts_on": today.group(1), "csrftoken": token(page)}
    yield "program paused", client.post("/account/pause", data=paused).text


def _weeks_later(app: App, client: TestClient, first_session: int) -> Iterator[tuple[str, str]]:
    """Two more weeks of training, tight moments and a re-assessment, so Progress draws every
    chart it has words for (pain, a questionnaire, sessions, tight moments, sets a week)."""
    checkin(client, first_session, morning=2)
    for days in (2, 5, 9):
        app.clock.at += dt.timedelta(days=days)
        client.post("/tight", data={"csrftoken": csrf_of(client)})
        session_id = start(client, pain_before=2)
        do_every_set(app, client, session_id)
        finish(client, session_id)
    reassess = client.get("/progress/reassess").text
    yield "two-weekly check", reassess
    answers = {"nprs": "2", "psfs_name_1": "Putting on socks", "psfs_score_1": "7"}
    page = client.post("/progress/reassess", data={**answers, "csrftoken": token(reassess)})
    assert page.status_code == 200 and page.url.path == "/progress", page.text
    yield "progress", page.text


def _get(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.text)
    return response.text


@pytest.fixture(scope="module")
def pseudo() -> Translations:
    return pseudo_translations()


#: Words of pages, the same on either database: SQLite only (the suite's time).
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_every_word_on_the_main_pages_is_marked_for_translation(
    app: App, pseudo: Translations
) -> None:
    data = _data_strings()
    left: dict[str, list[str]] = {}
    with translations_in(pseudo):
        for page, html in visit_pages(app, _get):
            assert OPEN in html, f"{page} was not rendered in the pseudo-language"
            words = unmarked_words(html, data)
            if words:
                left[page] = words
    assert not left, f"words not marked for translation: {left}"


def test_the_charts_are_drawn_in_the_language_of_the_page(app: App, pseudo: Translations) -> None:
    """Every chart's title and description are marked, and the same figures drawn afterwards in
    English are English: the charts' cache keeps a drawing per language."""
    client = onboard(app, EMAIL)
    session_id = start(client)
    do_every_set(app, client, session_id)
    finish(client, session_id)
    with translations_in(pseudo):
        marked = dict(_weeks_later(app, client, session_id))["progress"]
    drawings = re.findall(r'<svg[^>]*role="img".*?</svg>', marked, re.S)
    assert len(drawings) == 5, "pain, PSFS, sessions, tight moments and sets a week"
    for svg in drawings:
        assert re.search(f"<title[^>]*>{OPEN}", svg) and re.search(f"<desc[^>]*>{OPEN}", svg)
    assert f"{OPEN}Week of{CLOSE}" in marked  # the tables' column (the axes give the day only)
    english = _get(client, "/progress")
    assert OPEN not in english
    assert "Pain over time" in english and "Week of" in english


def test_the_check_finds_a_word_left_unmarked() -> None:
    html = (
        f"<html><body><h1>{OPEN}Today{CLOSE}</h1><p>Left <b>{OPEN}out{CLOSE}</b></p></body></html>"
    )
    assert unmarked_words(html, []) == ["Left"]
    assert unmarked_words(f'<body><img alt="A picture">{OPEN}x{CLOSE}</body>', []) == ["A picture"]


@SQLITE_ONLY
def test_pages_are_english_outside_the_pseudo_language(app: App) -> None:
    """The context manager restores English: a page rendered after it has no markers."""
    client = app.client()
    with translations_in(pseudo_translations()):
        assert OPEN in _get(client, "/login")
    page = _get(client, "/login")
    assert OPEN not in page and "Log in" in page
    assert token(page)
