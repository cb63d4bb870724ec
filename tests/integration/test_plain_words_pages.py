"""Plain words on the person's pages: an error summary names each question and links to it, a
count of one is said in the singular, and a multipart post is a plain refusal, never a 500."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

from backcoach.web import routes
from backcoach.wording.form_labels import field_label
from tests.integration.onboarded import Onboarded
from tests.training_app import App, csrf_of, finish, onboard, save, sign_up, start, token

# Pages and forms behave alike on both databases: SQLite only (the suite's time).
DATABASES = ("sqlite",)

_SUMMARY = re.compile(r'<div class="error-summary".*?</ul>', re.S)
_ENTRY = re.compile(r'<li><a href="#([^"]+)">([^<]*)</a></li>')


def _summary(html: str) -> list[tuple[str, str]]:
    found = _SUMMARY.search(html)
    assert found, "no error summary"
    return _ENTRY.findall(found.group(0))


def _refused_forms(app: App) -> Iterator[tuple[str, Any]]:
    """Each of the person's forms sent empty: (form, the response with its page)."""
    client = app.client()
    yield "signup", client.post("/signup", data={"csrftoken": token(client.get("/signup").text)})
    yield "login", client.post("/login", data={"csrftoken": token(client.get("/login").text)})
    client = sign_up(app, "bo@example.com")
    page = client.get("/onboarding/screening").text
    yield "screening", client.post("/onboarding/screening", data={"csrftoken": token(page)})
    client = onboard(app)
    yield "measures", client.post("/onboarding/measures", data={"csrftoken": csrf_of(client)})
    yield "profile", client.post("/onboarding/profile", data={"csrftoken": csrf_of(client)})
    yield "start", client.post("/session", data={"csrftoken": csrf_of(client)})
    session_id = start(client)
    yield (
        "finish",
        client.post(f"/session/{session_id}/finish", data={"csrftoken": csrf_of(client)}),
    )
    finish(client, session_id)
    address = f"/session/{session_id}/checkin"
    yield "checkin", client.post(address, data={"csrftoken": csrf_of(client)})
    yield "reassess", client.post("/progress/reassess", data={"csrftoken": csrf_of(client)})
    yield "password", client.post("/account/password", data={"csrftoken": csrf_of(client)})


def test_every_error_summary_names_its_question_and_links_to_it(app: App) -> None:
    unnamed: dict[str, list[str]] = {}
    for form, response in _refused_forms(app):
        entries = _summary(response.text)
        assert entries, form
        for field, words in entries:
            label = field_label(field)
            assert label is not None, (form, field)
            # The link's target is on the page, and the line starts with the question's name.
            assert f'id="{field}"' in response.text, (form, field)
            if not words.startswith(label.replace("'", "&#39;")):
                unnamed.setdefault(form, []).append(words)
        messages = [words for _, words in entries]
        assert len(set(messages)) == len(messages), (form, messages)  # never the same line twice
    assert not unnamed, unnamed


def test_a_summary_line_says_the_question_once(app: App) -> None:
    client = app.client()
    page = client.post("/signup", data={"csrftoken": token(client.get("/signup").text)}).text
    assert ("email", "Email: Please fill this in.") in _summary(page)
    client = sign_up(app, "cy@example.com")
    page = client.get("/onboarding/screening").text
    answered = client.post("/onboarding/screening", data={"csrftoken": token(page)}).text
    # Its message already names the question: said once, not "Weight loss: Weight loss: ...".
    assert ("weight_loss", "Weight loss: please answer yes or no.") in _summary(answered)


#: A count of one said with a plural noun ("1 sets", "1 moments").
_ONE_PLURAL = re.compile(
    r"\b1 (sets|reps|moments|tight moments|sessions|days|weeks|minutes|seconds|steps|"
    r"activities|questions|answers|exercises|times)\b"
)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_count_of_one_is_said_in_the_singular(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    client.post("/tight", data={"csrftoken": csrf_of(client)})
    session_id = start(client)
    item = app.program("ana@example.com").plan.exercises[0]
    save(client, session_id, item.exercise.id, 1, item.dose_max, kind=item.exercise.dose.value)
    assert finish(client, session_id).status_code == 200
    pages = {
        "done": client.get(f"/session/{session_id}/done").text,
        "tight": client.get("/tight").text,
        "today": client.get("/today").text,
        "schedule": client.get("/schedule").text,
        "checkin": client.get(f"/session/{session_id}/checkin").text,
        "progress": client.get("/progress").text,
    }
    assert "You saved 1 set." in _text(pages["done"])
    assert "1 tight moment logged today." in _text(pages["tight"])
    assert "You have done 1 of the 1 session planned so far" in _text(pages["progress"])
    wrong = {page: _ONE_PLURAL.findall(_text(html)) for page, html in pages.items()}
    assert not any(wrong.values()), wrong


def _page_posts() -> list[str]:
    """Every page's POST address (web/routes/*), a number in place of each path parameter."""
    found: set[str] = set()
    for module in pkgutil.iter_modules(routes.__path__):
        router = getattr(
            importlib.import_module(f"{routes.__name__}.{module.name}"), "router", None
        )
        for route in getattr(router, "routes", ()):
            if "POST" in getattr(route, "methods", ()):
                found.add(re.sub(r"\{[^}]+\}", "1", route.path))
    return sorted(found)


def test_a_multipart_post_to_any_page_is_a_plain_415(ana: Onboarded) -> None:
    client = ana.client
    good = csrf_of(client)
    paths = _page_posts()
    assert "/onboarding/measures" in paths and len(paths) > 20
    for path in paths:
        refused = client.post(
            path,
            data={"csrftoken": good, "pain_before": "3"},
            files={"photo": ("back.jpg", b"\xff\xd8\xff", "image/jpeg")},
        )
        assert refused.status_code == 415, (path, refused.status_code)
        assert "cannot take files" in refused.text, path
        assert "Traceback" not in refused.text
