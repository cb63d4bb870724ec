"""Every word of the coaching pages is marked for translation: each page rendered in the
pseudo-language (tests/support/messages.py) leaves nothing outside ⟦ ⟧ but data (emails, the
practice's name and code, the invitation link, dates). SQLite and PostgreSQL."""

from __future__ import annotations

import re

from backcoach.services import coaching
from backcoach.wording.i18n import translations_in
from tests.integration.test_i18n_pages import unmarked_words
from tests.support.messages import OPEN, pseudo_translations
from tests.training_app import App, onboard, sign_up, token

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)


def test_every_word_of_the_coaching_pages_is_marked(app: App) -> None:
    coach = sign_up(app, "coach@example.com")
    with app.database.unit_of_work() as uow:
        coaching.add_coach(
            uow=uow,
            principal=coaching.OPERATOR,
            email="coach@example.com",
            password_hash=None,
            now=app.clock.at,
        )
        practice = coaching.create_practice(
            uow=uow, principal=coaching.OPERATOR, name="Back Clinic", now=app.clock.at
        )
        coaching.join_practice(
            uow=uow,
            principal=coaching.OPERATOR,
            coach_email="coach@example.com",
            code_or_name=practice.join_code,
            now=app.clock.at,
        )
    ana = onboard(app)
    pages: dict[str, str] = {}
    with translations_in(pseudo_translations()):
        pages["clients"] = coach.get("/coach").text
        invited = coach.post("/coach/invite", data={"csrftoken": token(pages["clients"])}).text
        pages["an invitation made"] = invited
        found = re.search(r'value="(http://testserver(/join/[^"]+))"', invited)
        assert found
        link, path = found.groups()
        pages["account without a coach"] = ana.get("/account").text
        pages["a wrong code"] = ana.get("/practice-code", params={"code": "nope"}).text
        pages["a practice's code"] = ana.get(
            "/practice-code", params={"code": practice.join_code}
        ).text
        pages["an invitation"] = ana.get(path).text
        pages["an invitation to someone not logged in"] = app.client().get(path).text
        pages["account with a coach"] = ana.post(
            path, data={"csrftoken": token(pages["an invitation"])}
        ).text
        pages["an invitation used"] = ana.get(path).text
        pages["clients with one"] = coach.get("/coach").text
    data = [
        "coach@example.com",
        "ana@example.com",
        "Back Clinic",
        practice.join_code,
        link,
        "backcoach",
        "UTC",  # the server's time zone
    ]
    left = {}
    for page, html in pages.items():
        assert OPEN in html, f"{page} was not rendered in the pseudo-language"
        words = unmarked_words(html, data)
        if words:
            left[page] = words
    assert not left, f"words not marked for translation: {left}"
